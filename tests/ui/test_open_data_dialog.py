"""Export open data from the window, by keyboard: a supervisor exports (off
the UI thread, progress, Cancel) and asks to send it, which queues nothing;
an administrator sees the request, approves it, and exactly one email waits
in the outbox. Nobody is told "sent"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from offline_sync.models import OutboxItem
from tests.ui.conftest import sign_in
from ui.operations import open_data as performance
from ui.performance.open_data_dialog import OpenDataDialog
from ui.qt import QtCore, QtWidgets
from ui.window.main import MainWindow

Key = QtCore.Qt.Key
OWNER = "owner@service.example.gov.uk"


def _outbox(profile: OpenProfile) -> int:
    with session_factory(profile.engine)() as session:
        return session.scalar(select(func.count()).select_from(OutboxItem)) or 0


def _dialog(qtbot: QtBot, win: MainWindow) -> OpenDataDialog:
    win.open_data_action.trigger()  # People > Export open data…
    qtbot.waitUntil(lambda: win.findChild(OpenDataDialog) is not None)
    dialog = win.findChild(OpenDataDialog)
    assert isinstance(dialog, OpenDataDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _shot(widget: QtWidgets.QWidget, name: str) -> None:
    shots = Path("/work/shots/C3")
    if shots.is_dir():
        widget.grab().save(str(shots / name))


def test_a_supervisor_asks_and_an_administrator_approves_one_email(
    qtbot: QtBot, window: MainWindow, demo_profile: OpenProfile, tmp_path: Path
) -> None:
    sign_in(qtbot, window, "gwen")
    dialog = _dialog(qtbot, window)
    for widget in [*dialog.findChildren(QtWidgets.QAbstractButton), dialog.folder, dialog.email]:
        assert widget.accessibleName(), widget.objectName()
    assert not dialog.send_button.isEnabled()
    folder = tmp_path / "open data"
    dialog.folder.setFocus()
    qtbot.keyClicks(dialog.folder, str(folder))
    qtbot.keyClick(dialog.folder, Key.Key_Return)  # Export is the default button
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled())
    assert "Done." in dialog.status.text()
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "open-data.csv",
        "open-data.json",
    ]
    qtbot.keyClicks(dialog.email, OWNER)
    qtbot.keyClick(dialog.send_button, Key.Key_Space)
    qtbot.waitUntil(lambda: "Asked an administrator" in dialog.status.text())
    _shot(dialog, "open-data-supervisor.png")
    window.ops.wait_idle()
    assert _outbox(demo_profile) == 0
    assert "sent" not in dialog.status.text().lower()
    qtbot.keyClick(dialog, Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    window.sign_out()
    sign_in(qtbot, window, "admin")
    admin = _dialog(qtbot, window)
    qtbot.waitUntil(lambda: admin.waiting.count() == 1)
    assert OWNER in admin.waiting.item(0).text()
    admin.waiting.setFocus()
    qtbot.keyClick(admin.waiting, Key.Key_Down)
    qtbot.waitUntil(lambda: admin.approve_button.isEnabled())
    qtbot.keyClick(admin.approve_button, Key.Key_Space)
    qtbot.waitUntil(lambda: "Approved." in admin.status.text())
    qtbot.waitUntil(lambda: admin.waiting.count() == 0)
    _shot(admin, "open-data-admin.png")
    assert _outbox(demo_profile) == 1


def test_an_adviser_is_refused_in_words(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    sign_in(qtbot, window, "amira")
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.folder, str(tmp_path / "out"))
    qtbot.keyClick(dialog.folder, Key.Key_Return)
    qtbot.waitUntil(lambda: "supervisor or an administrator" in dialog.status.text())
    assert not (tmp_path / "out").exists()
    assert not dialog.send_button.isEnabled()


def test_cancel_before_the_files_are_written_writes_nothing(
    fresh_backend: LocalBackend, tmp_path: Path
) -> None:
    fresh_backend.sign_in("gwen", DEMO_PASSWORD)
    steps: list[tuple[int, int]] = []
    op = performance.export_open_data(
        date(2026, 3, 2), date(2026, 3, 8), tmp_path / "out", "en",
        lambda done, total: steps.append((done, total)), lambda: True,
    )  # fmt: skip
    with pytest.raises(performance.ExportCancelled):
        op.call(fresh_backend)
    assert steps == [(0, 2), (1, 2)]
    assert not (tmp_path / "out").exists()
