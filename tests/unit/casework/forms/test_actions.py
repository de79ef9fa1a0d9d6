"""The form engine's actions that find the definition in the catalogue:
starting, sending (with its outbox item), comparing with and updating the
record, and asking once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from casework.forms import actions, drafts
from casework.forms.definitions import Catalogue, parse_definition
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.models import Submission
from casework.kernel.records import Actor
from offline_sync.models import OutboxItem
from tests.unit.casework.forms.sample_service import sample, sample_bytes
from tests.unit.casework.forms.test_drafts import COMPLETE
from tests.unit.conftest import WriteSession

SERVICE = parse_definition(sample_bytes(), "sample.json")
CATALOGUE = Catalogue((SERVICE,), ())
PAPER_ONLY = parse_definition(sample_bytes({**sample(), "channels": ["paper"]}), "paper.json")


def _filled(
    write: WriteSession, amira: Actor, case_id: int, catalogue: Catalogue
) -> tuple[int, int]:
    """A complete draft on the case: its id and version."""
    with write() as session:
        draft = actions.start_form(session, amira, catalogue, case_id, "sample-service")
        return draft.id, drafts.save_draft(
            session, amira, draft.id, draft.version, COMPLETE, None, services=catalogue.get
        )


def test_a_missing_definition_is_not_found_in_words_to_act_on() -> None:
    with pytest.raises(NotFound) as missing:
        actions.service_for(CATALOGUE, "no-such-service")
    assert "'no-such-service' cannot be opened" in missing.value.message
    assert actions.service_for(CATALOGUE, "sample-service") is SERVICE
    assert actions.titles(CATALOGUE, "en") == {"sample-service": SERVICE.text("title", "en")}


def test_starting_a_form_names_it_on_the_timeline(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft = actions.start_form(session, amira, CATALOGUE, case_id, "sample-service")
        events = timeline.entries(session, case_id)
    assert draft.service_id == "sample-service" and draft.current_page == "name"
    assert draft.answers == {} and not draft.submitted
    assert events[0].kind == "form_started"
    with write() as session, pytest.raises(NotFound):
        actions.start_form(session, amira, CATALOGUE, case_id, "no-such-service")


def test_sending_queues_the_submission_in_the_same_transaction(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _filled(write, amira, case_id, CATALOGUE)
    with write() as session:
        record = actions.submit_form(session, amira, CATALOGUE, draft_id, version)
    with write() as session:
        (item,) = session.scalars(
            select(OutboxItem).where(OutboxItem.connector == "submission_api")
        ).all()
        assert item.connector == "submission_api"
        assert item.idempotency_key == record.uuid and item.case_id == case_id
        assert json.loads(item.body)["submission_reference"] == record.uuid
        assert session.scalar(select(Submission.uuid)) == record.uuid


def test_a_paper_only_service_is_sent_without_an_outbox_item(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    paper = Catalogue((PAPER_ONLY,), ())
    draft_id, version = _filled(write, amira, case_id, paper)
    with write() as session:
        record = actions.submit_form(session, amira, paper, draft_id, version)
    with write() as session:
        assert session.scalar(select(Submission.uuid)) == record.uuid
        assert session.scalar(select(OutboxItem.id).where(OutboxItem.connector != "pay")) is None


def test_an_incomplete_form_is_neither_sent_nor_queued(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        draft = actions.start_form(session, amira, CATALOGUE, case_id, "sample-service")
    with pytest.raises(InvalidInput), write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft.id, draft.version)
    with write() as session:
        assert session.scalar(select(Submission.id)) is None
        assert session.scalar(select(OutboxItem.id)) is None


def test_differences_are_offered_then_applied_to_the_record(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, _version = _filled(write, amira, case_id, CATALOGUE)
    moved = {
        **COMPLETE,
        "home": {"lines": ["2 Heol y Bont"], "town": "Bangor", "postcode": "LL57 1AB"},
    }
    with write() as session:
        differences = actions.profile_differences(session, amira, CATALOGUE, draft_id, moved)
        unsaved = {d.question_id for d in differences}
    assert "home" in unsaved  # the answers on screen, not yet saved, are compared
    with write() as session:
        actions.update_record_from_form(session, amira, CATALOGUE, draft_id)
    with write() as session:
        assert actions.profile_differences(session, amira, CATALOGUE, draft_id, COMPLETE) == []
        assert timeline.entries(session, case_id)[0].kind == "record_updated"


def test_known_answers_name_the_form_they_came_from_by_its_title(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    draft_id, version = _filled(write, amira, case_id, CATALOGUE)
    with write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft_id, version)
    with write() as session:
        known = actions.known_answers(session, amira, CATALOGUE, case_id, "sample-service")
    title = SERVICE.text("title", "en")
    assert known["ni"].value == COMPLETE["ni"]
    assert known["ni"].source.startswith(f"from {title}, sent ")
