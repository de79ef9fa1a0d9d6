"""Abuse, as two teams against a demo profile: Riverside Library is the
person's own team (Amira), Sam at Northgate is the helper a mandate names.
Each attempt is refused, each refusal is in the audit chain, and the chain
stays intact. The last scenarios go through the window's backend, so the
refusal inside a read is committed with its audit entry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.backend.local import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.casefile.people import create_person
from casework.kernel.errors import AccessRefused
from casework.kernel.records import Actor
from casework.paper import acted_for
from delegation import audit, listing, mandates, policy
from delegation.audit import ReasonCode
from delegation.models import AuditEntry, Mandate
from delegation.records import ConsentMethod, MandateStatus
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import T0, Grant, blue_badge
from tests.unit.factories import person_input
from ui.operations import mandates as mandate_ops

LATER = T0 + timedelta(hours=2)


def _last(session: Session) -> AuditEntry:
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()


def _refused(write: WriteSession, attempt: object, match: str | None = None) -> AuditEntry:
    """Run ``attempt(session)``; it must raise AccessRefused. The refusal is
    committed (as the backend does) and its audit entry returned."""
    with write() as session:
        with pytest.raises(AccessRefused, match=match):
            attempt(session)  # type: ignore[operator]
        entry = _last(session)
    assert entry.outcome == "refuse"
    return entry


def _verified(write: WriteSession) -> None:
    with write() as session:
        assert audit.verify(session).ok


def test_the_helper_cannot_lift_the_teams_safeguarding_suspension(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant(sub_delegation_allowed=True)
    with write() as session:
        mandates.suspend(session, amira, mandate_id, ReasonCode.SAFEGUARDING_CONCERN, now=T0)
    for attempt in (
        lambda s: mandates.lift_suspension(
            s, sam, mandate_id, reason="The person rang me, all fine", now=LATER
        ),
        lambda s: mandates.activate(s, sam, mandate_id, now=LATER),
    ):
        entry = _refused(write, attempt, "person's own team|being granted")
        assert (entry.worker_id, entry.mandate_id, entry.kind) == (
            sam.worker_id,
            mandate_id,
            "manage",
        )
    with write() as session:
        assert mandates.load(session, mandate_id).status is MandateStatus.SUSPENDED
        assert not policy.decide(session, sam, person_id, "view", "blue-badge", now=LATER).allowed
    _verified(write)


def test_the_helper_cannot_renew_widen_or_review_but_may_narrow_and_give_up(
    write: WriteSession, amira: Actor, sam: Actor, grant: Grant
) -> None:
    mandate_id = grant(blue_badge("view", "draft"), days=10)
    with write() as session:
        version = mandates.load(session, mandate_id).version
    entry = _refused(
        write,
        lambda s: listing.renew(
            s, sam, mandate_id, T0 + timedelta(days=360), person_agreed=True, now=LATER
        ),
        "Only the person's own team can renew",
    )
    assert entry.action == "manage.renew"
    for action in ("widen", "review", "suspend"):
        _refused(
            write,
            lambda s, a=action: policy.require_management(s, sam, mandate_id, a, LATER),
        )
    with write() as session:
        narrowed = mandates.narrow_mandate(
            session, sam, mandate_id, version, blue_badge("view"), now=LATER
        )
        assert narrowed.version == version + 1
    with write() as session:
        mandates.revoke(session, sam, mandate_id, ReasonCode.GRANTEE_LEFT, now=LATER)
    with write() as session:
        assert mandates.load(session, mandate_id).ends_at == T0 + timedelta(days=10)
    _verified(write)


def test_a_revoked_helper_can_read_nothing_any_more(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mandate_id = grant()
    with write() as session:
        policy.decide(session, sam, person_id, "view", "blue-badge", now=LATER)
        assert [m.id for m in listing.person_mandates(session, sam, person_id, LATER)] == [
            mandate_id
        ]
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW, now=LATER)
    for what, attempt in (
        ("read.mandates", lambda s: listing.person_mandates(s, sam, person_id, LATER)),
        ("read.audit", lambda s: listing.person_audit(s, sam, person_id, now=LATER)),
        ("read.acting", lambda s: listing.acting_mandate(s, sam, person_id, LATER)),
        (
            "read.receipt",
            lambda s: policy.require_read(s, sam, person_id, "receipt", LATER),
        ),
    ):
        entry = _refused(write, attempt, "only while one of them names you")
        assert (entry.kind, entry.action, entry.worker_id, entry.person_id) == (
            "read",
            what,
            sam.worker_id,
            person_id,
        )
    _verified(write)


def test_a_live_helper_sees_only_their_own_mandates_and_their_own_actions(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, grant: Grant
) -> None:
    mine = grant()
    ended = grant(blue_badge("print"))
    theirs = grant(blue_badge("view"), grantee=amira)  # the team's own, not Sam's
    with write() as session:
        mandates.revoke(session, amira, ended, ReasonCode.PERSON_WITHDREW, now=LATER)
        policy.decide(session, sam, person_id, "view", "blue-badge", now=LATER)
        policy.decide(session, amira, person_id, "view", "blue-badge", now=LATER)
    with write() as session:
        seen = listing.person_mandates(session, sam, person_id, LATER)
        entries = listing.person_audit(session, sam, person_id, now=LATER)
        everything = listing.person_mandates(session, amira, person_id, LATER)
        whole = listing.person_audit(session, amira, person_id, now=LATER)
    assert [m.id for m in seen] == [mine]
    assert {m.id for m in everything} >= {mine, ended, theirs}
    assert entries and all(e.worker == "Sam Okafor" and e.mandate_id == mine for e in entries)
    assert len(whole) > len(entries)
    with write() as session:
        acting = listing.acting_mandate(session, sam, person_id, LATER)
        assert acting is not None and acting.id == mine
        # The person's report is for the person: their own team prints it.
        with pytest.raises(AccessRefused, match="for the person"):
            acted_for.acted_for_report(session, sam, person_id, now=LATER)
        entry = _last(session)
        assert (entry.action, entry.outcome) == ("read.acted_for", "refuse")
    _verified(write)


def test_grants_from_outside_the_caseload_and_foreign_passing_on_are_refused_and_audited(
    write: WriteSession, amira: Actor, sam: Actor, actor: object, person_id: int, grant: Grant
) -> None:
    entry = _refused(
        write,
        lambda s: mandates.grant(
            s,
            sam,
            person_id=person_id,
            basis=mandates.Basis.CONSENT,
            scope=blue_badge(),
            starts_at=T0,
            ends_at=T0 + timedelta(days=30),
            grantee_worker_id=sam.worker_id,
            now=T0,
        ),
        "only their own team can record a mandate",
    )
    assert (entry.action, entry.person_id) == ("manage.grant", person_id)
    closed = grant()
    tom = actor("tom")  # type: ignore[operator]
    entry = _refused(
        write,
        lambda s: mandates.grant_sub_mandate(
            s,
            sam,
            closed,
            scope=blue_badge(),
            ends_at=T0 + timedelta(days=5),
            grantee_worker_id=tom.worker_id,
            now=LATER,
        ),
        "does not allow",
    )
    assert entry.action == "manage.pass_on"
    # What a helper passes on is started by the person's own team, not by them.
    open_id = grant(sub_delegation_allowed=True)
    with write() as session:
        child = mandates.grant_sub_mandate(
            session,
            sam,
            open_id,
            scope=blue_badge(),
            ends_at=T0 + timedelta(days=5),
            grantee_team_id=sam.team_id,
            now=LATER,
        )
        child_id = child.id
    entry = _refused(
        write, lambda s: mandates.activate(s, sam, child_id, now=LATER), "person's own team"
    )
    assert (entry.action, entry.mandate_id) == ("manage.activate", child_id)
    with write() as session:
        mandates.activate(session, amira, child_id, now=LATER)
    proposed = grant(activate=False)
    entry = _refused(
        write,
        lambda s: mandates.record_consent(
            s,
            sam,
            proposed,
            method=ConsentMethod.IN_PERSON,
            task_list_shown="the tasks",
            seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS),
            now=LATER,
        ),
        "record their consent",
    )
    assert entry.action == "manage.consent"
    entry = _refused(
        write,
        lambda s: mandates.suspend(s, sam, 999_999, ReasonCode.OTHER, now=LATER),
        "no such mandate",
    )
    assert (entry.action, entry.person_id, entry.mandate_id) == ("manage.suspend", None, None)
    _verified(write)


def test_the_assisted_session_wall_refuses_and_audits_management(
    write: WriteSession, amira: Actor, actor: object, grant: Grant, person_id: int
) -> None:
    """A worker running an assisted session can manage nothing else: the wall
    is the decision's, and the refusal is in the chain."""
    from casework.casefile import assisted

    mandate_id = grant()
    with write() as session:
        running = assisted.start(
            session,
            amira,
            person=person_input(given_name="Walk", family_name="In"),
            service_id="blue-badge",
            service_title="Blue Badge",
            categories=("identity",),
            task_list_shown=_session_task_list(),
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS),
            seen_alone=True,
            now=T0,
        )
    entry = _refused(
        write,
        lambda s: mandates.suspend(s, amira, mandate_id, ReasonCode.OTHER, now=T0),
        "assisted session",
    )
    assert entry.action == "manage.suspend"
    entry = _refused(
        write,
        lambda s: listing.person_mandates(s, amira, person_id, T0),
        "assisted session",
    )
    assert entry.action == "read.mandates"
    # A colleague cannot end (and so wipe) someone else's session.
    tom = actor("tom")  # type: ignore[operator]
    entry = _refused(
        write,
        lambda s: assisted.wipe(s, tom, running.id, now=T0),
        "no such assisted session on your account",
    )
    assert (entry.action, entry.worker_id) == ("session.wipe", tom.worker_id)
    entry = _refused(
        write,
        lambda s: assisted.keep(s, tom, running.id, person_agreed_to_case=True, now=T0),
    )
    assert entry.action == "session.keep"
    _verified(write)


