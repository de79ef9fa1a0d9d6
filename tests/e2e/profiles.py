"""A real profile for the command-line tests: the demo workers and one person
with one case, made in-process before the commands run in their own."""

from __future__ import annotations

from sqlalchemy import select

from app.database import session_factory
from app.demo.people import ensure_workers
from app.paths import ProfilePaths
from app.profile import create_profile
from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.kernel.accounts import actor_for
from casework.kernel.models import Case, Worker
from tests.e2e.test_cli import Cli
from tests.unit.factories import person_input


def person_with_case(cli: Cli, service_id: str, purpose: str) -> tuple[int, str]:
    """Nia Pritchard in Riverside Library's caseload (Amira's team), with a case
    for ``service_id``: her id and the case's reference."""
    profile = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        ensure_workers(profile.engine)
        with session_factory(profile.engine, write=True).begin() as session:
            amira = actor_for(
                session.scalars(select(Worker).where(Worker.username == "amira")).one()
            )
            person_id = create_person(session, amira, person_input())
            case_id = open_case(session, amira, person_id, service_id, purpose)
            case = session.get(Case, case_id)
            assert case is not None
            return person_id, case.reference
    finally:
        profile.close()
