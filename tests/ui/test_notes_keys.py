"""A long note is readable in full by keyboard: Tab into the notes list,
arrows choose a note, Tab reaches a read-only view with the whole note (the
list cuts it short and its tooltip is for the mouse only)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from tests.ui.test_keyboard_day import focused, key, keyboard_sign_in
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.qt import Qt
from ui.window.main import MainWindow

LONG = (
    "Rang the council about the stairlift assessment; they will visit on Tuesday "
    "afternoon but need someone at home to let them in, and the neighbour at "
    "number 12 has a key. Ask about the Blue Badge renewal next time. END-OF-NOTE"
)


def test_a_long_note_is_read_in_full_by_keyboard(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = window
    keyboard_sign_in(qtbot, win)
    person_id = people_ops.list_person_ids().call(fresh_backend)[0]
    case_id = cases_ops.open_case(person_id, "blue-badge", "Notes by keyboard").call(fresh_backend)
    cases_ops.add_note(case_id, "A short one").call(fresh_backend)
    cases_ops.add_note(case_id, LONG).call(fresh_backend)
    win.open_case(case_id)
    view = win.case_view
    qtbot.waitUntil(lambda: view.case is not None and view.notes.topLevelItemCount() == 2)
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # the Notes tab
    qtbot.waitUntil(lambda: view.notes.isVisible())
    for _ in range(10):
        if focused() is view.notes:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.notes
    for press in (Qt.Key.Key_Down, Qt.Key.Key_Up):  # whichever way the long one lies
        if LONG in view.note_reader.toPlainText():
            break
        key(qtbot, press)
    assert LONG in view.note_reader.toPlainText()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.note_reader, "Tab from the list reaches the whole note"
    assert view.note_reader.isReadOnly()
    assert view.note_reader.accessibleName()
    assert view.note_reader.accessibleDescription() == LONG
    cut = view.notes.currentItem()
    assert cut is not None and cut.data(2, Qt.ItemDataRole.AccessibleTextRole) == LONG
