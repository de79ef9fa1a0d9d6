"""The real start path (``app.start``): the sign-in window first, the profile
loaded behind it on a worker thread, then the main window taking over.

The load waits on an Event the test releases, so "typed before the load
finished" is a fact of the test, never a matter of timing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.demo.people import DEMO_PASSWORD
from app.paths import ProfilePaths
from app.profile import OpenProfile
from app.settings import Settings, load_settings, save_settings
from app.start import Start
from casework.kernel.i18n import current_language
from ui.qt import Qt, QtCore, QtWidgets


@pytest.fixture
def real_profile(
    demo_profile: OpenProfile, db_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> ProfilePaths:
    """A real profile file with the demo workers, its key given as in automation."""
    monkeypatch.setenv("ALONGSIDE_DB_KEY", db_key.hex())
    return demo_profile.paths


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # never leave a loader waiting


def _start(qtbot: QtBot, paths: ProfilePaths, gate: threading.Event) -> Start:
    start = Start(paths, load_settings(paths.settings), gate=gate)
    qtbot.addWidget(start.shell)
    start.begin_after_paint()
    start.shell.show()
    qtbot.waitExposed(start.shell)
    qtbot.waitUntil(lambda: start._thread is not None)  # painted: the load has begun
    return start


def _finish(start: Start) -> None:
    start.shell.close()
    start.finish()


def test_typing_before_the_load_survives_the_handover(
    qtbot: QtBot, real_profile: ProfilePaths, gate: threading.Event
) -> None:
    start = _start(qtbot, real_profile, gate)
    early = start.shell.sign_in_page
    qtbot.keyClicks(early.username, "amira")
    qtbot.keyClick(early.username, Qt.Key.Key_Return)  # on to the password
    qtbot.keyClicks(early.password, DEMO_PASSWORD[:5])
    assert start.window is None  # still loading: the gate is shut
    with qtbot.waitSignal(start.ready):
        gate.set()
    window = start.window
    assert window is not None
    assert window.parent() is start.shell and not window.isWindow()  # the same window
    page = window.sign_in_page
    assert page.username.text() == "amira"
    assert page.password.text() == DEMO_PASSWORD[:5]
    assert page.password.hasFocus()
    qtbot.keyClicks(page.password, DEMO_PASSWORD[5:])
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work_page)
    assert window.actor is not None and window.actor.username == "amira"
    assert start.shell.windowTitle() == window.windowTitle()
    _finish(start)


def test_enter_before_the_load_signs_in_once_it_is_ready(
    qtbot: QtBot, real_profile: ProfilePaths, gate: threading.Event
) -> None:
    start = _start(qtbot, real_profile, gate)
    early = start.shell.sign_in_page
    qtbot.keyClicks(early.username, "amira")
    qtbot.keyClick(early.username, Qt.Key.Key_Return)
    qtbot.keyClicks(early.password, DEMO_PASSWORD)
    qtbot.keyClick(early.password, Qt.Key.Key_Return)
    assert early.message.isVisible() and early.message.text() == "Opening the profile…"
    assert not early.button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: start.window is not None)
    window = start.window
    assert window is not None
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work_page)
    assert window.actor is not None and window.actor.username == "amira"
    _finish(start)


def test_switching_language_before_the_load_keeps_the_username(
    qtbot: QtBot, real_profile: ProfilePaths, gate: threading.Event
) -> None:
    start = _start(qtbot, real_profile, gate)
    qtbot.keyClicks(start.shell.sign_in_page.username, "amira")
    qtbot.keyClick(start.shell.sign_in_page.language_button, Qt.Key.Key_Space)
    assert current_language() == "cy"
    assert start.shell.sign_in_page.username.text() == "amira"
    with qtbot.waitSignal(start.ready):
        gate.set()
    assert start.window is not None
    assert start.window.sign_in_page.username.text() == "amira"
    assert start.window.sign_in_page.button.text() == "&Mewngofnodi"
    _finish(start)


def test_quitting_the_main_window_closes_the_start_window(
    qtbot: QtBot, real_profile: ProfilePaths, gate: threading.Event
) -> None:
    start = _start(qtbot, real_profile, gate)
    with qtbot.waitSignal(start.ready):
        gate.set()
    assert start.window is not None
    qtbot.keyClick(
        start.window.sign_in_page.username, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: not start.shell.isVisible())
    start.finish()


def test_a_start_up_error_from_the_load_is_shown_and_exits_1(
    qtbot: QtBot, tmp_path: Path, gate: threading.Event
) -> None:
    paths = ProfilePaths(tmp_path / "broken")
    paths.root.mkdir()
    save_settings(paths.settings, Settings(profile_name="Riverside"))
    paths.database.touch()  # a damaged, empty database file
    start = _start(qtbot, paths, gate)
    shown: list[str] = []

    def answer_the_dialog() -> None:
        box = QtWidgets.QApplication.activeModalWidget()
        if isinstance(box, QtWidgets.QMessageBox) and not shown:
            shown.append(box.text())
            qtbot.keyClick(box, Qt.Key.Key_Return)

    watcher = QtCore.QTimer()
    watcher.timeout.connect(answer_the_dialog)
    watcher.start(20)
    with qtbot.waitSignal(start.gave_up) as gave_up:
        gate.set()
    watcher.stop()
    assert gave_up.args == [1]
    assert shown and "is empty, so it has been damaged" in shown[0]
    assert start.window is None
    _finish(start)
