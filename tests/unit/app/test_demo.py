"""Demo data (app.demo.people): seeded, valid, and in both teams' caseloads."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from app.database import session_factory
from app.demo import people as demo_people
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from casework.casefile.people import validate_person
from casework.kernel.accounts import attempt_sign_in
from casework.kernel.models import Case, Note, Person, Task, Team, TimelineEvent, Worker
from casework.kernel.records import CaseStatus, PersonInput


@pytest.fixture
def another_profile(tmp_path: Path) -> Iterator[OpenProfile]:
    opened = create_profile(ProfilePaths(tmp_path / "another"), key=secrets.token_bytes(32))
    yield opened
    opened.close()


def _snapshot(engine: Engine) -> dict[str, list[Any]]:
    """Everything seeded, with ids and clock times left out."""
    with session_factory(engine).begin() as session:
        teams = {t.id: t.name for t in session.scalars(select(Team))}
        workers = {w.id: w.username for w in session.scalars(select(Worker))}
        return {
            "people": [
                (
                    teams[p.team_id],
                    p.given_name,
                    p.family_name,
                    p.date_of_birth,
                    p.ni_number,
                    p.nhs_number,
                    p.address,
                    p.postcode,
                    p.email,
                    p.phone,
                    p.preferred_language,
                    p.communication_needs,
                    p.access_needs,
                )
                for p in session.scalars(select(Person).order_by(Person.id))
            ],
            "cases": [
                (
                    c.reference,
                    c.person_id,
                    c.service_id,
                    c.title,
                    c.status,
                    workers[c.assigned_worker_id or 0],
                )
                for c in session.scalars(select(Case).order_by(Case.id))
            ],
            "notes": [(n.case_id, n.body) for n in session.scalars(select(Note).order_by(Note.id))],
            "tasks": [
                (t.case_id, t.title, t.due_on, t.done)
                for t in session.scalars(select(Task).order_by(Task.id))
            ],
        }


def test_the_same_seed_makes_the_same_people(
    profile: OpenProfile, another_profile: OpenProfile
) -> None:
    demo_people.add_people(profile.engine, 40, seed=11)
    demo_people.add_people(another_profile.engine, 40, seed=11)
    first, second = _snapshot(profile.engine), _snapshot(another_profile.engine)
    assert len(first["people"]) == 40
    assert first == second


def test_another_seed_makes_other_people(
    profile: OpenProfile, another_profile: OpenProfile
) -> None:
    demo_people.add_people(profile.engine, 20, seed=1)
    demo_people.add_people(another_profile.engine, 20, seed=2)
    assert _snapshot(profile.engine)["people"] != _snapshot(another_profile.engine)["people"]


def test_every_demo_person_passes_the_validators(demo_profile: OpenProfile) -> None:
    with session_factory(demo_profile.engine).begin() as session:
        people = list(session.scalars(select(Person)))
    assert len(people) == 60
    for person in people:
        typed = PersonInput(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            ni_number=person.ni_number or "",
            nhs_number=person.nhs_number or "",
            address=person.address,
            postcode=person.postcode or "",
            email=person.email or "",
            phone=person.phone or "",
            preferred_language=person.preferred_language,
            communication_needs=person.communication_needs,
            access_needs=person.access_needs,
        )
        clean = validate_person(typed)
        # Already in canonical form: validating changes nothing.
        for field in ("ni_number", "nhs_number", "postcode", "email", "phone"):
            assert clean[field] == getattr(person, field), (field, getattr(person, field))


def test_demo_cases_are_consistent(demo_profile: OpenProfile) -> None:
    with session_factory(demo_profile.engine).begin() as session:
        cases = list(session.scalars(select(Case)))
        opened_events = session.scalar(
            select(func.count()).where(TimelineEvent.kind == "case_opened")
        )
        person_team = {p.id: p.team_id for p in session.scalars(select(Person))}
        worker_team = {w.id: w.team_id for w in session.scalars(select(Worker))}
    assert len(cases) >= 60
    assert opened_events == len(cases)
    assert len({c.reference for c in cases}) == len(cases)
    for case in cases:
        assert (case.closed_at is not None) == (case.status is CaseStatus.CLOSED)
        assert case.team_id == person_team[case.person_id]
        assert worker_team[case.assigned_worker_id or 0] == case.team_id


def test_both_teams_have_people(demo_profile: OpenProfile) -> None:
    with session_factory(demo_profile.engine).begin() as session:
        counts = dict(
            session.execute(
                select(Team.name, func.count(Person.id))
                .join(Person, Person.team_id == Team.id)
                .group_by(Team.name)
            ).all()
        )
    assert set(counts) == {"Riverside Library", "Northgate Citizens Advice"}
    assert counts["Riverside Library"] > counts["Northgate Citizens Advice"] > 0


def test_workers_are_made_once_and_can_sign_in(profile: OpenProfile) -> None:
    first = demo_people.ensure_workers(profile.engine)
    again = demo_people.ensure_workers(profile.engine)
    assert first == again
    with session_factory(profile.engine, write=True).begin() as session:
        usernames = sorted(session.scalars(select(Worker.username)))
        outcome = attempt_sign_in(session, "sam", demo_people.DEMO_PASSWORD)
    assert usernames == sorted(w.username for w in demo_people.DEMO_WORKERS)
    assert outcome.actor is not None
    assert outcome.actor.team_name == "Northgate Citizens Advice"


def test_adding_more_people_continues_after_the_last(demo_profile: OpenProfile) -> None:
    seen: list[tuple[int, int]] = []
    demo_people.add_people(
        demo_profile.engine, 15, seed=7, progress=lambda d, n: seen.append((d, n))
    )
    with session_factory(demo_profile.engine).begin() as session:
        people = session.scalar(select(func.count()).select_from(Person))
        references = list(session.scalars(select(Case.reference)))
    assert people == 75
    assert len(references) == len(set(references))
    assert seen == [(15, 15)]


def test_large_batches_report_progress(profile: OpenProfile, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(demo_people, "BATCH", 4)
    seen: list[tuple[int, int]] = []
    demo_people.add_people(profile.engine, 10, seed=3, progress=lambda d, n: seen.append((d, n)))
    assert seen == [(4, 10), (8, 10), (10, 10)]
