"""The window's mandate actions as core functions: the grant dialog's
choices, granting with consent (and the safeguarding screen), renewing,
starting again and suspending, each in one transaction as a worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.kernel.errors import InvalidInput
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from delegation import listing, mandate_actions, mandates
from delegation.audit import ReasonCode
from delegation.models import AuditEntry, Mandate
from delegation.records import Basis, GrantRequest
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN, blue_badge

SCOPE = blue_badge("view", "draft")


def _request(actor: Actor, person_id: int, **changes: object) -> GrantRequest:
    values: dict[str, object] = {
        "person_id": person_id,
        "grantee_kind": "worker",
        "grantee_id": actor.worker_id,
        "basis": "consent",
        "scope": SCOPE,
        "ends_at": utcnow() + timedelta(days=90),
        "task_list_shown": describe(SCOPE),
        "consent_method": "in_person",
        "seen_alone": True,
        "safeguarding_answers": CLEAN_SCREEN,
    }
    values.update(changes)
    return GrantRequest(**values)  # type: ignore[arg-type]


def _mandate_count(write: WriteSession, person_id: int) -> int:
    with write() as session:
        return len(session.scalars(select(Mandate).where(Mandate.person_id == person_id)).all())


def test_the_grant_dialogs_choices(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        grantees = mandate_actions.grantee_choices(session, amira)
        supervisors = mandate_actions.supervisor_choices(session, amira)
    assert [(g.kind, g.id) for g in grantees] == [
        ("worker", amira.worker_id),
        ("team", amira.team_id),
    ]
    assert grantees[0].label == f"Me ({amira.display_name})"
    assert grantees[1].label == f"My team ({amira.team_name})"
    assert all(s.kind == "worker" and s.id != amira.worker_id for s in supervisors)
    longest = mandate_actions.basis_longest_days()
    assert set(longest) == {b.value for b in Basis}
    assert longest["consent"] == mandates.MAX_DURATION[Basis.CONSENT].days


def test_a_grant_with_a_clean_screen_is_active(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        outcome = mandate_actions.grant_mandate(session, amira, _request(amira, person_id))
    assert outcome.active and outcome.message == ""
    assert outcome.mandate.status == "active"
    with write() as session:
        acting = listing.acting_mandate(session, amira, person_id)
    assert acting is not None and acting.id == outcome.mandate.id


def test_a_safeguarding_concern_rejects_the_mandate_with_the_reason_audited(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    answers = CLEAN_SCREEN | {"pressured_by_anyone": True}
    request = _request(amira, person_id, safeguarding_answers=answers)
    with write() as session:
        outcome = mandate_actions.grant_mandate(session, amira, request)
    assert not outcome.active
    assert outcome.mandate.status == "rejected"
    assert "speak to your supervisor or the duty safeguarding lead today" in outcome.message
    with write() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(
                AuditEntry.mandate_id == outcome.mandate.id, AuditEntry.action == "reject"
            )
        ).all()
        assert entry.reason_code == ReasonCode.SAFEGUARDING_CONCERN.value
        assert listing.acting_mandate(session, amira, person_id) is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"basis": "hunch"}, "basis", "Choose a basis and how consent was given."),
        ({"consent_method": "telepathy"}, "basis", "Choose a basis and how consent was given."),
        (
            {"basis": "assisted_session"},
            "basis",
            "Start an assisted session from the Session menu.",
        ),
        (
            {"task_list_shown": "something else"},
            "task_list",
            "The task list changed: show the person the new one.",
        ),
    ],
)
def test_a_wrong_request_is_refused_before_anything_is_written(
    write: WriteSession,
    amira: Actor,
    person_id: int,
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput) as refused, write() as session:
        mandate_actions.grant_mandate(session, amira, _request(amira, person_id, **changes))
    assert refused.value.fields == {field: message}
    assert _mandate_count(write, person_id) == 0


def test_renew_suspend_and_activate_answer_the_new_version(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        granted = mandate_actions.grant_mandate(session, amira, _request(amira, person_id))
    mandate_id, version = granted.mandate.id, granted.mandate.version
    with pytest.raises(InvalidInput, match="agree to carry on"), write() as session:
        mandate_actions.renew_mandate(
            session, amira, mandate_id, version, utcnow() + timedelta(days=300), False
        )
    with write() as session:
        renewed = mandate_actions.renew_mandate(
            session, amira, mandate_id, version, utcnow() + timedelta(days=300), True
        )
    assert renewed == version + 1
    with write() as session:
        suspended = mandate_actions.suspend_mandate(
            session, amira, mandate_id, renewed, "evidence_no_longer_valid"
        )
    assert suspended == renewed + 1
    with write() as session:
        activated = mandate_actions.lift_mandate(
            session, amira, mandate_id, suspended, "New evidence seen"
        )
        assert activated == suspended + 1
        assert session.get(Mandate, mandate_id).version == activated  # type: ignore[union-attr]


def test_an_unknown_reason_is_refused(write: WriteSession, amira: Actor, person_id: int) -> None:
    assert mandate_actions.reason("person_withdrew") is ReasonCode.PERSON_WITHDREW
    with write() as session:
        granted = mandate_actions.grant_mandate(session, amira, _request(amira, person_id))
    with pytest.raises(InvalidInput) as refused, write() as session:
        mandate_actions.suspend_mandate(
            session, amira, granted.mandate.id, granted.mandate.version, "bored"
        )
    assert refused.value.fields == {"reason": "Choose a reason."}
