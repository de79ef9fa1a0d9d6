"""A property of the whole: for random sequences of grants, suspensions,
revocations, expiries (the clock moving on) and actions, no action succeeds
outside an active, in-date mandate's scope, and every decision is in the
audit chain, which stays intact. The actions are both bare decisions and
casework itself: the people list, a person's record, a case, a new note.

Sam (Northgate) acts for a new Riverside person each example, so nothing
he is allowed can come from his own caseload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.casefile import cases, notes, people
from casework.casefile.access import PERSON_CATEGORIES
from casework.casefile.people import create_person
from casework.kernel.errors import AccessRefused
from casework.kernel.records import Actor
from delegation import audit, mandates, policy
from delegation.audit import ReasonCode
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from delegation.scope import CATEGORIES, Scope, ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN, T0
from tests.unit.factories import person_input

SERVICES = ("blue-badge", "pension-credit")
ACTIONS = ("view", "draft", "submit", "print")
CATS = ("identity", "health", "financial", "address", "other")

details = st.builds(
    lambda service, actions, cats: ScopeDetail(
        service_id=service, actions=actions, categories=cats
    ),
    st.sampled_from(SERVICES),
    st.frozensets(st.sampled_from(ACTIONS), min_size=1),
    st.frozensets(st.sampled_from(CATS), min_size=1),
)
scopes = st.lists(details, min_size=1, max_size=2, unique_by=lambda d: d.service_id).map(make_scope)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), scopes, st.integers(1, 72)),
        st.tuples(st.just("revoke"), st.integers(0, 3)),
        st.tuples(st.just("suspend"), st.integers(0, 3)),
        st.tuples(st.just("reinstate"), st.integers(0, 3)),
        st.tuples(st.just("wait"), st.integers(1, 30)),
        st.tuples(
            st.just("act"),
            st.sampled_from(ACTIONS),
            st.sampled_from((*SERVICES, *SERVICES, "Blue-Badge", "blue-badge ", "*")),
            st.frozensets(st.sampled_from(sorted(CATEGORIES)), max_size=3),
        ),
        st.tuples(st.just("casework"), st.sampled_from(("list", "person", "case", "note"))),
    ),
    min_size=1,
    max_size=14,
)

# Explicit examples, so the common shapes are always tried.
VIEW_BLUE_BADGE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions={"view"}, categories={"identity", "other"})]
)


@dataclass
class Granted:
    id: int
    scope: Scope
    ends_at: datetime
    status: str = "active"


def _allowed_by_model(
    model: list[Granted], now: datetime, action: str, service: str, wanted: frozenset[str]
) -> dict[int, frozenset[str]]:
    """Mandate id -> categories it may disclose, for every mandate that allows the request."""
    found = {}
    for granted in model:
        if granted.status != "active" or now >= granted.ends_at:
            continue
        for detail in granted.scope:
            if detail.service_id != service or action not in detail.actions:
                continue
            redacted = wanted - detail.categories
            if redacted and action not in ("view", "print"):
                continue
            found[granted.id] = wanted & detail.categories
    return found


def _live_details(model: list[Granted], now: datetime) -> list[ScopeDetail]:
    return [
        detail
        for granted in model
        if granted.status == "active" and now < granted.ends_at
        for detail in granted.scope
    ]


def _casework_step(
    session: Session,
    sam: Actor,
    person_id: int,
    case_id: int,
    op: str,
    now: datetime,
    model: list[Granted],
) -> int:
    """One casework action by Sam, checked against the model; returns the
    number of decisions it should have written (a list writes none)."""
    live = _live_details(model, now)
    if op == "list":
        shown = person_id in people.list_person_ids(session, sam, now=now)
        assert shown == any(True for _ in live), (model, now)
        return 0
    try:
        if op == "person":
            detail = people.person_detail(session, sam, person_id, now=now)
            shown = PERSON_CATEGORIES - detail.redacted
            assert any("view" in d.actions and shown <= d.categories for d in live), (shown, live)
        elif op == "case":
            seen = cases.case_detail(session, sam, case_id, now=now)
            assert any(
                d.service_id == "blue-badge"
                and "view" in d.actions
                and ("other" in d.categories) == (not seen.redacted)
                for d in live
            ), (seen.redacted, live)
        else:
            notes.add_note(session, sam, case_id, "Rang the council", now=now)
            assert any(
                d.service_id == "blue-badge" and "draft" in d.actions and "other" in d.categories
                for d in live
            ), live
    except AccessRefused:
        wanted = {"person": "view", "case": "view", "note": "draft"}[op]
        if op == "person":
            assert not any("view" in d.actions for d in live), live
        else:
            assert not any(
                d.service_id == "blue-badge"
                and wanted in d.actions
                and (op != "note" or "other" in d.categories)
                for d in live
            ), live
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (last.kind, last.person_id, last.worker_id) == ("decision", person_id, sam.worker_id)
    return 1


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(plan=[("grant", VIEW_BLUE_BADGE, 24), ("revoke", 0), ("casework", "list")])
@example(plan=[("grant", VIEW_BLUE_BADGE, 1), ("wait", 2), ("casework", "list")])
@example(plan=[("grant", VIEW_BLUE_BADGE, 24), ("suspend", 0), ("casework", "person")])
@example(
    plan=[("grant", VIEW_BLUE_BADGE, 24), ("suspend", 0), ("reinstate", 0), ("casework", "person")]
)
@example(plan=[("grant", VIEW_BLUE_BADGE, 24), ("casework", "list"), ("casework", "case")])
@given(steps)
def test_nothing_succeeds_outside_an_active_mandate_and_everything_is_audited(
    shared_write: WriteSession,
    shared_actor: Callable[[str], Actor],
    plan: list[tuple[object, ...]],
) -> None:
    amira, sam = shared_actor("amira"), shared_actor("sam")
    with shared_write() as session:
        person_id = create_person(session, amira, person_input())
        case_id = cases.open_case(session, amira, person_id, "blue-badge", "Blue Badge")
    model: list[Granted] = []
    now = T0
    decisions = 1  # Amira opening the case
    for step in plan:
        kind = step[0]
        with shared_write() as session:
            if kind == "grant":
                scope, hours = step[1], step[2]
                assert isinstance(scope, tuple) and isinstance(hours, int)
                mandate = mandates.grant(
                    session,
                    amira,
                    person_id=person_id,
                    basis=mandates.Basis.CONSENT,
                    scope=scope,
                    ends_at=now + timedelta(hours=hours),
                    grantee_worker_id=sam.worker_id,
                    now=now,
                )
                mandates.record_consent(
                    session,
                    amira,
                    mandate.id,
                    method=ConsentMethod.IN_PERSON,
                    task_list_shown=describe(scope),
                    seen_alone=True,
                    safeguarding_answers=CLEAN_SCREEN,
                    now=now,
                )
                mandates.activate(session, amira, mandate.id, now=now)
                model.append(Granted(mandate.id, scope, mandate.ends_at))
            elif kind in ("revoke", "suspend", "reinstate"):
                index = step[1]
                assert isinstance(index, int)
                if index >= len(model):
                    continue
                target = model[index]
                live = target.status in ("active", "suspended") and now < target.ends_at
                if kind == "revoke" and live:
                    mandates.revoke(session, amira, target.id, ReasonCode.PERSON_WITHDREW, now=now)
                    target.status = "revoked"
                elif kind == "suspend" and live and target.status == "active":
                    mandates.suspend(session, amira, target.id, ReasonCode.OTHER, now=now)
                    target.status = "suspended"
                elif kind == "reinstate" and live and target.status == "suspended":
                    mandates.lift_suspension(
                        session, amira, target.id, reason="Checked with the person", now=now
                    )
                    target.status = "active"
            elif kind == "casework":
                op = step[1]
                assert isinstance(op, str)
                decisions += _casework_step(session, sam, person_id, case_id, op, now, model)
            elif kind == "wait":
                hours = step[1]
                assert isinstance(hours, int)
                now += timedelta(hours=hours)
            else:
                action, service, wanted = step[1], step[2], step[3]
                assert isinstance(action, str) and isinstance(service, str)
                assert isinstance(wanted, frozenset)
                decision = policy.decide(session, sam, person_id, action, service, wanted, now)
                decisions += 1
                expected = _allowed_by_model(model, now, action, service, wanted)
                if decision.allowed:
                    assert decision.mandate_id in expected, (decision, model, now)
                    assert decision.disclosed_categories == expected[decision.mandate_id]
                    assert decision.redacted_categories == wanted - decision.disclosed_categories
                else:
                    assert not expected, (decision, model, now)
                last = session.scalars(
                    select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)
                ).one()
                assert (last.kind, last.person_id, last.action) == ("decision", person_id, action)
                assert last.outcome == ("allow" if decision.allowed else "refuse")
                assert last.mandate_id == decision.mandate_id
    with shared_write() as session:
        recorded = session.scalar(
            select(func.count()).where(
                AuditEntry.kind == "decision", AuditEntry.person_id == person_id
            )
        )
        assert recorded == decisions
        assert audit.verify(session).ok
