"""Fixtures for driving the real main window offscreen with pytest-qt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from ui.window.main import MainWindow


@pytest.fixture
def fresh_backend(demo_profile: OpenProfile) -> LocalBackend:
    """A backend on the demo data, labelled DEMO as ``make run`` is, with
    nobody signed in."""
    demo_profile.settings.demo = True
    return LocalBackend(demo_profile)


@pytest.fixture
def window(qtbot: QtBot, fresh_backend: LocalBackend) -> Iterator[MainWindow]:
    win = MainWindow(fresh_backend)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ops.wait_idle()


def sign_in(qtbot: QtBot, win: MainWindow, username: str = "amira") -> None:
    page = win.sign_in_page
    page.username.setText(username)
    page.password.setText(DEMO_PASSWORD)
    page.button.click()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.work_page)
    qtbot.waitUntil(lambda: win.people_model.rowCount() > 0)


@pytest.fixture
def signed_in(qtbot: QtBot, window: MainWindow) -> MainWindow:
    sign_in(qtbot, window)
    return window


def screenshot(win: MainWindow, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    assert win.grab().save(str(path)), f"could not save {path}"
    return path
