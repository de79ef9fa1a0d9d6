"""The complaint dialog, driven from the keyboard: the route for a Cardiff
council case with its time limits, recording the council's complaint and its
final response, the ombudsman step opening once it is recorded, the person's
consent, and the evidence pack saved and read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.access_keys import clashes
from tests.ui.conftest import screenshot
from tests.unit.casework.paper.helpers import squash
from tests.unit.factories import person_input
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _type_day(
    qtbot: QtBot, dialog: QtWidgets.QDialog, field: QtWidgets.QLineEdit, day: str
) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_D, ALT)
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, day)


# The offscreen platform cannot size or raise the file dialog's window; the dialog works.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_complain_record_steps_and_build_the_pack_from_the_keyboard(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    win = signed_in
    person_id = people_ops.create_person(person_input(given_name="Olwen")).call(fresh_backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge refused").call(fresh_backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    assert win.case_view.complain_button.accessibleName()
    qtbot.keyClick(win, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: win.complaints.dialog is not None)
    dialog = win.complaints.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert "Public Services Ombudsman for Wales" in dialog.table.item(1, 0).text()
    assert "12 months" in dialog.table.item(0, 4).text()
    assert dialog.table.hasFocus() and dialog.start_button.isEnabled()

    _type_day(qtbot, dialog, dialog.day, "05/01/2026")
    qtbot.keyClick(dialog, Qt.Key.Key_M, ALT)
    qtbot.waitUntil(lambda: dialog.table.item(0, 1).text() != "")
    _type_day(qtbot, dialog, dialog.day, "02/03/2026")
    qtbot.keyClick(dialog, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(lambda: dialog.table.item(0, 2).text() != "")
    dialog.table.setFocus()  # back to the steps, as Shift+Tab would
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.waitUntil(dialog.start_button.isEnabled)  # the ombudsman, after the final response
    qtbot.keyClick(dialog, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: "agreed to an evidence pack" in dialog.intro.text())
    screenshot(dialog, artifacts, "complaint-dialog")  # type: ignore[arg-type]

    qtbot.keyClick(dialog, Qt.Key.Key_P, ALT)
    qtbot.waitUntil(
        lambda: dialog.findChild(QtWidgets.QFileDialog, "complaintPackChooser") is not None
    )
    chooser = dialog.findChild(QtWidgets.QFileDialog, "complaintPackChooser")
    assert chooser is not None
    target = tmp_path / "pack.pdf"
    name = chooser.findChild(QtWidgets.QLineEdit, "fileNameEdit")
    assert name is not None
    qtbot.waitUntil(name.hasFocus)
    qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(name, str(target))
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Saved" in dialog.status.text() or dialog.message.text() != "")
    assert target.exists(), dialog.message.text()
    text = squash("".join(p.extract_text() for p in PdfReader(target).pages))
    assert squash("Public Services Ombudsman for Wales") in text
    assert "OlwenPritchard" in text


def test_the_dialog_in_welsh_has_one_thing_on_each_access_key(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    person_id = people_ops.create_person(person_input(given_name="Olwen")).call(fresh_backend)
    case_id = cases_ops.open_case(person_id, "pip", "PIP").call(fresh_backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    assert not clashes(win.case_view)
    win.switch_language("cy")
    qtbot.waitUntil(lambda: win.case_view.complain_button.text() == "Cwyno…")
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    qtbot.keyClick(win, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: win.complaints.dialog is not None)
    dialog = win.complaints.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4)
    assert "Archwilydd Achosion Annibynnol" in dialog.table.item(2, 0).text()
    assert "6 mis" in dialog.table.item(2, 4).text()
    assert not clashes(dialog)
    screenshot(dialog, artifacts, "complaint-dialog-cy")  # type: ignore[arg-type]
    win.switch_language("en")