def _session_task_list() -> str:
    from casework.casefile.assisted import session_scope
    from delegation.scope_words import describe

    return describe(session_scope("blue-badge", ("identity",)))


def test_refusals_inside_reads_are_kept_by_the_backend(
    demo_profile: OpenProfile, write: WriteSession, amira: Actor, sam: Actor, grant: Grant
) -> None:
    with write() as session:
        person_id = create_person(session, amira, person_input(family_name="Backend"))
    mandate_id = grant()  # to Sam, on the fixture's person: not this one; then ended
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
    helper = LocalBackend(demo_profile)
    helper.sign_in("sam", DEMO_PASSWORD)
    with write() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    ops = (
        mandate_ops.person_mandates(person_id),
        mandate_ops.person_audit(person_id),
        mandate_ops.consent_receipt_pdf(mandate_id),
        mandate_ops.lift(person_id, mandate_id, 1, "because"),
    )
    # Each read writes its decision, so it runs on the one write worker.
    assert all(op.writes for op in ops)
    assert mandate_ops.mandates_and_audit(person_id).writes
    assert mandate_ops.acting_mandate(person_id).writes
    for op in ops:
        with pytest.raises(AccessRefused):
            op.call(helper)
    with write() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        refused = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > before, AuditEntry.outcome == "refuse")
        ).all()
        assert audit.verify(session).ok
        assert session.get(Mandate, mandate_id) is not None
    assert after - before == len(refused) == 4


def test_a_review_that_narrows_cuts_down_what_was_passed_on(
    write: WriteSession, amira: Actor, sam: Actor, grant: Grant
) -> None:
    """Narrowing by review, as by ``narrow_mandate``: a passed-on mandate
    never keeps more than the one it came from."""
    from delegation import review
    from delegation.scope import scope_from_json

    parent_id = grant(blue_badge("view", "draft"), sub_delegation_allowed=True, days=30)
    with write() as session:
        child = mandates.grant_sub_mandate(
            session,
            sam,
            parent_id,
            scope=blue_badge("view", "draft"),
            ends_at=T0 + timedelta(days=10),
            grantee_team_id=sam.team_id,
            now=LATER,
        )
        child_id = child.id
        mandates.activate(session, amira, child_id, now=LATER)
        version = mandates.load(session, parent_id).version
    with write() as session:
        review.record_review(
            session,
            amira,
            parent_id,
            version,
            "narrowed",
            next_review_at=T0 + timedelta(days=20),
            scope=blue_badge("view"),
            now=LATER,
        )
    with write() as session:
        kept = scope_from_json(mandates.load(session, child_id).scope)
        assert [d.actions for d in kept] == [frozenset({"view"})]
        assert audit.verify(session).ok
