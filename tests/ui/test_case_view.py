"""The case view's Forms tab buttons, driven on the bare widget."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from casework.kernel.records import DraftRecord
from ui.cases.view import CaseView


def _draft(draft_id: int, frozen: str = "") -> DraftRecord:
    return DraftRecord(
        id=draft_id,
        version=1,
        case_id=1,
        person_id=1,
        service_id="pip",
        service_version="1",
        answers={},
        current_page=None,
        submitted=False,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_by="amira",
        frozen=frozen,
    )


def test_form_buttons_use_the_chosen_form_or_else_the_first(qtbot: QtBot) -> None:
    view = CaseView()
    qtbot.addWidget(view)
    view.show_forms([_draft(7), _draft(9)], {"pip": "PIP"})
    opened: list[int] = []
    papers: list[int] = []
    view.form_requested.connect(opened.append)
    view.paper_requested.connect(papers.append)

    view.continue_form_button.click()  # nothing chosen: the first form
    view.forms.setCurrentItem(view.forms.topLevelItem(1))
    view.continue_form_button.click()
    view.paper_button.click()

    assert opened == [7, 9]
    assert papers == [9]


def test_form_buttons_are_off_until_the_case_has_a_form(qtbot: QtBot) -> None:
    view = CaseView()
    qtbot.addWidget(view)
    view.show_forms([], {"pip": "PIP"})

    assert not view.continue_form_button.isEnabled()
    assert not view.paper_button.isEnabled()
    assert view.frozen_row.isHidden()


def test_print_for_the_person_prints_the_chosen_frozen_form(qtbot: QtBot) -> None:
    view = CaseView()
    qtbot.addWidget(view)
    view.show_forms([_draft(7, "ended"), _draft(8), _draft(9, "ended")], {"pip": "PIP"})
    printed: list[int] = []
    view.frozen_row.print_requested.connect(printed.append)

    view.frozen_row.button.click()  # nothing chosen: the first frozen form
    view.forms.setCurrentItem(view.forms.topLevelItem(2))
    view.frozen_row.button.click()
    view.forms.setCurrentItem(view.forms.topLevelItem(1))  # not frozen: the first again
    view.frozen_row.button.click()

    assert printed == [7, 9, 7]
