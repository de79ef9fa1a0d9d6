"""Syncing in the window: the status-bar indicator, the stopped-connector
banner, the SANDBOX label, the Sync menu, and the controller that runs the
engine in the background.

``SyncUi`` belongs to the main window. A sync run is an operation on the
runner's long-work thread (one run at a time, and never on the write worker,
so a save is not held up behind the network), every ``SYNC_EVERY_MS`` and
when the worker asks ("Sync now"); the UI thread only polls
``sync_progress()`` on a timer and never waits on the network. A run's
``Changes`` name the cases whose results landed, so the open case reloads
and its timeline shows them without a manual refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _, ngettext
from offline_sync import names
from offline_sync.names import connector_name
from offline_sync.records import ConnectorSetting, SyncOutcome, SyncProgress, SyncStatus
from ui.host import Host
from ui.labels import when
from ui.operations import Changes
from ui.operations import sync as sync_ops
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ui.sync.outbox_view import OutboxPanel, OutboxWindow
from ui.sync.settings import SyncSettingsDialog, fit_height

log = logging.getLogger("alongside.ui")

SYNC_EVERY_MS = 60_000
POLL_MS = 100
SYNC_NOW_WAIT_SECONDS = 60.0  # "Sync now" waits out short backoffs for this long
AFTER_CHANGE_MS = 1_500  # a change that may have queued something: sync soon after
SANDBOX_STYLE = "background: #912b88; color: white; font-weight: bold; padding: 6px;"
NOTICE_STYLE = "background: #fcd6c3; color: #0b0c0c; border-left: 6px solid #d4351c; padding: 8px;"


def _short(at: datetime) -> str:
    """Only the time for today; the date as well for an older sync."""
    local = at.replace(tzinfo=at.tzinfo or UTC).astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"{local:%H:%M}"
    return when(at)


class SyncIndicator(QtWidgets.QToolButton):
    """Online or offline, items waiting, the last sync; activate it to open the outbox."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName(_("Sync status"))
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(_("Open the outbox (Ctrl+Shift+O)"))
        self.setText(_("Saved on this computer"))
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Minimum, QtWidgets.QSizePolicy.Policy.Fixed)

    def show_status(self, status: SyncStatus | None, progress: SyncProgress | None) -> None:
        parts: list[str] = []
        if progress is not None and progress.running:
            parts.append(
                _("Syncing {done} of {total}…").format(done=progress.done, total=progress.total)
            )
        elif status is None or status.online is None:
            parts.append(_("Not synced yet"))
        elif status.online:
            parts.append(_("Online"))
        else:
            parts.append(_("Offline: saved on this computer"))
        if status is not None:
            parts.append(_("{n} waiting").format(n=status.waiting))
            if status.needs_attention:
                parts.append(
                    ngettext(
                        "{n} needs attention", "{n} need attention", status.needs_attention
                    ).format(n=status.needs_attention)
                )
            if status.last_success is not None:
                parts.append(_("last sync {when}").format(when=_short(status.last_success)))
            if status.stopped:
                parts.append(
                    ngettext(
                        "{n} connector stopped", "{n} connectors stopped", len(status.stopped)
                    ).format(n=len(status.stopped))
                )
        text = " · ".join(parts)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setMinimumWidth(self.sizeHint().width())  # a long status message must not elide it


