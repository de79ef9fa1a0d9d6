"""The small mandate reads the facade uses (delegation.mandate_lookups): who may
second-approve an emergency mandate, and what the consent receipt reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from casework.kernel import accounts
from casework.kernel.models import Team, Worker
from casework.kernel.records import Actor, Role
from delegation import mandate_lookups, mandates
from delegation.records import ConsentMethod
from delegation.scope_words import describe
from tests.unit.conftest import WriteSession
from tests.unit.delegation.conftest import CLEAN_SCREEN, T0, Grant, blue_badge


def _add_worker(write: WriteSession, username: str, name: str, role: Role, team: str) -> int:
    with write() as session:
        found = accounts.get_or_create_team(session, team)
        return accounts.create_worker(
            session,
            username=username,
            display_name=name,
            password="a-long-test-passw0rd",
            role=role,
            team=found,
        ).id


def _names(write: WriteSession, actor: Actor) -> list[str]:
    with write() as session:
        return [w.display_name for w in mandate_lookups.second_approvers(session, actor)]


def test_second_approvers_are_the_teams_active_supervisors_by_name(
    write: WriteSession, amira: Actor
) -> None:
    assert _names(write, amira) == ["Gwen Morgan"]
    _add_worker(write, "beth", "Beth Evans", Role.SUPERVISOR, "Riverside Library")
    _add_worker(write, "zed", "Zed Ahmed", Role.SUPERVISOR, "Riverside Library")
    _add_worker(write, "nia", "Nia Hughes", Role.ADVISER, "Riverside Library")
    _add_worker(write, "ola", "Ola Nowak", Role.SUPERVISOR, "Northgate Citizens Advice")
    assert _names(write, amira) == ["Beth Evans", "Gwen Morgan", "Zed Ahmed"]


def test_a_supervisor_is_not_their_own_second_approver(
    write: WriteSession, actor: Callable[[str], Actor], amira: Actor
) -> None:
    gwen = actor("gwen")
    assert _names(write, gwen) == []
    assert _names(write, amira) == ["Gwen Morgan"]


def test_an_inactive_supervisor_is_not_offered(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        gwen = session.scalars(select(Worker).where(Worker.username == "gwen")).one()
        gwen.active = False
    assert _names(write, amira) == []


def test_find_mandate_finds_it_or_answers_none(write: WriteSession, grant: Grant) -> None:
    mandate_id = grant()
    with write() as session:
        found = mandate_lookups.find_mandate(session, mandate_id)
        assert found is not None and found.id == mandate_id
        assert mandate_lookups.find_mandate(session, mandate_id + 1000) is None


def test_there_is_no_consent_before_it_is_recorded(write: WriteSession, grant: Grant) -> None:
    mandate_id = grant(activate=False)
    with write() as session:
        assert mandate_lookups.first_consent(session, mandate_id) is None


def test_the_first_consent_is_the_one_the_receipt_dates(
    write: WriteSession, grant: Grant, amira: Actor
) -> None:
    scope = blue_badge()
    mandate_id = grant(scope, activate=False)
    recorded = []
    with write() as session:
        for days in (0, 1):
            consent = mandates.record_consent(
                session,
                amira,
                mandate_id,
                method=ConsentMethod.IN_PERSON,
                task_list_shown=describe(scope),
                seen_alone=True,
                safeguarding_answers=CLEAN_SCREEN,
                now=T0 + timedelta(days=days),
            )
            recorded.append(consent.id)
    with write() as session:
        first = mandate_lookups.first_consent(session, mandate_id)
        assert first is not None
        assert first.id == recorded[0]
        assert first.recorded_at == T0


def test_the_grantee_team_is_the_workers_team(
    write: WriteSession, grant: Grant, sam: Actor
) -> None:
    mandate_id = grant(grantee=sam)
    with write() as session:
        mandate = mandates.load(session, mandate_id, for_update=False)
        team = mandate_lookups.grantee_team(session, mandate)
        assert team is not None
        assert team.id == sam.team_id
        assert team.name == "Northgate Citizens Advice"


def test_a_mandate_to_a_team_has_no_grantee_worker_team(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int
) -> None:
    with write() as session:
        mandate = mandates.grant(
            session,
            amira,
            person_id=person_id,
            basis=mandates.Basis.CONSENT,
            scope=blue_badge(),
            ends_at=T0 + timedelta(days=30),
            starts_at=T0,
            grantee_team_id=sam.team_id,
            now=T0,
        )
        assert session.get(Team, sam.team_id) is not None
        assert mandate_lookups.grantee_team(session, mandate) is None
