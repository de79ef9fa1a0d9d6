"""What mandates and assisted sessions take from the catalogue: a service's
data categories, the grant dialog's choices, the task list, and starting (then
wiping, when left open) an assisted session."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.casefile import assisted
from casework.forms import mandate_services
from casework.forms.definitions import load_catalogue
from casework.forms.mandate_names import catalogue_names
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.i18n import set_language
from casework.kernel.records import Actor
from delegation import mandate_actions
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import AssistedStart
from delegation.scope import CATEGORIES
from tests.unit.conftest import WriteSession

CATALOGUE = load_catalogue()


def _start(**changes: object) -> AssistedStart:
    values: dict[str, object] = {
        "given_name": "Zephyrine",
        "family_name": "Quillfeather",
        "service_id": "blue-badge",
        "task_list_shown": assisted.task_list(
            "blue-badge",
            mandate_services.data_categories(CATALOGUE.service_of("blue-badge")),
            catalogue_names(CATALOGUE),
        ),
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return AssistedStart(**values)  # type: ignore[arg-type]


def test_a_services_categories_include_its_follow_up_questions() -> None:
    service = CATALOGUE.service_of("blue-badge")
    found = mandate_services.data_categories(service)
    assert found == tuple(sorted(found)) and set(found) <= CATEGORIES
    asked = {q.category for q in service.questions()}
    assert set(found) >= asked & CATEGORIES
    assert "identity" in found


def test_the_grant_choices_in_the_workers_language(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        choices = mandate_services.grant_choices(session, amira, CATALOGUE)
        assert choices.grantees == mandate_actions.grantee_choices(session, amira)
        assert choices.supervisors == mandate_actions.supervisor_choices(session, amira)
    assert choices.longest_days == mandate_actions.basis_longest_days()
    assert [c.service_id for c in choices.scopes] == [s.id for s in CATALOGUE.services]
    badge = next(c for c in choices.scopes if c.service_id == "blue-badge")
    service = CATALOGUE.service_of("blue-badge")
    assert badge.title == service.text("title", "en")
    assert badge.categories == mandate_services.data_categories(service)
    set_language("cy")
    try:
        welsh = mandate_services.scope_choices(CATALOGUE)
    finally:
        set_language("en")
    assert next(c for c in welsh if c.service_id == "blue-badge").title == service.text(
        "title", "cy"
    )


def test_the_task_list_of_a_service(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        text = mandate_services.assisted_task_list(session, amira, CATALOGUE, "blue-badge")
        assert text == _start().task_list_shown
        with pytest.raises(NotFound, match="There is no form for that service"):
            mandate_services.assisted_task_list(session, amira, CATALOGUE, "no-such-service")


def test_a_session_for_an_unknown_service_is_refused(write: WriteSession, amira: Actor) -> None:
    with pytest.raises(InvalidInput) as refused, write() as session:
        mandate_services.start_assisted_session(
            session, amira, CATALOGUE, _start(service_id="no-such-service")
        )
    assert refused.value.fields == {"service": "Choose the service to help with."}
    with write() as session:
        assert assisted.current(session, amira) is None


def test_a_session_starts_and_is_wiped_when_left_open(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        started = mandate_services.start_assisted_session(
            session, amira, CATALOGUE, _start(minutes=5)
        )
    assert started.service_id == "blue-badge"
    assert started.person_name == "Zephyrine Quillfeather"
    assert started.ends_at - started.started_at == timedelta(minutes=5)
    with write() as session:
        assert assisted.current(session, amira) == started
        assert assisted.wipe_left_open(session, amira) == 0, "still running: left alone"
    with write() as session:
        later = started.ends_at + timedelta(seconds=1)
        assert assisted.wipe_left_open(session, amira, later) == 1
    with write() as session:
        assert assisted.current(session, amira) is None
        assert assisted.wipe_left_open(session, amira, later) == 0, "nothing left to wipe"
