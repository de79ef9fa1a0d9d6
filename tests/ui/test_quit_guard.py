"""Nothing irreversible unconfirmed: Ctrl+Q on the demo or mid-form asks
first, Esc and Enter keep the app open, Alt+Q quits; on a real profile with
no form open Ctrl+Q just quits. All by real key presses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.profile import OpenProfile
from tests.ui.test_keyboard_day import focused, key, keyboard_sign_in, start_form
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def question(qtbot: QtBot) -> QtWidgets.QMessageBox:
    qtbot.waitUntil(
        lambda: isinstance(QtWidgets.QApplication.activeModalWidget(), QtWidgets.QMessageBox)
    )
    box = QtWidgets.QApplication.activeModalWidget()
    assert isinstance(box, QtWidgets.QMessageBox)
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is box)
    return box


def back_in(qtbot: QtBot, win: QtWidgets.QWidget) -> None:
    """The keyboard is back in ``win`` after staying."""
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is win)


def answer(
    qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    box = question(qtbot)
    key(qtbot, k, mod)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeModalWidget() is not box)


@pytest.fixture
def real_window(qtbot: QtBot, demo_profile: OpenProfile) -> Iterator[MainWindow]:
    """The main window on a profile that is not the demo (real work)."""
    demo_profile.settings.demo = False
    win = MainWindow(LocalBackend(demo_profile))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ops.wait_idle()


def test_quitting_the_demo_asks_and_only_alt_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    keyboard_sign_in(qtbot, window)
    key(qtbot, Qt.Key.Key_Q, CTRL)
    box = question(qtbot)
    assert "demo" in box.informativeText()
    answer(qtbot, Qt.Key.Key_Escape)
    assert window.isVisible(), "Esc must keep the app open"
    back_in(qtbot, window)
    key(qtbot, Qt.Key.Key_Q, CTRL)
    answer(qtbot, Qt.Key.Key_Return)
    assert window.isVisible(), "Enter (the default button) must keep the app open"
    back_in(qtbot, window)
    key(qtbot, Qt.Key.Key_Q, CTRL)
    answer(qtbot, Qt.Key.Key_Q, ALT)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_quitting_mid_form_asks_on_a_real_profile(qtbot: QtBot, real_window: MainWindow) -> None:
    win = real_window
    keyboard_sign_in(qtbot, win)
    start_form(qtbot, win, win.backend, "blue-badge")  # type: ignore[arg-type]
    key(qtbot, Qt.Key.Key_Q, CTRL)
    box = question(qtbot)
    assert "form" in box.informativeText()
    answer(qtbot, Qt.Key.Key_Escape)
    assert win.isVisible() and win.form_view is not None
    back_in(qtbot, win)
    key(qtbot, Qt.Key.Key_Q, CTRL)
    answer(qtbot, Qt.Key.Key_Q, ALT)
    qtbot.waitUntil(lambda: not win.isVisible())


def test_a_real_profile_with_no_form_open_just_quits(qtbot: QtBot, real_window: MainWindow) -> None:
    keyboard_sign_in(qtbot, real_window)
    key(qtbot, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not real_window.isVisible())
    assert QtWidgets.QApplication.activeModalWidget() is None
