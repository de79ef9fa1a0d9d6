"""Drafts saved on every change, frozen submissions, and asking once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from casework.forms import drafts
from casework.forms.definitions import parse_definition
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput
from casework.kernel.i18n import set_language
from casework.kernel.models import Submission
from casework.kernel.records import Actor
from tests.unit.casework.forms.sample_service import sample, sample_bytes
from tests.unit.conftest import WriteSession

SERVICE = parse_definition(sample_bytes(), "sample.json")
TODAY = date(2026, 11, 22)

COMPLETE: dict[str, Any] = {
    "given-name": "Nia",
    "family-name": "Pritchard",
    "date-of-birth": {"date": "1950-03-07", "approximate": False},
    "ni": "AB123456C",
    "home": {"lines": ["1 Stryd Fawr"], "town": "Cardiff", "postcode": "CF10 1AA"},
    "has-income": True,
    "income": 15000,
    "children": 0,
    "benefits": ["uc"],
    "uc-since": {"date": "2024-01-01", "approximate": False},
    "tenure": "own",
    "rent-amount": 50000,
}


def test_a_draft_starts_on_the_first_page_and_is_on_the_timeline(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        record = drafts.draft_record(session, amira, draft_id)
        events = timeline.entries(session, case_id)
    assert record.current_page == "name" and record.answers == {} and not record.submitted
    assert record.updated_by == "Amira Hussain"
    assert events[0].kind == "form_started"


def test_every_save_is_kept_and_a_stale_save_is_refused(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
    with write() as session:
        v2 = drafts.save_draft(session, amira, draft_id, 1, {"given-name": "Nia"}, "name")
    with write() as session:
        v3 = drafts.save_draft(session, amira, draft_id, v2, {"given-name": "Nia"}, "born")
    with pytest.raises(EditConflict) as conflict, write() as session:
        drafts.save_draft(session, amira, draft_id, v2, {"given-name": "Someone"}, "born")
    assert conflict.value.current_version == v3
    with write() as session:
        record = drafts.draft_record(session, amira, draft_id)
        listed = drafts.case_drafts(session, amira, case_id)
    assert record.answers == {"given-name": "Nia"} and record.current_page == "born"
    assert [d.id for d in listed] == [draft_id]


def test_another_team_cannot_see_or_change_a_draft(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
    with pytest.raises(AccessRefused), write() as session:
        drafts.draft_record(session, sam, draft_id)
    with pytest.raises(AccessRefused), write() as session:
        drafts.save_draft(session, sam, draft_id, 1, {}, None)


def test_an_incomplete_form_is_not_sent(write: WriteSession, amira: Actor, case_id: int) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        version = drafts.save_draft(
            session, amira, draft_id, 1, {k: v for k, v in COMPLETE.items() if k != "ni"}, None
        )
    with pytest.raises(InvalidInput) as refused, write() as session:
        drafts.submit_draft(session, amira, draft_id, version, SERVICE, TODAY)
    assert list(refused.value.fields) == ["ids/ni"]
    with write() as session:
        assert not drafts.draft_record(session, amira, draft_id).submitted
        assert session.scalar(select(Submission.id)) is None


def test_an_incomplete_form_is_refused_in_the_readers_language(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
    set_language("cy")  # the conftest puts English back
    with pytest.raises(InvalidInput) as refused, write() as session:
        drafts.submit_draft(session, amira, draft_id, 1, SERVICE, TODAY)
    assert refused.value.fields["name/given-name"] == "Rhowch eich enw cyntaf"


def test_sending_freezes_the_route_taken(write: WriteSession, amira: Actor, case_id: int) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        version = drafts.save_draft(session, amira, draft_id, 1, COMPLETE, "medicines")
    with write() as session:
        sent = drafts.submit_draft(session, amira, draft_id, version, SERVICE, TODAY)
    assert "rent-amount" not in sent.answers  # they own their home: not part of the route
    assert sent.service_id == "sample-service" and sent.service_version == "2026.1"
    with write() as session:
        row = session.scalar(select(Submission).where(Submission.uuid == sent.uuid))
        assert row is not None
        assert row.definition_sha256 == drafts.definition_fingerprint(SERVICE)
        assert json.loads(row.facts)["person.ni_number"] == "AB123456C"
        assert drafts.draft_record(session, amira, draft_id).submitted
        assert timeline.entries(session, case_id)[0].kind == "form_submitted"
        again = drafts.submission_for_draft(session, amira, draft_id)
    assert again is not None and again.uuid == sent.uuid
    with pytest.raises(EditConflict), write() as session:
        drafts.save_draft(session, amira, draft_id, version + 1, {}, None)
    with pytest.raises(EditConflict), write() as session:
        drafts.submit_draft(session, amira, draft_id, version + 1, SERVICE, TODAY)
    # A later change to the definition does not touch what was sent.
    changed = sample()
    changed["version"] = "2027.1"
    changed["pages"][0]["questions"][1]["label"]["en"] = "Surname"
    later = parse_definition(sample_bytes(changed), "sample.json")
    assert drafts.definition_fingerprint(later) != row.definition_sha256


def test_ask_once_offers_known_facts_with_where_they_came_from(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        known = drafts.known_answers(session, amira, case_id, SERVICE)
    assert known["given-name"].value == "Nia"
    assert known["given-name"].source == "from Nia's record"
    assert known["home"].value == {
        "lines": ["1 Stryd Fawr", "Cardiff"],
        "town": "",
        "postcode": "CF10 1AA",
    }
    assert "income" not in known  # never asked before, nothing to offer

    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        answers = {**COMPLETE, "ni": "CD123456A"}
        version = drafts.save_draft(session, amira, draft_id, 1, answers, None)
        drafts.submit_draft(session, amira, draft_id, version, SERVICE, TODAY)
    with write() as session:
        known = drafts.known_answers(
            session, amira, case_id, SERVICE, titles={"sample-service": "Sample application"}
        )
        only_contact = drafts.known_answers(
            session, amira, case_id, SERVICE, allowed_categories=frozenset({"contact"})
        )
    assert known["ni"].value == "CD123456A"  # the newest submission wins over the record
    assert known["ni"].source.startswith("from Sample application, sent ")
    assert only_contact == {}  # identity and address are not in that scope


def test_differences_from_the_record_are_applied_only_when_asked(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        answers = {
            **COMPLETE,
            "home": {"lines": ["2 Heol y Bont"], "town": "Bangor", "postcode": "LL57 1AB"},
        }
        drafts.save_draft(session, amira, draft_id, 1, answers, None)
    with write() as session:
        differences = drafts.profile_differences(session, amira, draft_id, SERVICE)
    assert {d.question_id for d in differences} == {"home", "date-of-birth"}
    home = next(d for d in differences if d.question_id == "home")
    assert home.on_record == "1 Stryd Fawr, Cardiff, CF10 1AA"
    assert home.in_form == "2 Heol y Bont, Bangor, LL57 1AB"
    with write() as session:
        drafts.apply_to_profile(session, amira, draft_id, SERVICE)
    with write() as session:
        assert drafts.profile_differences(session, amira, draft_id, SERVICE) == []
        assert timeline.entries(session, case_id)[0].kind == "record_updated"


def test_a_colleague_in_the_team_can_resume_a_draft(
    write: WriteSession, amira: Actor, actor: Any, case_id: int
) -> None:
    tom = actor("tom")
    with write() as session:
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        drafts.save_draft(session, amira, draft_id, 1, {"given-name": "Nia"}, "name")
    with write() as session:
        record = drafts.draft_record(session, tom, draft_id)
        drafts.save_draft(
            session, tom, draft_id, record.version, {**record.answers, "family-name": "P"}, "born"
        )
    with write() as session:
        record = drafts.draft_record(session, amira, draft_id)
    assert record.updated_by == "Tom Price"
    assert record.answers == {"given-name": "Nia", "family-name": "P"}
