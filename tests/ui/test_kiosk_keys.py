"""The kiosk's "End the session" asks first (Esc and Enter carry on), by
real key presses; and the kiosk's form offers no "Back to the case"."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.test_keyboard_day import focused, key
from tests.ui.test_mandates import _start_kiosk_session
from tests.ui.test_quit_guard import answer, back_in, question
from ui.qt import Qt
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def test_ending_a_kiosk_session_asks_first(qtbot: QtBot, signed_in: MainWindow) -> None:
    kiosk = _start_kiosk_session(qtbot, signed_in)
    assert kiosk.form_view is not None
    assert not kiosk.form_view.close_button.isVisible(), "no case to go back to in the kiosk"
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is kiosk)
    key(qtbot, Qt.Key.Key_E, ALT)
    box = question(qtbot)
    assert box.text() == "End the session now?"
    answer(qtbot, Qt.Key.Key_Escape)
    assert kiosk.pages.currentWidget() is kiosk.session_page, "Esc carries on"
    back_in(qtbot, kiosk)
    key(qtbot, Qt.Key.Key_E, ALT)
    answer(qtbot, Qt.Key.Key_Return)
    assert kiosk.pages.currentWidget() is kiosk.session_page, "Enter carries on"
    back_in(qtbot, kiosk)
    key(qtbot, Qt.Key.Key_E, ALT)
    answer(qtbot, Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.end_page)
    kiosk.wipe(timed_out=False)
    qtbot.waitUntil(lambda: kiosk.session is None, timeout=10000)
