"""The timeline is stored as events and read in the reader's language: a line
written while Alongside speaks English reads Welsh to a Welsh reader and the
other way round, words among its parameters (a status, a service, a day, a
facilitator's role) are translated too, and lines written before events were
stored are converted by migration 0014 where they match a known line."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text

from app import migrate
from app.database import session_factory
from app.profile import OpenProfile
from casework.casefile.cases import change_status
from casework.casefile.notes import add_note
from casework.casefile.tasks import add_task
from casework.escalation import breaches, lifecycle
from casework.escalation.models import EscalationLevel
from casework.escalation.records import EscalationRequest
from casework.forms import definitions
from casework.forms.definitions import Service
from casework.forms.drafts import start_draft
from casework.kernel import timeline
from casework.kernel.i18n import set_language
from casework.kernel.records import Actor
from tests.unit.conftest import WriteSession

CATALOGUE = definitions.load_catalogue()
RAISED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def service_of(service_id: str) -> Service:
    found = CATALOGUE.get(service_id)
    assert found is not None
    return found


@pytest.fixture
def welsh_after() -> Iterator[None]:
    yield
    set_language("en")


def _read(write: WriteSession, case_id: int, language: str) -> list[str]:
    set_language(language)
    with write() as session:
        return [e.summary for e in timeline.entries(session, case_id)]


def test_a_line_written_in_english_reads_welsh_and_back(
    write: WriteSession, amira: Actor, case_id: int, welsh_after: None
) -> None:
    set_language("en")
    with write() as session:
        add_note(session, amira, case_id, "Phoned the council.")
    set_language("cy")
    with write() as session:
        change_status(session, amira, case_id, 1, "waiting_for_person")
    welsh = _read(write, case_id, "cy")
    english = _read(write, case_id, "en")
    assert english[:2] == [
        "Status changed to 'Waiting for the person'",
        "Note: Phoned the council.",
    ]
    assert welsh[1] == "Nodyn: Phoned the council."
    assert welsh[0] != english[0] and "Waiting" not in welsh[0]
    assert all("waiting_for_person" not in line for line in welsh + english)


def test_a_service_title_and_a_day_are_words_read_in_the_readers_language(
    write: WriteSession, amira: Actor, case_id: int, welsh_after: None
) -> None:
    service = service_of("blue-badge")
    with write() as session:
        start_draft(session, amira, case_id, service)
        add_task(session, amira, case_id, "Send the photo", date(2026, 3, 9))
    english = _read(write, case_id, "en")
    welsh = _read(write, case_id, "cy")
    assert "Task added: Send the photo (due 9 March 2026)" in english
    assert any("9 Mawrth 2026" in line for line in welsh)
    started_en = next(line for line in english if line.startswith("Form started"))
    assert service.text("title", "en") in started_en
    assert any(service.text("title", "cy") in line for line in welsh)
    assert not any(service.text("title", "en") in line for line in welsh)
    assert not any("blue-badge" in line for line in english + welsh)


def test_an_escalation_names_the_facilitator_in_the_readers_language(
    profile: OpenProfile, write: WriteSession, amira: Actor, case_id: int, welsh_after: None
) -> None:
    request = EscalationRequest(case_id, "no_decision", "Applied in January. No reply.")
    with write() as session:
        lifecycle.raise_escalation(session, amira, request, service_of, now=RAISED)
        first = session.scalars(select(EscalationLevel)).one()
        area = session.execute(text("SELECT area FROM escalations")).scalar_one()
        ladder = {
            language: lifecycle.ladder_for(
                session, service_of("blue-badge"), area, language=language
            )
            for language in ("en", "cy")
        }
    breaches.check_due(session_factory(profile.engine, write=True), service_of, now=first.breach_at)
    english = _read(write, case_id, "en")
    welsh = _read(write, case_id, "cy")
    at = next(i for i, line in enumerate(english) if line.startswith("Escalated to"))
    escalated_en, escalated_cy = english[at], welsh[at]
    assert ladder["en"][0].organisation in escalated_en and "No decision made" in escalated_en
    assert ladder["cy"][0].organisation in escalated_cy
    assert ladder["en"][0].organisation not in escalated_cy
    assert "No decision made" not in escalated_cy and "Mawrth" in escalated_cy
    passed_on_cy = next(line for line in welsh if f"{ladder['cy'][1].name} (" in line)
    assert ladder["cy"][1].role in passed_on_cy and ladder["en"][1].role not in passed_on_cy


def test_render_keeps_literal_text_and_survives_an_unknown_message() -> None:
    assert timeline.render("Written long ago") == "Written long ago"
    odd = {"m": "A line {who} no catalogue has {missing}", "p": {"who": "Sam"}}
    assert timeline.render(odd) == "A line Sam no catalogue has {missing}"
    assert timeline.render(timeline.both("Open", "Ar agor"), "cy") == "Ar agor"
    with pytest.raises(TypeError):
        timeline.line("Note: {text}", text=None)  # type: ignore[arg-type]


# -- migration 0014 -----------------------------------------------------------------

OLD_LINES = {
    "Status changed to 'Closed'": "Status changed to 'Closed'",
    "Nodyn: Phoned back.": "Note: Phoned back.",
    "Task added: Ring the GP (due 09 March 2026)": "Task added: Ring the GP (due 9 March 2026)",
    "Form started: Apply for a Blue Badge": "Form started: Apply for a Blue Badge",
    "Letter (GOV.UK Notify): needs attention.": "Letter (GOV.UK Notify): needs attention.",
    "South Team accepted the referral; they now act under mandate 42.": (
        "South Team accepted the referral and can now act for the person."
    ),
    "Something only an older Alongside wrote": "Something only an older Alongside wrote",
}


def test_old_lines_become_events_and_unknown_text_stays_as_written(
    profile: OpenProfile, write: WriteSession, case_id: int, welsh_after: None
) -> None:
    migrate.downgrade(profile.engine, "0012")
    with profile.engine.begin() as conn:
        conn.execute(text("DELETE FROM timeline_events"))
        for n, line in enumerate(OLD_LINES):
            conn.execute(
                text(
                    "INSERT INTO timeline_events (case_id, at, kind, summary) "
                    "VALUES (:case, :at, 'old', :line)"
                ),
                {"case": case_id, "at": datetime(2026, 1, 1 + n, tzinfo=UTC), "line": line},
            )
    migrate.upgrade(profile.engine, None)
    english = list(reversed(_read(write, case_id, "en")))
    welsh = list(reversed(_read(write, case_id, "cy")))
    assert english == list(OLD_LINES.values())
    assert welsh[1] == "Nodyn: Phoned back." and welsh[-1] == english[-1]
    assert "Mawrth" in welsh[2] and "Closed" not in welsh[0]
    assert "Gwneud cais am Fathodyn Glas" in welsh[3] and "42" not in english[5]


def test_the_converter_reads_welsh_lines_and_words() -> None:
    migration = importlib.import_module("app.migrations.versions.0014_timeline_events")
    convert = migration.Converter()
    set_language("cy")
    try:
        welsh_status = timeline.render(
            timeline.line("Status changed to '{status}'", status=timeline.line("Closed"))
        )
    finally:
        set_language("en")
    event = convert(welsh_status)
    assert event == {"m": "Status changed to '{status}'", "p": {"status": {"m": "Closed"}}}
    assert convert("Note edited") == {"m": "Note edited"}
    assert convert("A note nobody templated") is None


def test_the_facilitator_asked_is_read_in_the_readers_language(
    write: WriteSession, amira: Actor, case_id: int, welsh_after: None
) -> None:
    request = EscalationRequest(case_id, "no_decision", "Applied in January. No reply.")
    set_language("en")
    with write() as session:
        lifecycle.raise_escalation(session, amira, request, service_of, now=RAISED)
        area = session.execute(text("SELECT area FROM escalations")).scalar_one()
        first = {
            language: lifecycle.ladder_for(
                session, service_of("blue-badge"), area, language=language
            )[0]
            for language in ("en", "cy")
        }
    cards = {}
    for language in ("cy", "en"):
        set_language(language)
        with write() as session:
            [record] = lifecycle.case_escalations(session, amira, case_id, now=RAISED)
        cards[language] = record.facilitator
    for field in ("role", "organisation"):
        assert getattr(cards["cy"], field) == getattr(first["cy"], field)
        assert getattr(cards["en"], field) == getattr(first["en"], field)
    assert cards["cy"].role != cards["en"].role
    assert "Monday" in cards["en"].hours and "Monday" not in cards["cy"].hours
    assert "Welsh" in cards["en"].languages and "Cymraeg" in cards["cy"].languages
