"""Fixtures for driving the real main window offscreen with pytest-qt."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.forms.definitions import SERVICES_DIR
from tests.unit.casework.forms.sample_service import sample_bytes
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


@pytest.fixture
def services_dir(tmp_path: Path) -> Path:
    """The shipped definitions plus the small sample that uses every type."""
    folder = tmp_path / "services"
    folder.mkdir()
    for path in SERVICES_DIR.glob("*.json"):
        shutil.copy(path, folder / path.name)
    (folder / "sample-service.json").write_bytes(sample_bytes())
    return folder


@pytest.fixture
def form_backend(demo_profile: OpenProfile, services_dir: Path) -> LocalBackend:
    """A demo backend whose catalogue is ``services_dir``."""
    demo_profile.settings.demo = True
    return LocalBackend(demo_profile, services_dir=services_dir)


@pytest.fixture
def win(qtbot: QtBot, form_backend: LocalBackend) -> Iterator[MainWindow]:
    """The window on ``form_backend``, with amira signed in."""
    window = MainWindow(form_backend)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    yield window
    window.ops.wait_idle()


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
