"""Properties: passing a mandate on and narrowing one never widen it.

For random parent scopes (sensitive categories included), random scopes and
dates asked for a passed-on mandate, and random new scopes asked for a
narrowing: whatever is accepted does no more than the parent (no new
service, action or kind of information, no earlier start or later end or
review), what was passed on is cut down to fit a narrowed parent, and what
the policy then allows the child's helper is inside the parent's scope.
Sam (Northgate) holds the parent; Nia (Northgate) receives what is passed on,
so nothing either is allowed comes from their own caseload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from casework.casefile.people import create_person
from casework.kernel import accounts
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Team
from casework.kernel.records import Actor, Role
from delegation import audit, mandates, policy
from delegation.models import AuditEntry, Mandate
from delegation.records import ConsentMethod
from delegation.scope import (
    SENSITIVE_CATEGORIES,
    Scope,
    ScopeDetail,
    make_scope,
    narrows,
    scope_from_json,
)
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
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def who(shared_write: WriteSession, shared_actor: Callable[[str], Actor]) -> dict[str, Actor]:
    with shared_write() as session:
        northgate = session.scalars(
            select(Team).where(Team.name == "Northgate Citizens Advice")
        ).one()
        accounts.create_worker(
            session,
            username="nia",
            display_name="Nia Evans",
            password="a long enough password 1",
            role=Role.ADVISER,
            team=northgate,
        )
    return {name: shared_actor(name) for name in ("amira", "sam", "nia")}


def _parent(write: WriteSession, who: dict[str, Actor], scope: Scope, days: int) -> int:
    amira = who["amira"]
    with write() as session:
        person_id = create_person(session, amira, person_input())
        mandate = mandates.grant(
            session,
            amira,
            person_id=person_id,
            basis=mandates.Basis.CONSENT,
            scope=scope,
            starts_at=T0,
            ends_at=T0 + timedelta(days=days),
            grantee_worker_id=who["sam"].worker_id,
            sub_delegation_allowed=True,
            now=T0,
        )
        mandates.record_consent(
            session,
            amira,
            mandate.id,
            method=ConsentMethod.IN_PERSON,
            task_list_shown="the tasks",
            seen_alone=True,
            safeguarding_answers=CLEAN_SCREEN,
            now=T0,
        )
        mandates.activate(session, amira, mandate.id, now=T0)
        return mandate.id


def _inside(child: Scope, parent: Scope) -> None:
    """Every detail of ``child`` within one of ``parent``: target, actions,
    every kind of information, and so every sensitive one."""
    assert narrows(child, parent)
    for detail in child:
        [match] = [p for p in parent if p.service_id == detail.service_id]
        assert detail.actions <= match.actions
        assert detail.categories & SENSITIVE_CATEGORIES <= match.categories


@FAST
@given(
    parent_scope=scopes,
    child_scope=scopes,
    parent_days=st.integers(2, 60),
    child_days=st.integers(1, 90),
    start_hours=st.integers(-48, 48),
)
def test_passing_on_never_widens(
    shared_write: WriteSession,
    who: dict[str, Actor],
    parent_scope: Scope,
    child_scope: Scope,
    parent_days: int,
    child_days: int,
    start_hours: int,
) -> None:
    parent_id = _parent(shared_write, who, parent_scope, parent_days)
    try:
        with shared_write() as session:
            child = mandates.grant_sub_mandate(
                session,
                who["sam"],
                parent_id,
                scope=child_scope,
                starts_at=T0 + timedelta(hours=start_hours),
                ends_at=T0 + timedelta(days=child_days),
                grantee_worker_id=who["nia"].worker_id,
                now=T0,
            )
            child_id = child.id
            mandates.activate(session, who["amira"], child_id, now=T0)
    except (InvalidInput, AccessRefused):
        assert (
            not narrows(child_scope, parent_scope)
            or child_days > parent_days
            or start_hours < 0
            or start_hours >= child_days * 24
        )
        return
    with shared_write() as session:
        parent, child = mandates.load(session, parent_id), mandates.load(session, child_id)
        _inside(scope_from_json(child.scope), scope_from_json(parent.scope))
        assert parent.starts_at <= child.starts_at < child.ends_at <= parent.ends_at
        assert child.review_at <= parent.review_at and not child.sub_delegation_allowed
        # What the policy then allows Nia is inside what Sam holds.
        for service in SERVICES:
            for action in ACTIONS:
                decision = policy.decide(
                    session,
                    who["nia"],
                    parent.person_id,
                    action,
                    service,
                    frozenset(CATS),
                    T0 + timedelta(hours=max(start_hours, 0) + 1),
                )
                if decision.allowed:
                    [held] = [d for d in parent_scope if d.service_id == service]
                    assert action in held.actions
                    assert decision.disclosed_categories <= held.categories


def _part_of(scope: Scope) -> st.SearchStrategy[Scope]:
    """Scopes inside ``scope``: some of its details, each with some of its
    actions and kinds of information."""

    def cut(detail: ScopeDetail) -> st.SearchStrategy[ScopeDetail]:
        return st.builds(
            lambda actions, cats: ScopeDetail(
                service_id=detail.service_id, actions=actions, categories=cats
            ),
            st.frozensets(st.sampled_from(sorted(detail.actions)), min_size=1),
            st.frozensets(st.sampled_from(sorted(detail.categories)), min_size=1),
        )

    return st.lists(st.sampled_from(scope), min_size=1, unique=True).flatmap(
        lambda chosen: st.tuples(*(cut(d) for d in chosen)).map(make_scope)
    )


@FAST
@given(
    parent_scope=scopes,
    data=st.data(),
    by_helper=st.booleans(),
)
def test_narrowing_never_widens_and_cuts_down_what_was_passed_on(
    shared_write: WriteSession,
    who: dict[str, Actor],
    parent_scope: Scope,
    data: st.DataObject,
    by_helper: bool,
) -> None:
    child_scope = data.draw(st.one_of(_part_of(parent_scope), scopes), label="child")
    new_scope = data.draw(st.one_of(_part_of(parent_scope), scopes), label="new")
    parent_id = _parent(shared_write, who, parent_scope, 30)
    child_id = None
    if narrows(child_scope, parent_scope):
        with shared_write() as session:
            child_id = mandates.grant_sub_mandate(
                session,
                who["sam"],
                parent_id,
                scope=child_scope,
                ends_at=T0 + timedelta(days=10),
                grantee_worker_id=who["nia"].worker_id,
                now=T0,
            ).id
            mandates.activate(session, who["amira"], child_id, now=T0)
    actor = who["sam"] if by_helper else who["amira"]
    with shared_write() as session:
        version = mandates.load(session, parent_id).version
    try:
        with shared_write() as session:
            mandates.narrow_mandate(session, actor, parent_id, version, new_scope, now=T0)
    except InvalidInput:
        assert not narrows(new_scope, parent_scope) or new_scope == parent_scope
        return
    with shared_write() as session:
        parent = mandates.load(session, parent_id)
        now_held = scope_from_json(parent.scope)
        assert now_held == new_scope
        _inside(now_held, parent_scope)
        assert parent.version == version + 1
        last = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.mandate_id == parent_id, AuditEntry.kind == "lifecycle")
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).one()
        assert (last.action, last.worker_id) == ("narrow", actor.worker_id)
        if child_id is not None:
            child = session.get(Mandate, child_id)
            assert child is not None
            if child.status.value == "active":
                _inside(scope_from_json(child.scope), now_held)
            else:
                assert child.status.value == "revoked"
        assert audit.verify(session).ok
