"""Reviewing a mandate (kept, narrowed, ended), the reviews due list, and
passing part of a mandate on from the window's core action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput
from casework.kernel.records import Actor
from delegation import mandate_actions, mandates, review
from delegation.models import AuditEntry, Mandate
from delegation.records import MandateStatus, PassOnRequest
from delegation.scope import ScopeDetail, make_scope
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import T0, Grant, blue_badge

SOON = T0 + timedelta(days=1)


def _mandate(write: WriteSession, mandate_id: int) -> Mandate:
    with write() as session:
        mandate = session.get(Mandate, mandate_id)
        assert mandate is not None
        session.expunge(mandate)
        return mandate


def _last_entry(write: WriteSession, mandate_id: int) -> AuditEntry:
    with write() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.mandate_id == mandate_id)
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).one()
        session.expunge(entry)
        return entry


def _review(write: WriteSession, who: Actor, mandate_id: int, outcome: str, **kw: object) -> None:
    version = _mandate(write, mandate_id).version
    with write() as session:
        review.record_review(
            session,
            who,
            mandate_id,
            int(kw.pop("version", version)),  # type: ignore[call-overload]
            outcome,
            now=SOON,
            **kw,  # type: ignore[arg-type]
        )


def test_a_kept_review_sets_the_next_review_and_never_the_end(
    write: WriteSession, amira: Actor, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "draft"), days=30)
    before = _mandate(write, mandate_id)
    with pytest.raises(InvalidInput) as after_end:
        _review(write, amira, mandate_id, "kept", next_review_at=before.ends_at + timedelta(days=1))
    assert "review_at" in after_end.value.fields
    with pytest.raises(InvalidInput) as past:
        _review(write, amira, mandate_id, "kept", next_review_at=T0)
    assert "review_at" in past.value.fields
    with pytest.raises(InvalidInput, match="next review"):
        _review(write, amira, mandate_id, "kept")
    _review(write, amira, mandate_id, "kept", next_review_at=T0 + timedelta(days=20))
    after = _mandate(write, mandate_id)
    assert after.ends_at == before.ends_at, "a review never extends the mandate"
    assert after.review_at == T0 + timedelta(days=20)
    assert after.version == before.version + 1
    assert after.status is MandateStatus.ACTIVE
    entry = _last_entry(write, mandate_id)
    assert (entry.kind, entry.action, entry.reason_code, entry.reason) == (
        "lifecycle",
        "review",
        "reviewed",
        "kept",
    )
    assert entry.worker_id == amira.worker_id


def test_a_narrowed_review_only_ever_narrows(
    write: WriteSession, amira: Actor, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "draft"), days=30)
    next_review = T0 + timedelta(days=10)
    for wider in (blue_badge("view", "draft", "submit"), blue_badge("view", "draft")):
        with pytest.raises(InvalidInput) as refused:
            _review(write, amira, mandate_id, "narrowed", next_review_at=next_review, scope=wider)
        assert "scope" in refused.value.fields
    _review(
        write, amira, mandate_id, "narrowed", next_review_at=next_review, scope=blue_badge("view")
    )
    assert mandates.scope_of(_mandate(write, mandate_id)) == blue_badge("view")
    assert _last_entry(write, mandate_id).reason == "narrowed"


def test_an_ended_review_revokes_it_and_what_was_passed_on(
    write: WriteSession, amira: Actor, sam: Actor, actor: object, grant: Grant
) -> None:
    tom = actor("tom")  # type: ignore[operator]
    parent_id = grant(blue_badge("view", "draft"), sub_delegation_allowed=True, days=30)
    with write() as session:
        child = mandates.grant_sub_mandate(
            session,
            sam,
            parent_id,
            grantee_worker_id=tom.worker_id,
            scope=blue_badge("view"),
            ends_at=T0 + timedelta(days=10),
            now=T0,
        )
        child_id = child.id
    with pytest.raises(EditConflict):
        _review(write, amira, parent_id, "ended", version=0)
    with pytest.raises(InvalidInput, match="decided"):
        _review(write, amira, parent_id, "extended")
    _review(write, amira, parent_id, "ended")
    assert _mandate(write, parent_id).status is MandateStatus.REVOKED
    assert _mandate(write, child_id).status is MandateStatus.REJECTED
    assert _last_entry(write, parent_id).reason == "ended"
    with pytest.raises(AccessRefused, match="ended"):  # final: the decision refuses
        _review(write, amira, parent_id, "kept", next_review_at=T0 + timedelta(days=5))


def test_reviews_due_lists_the_teams_mandates_due_within_14_days(
    write: WriteSession, amira: Actor, sam: Actor, grant: Grant
) -> None:
    due = grant(blue_badge("view"), days=30, review_at=T0 + timedelta(days=14))
    later = grant(blue_badge("view"), days=30, review_at=T0 + timedelta(days=15))
    with write() as session:
        listed = [m.id for m in review.reviews_due(session, amira, now=T0)]
        overdue = [m.id for m in review.reviews_due(session, amira, now=T0 + timedelta(days=20))]
        helpers = review.reviews_due(session, sam, now=T0 + timedelta(days=20))
    assert due in listed and later not in listed
    assert due in overdue and later in overdue
    assert helpers == [], "the helper's team does not manage the person"


def test_passing_on_from_the_window_starts_it_for_the_persons_team(
    write: WriteSession, amira: Actor, actor: object, grant: Grant
) -> None:
    tom = actor("tom")  # type: ignore[operator]
    parent_id = grant(
        blue_badge("view", "draft"), sub_delegation_allowed=True, days=60, grantee=amira
    )
    closed_id = grant(blue_badge("view"), days=60, grantee=amira)
    with write() as session:
        colleagues = mandate_actions.colleague_choices(session, amira)
        assert tom.worker_id in [c.id for c in colleagues]
        assert amira.worker_id not in [c.id for c in colleagues]
        with pytest.raises(AccessRefused):
            mandate_actions.passable(session, amira, closed_id, SOON)
        with pytest.raises(AccessRefused):
            mandate_actions.passable(session, tom, parent_id, SOON)
        assert mandate_actions.passable(session, amira, parent_id, SOON).id == parent_id
    wider = make_scope(
        [ScopeDetail(service_id="blue-badge", actions={"submit"}, categories={"identity"})]
    )
    with write() as session, pytest.raises(InvalidInput) as refused:
        mandate_actions.pass_on_mandate(
            session, amira, PassOnRequest(parent_id, tom.worker_id, wider), now=SOON
        )
    assert "scope" in refused.value.fields
    with write() as session:
        outcome = mandate_actions.pass_on_mandate(
            session, amira, PassOnRequest(parent_id, tom.worker_id, blue_badge("view")), now=SOON
        )
    assert outcome.active and outcome.mandate.parent_id == parent_id
    assert outcome.mandate.ends_at == _mandate(write, parent_id).ends_at
