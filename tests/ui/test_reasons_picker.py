"""Why help was needed, picked by keys: 1 to 8 tick reasons, Enter saves,
Esc skips and records nothing; on a new case, a new form and at the end of an
assisted session. The case shows the reasons, the time and the outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend.local import LocalBackend
from casework.kernel.i18n import set_language
from tests.ui.reasons_driver import shown_picker
from tests.ui.test_keyboard_day import focused, key, type_text
from tests.ui.test_mandates import _start_kiosk_session
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.operations import performance as ops
from ui.performance.picker import ReasonsPicker
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

SHOTS = Path("/work/shots/C1")
KEYS = [getattr(Qt.Key, f"Key_{n}") for n in range(1, 9)]


def _picker(qtbot: QtBot, parent: QtWidgets.QWidget) -> ReasonsPicker:
    return shown_picker(qtbot, parent)


def _pick(qtbot: QtBot, picker: ReasonsPicker, numbers: list[int], note: str = "") -> None:
    for n in numbers:
        key(qtbot, KEYS[n - 1])
    if note:
        key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        assert focused() is picker.note
        type_text(qtbot, note)
    with qtbot.waitSignal(picker.finished, timeout=15000):
        key(qtbot, Qt.Key.Key_Return)


def _case(win: MainWindow, backend: LocalBackend) -> int:
    person = people_ops.list_person_ids().call(backend)[0]
    return cases_ops.open_case(person, "blue-badge", "Badge").call(backend)


def test_a_new_case_asks_why_and_keys_1_to_8_with_enter_save_it(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    person = people_ops.list_person_ids().call(form_backend)[0]
    win.show_person(person)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    win.new_case()
    qtbot.waitUntil(lambda: win.case_dialog is not None and win.case_dialog.isVisible())
    dialog = win.case_dialog
    dialog.service.setCurrentIndex(dialog.service.findData("blue-badge"))
    dialog.open_button.click()
    picker = _picker(qtbot, win)
    assert picker.boxes[0].accessibleName() == ("Could not use the online service (key 1)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    key(qtbot, KEYS[0])
    key(qtbot, KEYS[6])
    key(qtbot, KEYS[7])
    key(qtbot, KEYS[7])  # a second press unticks
    assert picker.picked() == ["online_service", "language"]
    assert picker.grab().save(str(SHOTS / "picker-en.png"))
    _pick(qtbot, picker, [], note="Letter only in English")
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    case_id = win.case_view.case.id  # type: ignore[union-attr]
    shown = ops.case_demand(case_id).call(form_backend)
    assert shown.reasons == ("online_service", "language")
    assert (
        shown.picks[0].moment == "case_opened" and shown.picks[0].note == "Letter only in English"
    )
    row = win.case_view.demand
    qtbot.waitUntil(lambda: "Could not use the online service" in row.line.text())
    assert "Time spent: 0 minutes" in row.line.text()


def test_esc_skips_and_records_nothing(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    case_id = _case(win, form_backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    win.demand.ask(case_id, ops_moment("later"))
    picker = _picker(qtbot, win)
    key(qtbot, KEYS[2])
    with qtbot.waitSignal(picker.finished):
        key(qtbot, Qt.Key.Key_Escape)
    win.ops.wait_idle()
    assert ops.case_demand(case_id).call(form_backend).picks == ()


def ops_moment(value: str):  # type: ignore[no-untyped-def]
    from casework.performance.reasons import Moment

    return Moment(value)


def test_starting_a_form_asks_why_for_that_form(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    case_id = _case(win, form_backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    win.start_form(case_id, "blue-badge")
    picker = _picker(qtbot, win)
    _pick(qtbot, picker, [4, 5])
    shown = ops.case_demand(case_id).call(form_backend)
    assert shown.reasons == ("chasing", "evidence_lost")
    assert shown.picks[0].moment == "form_started"


def test_the_case_row_adds_time_and_sets_the_outcome_by_keyboard(
    qtbot: QtBot, win: MainWindow, form_backend: LocalBackend
) -> None:
    case_id = _case(win, form_backend)
    win.open_case(case_id)
    row = win.case_view.demand
    qtbot.waitUntil(row.isVisible)
    row.minutes.setFocus()
    row.minutes.selectAll()
    type_text(qtbot, "25")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is row.time_button
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "25 minutes" in row.line.text())
    row.outcome.setFocus()
    key(qtbot, Qt.Key.Key_End)  # abandoned
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Outcome: Abandoned" in row.line.text())
    assert row.reasons_button.accessibleName() and row.minutes.accessibleName()


@pytest.mark.parametrize("language", ["cy"])
def test_the_picker_reads_in_welsh(qtbot: QtBot, language: str) -> None:
    set_language(language)
    try:
        picker = ReasonsPicker("Mae'r achos ar agor.")
        qtbot.addWidget(picker)
        picker.show()
        assert picker.boxes[0].text() == "Methu defnyddio'r gwasanaeth ar-lein"
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert picker.grab().save(str(SHOTS / "picker-cy.png"))
    finally:
        set_language("en")


def test_the_end_of_an_assisted_session_asks_why_and_adds_its_time(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    kiosk = _start_kiosk_session(qtbot, signed_in)
    assert kiosk.session is not None
    case_id = kiosk.session.case_id
    kiosk.ask_keep_or_wipe(timed_out=False)
    picker = _picker(qtbot, kiosk)
    _pick(qtbot, picker, [2])
    assert kiosk.pages.currentWidget() is kiosk.end_page
    shown = ops.case_demand(case_id).call(fresh_backend)
    assert shown.reasons == ("no_device",) and shown.picks[0].moment == "session_ended"
    assert shown.minutes >= 1
    kiosk.agreed.setChecked(True)
    kiosk.keep()
    qtbot.waitUntil(lambda: kiosk.session is None, timeout=10000)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_case_row_reads_in_the_workers_language(qtbot: QtBot, language: str) -> None:
    from datetime import UTC, date, datetime

    from casework.performance.records import CaseDemand, DemandPick
    from ui.performance.case_row import DemandRow

    shown = CaseDemand(
        case_id=1,
        picks=(
            DemandPick(1, "case_opened", ("no_device", "access_needs"), "", datetime.now(UTC), "A"),
        ),
        minutes=45,
        outcome="paper",
        outcome_on=date(2026, 11, 30),
        outcome_derived=True,
    )
    set_language(language)
    try:
        row = DemandRow()
        qtbot.addWidget(row)
        row.show_demand(shown)
        row.resize(900, row.sizeHint().height())
        text = row.line.text()
        if language == "cy":
            assert text.startswith("Pam roedd angen help: Dim dyfais na rhyngrwyd;")
            assert "45 munud" in text and "30 Tach 2026" in text
        else:
            assert text == (
                "Why help was needed: No device or internet; Disability or access needs. "
                "Time spent: 45 minutes. Outcome: On paper, 30 Nov 2026 (from the case's forms)."
            )
        for widget in row.findChildren(QtWidgets.QWidget):
            inner = widget.objectName().startswith("qt_")  # a spin box's own line edit
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisible() and not inner:
                assert widget.accessibleName(), widget.objectName()
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert row.grab().save(str(SHOTS / f"case-row-{language}.png"))
    finally:
        set_language("en")
