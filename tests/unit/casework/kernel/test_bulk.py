"""Plain rows at the driver's speed (casework.kernel.bulk), on a real profile."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import DBAPIError

from casework.kernel.bulk import first_column, plain_rows
from casework.kernel.models import Person, Worker
from casework.kernel.records import Actor
from tests.unit.conftest import WriteSession


def test_the_same_rows_as_a_normal_execute_in_the_same_transaction(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        session.add(Person(team_id=amira.team_id, given_name="Zed", family_name="Unsaved"))
        session.flush()  # not committed: only this transaction sees it
        stmt = (
            select(Person.id, Person.family_name)
            .where(Person.team_id == amira.team_id, Person.id.in_([person_id, 10**9]))
            .order_by(Person.family_name)
        )
        assert plain_rows(session, stmt) == [tuple(r) for r in session.execute(stmt)]
        unsaved = select(Person.id).where(Person.family_name == "Unsaved")
        assert first_column(session, unsaved) == list(session.scalars(unsaved))
        assert len(first_column(session, unsaved)) == 1


def test_an_expanding_list_of_ids_is_sent_whole(write: WriteSession, person_id: int) -> None:
    stmt = select(Person.id).where(Person.id.in_(bindparam("wanted", expanding=True)))
    with write() as session:
        found = first_column(session, stmt.params(wanted=[person_id, person_id + 1000]))
    assert found == [person_id]


def test_a_driver_error_is_raised_as_sqlalchemy_would(write: WriteSession) -> None:
    broken = select(text("no_such_column")).select_from(Person)
    with write() as session, pytest.raises(DBAPIError):
        plain_rows(session, broken)


def test_a_moment_is_compared_as_execute_compares_it(write: WriteSession, amira: Actor) -> None:
    """A moment is stored as text on SQLite: a parameter must be sent in the
    same form, or a comparison with a stored moment silently finds nothing."""
    with write() as session:
        worker = session.get(Worker, amira.worker_id)
        assert worker is not None
        stmt = select(Worker.id).where(Worker.created_at == worker.created_at)
        assert first_column(session, stmt) == [amira.worker_id]
