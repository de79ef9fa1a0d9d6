"""Fixtures shared by the unit tests: sessions on the real encrypted profile
and the demo workers as actors (looked up directly, so no test pays for an
Argon2 verification it does not need)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import session_factory
from app.profile import OpenProfile
from casework.kernel.accounts import actor_for
from casework.kernel.models import Worker
from casework.kernel.records import Actor
from tests.unit.factories import person_input

WriteSession = Callable[[], AbstractContextManager[Session]]


@pytest.fixture
def write(profile: OpenProfile) -> WriteSession:
    """``with write() as session:`` runs one transaction, committed at the end."""

    @contextmanager
    def _begin() -> Iterator[Session]:
        with session_factory(profile.engine, write=True).begin() as session:
            yield session

    return _begin


@pytest.fixture
def actor(demo_profile: OpenProfile) -> Callable[[str], Actor]:
    """``actor("amira")``: a demo worker as the actor of an action."""

    def _actor(username: str) -> Actor:
        with session_factory(demo_profile.engine).begin() as session:
            worker = session.scalars(select(Worker).where(Worker.username == username)).one()
            return actor_for(worker)

    return _actor


@pytest.fixture
def amira(actor: Callable[[str], Actor]) -> Actor:
    """An adviser at Riverside Library."""
    return actor("amira")


@pytest.fixture
def sam(actor: Callable[[str], Actor]) -> Actor:
    """An adviser at Northgate Citizens Advice: another team's caseload."""
    return actor("sam")


@pytest.fixture
def person_id(demo_profile: OpenProfile, write: WriteSession, amira: Actor) -> int:
    """A new person in Riverside Library's caseload."""
    from casework.casefile.people import create_person

    with write() as session:
        return create_person(session, amira, person_input())


@pytest.fixture
def case_id(write: WriteSession, amira: Actor, person_id: int) -> int:
    """An open case for ``person_id``, assigned to Amira."""
    from casework.casefile.cases import open_case

    with write() as session:
        return open_case(session, amira, person_id, "blue-badge", "Blue Badge renewal")


@pytest.fixture(scope="module")
def shared_profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenProfile]:
    """One demo profile for a whole module, for many small checks that each
    make their own rows (or only read), so they need not pay for a new one."""
    from app.demo import people as demo_people
    from app.paths import ProfilePaths
    from app.profile import create_profile

    opened = create_profile(
        ProfilePaths(tmp_path_factory.mktemp("shared") / "profile"), key=secrets.token_bytes(32)
    )
    demo_people.add_people(opened.engine, 60, seed=7)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def shared_write(shared_profile: OpenProfile) -> WriteSession:
    """``write`` for ``shared_profile``."""

    @contextmanager
    def _begin() -> Iterator[Session]:
        with session_factory(shared_profile.engine, write=True).begin() as session:
            yield session

    return _begin


@pytest.fixture(scope="module")
def shared_actor(shared_profile: OpenProfile) -> Callable[[str], Actor]:
    """``actor`` for ``shared_profile``."""

    def _actor(username: str) -> Actor:
        with session_factory(shared_profile.engine).begin() as session:
            worker = session.scalars(select(Worker).where(Worker.username == username)).one()
            return actor_for(worker)

    return _actor
