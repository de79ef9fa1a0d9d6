"""Realistic demo data: teams, workers with known passwords, and people with
valid identifiers, cases across services, notes and tasks.

Used by ``alongside demo-data``, ``alongside --demo`` and the benchmarks. It is
seeded, so the same seed always makes the same people. Large volumes are
written in batches through SQLAlchemy Core.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.database import session_factory
from app.demo.vocabulary import (
    FAMILY,
    GIVEN,
    INWARD_LETTERS,
    NOTES,
    OUTWARD,
    SERVICE_TITLES,
    SERVICES,
    STREETS,
    TASKS,
    TOWNS,
)
from casework.casefile.cases import new_reference
from casework.kernel import accounts, timeline
from casework.kernel.i18n import N_
from casework.kernel.models import Case, Note, Person, Task, TimelineEvent, Worker
from casework.kernel.records import CaseStatus, Role
from casework.kernel.validators import nhs_check_digit

DEMO_PASSWORD = "alongside-demo"
# Timeline events, stored as the app stores them: read in the reader's language.
NOTE_EVENT = json.dumps(timeline.line(N_("Note added")))
BATCH = 5_000


@dataclass(frozen=True)
class DemoWorker:
    username: str
    display_name: str
    role: Role
    team: str


DEMO_WORKERS = (
    DemoWorker("amira", "Amira Hussain", Role.ADVISER, "Riverside Library"),
    DemoWorker("tom", "Tom Price", Role.ASSISTANT, "Riverside Library"),
    DemoWorker("gwen", "Gwen Morgan", Role.SUPERVISOR, "Riverside Library"),
    DemoWorker("admin", "Profile Administrator", Role.ADMIN, "Riverside Library"),
    DemoWorker("sam", "Sam Okafor", Role.ADVISER, "Northgate Citizens Advice"),
)


def ni_number(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
        second = "A"
    return f"{first}{second}{rng.randrange(1_000_000):06d}{rng.choice('ABCD')}"


def nhs_number(rng: random.Random) -> str:
    while True:
        nine = f"{rng.randrange(400_000_000, 999_999_999):09d}"
        check = nhs_check_digit(nine)
        if check is not None:
            return nine + str(check)


def postcode(rng: random.Random) -> str:
    return f"{rng.choice(OUTWARD)} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}" + rng.choice(
        INWARD_LETTERS
    )


def ensure_workers(engine: Engine) -> dict[str, int]:
    """Create the demo teams and workers (idempotent); returns team ids by name."""
    with session_factory(engine, write=True).begin() as session:
        team_ids: dict[str, int] = {}
        for demo in DEMO_WORKERS:
            team = accounts.get_or_create_team(session, demo.team)
            team_ids[demo.team] = team.id
            exists = session.scalar(select(func.count()).where(Worker.username == demo.username))
            if not exists:
                accounts.create_worker(
                    session,
                    username=demo.username,
                    display_name=demo.display_name,
                    password=DEMO_PASSWORD,
                    role=demo.role,
                    team=team,
                )
        return team_ids


def _advance_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the ids written explicitly above.

    SQLite picks the next rowid from the table itself; PostgreSQL's serial
    columns do not notice explicit ids, and the next person or case added
    through the app would otherwise collide with a demo row.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in (Person.__tablename__, Case.__tablename__):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def add_people(
    engine: Engine,
    count: int,
    *,
    seed: int = 1,
    notes_per_person: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Add ``count`` people (about 1.3 cases each) with notes and tasks."""
    rng = random.Random(seed)
    team_ids = ensure_workers(engine)
    with session_factory(engine).begin() as session:
        worker_ids = {w.username: (w.id, w.team_id) for w in session.scalars(select(Worker))}
        start_id = (session.scalar(select(func.max(Person.id))) or 0) + 1
        case_start = (session.scalar(select(func.max(Case.id))) or 0) + 1
    team_workers: dict[int, list[int]] = {}
    for wid, tid in worker_ids.values():
        team_workers.setdefault(tid, []).append(wid)
    main_team = team_ids["Riverside Library"]
    other_team = team_ids["Northgate Citizens Advice"]
    now = datetime.now(UTC)
    today = now.date()
    done = 0
    person_id, case_id = start_id, case_start
    while done < count:
        size = min(BATCH, count - done)
        people_rows, case_rows, note_rows, task_rows, events = [], [], [], [], []
        opened_events = {
            service: json.dumps(timeline.line(N_("Case opened: {title}"), title=title))
            for service, title in SERVICE_TITLES.items()
        }
        for _ in range(size):
            team = other_team if rng.random() < 0.1 else main_team
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            born = today - timedelta(days=rng.randrange(18 * 365, 95 * 365))
            people_rows.append(
                {
                    "id": person_id,
                    "team_id": team,
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": born,
                    "ni_number": ni_number(rng) if rng.random() < 0.8 else None,
                    "nhs_number": nhs_number(rng) if rng.random() < 0.7 else None,
                    "address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}\n"
                    f"{rng.choice(TOWNS.split('|'))}",
                    "postcode": postcode(rng),
                    "email": f"{given.lower()}.{family.lower()}{person_id}@example.com"
                    if rng.random() < 0.5
                    else None,
                    "phone": f"07700 900{rng.randrange(1000):03d}".replace(" ", "")
                    if rng.random() < 0.6
                    else None,
                    "preferred_language": "cy" if rng.random() < 0.15 else "en",
                    "communication_needs": rng.choice(
                        ["", "", "", "Large print", "BSL interpreter", "Easy read"]
                    ),
                    "access_needs": rng.choice(["", "", "Wheelchair user", "Hearing aid"]),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            for _c in range(1 if rng.random() < 0.7 else 2):
                service = rng.choice(SERVICES)
                opened = now - timedelta(days=rng.randrange(0, 400), minutes=rng.randrange(600))
                status = rng.choice(list(CaseStatus)) if rng.random() < 0.5 else CaseStatus.OPEN
                worker = rng.choice(team_workers[team])
                case_rows.append(
                    {
                        "id": case_id,
                        "reference": new_reference(case_id),
                        "person_id": person_id,
                        "team_id": team,
                        "service_id": service,
                        "title": SERVICE_TITLES[service],
                        "status": status.value,
                        "assigned_worker_id": worker,
                        "opened_at": opened,
                        "closed_at": opened + timedelta(days=30)
                        if status is CaseStatus.CLOSED
                        else None,
                        "updated_at": opened,
                        "version": 1,
                    }
                )
                events.append(
                    {
                        "case_id": case_id,
                        "at": opened,
                        "kind": "case_opened",
                        "summary": f"Case opened: {SERVICE_TITLES[service]}",
                        "event": opened_events[service],
                        "worker_id": worker,
                    }
                )
                for n in range(notes_per_person if _c == 0 else 1):
                    written = opened + timedelta(days=n * 3, minutes=rng.randrange(300))
                    events.append(
                        {
                            "case_id": case_id,
                            "at": written,
                            "kind": "note_added",
                            "summary": "Note added",
                            "event": NOTE_EVENT,
                            "worker_id": worker,
                        }
                    )
                    note_rows.append(
                        {
                            "case_id": case_id,
                            "author_id": worker,
                            "body": rng.choice(NOTES).format(
                                given=given, service=SERVICE_TITLES[service]
                            ),
                            "created_at": written,
                            "updated_at": written,
                            "version": 1,
                        }
                    )
                if rng.random() < 0.6:
                    task_rows.append(
                        {
                            "case_id": case_id,
                            "title": rng.choice(TASKS),
                            "due_on": today + timedelta(days=rng.randrange(-20, 30)),
                            "done": rng.random() < 0.3,
                            "assigned_worker_id": worker,
                            "created_by_id": worker,
                            "created_at": opened,
                            "version": 1,
                        }
                    )
                case_id += 1
            person_id += 1
        with session_factory(engine, write=True).begin() as session:
            session.execute(insert(Person), people_rows)
            session.execute(insert(Case), case_rows)
            if note_rows:
                session.execute(insert(Note), note_rows)
            if task_rows:
                session.execute(insert(Task), task_rows)
            session.execute(insert(TimelineEvent), events)
            _advance_sequences(session)
        done += size
        if progress:
            progress(done, count)
