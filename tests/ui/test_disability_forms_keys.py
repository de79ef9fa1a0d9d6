"""PIP (PIP2) and Adult Disability Payment, start to Check your answers by
keyboard alone: sign in by keys, Alt+F and Space to start the form, then on
every page Tab to each required question, type or choose with Space and the
arrows, Tab to Continue and press Space. The route is the shortest one that
still walks all 12 activities: "No" to each "Do your conditions affect ...".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.conftest import screenshot
from tests.ui.form_driver import text_for
from tests.ui.test_keyboard_day import focused, key, keyboard_sign_in, start_form, type_text
from ui.forms.fields import (
    AddressField,
    DateField,
    GroupField,
    LongTextField,
    QuestionField,
    YesNoField,
    _Choices,
)
from ui.forms.view import FormView
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

ACTIVITIES = [
    "preparing-food",
    "taking-nutrition",
    "managing-therapy",
    "washing-bathing",
    "toilet-needs",
    "dressing",
    "communicating",
    "reading",
    "engaging-with-people",
    "budgeting",
    "planning-journeys",
    "moving-around",
]


def tab_until(qtbot: QtBot, wanted: Callable[[QtWidgets.QWidget], bool], limit: int = 80) -> None:
    """Press Tab until the focused widget is the one wanted."""
    for _n in range(limit):
        now = focused()
        if now is not None and wanted(now):
            return
        key(qtbot, Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached it")


def tab_to(qtbot: QtBot, target: QtWidgets.QWidget) -> None:
    tab_until(qtbot, lambda w: w is target)


def answer(qtbot: QtBot, field: QuestionField) -> None:
    """Answer one required question by keys: No to yes/no, the first choice,
    typed text that its rules accept."""
    q = field.question
    if isinstance(field, YesNoField):
        tab_to(qtbot, field.buttons[True])
        key(qtbot, Qt.Key.Key_Down)  # the arrow chooses No
        assert field.buttons[False].isChecked()
    elif isinstance(field, _Choices):
        first = next(iter(field.buttons.values()))
        tab_to(qtbot, first)
        key(qtbot, Qt.Key.Key_Space)
        assert first.isChecked()
    elif isinstance(field, AddressField):
        for edit, text in (
            (field.line1, "1 High Street"),
            (field.town, "Swansea"),
            (field.postcode, "SA1 1AA"),
        ):
            tab_to(qtbot, edit)
            type_text(qtbot, text)
    elif isinstance(field, DateField):
        tab_to(qtbot, field.edit)
        type_text(qtbot, "07/03/1980")
    elif isinstance(field, LongTextField):
        tab_to(qtbot, field.block)
        type_text(qtbot, "Pain in both knees.")
    elif isinstance(field, GroupField):
        tab_to(qtbot, field.add_button)
        key(qtbot, Qt.Key.Key_Space)
        dialog = field.dialog
        assert dialog is not None
        save = dialog.save_button.accessibleName()
        qtbot.waitUntil(dialog.isVisible)
        # The window manager's part (offscreen has none): the new dialog is the active window.
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        for child in dialog.fields:
            if not child.isHidden() and child.question.required:
                answer(qtbot, child)
        tab_until(qtbot, lambda w: w.window() is dialog and w.accessibleName() == save)
        key(qtbot, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        field.window().activateWindow()  # the window manager's part again
        qtbot.waitUntil(field.window().isActiveWindow)
    else:
        edit = field.edit
        tab_to(qtbot, edit)
        type_text(qtbot, text_for(q))


def to_check_answers(qtbot: QtBot, view: FormView, limit: int = 60) -> list[str]:
    """Every page by keys until Check your answers; the page ids seen."""
    seen: list[str] = []
    for _step in range(limit):
        if view.mode == "check":
            return seen
        assert view.mode == "page", view.mode
        page = str(view.page_id)
        seen.append(page)
        for qid in list(view.fields):
            field = view.fields[qid]  # a page may be rebuilt as answers come in
            if not field.isHidden() and field.question.required:
                answer(qtbot, field)
        tab_to(qtbot, view.continue_button)
        key(qtbot, Qt.Key.Key_Space)
        refused = {q: f.error.text() for q, f in view.fields.items() if f.error.text()}
        assert view.mode == "check" or view.page_id != page, f"{page} refused: {refused}"
    raise AssertionError("the form did not end")


@pytest.mark.parametrize("service", ["pip", "adult-disability-payment"])
def test_a_disability_claim_by_keyboard_to_check_answers(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, service: str, artifacts: Path
) -> None:
    win = window
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    keyboard_sign_in(qtbot, win)
    view = start_form(qtbot, win, fresh_backend, service)
    assert view.service.id == service
    qtbot.waitUntil(lambda: focused() is view.fields["title"].edit)  # the first question
    seen = to_check_answers(qtbot, view)
    assert [p for p in seen if p in ACTIVITIES] == ACTIVITIES  # all 12, in order
    assert "helper" in seen
    assert view.findChild(QtWidgets.QLabel, "answer-family-name").text() == "Sample answer"
    assert view.findChild(QtWidgets.QLabel, "answer-moving-around-affected").text() == "No"
    screenshot(win, artifacts, f"pip-keys-{service}-check-answers")
