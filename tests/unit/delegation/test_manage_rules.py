"""Who may manage a mandate: every side x action x state, through the one
policy decision, each answer checked against a table written out by hand
(decision 0025) and each one found in the audit chain with its outcome.

One demo profile for the module; the mandates in each state are made once.
Riverside Library is the person's team (Amira, Tom); Northgate is the
helpers' team (Sam, named; Nia, a colleague; Ada, Northgate's administrator).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.casefile.people import create_person
from casework.kernel import accounts
from casework.kernel.errors import AccessRefused
from casework.kernel.models import Team
from casework.kernel.records import Actor, Role
from delegation import audit, mandates, policy
from delegation.audit import ReasonCode
from delegation.manage_rules import RULES, ManageAction
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN, T0, blue_badge
from tests.unit.factories import person_input

NOW = T0 + timedelta(hours=1)
STATES = (
    "proposed",
    "active",
    "suspended",
    "suspended_safeguarding",
    "expired",
    "revoked",
    "rejected",
)
# role -> (who acts, whom the mandate names)
ROLES: dict[str, tuple[str, str]] = {
    "person_team": ("amira", "sam"),
    "helper": ("sam", "sam"),
    "helper_team_member": ("nia", "northgate"),
    "admin": ("ada", "sam"),
    "stranger": ("nia", "sam"),
    "person_team_and_helper": ("amira", "amira"),
    "person_team_colleague_of_helper": ("tom", "amira"),
}
A = ManageAction
TEAM_LIVE = {A.RENEW, A.WIDEN, A.NARROW, A.REVOKE, A.REVIEW}
HELPER = {
    "proposed": {A.ACTIVATE, A.REJECT},
    "active": {A.NARROW, A.REVOKE, A.PASS_ON},
    "suspended": {A.NARROW, A.REVOKE},
    "suspended_safeguarding": {A.NARROW, A.REVOKE},
}
TEAM = {
    "proposed": {A.CONSENT, A.ACTIVATE, A.REJECT},
    "active": {A.SUSPEND, *TEAM_LIVE},
    "suspended": {A.LIFT, *TEAM_LIVE},
    "suspended_safeguarding": {A.LIFT, *TEAM_LIVE},
}
# The table, by hand: what each side may do in each state (absent: nothing).
EXPECTED: dict[str, dict[str, set[ManageAction]]] = {
    "person_team": TEAM,
    "helper": HELPER,
    "helper_team_member": HELPER,
    "admin": {
        "proposed": {A.REJECT},
        "active": {A.SUSPEND, A.REVOKE},
        "suspended": {A.REVOKE},
        "suspended_safeguarding": {A.REVOKE},
    },
    "stranger": {},
    # Both sides: what either may, but a safeguarding suspension is not the
    # helper's to lift.
    "person_team_and_helper": {
        "proposed": {A.CONSENT, A.ACTIVATE, A.REJECT},
        "active": {A.SUSPEND, A.PASS_ON, *TEAM_LIVE},
        "suspended": {A.LIFT, *TEAM_LIVE},
        "suspended_safeguarding": set(TEAM_LIVE),
    },
    "person_team_colleague_of_helper": TEAM,
}
CASES = [(role, action, state) for role in ROLES for action in ManageAction for state in STATES]


@pytest.fixture(scope="module")
def who(shared_write: WriteSession, shared_actor: Callable[[str], Actor]) -> dict[str, Actor]:
    with shared_write() as session:
        northgate = session.scalars(
            select(Team).where(Team.name == "Northgate Citizens Advice")
        ).one()
        for username, name, role in (
            ("nia", "Nia Evans", Role.ADVISER),
            ("ada", "Ada Lovell", Role.ADMIN),
        ):
            accounts.create_worker(
                session,
                username=username,
                display_name=name,
                password="a long enough password 1",
                role=role,
                team=northgate,
            )
    return {name: shared_actor(name) for name in ("amira", "tom", "sam", "nia", "ada")}


@pytest.fixture(scope="module")
def in_state(shared_write: WriteSession, who: dict[str, Actor]) -> dict[tuple[str, str], int]:
    """(grantee, state) -> a mandate from a Riverside person in that state."""
    amira = who["amira"]
    with shared_write() as session:
        person_id = create_person(session, amira, person_input())
    made: dict[tuple[str, str], int] = {}
    for grantee in ("sam", "northgate", "amira"):
        for state in STATES:
            with shared_write() as session:
                target = (
                    {"grantee_team_id": who["sam"].team_id}
                    if grantee == "northgate"
                    else {"grantee_worker_id": who[grantee].worker_id}
                )
                mandate = mandates.grant(
                    session,
                    amira,
                    person_id=person_id,
                    basis=mandates.Basis.CONSENT,
                    scope=blue_badge("view", "draft"),
                    starts_at=T0,
                    ends_at=T0 + timedelta(days=30),
                    sub_delegation_allowed=True,
                    now=T0,
                    **target,  # type: ignore[arg-type]
                )
                made[grantee, state] = mandate.id
                if state == "proposed":
                    continue
                if state == "rejected":
                    mandates.reject(session, amira, mandate.id, ReasonCode.PERSON_WITHDREW, now=T0)
                    continue
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
                if state == "suspended":
                    mandates.suspend(session, amira, mandate.id, ReasonCode.OTHER, now=T0)
                elif state == "suspended_safeguarding":
                    mandates.suspend(
                        session, amira, mandate.id, ReasonCode.SAFEGUARDING_CONCERN, now=T0
                    )
                elif state == "revoked":
                    mandates.revoke(session, amira, mandate.id, ReasonCode.PERSON_WITHDREW, now=T0)
                elif state == "expired":
                    mandates.lapse(session, mandates.load(session, mandate.id), T0)
    return made


def test_the_hand_written_table_names_every_rule_the_module_has() -> None:
    """Nothing in ``RULES`` that the hand-written table does not expect."""
    for (action, status), sides in RULES.items():
        state = status.value
        for side, role in (
            ("person_team", "person_team"),
            ("helper", "helper"),
            ("admin", "admin"),
        ):
            expected = action in EXPECTED[role].get(state, set())
            assert (side in sides) == expected, (action, state, side)


@pytest.mark.parametrize(("role", "action", "state"), CASES)
def test_every_side_action_and_state(
    shared_write: WriteSession,
    who: dict[str, Actor],
    in_state: dict[tuple[str, str], int],
    role: str,
    action: ManageAction,
    state: str,
) -> None:
    acting, grantee = ROLES[role]
    actor = who[acting]
    mandate_id = in_state[grantee, state]
    expected = action in EXPECTED[role].get(state, set())
    with shared_write() as session:
        decision = policy.decide_management(
            session, actor, mandate_id, action, NOW, reason="Spoke to the person alone."
        )
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        assert decision.allowed is expected, (role, action, state, decision.reason)
        assert decision.reason
        assert (entry.kind, entry.action, entry.outcome) == (
            "manage",
            f"manage.{action.value}",
            "allow" if expected else "refuse",
        )
        assert (entry.worker_id, entry.mandate_id) == (actor.worker_id, mandate_id)
        assert entry.person_id == decision.person_id != 0
        assert entry.reason == decision.reason


def test_lifting_a_safeguarding_suspension_needs_a_written_reason(
    shared_write: WriteSession, who: dict[str, Actor], in_state: dict[tuple[str, str], int]
) -> None:
    mandate_id = in_state["sam", "suspended_safeguarding"]
    with shared_write() as session:
        bare = policy.decide_management(session, who["amira"], mandate_id, A.LIFT, NOW, reason=" ")
        said = policy.decide_management(
            session, who["amira"], mandate_id, A.LIFT, NOW, reason="Seen alone; safe now."
        )
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert not bare.allowed and "Write down why" in bare.reason
    assert said.allowed and "Seen alone; safe now." in entry.reason
    # An ordinary suspension needs no reason.
    with shared_write() as session:
        plain = policy.decide_management(
            session, who["amira"], in_state["sam", "suspended"], A.LIFT, NOW
        )
    assert plain.allowed


def test_passing_on_needs_the_mandate_to_allow_it_and_to_be_in_force(
    shared_write: WriteSession, who: dict[str, Actor], in_state: dict[tuple[str, str], int]
) -> None:
    active = in_state["sam", "active"]
    with shared_write() as session:
        late = policy.decide_management(
            session, who["sam"], active, A.PASS_ON, T0 + timedelta(days=31)
        )
        closed = mandates.grant(
            session,
            who["amira"],
            person_id=mandates.load(session, active).person_id,
            basis=mandates.Basis.CONSENT,
            scope=blue_badge("view"),
            starts_at=T0,
            ends_at=T0 + timedelta(days=30),
            grantee_worker_id=who["sam"].worker_id,
            now=T0,
        )
        mandates.record_consent(
            session,
            who["amira"],
            closed.id,
            method=ConsentMethod.IN_PERSON,
            task_list_shown="the tasks",
            seen_alone=True,
            safeguarding_answers=CLEAN_SCREEN,
            now=T0,
        )
        mandates.activate(session, who["amira"], closed.id, now=T0)
        not_allowed = policy.decide_management(session, who["sam"], closed.id, A.PASS_ON, NOW)
    assert not late.allowed and "ended" in late.reason
    assert not not_allowed.allowed and "does not allow" in not_allowed.reason


def test_an_unknown_mandate_or_action_is_refused_and_audited(
    shared_write: WriteSession, who: dict[str, Actor], in_state: dict[tuple[str, str], int]
) -> None:
    with shared_write() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        missing = policy.decide_management(session, who["amira"], 999_999, A.SUSPEND, NOW)
        odd = policy.decide_management(
            session, who["amira"], in_state["sam", "active"], "undo", NOW
        )
        after = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        with pytest.raises(AccessRefused, match="no such mandate"):
            policy.require_management(session, who["amira"], 999_999, A.SUSPEND, NOW)
    assert not missing.allowed and not odd.allowed
    assert after - before == 2


def test_the_chain_is_intact_after_all_of_it(shared_write: WriteSession) -> None:
    with shared_write() as session:
        assert audit.verify(session).ok
