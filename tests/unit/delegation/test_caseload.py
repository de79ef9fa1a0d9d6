"""The caseload rule and its decisions (delegation.caseload): they fail closed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from casework.kernel.errors import AccessRefused
from casework.kernel.models import Case, Person, Worker
from casework.kernel.records import Actor
from delegation.caseload import (
    caseload_case_ids,
    decide_case,
    decide_person,
    in_caseload,
    require_case,
    require_person,
)
from delegation.visibility import seen_now
from tests.unit.conftest import WriteSession


def _someone_in(write: WriteSession, team_id: int) -> int:
    with write() as session:
        found = session.scalar(select(Person.id).where(Person.team_id == team_id).limit(1))
    assert found is not None
    return found


def _a_case_in(write: WriteSession, team_id: int) -> int:
    with write() as session:
        stmt = select(Case.id).join(Person, Person.id == Case.person_id)
        found = session.scalar(stmt.where(Person.team_id == team_id))
    assert found is not None
    return found


def test_a_person_in_the_team_is_allowed_with_a_reason(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        decision = decide_person(session, amira, person_id)
        person = require_person(session, amira, person_id)
    assert decision.allowed
    assert decision.reason
    assert person.id == person_id


def test_another_teams_person_is_refused(write: WriteSession, sam: Actor, person_id: int):
    with write() as session:
        decision = decide_person(session, sam, person_id)
    assert not decision.allowed
    assert "not in your team's caseload" in decision.reason
    with pytest.raises(AccessRefused, match="not in your team's caseload"), write() as session:
        require_person(session, sam, person_id)


def test_a_missing_person_gets_the_same_answer_as_a_hidden_one(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    hidden = _someone_in(write, sam.team_id)
    with write() as session:
        missing = max(session.scalars(select(Person.id))) + 1000
        for person_id in (-1, 0, missing):
            assert decide_person(session, amira, person_id) == decide_person(session, amira, hidden)
            with pytest.raises(AccessRefused):
                require_person(session, amira, person_id)


def test_a_missing_case_gets_the_same_answer_as_a_hidden_one(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    hidden = _a_case_in(write, sam.team_id)
    with write() as session:
        missing = (session.scalar(select(func.max(Case.id))) or 0) + 1000
        with pytest.raises(AccessRefused) as hidden_refusal:
            require_case(session, amira, hidden)
        with pytest.raises(AccessRefused) as missing_refusal:
            require_case(session, amira, missing)
    # Otherwise the wording would tell a worker which case numbers exist.
    assert hidden_refusal.value.message == missing_refusal.value.message
    assert "case is not in your team's caseload" in missing_refusal.value.message


def test_an_actor_whose_team_is_unknown_sees_nothing(write: WriteSession, amira: Actor):
    stranger = replace(amira, team_id=10_000)
    riverside = _someone_in(write, amira.team_id)
    case = _a_case_in(write, amira.team_id)
    with write() as session:
        assert not decide_person(session, stranger, riverside).allowed
        with pytest.raises(AccessRefused):
            require_case(session, stranger, case)
        assert session.scalar(select(func.count()).where(in_caseload(stranger))) == 0


def test_the_caseload_filter_keeps_exactly_the_team(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    with write() as session:
        total = session.scalar(select(func.count()).select_from(Person))
        mine = list(session.scalars(select(Person.team_id).where(in_caseload(amira))))
        theirs = list(session.scalars(select(Person.team_id).where(in_caseload(sam))))
    assert set(mine) == {amira.team_id} and set(theirs) == {sam.team_id}
    assert len(mine) + len(theirs) == total


def test_a_case_follows_its_persons_caseload(write: WriteSession, amira: Actor, sam: Actor):
    mine = _a_case_in(write, amira.team_id)
    with write() as session:
        assert decide_case(session, amira, mine).allowed
        assert not decide_case(session, sam, mine).allowed
        assert require_case(session, amira, mine).id == mine
        with pytest.raises(AccessRefused):
            require_case(session, sam, mine)


def test_caseload_case_ids_keeps_the_actors_cases_only(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    others = _a_case_in(write, sam.team_id)
    with write() as session:
        asked = [case_id, others, None, case_id + 10_000]
        assert caseload_case_ids(session, amira, asked) == {case_id}
        assert caseload_case_ids(session, sam, asked) == {others}


def test_caseload_case_ids_of_nothing_is_nothing(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        assert caseload_case_ids(session, amira, []) == set()
        assert caseload_case_ids(session, amira, [None, None]) == set()


def test_seen_now_sees_what_the_same_transaction_changed_but_did_not_flush(
    write: WriteSession, amira: Actor
) -> None:
    """``seen_now`` reads through the Core connection: it flushes first, so a
    worker stood down earlier in the same transaction sees nobody."""
    with write() as session:
        assert seen_now(session, amira).team_id == amira.team_id
        worker = session.get(Worker, amira.worker_id)
        assert worker is not None
        worker.active = False  # pending in the session, not yet written
        assert seen_now(session, amira).team_id is None
        session.rollback()
