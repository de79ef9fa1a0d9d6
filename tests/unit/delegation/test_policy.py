"""The policy decision (delegation.policy) under mandates: smuggling, expiry,
revocation, redaction, stale versions. Sam (Northgate) has no caseload access
to Riverside's people, so anything he is allowed comes from a mandate."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Case, Worker
from casework.kernel.records import Actor
from delegation import mandates, policy
from delegation.audit import ReasonCode
from delegation.models import AuditEntry
from delegation.records import Basis, ConsentMethod
from delegation.scope import ScopeDetail, case_scope_id, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN, T0, Grant, blue_badge

ID = frozenset({"identity"})


def _decide(
    write: WriteSession,
    actor: Actor,
    person_id: int,
    action: str,
    service: str | None,
    categories: frozenset[str] = ID,
    now=T0,
    **kw: object,
) -> policy.PolicyDecision:
    with write() as session:
        return policy.decide(session, actor, person_id, action, service, categories, now, **kw)  # type: ignore[arg-type]


def test_without_a_mandate_another_team_is_refused(
    write: WriteSession, sam: Actor, person_id: int
) -> None:
    decision = _decide(write, sam, person_id, "view", "blue-badge")
    assert not decision.allowed
    assert "no mandate" in decision.reason


def test_a_mandate_allows_exactly_its_scope(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "draft"))
    decision = _decide(write, sam, person_id, "draft", "blue-badge")
    assert decision.allowed and decision.mandate_id == mandate_id
    assert decision.mandate_version is not None
    assert decision.disclosed_categories == ID and not decision.redacted_categories


@pytest.mark.parametrize(
    ("action", "service", "words"),
    [
        ("view", "pension-credit", "does not cover this service"),  # claim B under A's mandate
        ("submit", "blue-badge", "does not allow you to send forms for"),  # view used to submit
        ("view", "Blue-Badge", "exact name"),
        ("view", "BLUE-BADGE", "exact name"),
        ("view", " blue-badge", "exact name"),
        ("view", "blue-badge ", "exact name"),
        ("view", "blu\u0435-badge", "exact name"),  # Cyrillic е
        ("view", "ｂｌｕｅ-badge", "exact name"),  # full-width
        ("view", "*", "exact name"),
        ("view", "", "exact name"),
        ("*", "blue-badge", "not an action"),
        ("View", "blue-badge", "not an action"),
    ],
)
def test_scope_smuggling_is_refused(
    write: WriteSession,
    sam: Actor,
    person_id: int,
    grant: Grant,
    action: str,
    service: str,
    words: str,
) -> None:
    grant(blue_badge("view", "draft"))
    decision = _decide(write, sam, person_id, action, service)
    assert not decision.allowed
    assert words in decision.reason


def test_no_service_named_means_no_mandate_match(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    grant()
    assert not _decide(write, sam, person_id, "view", None, frozenset()).allowed


def test_unknown_categories_are_refused(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    grant()
    assert not _decide(
        write, sam, person_id, "view", "blue-badge", frozenset({"everything"})
    ).allowed


def test_sensitive_categories_are_redacted_on_reading_and_refused_on_writing(
    write: WriteSession, sam: Actor, amira: Actor, person_id: int, grant: Grant
) -> None:
    grant(blue_badge("view", "submit", categories=("identity", "address")))
    wanted = frozenset({"identity", "health", "address"})
    seen = _decide(write, sam, person_id, "view", "blue-badge", wanted)
    assert seen.allowed
    assert seen.disclosed_categories == {"identity", "address"}
    assert seen.redacted_categories == {"health"}
    assert not _decide(write, sam, person_id, "submit", "blue-badge", wanted).allowed
    # The team's own caseload sees the person, but not health or money without a mandate.
    own = _decide(
        write, amira, person_id, "view", "blue-badge", frozenset({"identity", "financial"})
    )
    assert own.allowed and own.redacted_categories == {"financial"} and own.mandate_id is None
    assert not _decide(
        write, amira, person_id, "draft", "pension-credit", frozenset({"financial"})
    ).allowed


def test_a_granted_sensitive_category_is_disclosed(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    grant(blue_badge("view", categories=("identity", "health")))
    decision = _decide(write, sam, person_id, "view", "blue-badge", frozenset({"health"}))
    assert decision.allowed and decision.disclosed_categories == {"health"}


def test_a_case_detail_covers_that_case_only(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, case_id: int, grant: Grant
) -> None:
    with write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        reference = case.reference
        other_case = Case(
            reference="AL-ZZZZZZZ",
            person_id=person_id,
            team_id=case.team_id,
            service_id="blue-badge",
            title="Another",
        )
        session.add(other_case)
        session.flush()
        other_id = other_case.id
    scope = make_scope(
        [ScopeDetail(case=case_scope_id(reference), actions={"view"}, categories={"identity"})]
    )
    grant(scope)
    assert _decide(write, sam, person_id, "view", None, case_id=case_id).allowed
    assert not _decide(write, sam, person_id, "view", None, case_id=other_id).allowed
    # The service's name alone does not reach a case-only grant.
    assert not _decide(write, sam, person_id, "view", "blue-badge").allowed


def test_revocation_takes_effect_at_the_next_decision(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant()
    assert _decide(write, sam, person_id, "view", "blue-badge").allowed
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW, now=T0)
    assert not _decide(write, sam, person_id, "view", "blue-badge").allowed


def test_suspension_takes_effect_and_can_be_lifted(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant()
    with write() as session:
        mandates.suspend(session, amira, mandate_id, ReasonCode.SAFEGUARDING_CONCERN, now=T0)
    assert not _decide(write, sam, person_id, "view", "blue-badge").allowed
    with write() as session:
        mandates.lift_suspension(
            session, amira, mandate_id, reason="Seen alone; no concern any more.", now=T0
        )
    assert _decide(write, sam, person_id, "view", "blue-badge").allowed


def test_expiry_is_exactly_at_the_end_whatever_the_clock_zone(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    # Ends at 01:00 UTC on the night the UK clocks go forward (01:00 GMT -> 02:00 BST).
    end = T0.replace(day=29, hour=1)
    grant(ends_at=end)
    just_before = end - timedelta(microseconds=1)
    assert _decide(write, sam, person_id, "view", "blue-badge", now=just_before).allowed
    ended = _decide(write, sam, person_id, "view", "blue-badge", now=end)
    assert not ended.allowed and "has ended" in ended.reason
    bst = timezone(timedelta(hours=1), "BST")
    assert not _decide(write, sam, person_id, "view", "blue-badge", now=end.astimezone(bst)).allowed
    # 01:30 BST is 00:30 UTC: still inside.
    assert _decide(
        write, sam, person_id, "view", "blue-badge", now=end.astimezone(bst) - timedelta(minutes=30)
    ).allowed
    with pytest.raises(ValueError, match="naive"):
        _decide(write, sam, person_id, "view", "blue-badge", now=end.replace(tzinfo=None))


def test_not_started_and_overdue_review_are_refused(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    grant(starts_at=T0 + timedelta(days=1), review_at=T0 + timedelta(days=2))
    assert "not started" in _decide(write, sam, person_id, "view", "blue-badge").reason
    assert _decide(write, sam, person_id, "view", "blue-badge", now=T0 + timedelta(days=1)).allowed
    late = _decide(write, sam, person_id, "view", "blue-badge", now=T0 + timedelta(days=2))
    assert not late.allowed and "review" in late.reason


def test_an_inactive_worker_is_refused(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    grant()
    with write() as session:
        worker = session.get(Worker, sam.worker_id)
        assert worker is not None
        worker.active = False
    assert "not active" in _decide(write, sam, person_id, "view", "blue-badge").reason


def test_a_mandate_to_a_team_covers_its_members(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int
) -> None:
    with write() as session:
        mandate = mandates.grant(
            session,
            amira,
            person_id=person_id,
            basis=Basis.CONSENT,
            scope=blue_badge(),
            ends_at=T0 + timedelta(days=5),
            starts_at=T0,
            grantee_team_id=sam.team_id,
            now=T0,
        )
        mandates.record_consent(
            session,
            amira,
            mandate.id,
            method=ConsentMethod.SIGNED_PAPER,
            task_list_shown="x",
            seen_alone=True,
            safeguarding_answers=CLEAN_SCREEN,
            now=T0,
        )
        mandates.activate(session, amira, mandate.id, now=T0)
    assert _decide(write, sam, person_id, "view", "blue-badge").allowed


# -- lifecycle -------------------------------------------------------------------------


def test_revoked_can_never_be_reactivated(write: WriteSession, amira: Actor, grant: Grant) -> None:
    mandate_id = grant()
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW, now=T0)
    for change in (
        lambda s: mandates.activate(s, amira, mandate_id, now=T0),
        lambda s: mandates.suspend(s, amira, mandate_id, ReasonCode.OTHER, now=T0),
        lambda s: mandates.revoke(s, amira, mandate_id, ReasonCode.OTHER, now=T0),
    ):
        with pytest.raises(AccessRefused, match="ended"), write() as session:
            change(session)


def test_a_coerced_or_unrecorded_consent_cannot_be_activated(
    write: WriteSession, amira: Actor, grant: Grant
) -> None:
    mandate_id = grant(activate=False)
    with pytest.raises(InvalidInput, match="consent"), write() as session:
        mandates.activate(session, amira, mandate_id, now=T0)
    with write() as session:
        mandates.record_consent(
            session,
            amira,
            mandate_id,
            method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(blue_badge()),
            seen_alone=True,
            safeguarding_answers=CLEAN_SCREEN | {"pressured_by_anyone": True},
            now=T0,
        )
    with pytest.raises(InvalidInput, match="safeguarding"), write() as session:
        mandates.activate(session, amira, mandate_id, now=T0)
    with pytest.raises(InvalidInput), write() as session:
        mandates.record_consent(
            session,
            amira,
            mandate_id,
            method=ConsentMethod.IN_PERSON,
            task_list_shown="x",
            seen_alone=True,
            safeguarding_answers={},
            now=T0,
        )


def test_the_end_date_is_compulsory_and_capped_by_basis(write: WriteSession, grant: Grant) -> None:
    with pytest.raises(InvalidInput, match="at most 366 days"):
        grant(days=367)
    with pytest.raises(InvalidInput, match="future"):
        grant(ends_at=T0 - timedelta(days=1), starts_at=T0 - timedelta(days=2))
    assert grant(days=366)


def test_lifecycle_changes_are_audited_with_a_reason_code(
    write: WriteSession, amira: Actor, grant: Grant
) -> None:
    mandate_id = grant()
    with write() as session:
        mandates.suspend(session, amira, mandate_id, ReasonCode.SAFEGUARDING_CONCERN, now=T0)
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW, now=T0)
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.mandate_id == mandate_id, AuditEntry.kind == "lifecycle")
            .order_by(AuditEntry.seq)
        ).all()
    assert [(r.action, r.reason_code) for r in rows] == [
        ("grant", "granted"),
        ("activate", "consent_recorded"),
        ("suspend", "safeguarding_concern"),
        ("revoke", "person_withdrew"),
    ]
    assert [r.mandate_version for r in rows] == sorted(r.mandate_version or 0 for r in rows)


def test_expire_due_sweeps_and_audits(write: WriteSession, grant: Grant) -> None:
    mandate_id = grant(days=1)
    with write() as session:
        assert mandates.expire_due(session, T0 + timedelta(hours=23)) == []
        assert mandates.expire_due(session, T0 + timedelta(days=1)) == [mandate_id]
        assert (
            session.scalar(
                select(AuditEntry.action)
                .where(AuditEntry.mandate_id == mandate_id)
                .order_by(AuditEntry.seq.desc())
                .limit(1)
            )
            == "expire"
        )


# -- sub-mandates ----------------------------------------------------------------------


def _sub(write: WriteSession, sam: Actor, parent_id: int, grantee: Actor, **kw: object) -> int:
    with write() as session:
        child = mandates.grant_sub_mandate(
            session,
            sam,
            parent_id,
            grantee_worker_id=grantee.worker_id,
            scope=kw.pop("scope", blue_badge("view")),  # type: ignore[arg-type]
            ends_at=kw.pop("ends_at", T0 + timedelta(days=10)),  # type: ignore[arg-type]
            now=T0,
            **kw,  # type: ignore[arg-type]
        )
        return child.id


def test_a_sub_mandate_may_only_narrow(
    write: WriteSession, actor: object, sam: Actor, person_id: int, grant: Grant
) -> None:
    other = actor("tom")  # type: ignore[operator]
    parent_id = grant(blue_badge("view", "draft"), sub_delegation_allowed=True, days=20)
    with pytest.raises(InvalidInput, match="only do less"):
        _sub(write, sam, parent_id, other, scope=blue_badge("view", "submit"))
    with pytest.raises(InvalidInput, match="only do less"):
        _sub(
            write,
            sam,
            parent_id,
            other,
            scope=blue_badge("view", categories=("identity", "health")),
        )
    with pytest.raises(InvalidInput, match="only do less"):
        _sub(
            write,
            sam,
            parent_id,
            other,
            scope=make_scope(
                [
                    ScopeDetail(
                        service_id="pension-credit", actions={"view"}, categories={"identity"}
                    )
                ]
            ),
        )
    with pytest.raises(InvalidInput, match="ends"):
        _sub(write, sam, parent_id, other, ends_at=T0 + timedelta(days=21))
    # Someone who is not the parent's grantee cannot pass it on.
    with pytest.raises(AccessRefused):
        _sub(write, other, parent_id, other)
    assert _sub(write, sam, parent_id, other)


def test_a_sub_mandate_needs_permission_and_is_not_passed_on_again(
    write: WriteSession, actor: object, amira: Actor, sam: Actor, grant: Grant
) -> None:
    tom, gwen = actor("tom"), actor("gwen")  # type: ignore[operator]
    closed = grant(blue_badge("view"))
    with pytest.raises(AccessRefused, match="pass it on"):
        _sub(write, sam, closed, tom)
    parent_id = grant(blue_badge("view"), sub_delegation_allowed=True)
    child_id = _sub(write, sam, parent_id, tom)
    with write() as session:
        mandates.activate(session, amira, child_id, now=T0)
    with pytest.raises(AccessRefused, match="pass it on"):
        _sub(write, tom, child_id, gwen)


def test_revoking_the_parent_revokes_the_children(
    write: WriteSession, actor: object, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    tom = actor("tom")  # type: ignore[operator]
    # Tom is in Amira's team: take his caseload out of the picture for this test.
    parent_id = grant(blue_badge("view"), sub_delegation_allowed=True)
    child_id = _sub(write, sam, parent_id, sam, scope=blue_badge("view"))
    with write() as session:
        mandates.activate(session, amira, child_id, now=T0)
    with write() as session:
        mandates.suspend(session, amira, parent_id, ReasonCode.OTHER, now=T0)
    # A suspended parent stops the child too, at the next decision.
    refused = _decide(write, sam, person_id, "view", "blue-badge")
    assert not refused.allowed and "passed on from" in refused.reason
    with write() as session:
        mandates.revoke(session, amira, parent_id, ReasonCode.PERSON_WITHDREW, now=T0)
        child = mandates.load(session, child_id)
        assert child.status.value == "revoked" and child.status_reason == "parent_revoked"
    assert tom.worker_id != sam.worker_id


# -- emergency -------------------------------------------------------------------------


def _emergency(
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    approver: Actor | None,
    **kw: object,
) -> int:
    with write() as session:
        mandate = mandates.grant(
            session,
            amira,
            person_id=person_id,
            basis=Basis.EMERGENCY,
            scope=kw.pop("scope", blue_badge("view", "contact")),  # type: ignore[arg-type]
            ends_at=kw.pop("ends_at", T0 + timedelta(hours=72)),  # type: ignore[arg-type]
            starts_at=T0,
            grantee_worker_id=sam.worker_id,
            now=T0,
            emergency_reason=kw.pop("reason", "Payment stops tomorrow; person in hospital."),  # type: ignore[arg-type]
            second_approver_id=approver.worker_id if approver else None,
        )
        mandates.activate(session, amira, mandate.id, now=T0)
        return mandate.id


def test_an_emergency_mandate_needs_a_supervisor_second_approver(
    write: WriteSession, actor: object, amira: Actor, sam: Actor, person_id: int
) -> None:
    gwen, tom = actor("gwen"), actor("tom")  # type: ignore[operator]
    for approver in (None, tom, sam, amira):
        with pytest.raises(InvalidInput, match="supervisor"):
            _emergency(write, amira, sam, person_id, approver)
    with pytest.raises(InvalidInput, match="cannot wait"):
        _emergency(write, amira, sam, person_id, gwen, reason="  ")
    with pytest.raises(InvalidInput, match="only view, contact"):
        _emergency(write, amira, sam, person_id, gwen, scope=blue_badge("view", "submit"))
    with pytest.raises(InvalidInput, match="at most 3 days"):
        _emergency(write, amira, sam, person_id, gwen, ends_at=T0 + timedelta(hours=72, seconds=1))
    # A supervisor recording it cannot be their own second approver.
    with pytest.raises(InvalidInput, match="supervisor"):
        _emergency(write, gwen, sam, person_id, gwen)
    mandate_id = _emergency(write, amira, sam, person_id, gwen)
    with write() as session:
        assert mandates.load(session, mandate_id).flagged_for_review


def test_an_emergency_mandate_ends_after_72_hours(
    write: WriteSession, actor: object, amira: Actor, sam: Actor, person_id: int
) -> None:
    _emergency(write, amira, sam, person_id, actor("gwen"))  # type: ignore[operator]
    later = T0 + timedelta(hours=71, minutes=59)
    assert _decide(write, sam, person_id, "contact", "blue-badge", now=later).allowed
    assert not _decide(
        write, sam, person_id, "contact", "blue-badge", now=T0 + timedelta(hours=72)
    ).allowed
    assert not _decide(write, sam, person_id, "submit", "blue-badge", now=later).allowed


# -- re-check before a write -----------------------------------------------------------


def test_recheck_refuses_when_the_mandate_changed_since_the_decision(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "submit"))
    opened = _decide(write, sam, person_id, "submit", "blue-badge")  # the dialog opens
    assert opened.allowed
    with write() as session:  # meanwhile: suspended and reinstated (version moved twice)
        mandates.suspend(session, amira, mandate_id, ReasonCode.OTHER, now=T0)
        mandates.lift_suspension(session, amira, mandate_id, reason="Checked", now=T0)
    assert _decide(write, sam, person_id, "submit", "blue-badge").allowed  # a fresh look is fine
    with pytest.raises(AccessRefused, match="changed"), write() as session:
        policy.recheck(session, opened, T0)


def test_recheck_passes_when_nothing_changed_and_refuses_after_revocation(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "submit"))
    opened = _decide(write, sam, person_id, "submit", "blue-badge")
    with write() as session:
        again = policy.recheck(session, opened, T0)
        assert again.mandate_version == opened.mandate_version
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW, now=T0)
    with pytest.raises(AccessRefused), write() as session:
        policy.recheck(session, opened, T0)
    with pytest.raises(AccessRefused), write() as session:
        policy.require(session, sam, person_id, "submit", "blue-badge", ID, T0)


def test_every_decision_is_audited_allow_and_refuse(
    write: WriteSession, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant()
    allowed = _decide(write, sam, person_id, "view", "blue-badge")
    refused = _decide(write, sam, person_id, "submit", "blue-badge")
    with write() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.kind == "decision", AuditEntry.worker_id == sam.worker_id)
            .order_by(AuditEntry.seq)
        ).all()
    assert [(r.outcome, r.action, r.target, r.mandate_id) for r in rows[-2:]] == [
        ("allow", "view", "blue-badge", mandate_id),
        ("refuse", "submit", "blue-badge", None),
    ]
    assert rows[-2].reason == allowed.reason and rows[-1].reason == refused.reason
    assert '"service":"blue-badge"' in rows[-2].scope_detail.replace(" ", "")
    assert rows[-2].categories_disclosed == '["identity"]'
    assert rows[-2].at.tzinfo is UTC or rows[-2].at.utcoffset() == timedelta(0)