class SyncBanner(QtWidgets.QWidget):
    """The SANDBOX label and, when a connector is stopped, what to check."""

    settings_requested = Signal()

    def __init__(self, sandbox: bool, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBanner")
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        self.sandbox = QtWidgets.QLabel(
            _(
                "SANDBOX: messages, forms and payments go to a local sandbox on this computer. "
                "Nobody receives them."
            )
        )
        self.sandbox.setObjectName("sandboxLabel")
        self.sandbox.setAccessibleName(_("Sandbox"))
        self.sandbox.setWordWrap(True)
        self.sandbox.setStyleSheet(SANDBOX_STYLE)
        self.sandbox.setVisible(sandbox)
        column.addWidget(self.sandbox)
        self.notice = QtWidgets.QWidget()
        self.notice.setObjectName("syncNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        row = QtWidgets.QVBoxLayout(self.notice)
        self.notice_text = QtWidgets.QLabel()
        self.notice_text.setObjectName("syncNoticeText")
        self.notice_text.setWordWrap(True)
        self.notice_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.notice_text, 1)
        self.settings_button = QtWidgets.QPushButton(_("Open sync settings"))
        self.settings_button.setObjectName("syncNoticeSettings")
        self.settings_button.setAccessibleName(_("Open sync settings"))
        row.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.notice.hide()
        column.addWidget(self.notice)
        self.settings_button.clicked.connect(self.settings_requested)

    def show_status(self, status: SyncStatus | None) -> None:
        stopped = status.stopped if status is not None else ()
        self.notice.setVisible(bool(stopped))
        self.notice_text.setText(
            "\n".join(
                _("{what}: not sending. {message}").format(
                    what=connector_name(s.connector), message=s.message
                )
                for s in stopped
            )
        )
        fit_height(self.notice_text, 900)


class SyncUi(QtCore.QObject):
    """Runs syncs for the window and keeps its sync widgets up to date."""

    status_changed = Signal(object)  # SyncStatus
    run_finished = Signal(object)  # SyncOutcome

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.backend = host.backend
        self.ops = host.ops
        self.ops.changes_applied.connect(self._changes_applied)
        self.status: SyncStatus | None = None
        self.running = False
        self._manual = False
        self._seen_stopped: set[tuple[str, str]] = set()
        self._indicator: SyncIndicator | None = None
        self._banner: SyncBanner | None = None
        self._sandbox_label: QtWidgets.QLabel | None = None
        self._case_panel: OutboxPanel | None = None
        self.outbox_window: OutboxWindow | None = None
        self.settings_dialog: SyncSettingsDialog | None = None
        self.poll_timer = QtCore.QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self._poll)
        self.sync_timer = QtCore.QTimer(self)
        self.sync_timer.setObjectName("syncTimer")
        self.sync_timer.setInterval(SYNC_EVERY_MS)
        self.sync_timer.timeout.connect(self.sync_in_background)
        self.soon_timer = QtCore.QTimer(self)
        self.soon_timer.setSingleShot(True)
        self.soon_timer.setInterval(AFTER_CHANGE_MS)
        self.soon_timer.timeout.connect(self.sync_in_background)
        # Reloads asked for in one turn of the event loop (the run's end and its
        # Changes both ask) become one reload of each table.
        self.reload_timer = QtCore.QTimer(self)
        self.reload_timer.setSingleShot(True)
        self.reload_timer.setInterval(0)
        self.reload_timer.timeout.connect(self._reload_visible)

    # -- widgets the window places ----------------------------------------------------
    def window_title(self, title: str) -> str:
        return _("{title} — SANDBOX").format(title=title) if self.backend.is_sandbox else title

    def build_status_bar(self, bar: QtWidgets.QStatusBar) -> SyncIndicator:
        indicator = SyncIndicator()
        indicator.clicked.connect(self.open_outbox)
        self._indicator = indicator
        if self.backend.is_sandbox:
            label = QtWidgets.QLabel(_("SANDBOX"))
            label.setObjectName("sandboxStatus")
            label.setStyleSheet(SANDBOX_STYLE)
            bar.addPermanentWidget(label)
            self._sandbox_label = label
        self._show()
        return indicator

    def build_banner(self) -> SyncBanner:
        banner = SyncBanner(self.backend.is_sandbox)
        banner.settings_requested.connect(self.open_settings)
        self._banner = banner
        self._show()
        if self.status is not None:
            self.refresh_status()  # a rebuild may be a language switch: reasons read afresh
        return banner

    def build_menu(self, menus: QtWidgets.QMenuBar) -> list[QtGui.QAction]:
        menu = menus.addMenu(_("S&ync"))
        host = self.host
        return [
            host.add_action(menu, _("&Outbox…"), ["Ctrl+Shift+O"], self.open_outbox),
            host.add_action(menu, _("Sync &now"), ["F5"], self.sync_now),
            host.add_action(menu, _("Sync &settings…"), [], self.open_settings),
        ]

    def attach(self, panel: OutboxPanel) -> None:
        """Wire the case view's Outbox tab (after each rebuild of the window)."""
        for dialog in (self.outbox_window, self.settings_dialog):
            if dialog is not None:  # made in the old language: make them again when asked
                dialog.close()
                dialog.deleteLater()
        self.outbox_window = None
        self.settings_dialog = None
        self._case_panel = panel
        self._wire(panel, lambda: panel.case_id)

    def _wire(self, panel: OutboxPanel, case_id: Callable[[], int | None]) -> None:
        panel.reload_requested.connect(lambda: self._load_rows(panel, case_id()))
        panel.retry_requested.connect(lambda item: self._item_action(panel, item, retry=True))
        panel.cancel_requested.connect(lambda item: self._item_action(panel, item, retry=False))
        panel.sync_requested.connect(self.sync_now)
        panel.abort_requested.connect(self.abort)
        panel.show_progress(self.backend.sync_progress() if self.running else None)

    # -- signing in and out -------------------------------------------------------------
    def signed_in(self) -> None:
        self.sync_timer.start()
        self.refresh_status()
        self.sync_in_background()

    def signed_out(self) -> None:
        self.sync_timer.stop()
        self.soon_timer.stop()
        self.abort()
        self.status = None
        self._seen_stopped.clear()
        self._show()

    def shut_down(self) -> None:
        self.sync_timer.stop()
        self.soon_timer.stop()
        self.abort()
        self.ops.wait_idle()

    # -- running the engine ----------------------------------------------------------------
    def sync_now(self) -> None:
        """The worker asked: try every connector, and wait out short backoffs."""
        self._start(SYNC_NOW_WAIT_SECONDS, retry_stopped=True, manual=True)

    def sync_in_background(self) -> None:
        self._start(0.0, retry_stopped=False, manual=False)

    def abort(self) -> None:
        if self.running:
            self.backend.abort_sync()
            self._poll()

    def _start(self, wait_seconds: float, *, retry_stopped: bool, manual: bool) -> None:
        if self.backend.current_actor is None:
            return
        if self.running:
            if manual:
                self.host.show_status(_("A sync is already running."), 5000)
            return
        self.running = True
        self._manual = manual
        self.poll_timer.start()
        self._poll()
        self.ops.run(
            sync_ops.run_sync(wait_seconds, retry_stopped=retry_stopped),
            self._finished,
            self._failed,
            on_failed=self._failed,
        )

    def _finished(self, outcome: SyncOutcome) -> None:
        self.running = False
        self.poll_timer.stop()
        self._poll()
        manual, self._manual = self._manual, False
        # The run's Changes (its changed cases) reload the open case, timeline and all.
        if manual and outcome.ran:
            p = outcome.progress
            self.host.show_status(names.run_words(p.sent, p.set_aside, p.aborted), 10000)
        self.run_finished.emit(outcome)
        self.refresh_status()
        self._reload_panels()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self._manual = False
        self.poll_timer.stop()
        self._poll()
        if isinstance(exc, AlongsideError):
            self.host.show_status(exc.message, 15000)
        else:
            log.error("sync run failed", exc_info=exc)
            self.host.show_status(
                _("Sync stopped because something went wrong; it will try again soon."), 15000
            )
        self.refresh_status()

    def _poll(self) -> None:
        progress = self.backend.sync_progress() if self.running else None
        for panel in self._panels():
            panel.show_progress(progress)
        self._show(progress)

    # -- status and the outbox -----------------------------------------------------------
    def refresh_status(self) -> None:
        if self.backend.current_actor is None:
            return
        self.ops.run(
            sync_ops.sync_status(), self._status_loaded, self._quiet, on_failed=self._quiet
        )

    def _status_loaded(self, status: SyncStatus) -> None:
        self.status = status
        fresh = [s for s in status.stopped if (s.connector, s.message) not in self._seen_stopped]
        self._seen_stopped = {(s.connector, s.message) for s in status.stopped}
        if fresh:
            first = fresh[0]
            self.host.show_status(
                _("{what}: not sending. {message}").format(
                    what=connector_name(first.connector), message=first.message
                ),
                30000,
            )
        self._show()
        self.status_changed.emit(status)

    def _show(self, progress: SyncProgress | None = None) -> None:
        if self._indicator is not None:
            self._indicator.show_status(self.status, progress)
        if self._banner is not None:
            self._banner.show_status(self.status)

    def _panels(self) -> list[OutboxPanel]:
        panels = [self._case_panel] if self._case_panel is not None else []
        if self.outbox_window is not None:
            panels.append(self.outbox_window.panel)
        return panels

    def _reload_panels(self) -> None:
        self.reload_timer.start()

    def _reload_visible(self) -> None:
        for panel in self._panels():
            if panel.isVisible():
                panel.reload_requested.emit()

    def _load_rows(self, panel: OutboxPanel, case_id: int | None) -> None:
        if self.backend.current_actor is None or (panel.per_case and case_id is None):
            return

        def loaded(rows: Any) -> None:
            if not panel.per_case or panel.case_id == case_id:
                panel.show_rows(rows)

        self.ops.run(sync_ops.outbox_items(case_id), loaded, lambda exc: panel.refused(exc.message))

    def _item_action(self, panel: OutboxPanel, item_id: str, *, retry: bool) -> None:
        def done(_result: object) -> None:
            # Its Changes (the outbox) refresh the status and the tables, and sync soon.
            self.host.show_status(
                _("It will be sent at the next sync.") if retry else _("Cancelled."), 8000
            )

        def refused(exc: AlongsideError) -> None:
            panel.refused(exc.message)
            self._reload_panels()

        op = sync_ops.retry_item(item_id) if retry else sync_ops.cancel_item(item_id)
        self.ops.run(op, done, refused)

    def open_outbox(self) -> None:
        if self.backend.current_actor is None:
            return
        if self.outbox_window is None:
            dialog = OutboxWindow(self.host.dialog_parent())
            self.outbox_window = dialog
            self._wire(dialog.panel, lambda: None)
        self.outbox_window.show()
        self.outbox_window.activateWindow()
        self.outbox_window.panel.table.setFocus()
        self.outbox_window.panel.reload_requested.emit()

    # -- settings ------------------------------------------------------------------------
    def open_settings(self) -> None:
        if self.backend.current_actor is None:
            return
        self.ops.run(
            sync_ops.connector_settings(), self._show_settings, self._quiet, on_failed=self._quiet
        )

    def _show_settings(self, settings: list[ConnectorSetting]) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.close()
            self.settings_dialog.deleteLater()
        dialog = SyncSettingsDialog(settings, self.host.dialog_parent())
        self.settings_dialog = dialog
        for box in dialog.boxes.values():
            box.save_requested.connect(self._save_settings)
            box.test_requested.connect(self._test_connection)
        dialog.show()

    def _save_settings(self, platform: str, url: str, key: str) -> None:
        dialog = self.settings_dialog
        if dialog is None:
            return
        box = dialog.boxes[platform]

        def done(has_key: bool) -> None:
            box.saved(has_key)
            self.refresh_status()
            self.soon_timer.start()

        def refused(exc: AlongsideError) -> None:
            fields = exc.fields if isinstance(exc, InvalidInput) else {}
            box.show_result(False, " ".join(fields.values()) or exc.message)

        self.ops.run(sync_ops.save_connector(platform, url, key), done, refused)

    def _test_connection(self, platform: str, url: str, key: str) -> None:
        dialog = self.settings_dialog
        if dialog is None:
            return
        box = dialog.boxes[platform]

        def done(check: Any) -> None:
            box.show_check(check)
            self.refresh_status()

        self.ops.run(
            sync_ops.check_connection(platform, url or None, key or None),
            done,
            lambda exc: box.show_result(False, exc.message),
        )

    # -- inside ----------------------------------------------------------------------------
    def _changes_applied(self, changes: Changes) -> None:
        if changes.outbox:
            self.refresh_status()
            self.soon_timer.start()  # something was queued: send it soon
            self._reload_panels()

    def _quiet(self, exc: BaseException) -> None:
        if isinstance(exc, AlongsideError):
            self.host.show_status(exc.message, 10000)
        else:
            self.host.unexpected(exc)
