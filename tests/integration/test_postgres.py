"""The same casework behaviour on a real PostgreSQL server and on SQLCipher.

Every test here runs twice: on an encrypted SQLite profile and on a profile
whose settings name a ``postgresql+psycopg://`` database on the throwaway
server from ``conftest.py``. Two terminals editing one record must never
silently overwrite each other on either.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app import migrate
from app.backend import LocalBackend
from app.database import session_factory
from app.demo import people as demo_people
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile, open_profile
from casework.casefile import people
from casework.kernel.errors import AccessRefused, EditConflict
from casework.kernel.records import PersonInput
from tests.conftest import PATIENCE_S
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenProfile]:
    """A migrated profile with the demo workers, on SQLCipher or PostgreSQL."""
    paths = ProfilePaths(tmp_path / "profile")
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        profile = create_profile(paths, database_url=url)
    else:
        # The key comes from the environment, so a second terminal can open it too.
        monkeypatch.setenv("ALONGSIDE_DB_KEY", secrets.token_hex(32))
        profile = create_profile(paths)
    demo_people.ensure_workers(profile.engine)
    yield profile
    profile.close()


def signed_in(profile: OpenProfile, username: str = "amira") -> LocalBackend:
    live = LocalBackend(profile)
    live.sign_in(username, demo_people.DEMO_PASSWORD)
    return live


@pytest.fixture
def second_terminal(shared: OpenProfile) -> Iterator[OpenProfile]:
    """The same profile opened again, as another terminal would."""
    other = open_profile(shared.paths)
    yield other
    other.close()


def test_the_profile_names_its_database(shared: OpenProfile) -> None:
    stored = json.loads(shared.paths.settings.read_text(encoding="utf-8"))
    if shared.engine.dialect.name == "postgresql":
        assert stored["database_url"].startswith("postgresql+psycopg://")
        assert not shared.paths.database.exists()
    else:
        assert stored["database_url"] is None
        assert shared.paths.database.exists()
    assert migrate.current_revision(shared.engine) == migrate.head_revision()
    assert migrate.check(shared.engine) == []
    reopened = open_profile(shared.paths)
    try:
        assert reopened.engine.dialect.name == shared.engine.dialect.name
        assert migrate.current_revision(reopened.engine) == migrate.head_revision()
    finally:
        reopened.close()


def test_people_cases_notes_tasks_and_documents(shared: OpenProfile, tmp_path: Path) -> None:
    live = signed_in(shared)
    person_id = people_ops.create_person(
        PersonInput(
            given_name="Eirlys",
            family_name="Bowen-Thomas",
            date_of_birth=date(1951, 3, 14),
            ni_number="JH 12 34 56 C",
            postcode="cf10 1aa",
            email="Eirlys@Example.com",
        )
    ).call(live)
    person = people_ops.person_detail(person_id).call(live)
    assert person.full_name == "Eirlys Bowen-Thomas"
    assert person.postcode == "CF10 1AA"
    assert person.date_of_birth == date(1951, 3, 14)
    assert person.version == 1

    version = people_ops.update_person(
        person_id,
        person.version,
        PersonInput(given_name="Eirlys", family_name="Bowen-Thomas", postcode="SA1 1AA"),
    ).call(live)
    assert version == 2
    assert people_ops.person_detail(person_id).call(live).postcode == "SA1 1AA"

    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(live)
    note_id = cases_ops.add_note(case_id, "Phoned the council about the renewal form.").call(live)
    cases_ops.edit_note(case_id, note_id, 1, "Phoned the council; the form is in the post.").call(
        live
    )
    task_id = cases_ops.add_task(case_id, "Send GP letter", date.today() - timedelta(days=1)).call(
        live
    )
    source = tmp_path / "letter.pdf"
    payload = b"%PDF-1.4 " + secrets.token_bytes(4000)
    source.write_bytes(payload)
    document_id = cases_ops.attach_document(case_id, source).call(live)

    case = cases_ops.case_detail(case_id).call(live)
    assert case.reference.startswith("AL-")
    assert case.person_name == "Eirlys Bowen-Thomas"
    assert [n.body for n in case.notes] == ["Phoned the council; the form is in the post."]
    assert case.notes[0].version == 2
    assert case.tasks[0].title == "Send GP letter" and case.tasks[0].overdue
    assert [d.name for d in case.documents] == ["letter.pdf"]
    assert case.documents[0].size == len(payload)
    kinds = [entry.kind for entry in case.timeline]
    for kind in ("case_opened", "note_added", "note_edited", "task_added", "document_attached"):
        assert kind in kinds
    assert all(entry.at.tzinfo is not None for entry in case.timeline)

    cases_ops.set_task_done(case_id, task_id, case.tasks[0].version, True).call(live)
    assert cases_ops.case_detail(case_id).call(live).tasks[0].done
    exported = live.export_document(document_id, tmp_path / "out")
    assert exported.read_bytes() == payload

    new_version = cases_ops.change_status(case_id, None, case.version, "closed").call(live)
    closed = cases_ops.case_detail(case_id).call(live)
    assert closed.status == "closed" and closed.version == new_version
    assert closed.closed_at is not None and closed.closed_at.tzinfo is not None
    assert people_ops.person_detail(person_id).call(live).cases[0].status == "closed"

    # Another team's worker cannot see any of it.
    other = signed_in(shared, "sam")
    with pytest.raises(AccessRefused):
        people_ops.person_detail(person_id).call(other)
    with pytest.raises(AccessRefused):
        cases_ops.case_detail(case_id).call(other)


def test_search_people_cases_and_notes(shared: OpenProfile) -> None:
    live = signed_in(shared)
    person_id = people_ops.create_person(
        PersonInput(
            given_name="Gruffydd",
            family_name="Quennell",
            ni_number="JH123456C",
            postcode="LL57 2DG",
        )
    ).call(live)
    people_ops.create_person(PersonInput(given_name="Megan", family_name="Quenby")).call(live)
    case_id = cases_ops.open_case(person_id, "pip", "Personal Independence Payment claim").call(
        live
    )
    cases_ops.add_note(case_id, "Tribunal hearing booked; bring the xylophone receipts.").call(live)
    reference = cases_ops.case_detail(case_id).call(live).reference

    # A person by a prefix of each name, in any order, any case.
    hits = people_ops.search("quenn gruff").call(live).hits
    assert [(h.kind, h.person_id) for h in hits] == [("person", person_id)]
    assert hits[0].title == "Gruffydd Quennell"
    assert "[Gruffydd]" in hits[0].snippet and "[Quennell]" in hits[0].snippet
    # A prefix shared by two people finds both.
    assert {h.title for h in people_ops.search("Quen").call(live).hits} == {
        "Gruffydd Quennell",
        "Megan Quenby",
    }
    # NI number and postcode.
    assert {h.person_id for h in people_ops.search("JH123456C").call(live).hits} == {person_id}
    assert {h.person_id for h in people_ops.search("LL57").call(live).hits} == {person_id}
    # A case by its title and by its reference.
    case_hits = [h for h in people_ops.search("independence").call(live).hits if h.kind == "case"]
    assert [(h.case_id, h.person_id) for h in case_hits] == [(case_id, person_id)]
    assert any(h.case_id == case_id for h in people_ops.search(reference).call(live).hits)
    # A note by a word inside it, with a snippet showing the match.
    note_hits = [h for h in people_ops.search("xyloph").call(live).hits if h.kind == "note"]
    assert len(note_hits) == 1
    assert note_hits[0].case_id == case_id and note_hits[0].person_id == person_id
    assert "[xylophone]" in note_hits[0].snippet.lower()
    assert note_hits[0].title.startswith(reference)
    # A match deep inside a long note is what its snippet shows.
    cases_ops.add_note(case_id, "Background. " * 40 + "The ombudsman replied at last.").call(live)
    (deep,) = [h for h in people_ops.search("ombudsman").call(live).hits if h.kind == "note"]
    assert "[ombudsman]" in deep.snippet and len(deep.snippet) < 200
    # Best first: every hit has a score, sorted ascending (lower is better).
    scores = [h.score for h in people_ops.search("quen").call(live).hits]
    assert scores == sorted(scores)

    # Nothing to search for, and text that would be syntax in either engine.
    assert people_ops.search("").call(live).hits == ()
    assert people_ops.search("  ,.;!? ").call(live).hits == ()
    for hostile in ("quenn' OR 1=1 --", 'quenn"*', "quenn & !x | y:*", "quenn) (", "NEAR(quenn"):
        found = {
            h.person_id for h in people_ops.search(hostile).call(live).hits if h.kind == "person"
        }
        assert found <= {person_id}
    assert people_ops.search("zzzznothing").call(live).hits == ()

    # The search index follows edits.
    detail = people_ops.person_detail(person_id).call(live)
    people_ops.update_person(
        person_id, detail.version, PersonInput(given_name="Gruffydd", family_name="Vaughan")
    ).call(live)
    assert [h.person_id for h in people_ops.search("vaughan").call(live).hits] == [person_id]
    assert all(h.person_id != person_id for h in people_ops.search("quennell").call(live).hits)

    # The caseload wall holds in search too.
    assert people_ops.search("gruffydd").call(signed_in(shared, "sam")).hits == ()


def test_search_limit(shared: OpenProfile) -> None:
    live = signed_in(shared)
    for n in range(7):
        people_ops.create_person(
            PersonInput(given_name=f"Ffion{'abcdefg'[n]}", family_name="Limitson")
        ).call(live)
    assert len(people_ops.search("limitson").call(live).hits) == 7
    assert len(people_ops.search("limitson", limit=3).call(live).hits) == 3


def test_demo_data_then_new_records(shared: OpenProfile) -> None:
    """Bulk demo rows with explicit ids must not break ids for later records."""
    demo_people.add_people(shared.engine, 25, seed=3)
    live = signed_in(shared)
    before = len(people_ops.list_person_ids().call(live))
    person_id = people_ops.create_person(
        PersonInput(given_name="Nia", family_name="Afterdemo")
    ).call(live)
    case_id = cases_ops.open_case(person_id, "pip", "After the demo data").call(live)
    cases_ops.add_note(case_id, "A note written after the demo data was loaded.").call(live)
    cases_ops.add_task(case_id, "Check the numbering", None).call(live)
    assert len(people_ops.list_person_ids().call(live)) == before + 1
    assert [h.person_id for h in people_ops.search("afterdemo").call(live).hits] == [person_id]


# -- two terminals, one record ----------------------------------------------------


def _person(live: LocalBackend, family: str = "Conflict") -> int:
    return people_ops.create_person(PersonInput(given_name="Dilys", family_name=family)).call(live)


def test_second_save_of_a_person_is_refused(
    shared: OpenProfile, second_terminal: OpenProfile
) -> None:
    first = signed_in(shared, "amira")
    second = signed_in(second_terminal, "tom")
    person_id = _person(first)
    # Both terminals open the same person.
    seen_first = people_ops.person_detail(person_id).call(first)
    seen_second = people_ops.person_detail(person_id).call(second)
    assert seen_first.version == seen_second.version == 1

    people_ops.update_person(
        person_id,
        seen_first.version,
        PersonInput(given_name="Dilys", family_name="Conflict", phone="07700900123"),
    ).call(first)
    with pytest.raises(EditConflict) as refused:
        people_ops.update_person(
            person_id,
            seen_second.version,
            PersonInput(given_name="Dilys", family_name="Conflict", postcode="NP20 1AA"),
        ).call(second)
    assert "someone else" in refused.value.message.lower()
    assert "save again" in refused.value.message.lower()
    assert refused.value.current_version == 2

    kept = people_ops.person_detail(person_id).call(second)
    assert kept.version == 2
    assert kept.phone == "07700900123"
    assert kept.postcode is None
    # Reloading and saving again works, and keeps both changes.
    people_ops.update_person(
        person_id,
        kept.version,
        PersonInput(
            given_name="Dilys", family_name="Conflict", phone=kept.phone or "", postcode="NP20 1AA"
        ),
    ).call(second)
    final = people_ops.person_detail(person_id).call(first)
    assert (final.version, final.phone, final.postcode) == (3, "07700900123", "NP20 1AA")


def test_second_change_to_a_case_is_refused(
    shared: OpenProfile, second_terminal: OpenProfile
) -> None:
    first = signed_in(shared, "amira")
    second = signed_in(second_terminal, "gwen")
    case_id = cases_ops.open_case(_person(first), "pip", "Two terminals").call(first)
    version = cases_ops.case_detail(case_id).call(first).version
    assert cases_ops.case_detail(case_id).call(second).version == version

    cases_ops.change_status(case_id, None, version, "waiting_for_person").call(first)
    with pytest.raises(EditConflict) as refused:
        cases_ops.change_status(case_id, None, version, "closed").call(second)
    assert "someone else" in refused.value.message.lower()
    case = cases_ops.case_detail(case_id).call(second)
    assert case.status == "waiting_for_person"
    assert case.closed_at is None


def test_second_edit_of_a_note_is_refused(
    shared: OpenProfile, second_terminal: OpenProfile
) -> None:
    first = signed_in(shared, "amira")
    second = signed_in(second_terminal, "tom")
    case_id = cases_ops.open_case(_person(first), "pip", "Notes from two terminals").call(first)
    note_id = cases_ops.add_note(case_id, "First draft.").call(first)
    cases_ops.edit_note(case_id, note_id, 1, "Amira's wording.").call(first)
    with pytest.raises(EditConflict) as refused:
        cases_ops.edit_note(case_id, note_id, 1, "Tom's wording.").call(second)
    assert "your text is still on screen" in refused.value.message.lower()
    assert [n.body for n in cases_ops.case_detail(case_id).call(second).notes] == [
        "Amira's wording."
    ]


def _wait_for_lock_wait(profile: OpenProfile) -> None:
    """Poll until another connection is waiting on a row lock (PostgreSQL)."""
    deadline = time.monotonic() + PATIENCE_S
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with profile.engine.connect() as conn:
            if conn.execute(query).scalar():
                return
    raise AssertionError("the second terminal never waited for the first one's lock")


def test_saves_at_the_same_moment(shared: OpenProfile, second_terminal: OpenProfile) -> None:
    """Both terminals pass their version check; the database decides, and says so.

    The first terminal has written (and holds the row) but not yet committed
    when the second saves. On PostgreSQL the second's UPDATE waits for the
    row, then matches no row of its version: EditConflict. On SQLite the
    second waits for the write lock, then sees the new version: EditConflict.
    """
    first = signed_in(shared, "amira")
    second = signed_in(second_terminal, "tom")
    person_id = _person(first, "Sametime")
    actor = first.current_actor
    assert actor is not None

    session = session_factory(shared.engine, write=True)()
    session.begin()
    people.update_person(
        session,
        actor,
        person_id,
        1,
        PersonInput(given_name="Dilys", family_name="Sametime", email="dilys@example.org"),
    )
    outcome: list[BaseException | int] = []

    def save_from_second_terminal() -> None:
        try:
            outcome.append(
                people_ops.update_person(
                    person_id,
                    1,
                    PersonInput(given_name="Dilys", family_name="Sametime", phone="07700900999"),
                ).call(second)
            )
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=save_from_second_terminal)
    worker.start()
    try:
        if shared.engine.dialect.name == "postgresql":
            _wait_for_lock_wait(shared)
        session.commit()
    finally:
        session.close()
        worker.join(timeout=PATIENCE_S)
    assert not worker.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], EditConflict), outcome
    assert "someone else" in outcome[0].message.lower()
    kept = people_ops.person_detail(person_id).call(first)
    assert (kept.version, kept.email, kept.phone) == (2, "dilys@example.org", None)


@pytest.mark.postgres
def test_the_command_line_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    """``alongside setup --database-url`` and the db commands, as a subprocess."""
    import os
    import subprocess
    import sys

    profile = tmp_path / "office"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env["ALONGSIDE_PASSWORD"] = "office-admin-password"

    def alongside(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args, "--profile", str(profile)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    setup = alongside("setup", "--admin", "office", "--database-url", postgres_url)
    assert setup.returncode == 0, setup.stderr
    assert not (profile / "alongside.db").exists()
    check = alongside("db", "check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "The database is sound and up to date."
    filled = alongside("demo-data", "--people", "10", "--seed", "2")
    assert filled.returncode == 0, filled.stderr
    backup = alongside("db", "backup")
    assert backup.returncode == 1
    assert backup.stderr.startswith("alongside: ") and "pg_dump" in backup.stderr
    assert len(backup.stderr.splitlines()) == 1

    opened = open_profile(ProfilePaths(profile))
    try:
        admin = LocalBackend(opened).sign_in("office", "office-admin-password")
        assert admin.role == "admin"
        amira = signed_in(opened)
        riverside = people_ops.list_person_ids().call(amira)
        assert len(riverside) >= 8  # about 9 in 10 demo people are Riverside's
        assert people_ops.create_person(PersonInput(given_name="Cai", family_name="Office")).call(
            amira
        )
    finally:
        opened.close()

    # A server that is not there is one clear line too.
    settings = json.loads((profile / "settings.json").read_text(encoding="utf-8"))
    settings["database_url"] = postgres_url.replace("host=", "host=/nonexistent")
    (profile / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    gone = alongside("db", "check")
    assert gone.returncode == 1, gone.stderr
    assert len(gone.stderr.splitlines()) == 1, gone.stderr
    assert "Traceback" not in gone.stderr
    assert "shared database server cannot be reached" in gone.stderr
