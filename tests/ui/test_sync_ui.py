"""Syncing in the real window: the indicator, the outbox views, the stopped
notice, the settings page and the SANDBOX label, over the Notify fake on
loopback, a real SQLCipher profile and a real keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.sandbox.server import Reply, Request
from app.sync_wiring import read_credential
from offline_sync.records import Connector
from tests.conftest import PATIENCE_MS, PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.sync_support import configure_notify, queue_emails
from tests.ui.conftest import sign_in
from tests.ui.reasons_driver import skip_reasons
from tests.ui.test_accessibility import _unnamed
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.operations import sync as sync_ops
from ui.qt import Qt, QtWidgets
from ui.sync.outbox_model import OutboxModel, column
from ui.sync.outbox_view import OutboxPanel
from ui.sync.settings import SyncSettingsDialog
from ui.window.main import MainWindow

pytestmark = pytest.mark.keyring

STATE = column("state")


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


def _signed_in_idle(qtbot: QtBot, win: MainWindow) -> None:
    sign_in(qtbot, win)
    qtbot.waitUntil(lambda: not win.sync_ui.running and win.sync_ui.status is not None)


def _sync(qtbot: QtBot, win: MainWindow, panel: OutboxPanel) -> None:
    with qtbot.waitSignal(win.sync_ui.run_finished, timeout=20000):
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)


def _open_outbox(qtbot: QtBot, win: MainWindow) -> OutboxPanel:
    win.sync_status.setFocus()
    qtbot.keyClick(win.sync_status, Qt.Key.Key_Space)  # the indicator, from the keyboard
    qtbot.waitUntil(lambda: win.sync_ui.outbox_window is not None)
    window = win.sync_ui.outbox_window
    assert window is not None
    qtbot.waitUntil(window.isVisible)
    return window.panel


def _shot(widget: QtWidgets.QWidget, artifacts: Path, name: str) -> None:
    QtWidgets.QApplication.processEvents()  # let the layouts catch up with the last texts
    assert widget.grab().save(str(artifacts / f"{name}.png"))


def test_outbox_model_is_a_valid_qt_model(
    qtmodeltester: ModelTester, backend: LocalBackend
) -> None:
    model = OutboxModel()
    qtmodeltester.check(model, force_py=True)
    queue_emails(backend._profile, 3, cases_ops.my_cases().call(backend)[0].case_id, bad=1)
    model.set_rows(sync_ops.outbox_items().call(backend))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4
    assert model.index(0, STATE).data() == "Waiting to send"


def test_sync_now_drains_with_progress_and_stops_mid_drain(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify, artifacts: Path
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify)
    _signed_in_idle(qtbot, window)
    notify.latency = 0.03  # each request takes a little while, as over a real network
    queue_emails(backend._profile, 60)
    window.sync_ui.refresh_status()
    qtbot.waitUntil(lambda: "60 waiting" in window.sync_status.text())
    panel = _open_outbox(qtbot, window)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 60)

    with qtbot.waitSignal(window.sync_ui.run_finished, timeout=20000) as finished:
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.progress.isVisible() and panel.progress.value() >= 3)
        assert panel.progress.maximum() == 60
        assert panel.abort_button.isVisible() and not panel.sync_button.isEnabled()
        assert "Syncing" in window.sync_status.text()
        _shot(window.sync_ui.outbox_window, artifacts, "sync-02-outbox-draining")
        qtbot.mouseClick(panel.abort_button, Qt.MouseButton.LeftButton)
    outcome = finished.args[0]
    assert outcome.progress.aborted and not outcome.finished
    sent = len(notify.notifications)
    assert 3 <= sent < 60
    assert not panel.progress.isVisible()
    qtbot.waitUntil(lambda: f"{60 - sent} waiting" in window.sync_status.text())

    notify.latency = 0
    _sync(qtbot, window, panel)
    assert len(notify.notifications) == 60
    assert all(len(notify.by_reference(i.id)) == 1 for i in sync_ops.outbox_items().call(backend))
    qtbot.waitUntil(lambda: window.sync_status.text().startswith("Online · 0 waiting"))
    assert "last sync" in window.sync_status.text()
    _shot(window.statusBar(), artifacts, "sync-01-indicator")


def test_set_aside_item_shows_reason_lands_on_the_timeline_and_retry_requeues_it(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify, artifacts: Path
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify)
    _signed_in_idle(qtbot, window)
    window.sync_ui.soon_timer.setInterval(600_000)  # no background run between the steps
    case_id = cases_ops.my_cases().call(backend)[0].case_id
    window.open_case(case_id)
    view = window.case_view
    qtbot.waitUntil(lambda: view.case is not None and view.case.id == case_id)
    before = view.timeline.topLevelItemCount()
    queue_emails(backend._profile, 1, case_id, bad=1)
    view.tabs.setCurrentWidget(view.outbox)
    panel = view.outbox
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)

    _sync(qtbot, window, panel)
    # The results land on the open case's timeline with no reload by hand.
    qtbot.waitUntil(lambda: view.timeline.topLevelItemCount() == before + 2)
    texts = [view.timeline.topLevelItem(i).text(2) for i in range(before + 2)]
    assert any("needs attention" in t and "email_address" in t for t in texts)
    qtbot.waitUntil(
        lambda: "Needs attention" in [panel.model.index(r, STATE).data() for r in (0, 1)]
    )
    row = next(r for r in range(2) if panel.model.index(r, STATE).data() == "Needs attention")
    panel.table.selectRow(row)
    assert "email_address" in panel.reason.text()
    assert panel.retry_button.isEnabled() and panel.cancel_item_button.isEnabled()
    qtbot.waitUntil(lambda: "1 needs attention" in window.sync_status.text())
    window.resize(1200, 760)
    _shot(window, artifacts, "sync-03-case-outbox-tab")

    item_id = panel.current_row().id  # type: ignore[union-attr]
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.model.index(panel.model.row_of(item_id), STATE).data() == "Waiting to send"
    )
    qtbot.waitUntil(lambda: "1 waiting" in window.sync_status.text())

    # Cancel asks first and defaults to "No"; "Yes" cancels it.
    assert window.sync_ui.soon_timer.isActive()  # Retry asked for a sync soon
    window.sync_ui.soon_timer.stop()
    panel.table.selectRow(panel.model.row_of(item_id))
    qtbot.mouseClick(panel.cancel_item_button, Qt.MouseButton.LeftButton)
    keep = panel.confirm_box
    assert keep is not None
    qtbot.mouseClick(
        keep.button(QtWidgets.QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton
    )
    window.ops.wait_idle()
    assert (
        next(r for r in sync_ops.outbox_items(case_id).call(backend) if r.id == item_id).state
        == "queued"
    )
    qtbot.mouseClick(panel.cancel_item_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.button(QtWidgets.QMessageBox.StandardButton.No)
    qtbot.mouseClick(
        box.button(QtWidgets.QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: panel.model.index(panel.model.row_of(item_id), STATE).data() == "Cancelled"
    )
    assert not panel.cancel_item_button.isEnabled()


def test_a_stopped_connector_shows_what_to_check(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify, artifacts: Path
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify, key=notify.api_key[:-4] + "beef")
    _signed_in_idle(qtbot, window)
    queue_emails(backend._profile, 2)
    panel = _open_outbox(qtbot, window)
    _sync(qtbot, window, panel)
    banner = window.sync_ui._banner
    assert banner is not None
    qtbot.waitUntil(banner.notice.isVisible)
    assert "GOV.UK Notify emails: not sending." in banner.notice_text.text()
    assert "refused the API key" in banner.notice_text.text()
    assert "refused the API key" in window.statusBar().currentMessage()
    assert "1 connector stopped" in window.sync_status.text()
    assert not notify.notifications
    window.sync_ui.outbox_window.hide()  # type: ignore[union-attr]
    _shot(window, artifacts, "sync-04-stopped-notice")
    # The notice's button opens the settings page.
    qtbot.mouseClick(banner.settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sync_ui.settings_dialog is not None)


def test_settings_page_saves_the_key_to_the_keyring_and_tests_the_connection(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify, artifacts: Path
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    _signed_in_idle(qtbot, window)
    window.sync_ui.open_settings()
    qtbot.waitUntil(lambda: window.sync_ui.settings_dialog is not None)
    dialog = window.sync_ui.settings_dialog
    assert isinstance(dialog, SyncSettingsDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert _unnamed(dialog) == []
    box = dialog.boxes["notify"]
    assert box.key.echoMode() == QtWidgets.QLineEdit.EchoMode.Password
    # Keyboard only: type into the boxes, then press the buttons with Space.
    box.url.setFocus()
    box.url.selectAll()
    qtbot.keyClicks(box.url, notify.url)
    qtbot.keyClick(box.url, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), notify.api_key)
    assert box.key.text() == notify.api_key
    box.save_button.setFocus()
    qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: box.result.text() == "Saved.")
    profile = backend._profile
    assert read_credential(profile.settings.profile_id, Connector.NOTIFY_EMAIL) == notify.api_key
    assert box.key.text() == ""  # never shown back
    assert "keyring" in box.key_state.text()
    assert notify.api_key not in profile.paths.settings.read_text()
    assert notify.url in profile.paths.settings.read_text()

    box.test_button.setFocus()
    qtbot.keyClick(box.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "the key works" in box.result.text(), timeout=10000)
    _shot(dialog, artifacts, "sync-05-settings")

    qtbot.keyClicks(box.key, notify.api_key[:-4] + "beef")  # typed, not saved
    box.test_button.setFocus()
    qtbot.keyClick(box.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "refused the API key" in box.result.text(), timeout=10000)
    assert box.key.text()  # what was typed is kept
    box.url.clear()
    qtbot.keyClicks(box.url, "notify.example")
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "https://" in box.result.text())


def test_sandbox_is_labelled(qtbot: QtBot, fresh_backend: LocalBackend) -> None:
    fresh_backend._profile.settings.extra["sandbox.enabled"] = "true"
    win = MainWindow(fresh_backend)
    qtbot.addWidget(win)
    win.show()
    assert "SANDBOX" in win.windowTitle()
    sign_in(qtbot, win)
    banner = win.sync_ui._banner
    assert banner is not None and banner.sandbox.isVisible()
    assert "Nobody receives them" in banner.sandbox.text()
    assert _unnamed(win) == []
    win.ops.wait_idle()


def test_without_sandbox_there_is_no_label(qtbot: QtBot, signed_in: MainWindow) -> None:
    assert "SANDBOX" not in signed_in.windowTitle()
    banner = signed_in.sync_ui._banner
    assert banner is not None and not banner.sandbox.isVisible()
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(signed_in, Qt.Key.Key_O, shift_ctrl)  # Sync → Outbox…
    qtbot.waitUntil(lambda: signed_in.sync_ui.outbox_window is not None)
    assert _unnamed(signed_in.sync_ui.outbox_window) == []  # type: ignore[arg-type]


def test_the_window_keeps_answering_while_a_slow_platform_is_sent_to(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify
) -> None:
    """The platform holds the first request until the window has shown it is free.

    Sending on the UI thread would block ``sync_now`` inside that request, so no
    timer could fire until the watchdog let it go: the test fails on the
    watchdog, not on how long anything took.
    """
    import threading

    from ui.qt import QtCore

    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify)
    _signed_in_idle(qtbot, window)
    queue_emails(backend._profile, 3)
    arrived, release = threading.Event(), threading.Event()
    answer = notify.handle

    def held(request: Request) -> Reply:
        arrived.set()
        release.wait(PATIENCE_S)
        return answer(request)

    notify.handle = held  # type: ignore[method-assign]
    watchdog = threading.Timer(PATIENCE_S, release.set)
    watchdog.start()
    ticks: list[int] = []
    try:
        with qtbot.waitSignal(window.sync_ui.run_finished, timeout=PATIENCE_MS):
            window.sync_ui.sync_now()
            assert arrived.wait(PATIENCE_S), "no request reached the platform"
            QtCore.QTimer.singleShot(0, lambda: ticks.append(1))
            qtbot.waitUntil(lambda: bool(ticks), timeout=PATIENCE_MS)
            assert not release.is_set(), "the UI thread waited on the network"
            release.set()
    finally:
        release.set()
        watchdog.cancel()
    assert len(notify.notifications) == 3


def test_sync_widgets_follow_a_language_switch(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify)
    _signed_in_idle(qtbot, window)
    queue_emails(backend._profile, 2, cases_ops.my_cases().call(backend)[0].case_id)
    window.switch_language("cy")
    qtbot.waitUntil(lambda: "yn aros" in window.sync_status.text())
    view = window.case_view
    assert view.tabs.tabText(view.tabs.indexOf(view.outbox)) == "Blwch anfon"
    # The rebuilt case view's Outbox tab is wired to the new controller connections.
    window.open_case(cases_ops.my_cases().call(backend)[0].case_id)
    qtbot.waitUntil(lambda: view.case is not None)
    view.tabs.setCurrentWidget(view.outbox)
    qtbot.waitUntil(lambda: view.outbox.model.rowCount() == 2)
    assert view.outbox.model.index(0, STATE).data() == "Yn aros i’w anfon"
    _sync(qtbot, window, view.outbox)
    qtbot.waitUntil(lambda: "0 yn aros" in window.sync_status.text())


def test_a_sent_form_reaches_the_department_and_lands_on_the_timeline_by_itself(
    qtbot: QtBot, window: MainWindow
) -> None:
    from app.settings import save_settings
    from app.sync_wiring import store_credential
    from tests.fakes.submission import running_submission_api
    from tests.ui.form_driver import continue_page, press, run_to_check_answers

    backend = window.backend
    assert isinstance(backend, LocalBackend)
    profile = backend._profile
    with running_submission_api() as api:
        profile.settings.set("submission_api.base_url", api.url)
        save_settings(profile.paths.settings, profile.settings)
        store_credential(profile.settings.profile_id, "submission_api", api.token)
        _signed_in_idle(qtbot, window)
        window.sync_ui.soon_timer.setInterval(50)
        case_id = cases_ops.open_case(
            people_ops.list_person_ids().call(backend)[0], "blue-badge", "Blue Badge"
        ).call(backend)
        window.open_case(case_id)
        view = window.case_view
        qtbot.waitUntil(lambda: view.case is not None and view.case.id == case_id)
        view.tabs.setCurrentIndex(4)
        qtbot.waitUntil(lambda: view.form_service.count() > 0)
        view.form_service.setCurrentIndex(view.form_service.findData("blue-badge"))
        press(qtbot, view.start_form_button)
        qtbot.waitUntil(lambda: window.form_view is not None and window.form_view.isVisible())
        skip_reasons(qtbot, window)
        form = window.form_view
        assert form is not None
        run_to_check_answers(qtbot, form)
        continue_page(qtbot, form)
        qtbot.waitUntil(lambda: form.mode == "sent", timeout=10000)
        # Queued with the submission; the background sync sends it soon after, and
        # the case reloads itself with the result on its timeline.
        qtbot.waitUntil(lambda: len(api.by_key) == 1, timeout=15000)

        def on_timeline() -> bool:
            case = view.case
            return case is not None and any(
                "Form to the department" in entry.summary for entry in case.timeline
            )

        qtbot.waitUntil(on_timeline, timeout=15000)
        rows = sync_ops.outbox_items(case_id).call(backend)
        (row,) = [r for r in rows if r.connector != "pay"]  # the fee goes as its own item
        assert row.connector == "submission_api" and row.state in ("sent", "delivered")


def test_reloads_asked_for_together_reload_each_table_once(
    qtbot: QtBot, window: MainWindow, notify: FakeNotify
) -> None:
    backend = window.backend
    assert isinstance(backend, LocalBackend)
    configure_notify(backend._profile, notify)
    _signed_in_idle(qtbot, window)
    panel = _open_outbox(qtbot, window)
    asked: list[None] = []
    panel.reload_requested.connect(lambda: asked.append(None))
    with qtbot.waitSignal(window.sync_ui.reload_timer.timeout):
        for _ in range(3):  # a run's end, its Changes, a retry: all in one turn
            window.sync_ui._reload_panels()
    assert len(asked) == 1
