"""Filling any service's form from the keyboard, question by question, as a
worker would (used by the form tests for every definition)."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import find, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from casework.forms.definitions import Question
from ui.forms.fields import (
    AddressField,
    DateField,
    GroupField,
    LongTextField,
    MultiChoiceField,
    QuestionField,
    _Choices,
)
from ui.forms.view import FormView
from ui.qt import Qt, QtWidgets

TYPED = {
    "number": "2",
    "money": "12.50",
    "ni_number": "AB123456C",
    "nhs_number": "485 777 3457",
    "phone": "01632 960001",
    "email": "someone@example.com",
}


def press(qtbot: QtBot, widget: QtWidgets.QWidget, key: Qt.Key = Qt.Key.Key_Space) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key)


def type_into(qtbot: QtBot, edit: QtWidgets.QWidget, text: str) -> None:
    edit.setFocus()
    if isinstance(edit, QtWidgets.QLineEdit):
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def _date_for(question: Question) -> str:
    rules = question.raw.get("validation", {})
    return "01/01/2031" if rules.get("not_in_past") else "07/03/1950"


def fill(qtbot: QtBot, field: QuestionField) -> None:
    """Answer one question from the keyboard with a value its rules accept."""
    q = field.question
    if isinstance(field, GroupField):
        if q.required or q.raw.get("min_items", 0) > 0:
            press(qtbot, field.add_button)
            dialog = field.dialog
            assert dialog is not None and dialog.isVisible()
            for child in dialog.fields:
                if not child.isHidden():
                    fill(qtbot, child)
            press(qtbot, dialog.save_button)
            assert not dialog.isVisible(), [f.error.text() for f in dialog.fields]
        return
    if isinstance(field, _Choices):
        buttons = list(field.buttons.items())
        if isinstance(field, MultiChoiceField):
            exclusive = {o["value"] for o in q.raw["options"] if o.get("exclusive")}
            buttons = [(v, b) for v, b in buttons if v not in exclusive] or buttons
        if not any(b.isChecked() for _v, b in buttons):
            press(qtbot, buttons[0][1])
        return
    if isinstance(field, AddressField):
        type_into(qtbot, field.line1, "1 High Street")
        type_into(qtbot, field.town, "Cardiff")
        type_into(qtbot, field.postcode, "CF10 1EP")
        return
    if isinstance(field, DateField):
        type_into(qtbot, field.edit, _date_for(q))
        return
    if isinstance(field, LongTextField):
        type_into(qtbot, field.block, "Needs help with stairs and steps.")
        return
    type_into(qtbot, field.edit, text_for(q))


CANDIDATES = [
    "Sample answer",
    "309430",
    "00733445",
    "12345678",
    "123456",
    "1234",
    "12",
    "1",
    "AB123456C",
    "A1234567",
    "2026",
    "Jo",
    "SW1A 1AA",
    "01632 960001",
]


def text_for(question: Question) -> str:
    """A typed answer the question's own rules accept (its pattern, its length)."""
    rules = question.raw.get("validation", {})
    if question.type in TYPED:
        return TYPED[question.type]
    low, high = rules.get("min_length", 0), rules.get("max_length", 10_000)
    pattern = rules.get("pattern")
    for text in CANDIDATES:
        if low <= len(text) <= high and (pattern is None or re.fullmatch(pattern, text)):
            return text
    # Any other pattern: the simplest string it accepts, of an allowed length.
    return str(
        find(
            st.from_regex(pattern or ".+", fullmatch=True),
            lambda text: low <= len(text) <= high and text.strip() == text and bool(text),
            settings=settings(database=None, max_examples=2000),
        )
    )


def fill_page(qtbot: QtBot, view: FormView) -> None:
    """Answer every visible, unanswered question on the page (new ones may
    appear as answers open branches)."""
    done: set[str] = set()
    while True:
        todo = [
            f
            for qid, f in view.fields.items()
            if not f.isHidden() and qid not in done and qid not in view.answers
        ]
        if not todo:
            return
        fill(qtbot, todo[0])
        done.add(todo[0].question.id)


def continue_page(qtbot: QtBot, view: FormView) -> None:
    press(qtbot, view.continue_button)


def run_to_check_answers(qtbot: QtBot, view: FormView, limit: int = 200) -> list[str]:
    """Fill every page until Check your answers; returns the page ids seen."""
    seen: list[str] = []
    for _step in range(limit):
        if view.mode == "check":
            return seen
        assert view.mode == "page", view.mode
        seen.append(str(view.page_id))
        fill_page(qtbot, view)
        before = view.page_id
        continue_page(qtbot, view)
        if view.mode == "page" and view.page_id == before:
            problems = {q: f.error.text() for q, f in view.fields.items() if f.error.text()}
            raise AssertionError(f"page {before} refused its answers: {problems}")
    raise AssertionError("the form did not end")


def field_value(view: FormView, question_id: str) -> Any:
    return view.fields[question_id].value()
