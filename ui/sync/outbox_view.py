"""The outbox on screen: items with who they are for, their case, service,
route, state and reason (sortable by a column header or "Sort by"), Retry,
Cancel, and "Sync now" with a progress bar and a Cancel button while it runs.

``OutboxPanel`` is used twice: in the outbox window (every case) and as a
tab of the case view (one case). It only shows what it is given and emits
requests; ``ui.sync.controller`` runs them off the UI thread.
"""

from __future__ import annotations

from casework.kernel.i18n import _, ngettext
from offline_sync.records import OutboxRow, SyncProgress
from ui.qt import Qt, QtGui, QtWidgets, Signal
from ui.sync import outbox_model
from ui.sync.outbox_model import (
    OutboxModel,
    connector_label,
    person_label,
    service_label,
    state_label,
)
from ui.widgets import fit_columns, heading, message_label

SHOWN = 500  # the facade's page: the newest items; the status bar counts them all


class OutboxPanel(QtWidgets.QWidget):
    """A table of outbox items with the actions that apply to the chosen one."""

    retry_requested = Signal(str)  # item id
    cancel_requested = Signal(str)  # item id (already confirmed)
    sync_requested = Signal()
    abort_requested = Signal()
    reload_requested = Signal()

    def __init__(self, *, per_case: bool, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.per_case = per_case
        self.case_id: int | None = None
        self.confirm_box: QtWidgets.QMessageBox | None = None
        self.setObjectName("caseOutbox" if per_case else "outboxPanel")
        column = QtWidgets.QVBoxLayout(self)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("outboxSummary")
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.model = OutboxModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("outboxTable")
        self.table.setAccessibleName(_("Outbox items") if not per_case else _("This case's outbox"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setAccessibleName(_("Outbox columns: click one to sort by it"))
        header.setSectionResizeMode(
            outbox_model.column("reason"), QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        for name, width in (
            ("person", 150),
            ("case", 95),
            ("service", 160),
            ("route", 130),
            ("state", 150),
            ("attempts", 45),
            ("next_attempt_at", 125),
            ("created_at", 125),
        ):
            self.table.setColumnWidth(outbox_model.column(name), width)
        fit_columns(self.table)  # none narrower than its title ("Cynigion", in Welsh)
        if per_case:  # a narrower place: who, which case, tries and creation time are known
            for name in ("person", "case", "attempts", "created_at"):
                self.table.setColumnHidden(outbox_model.column(name), True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # as they came: newest first
        self.table.setSortingEnabled(True)
        sorting = QtWidgets.QHBoxLayout()
        self.sort_choice = QtWidgets.QComboBox()
        self.sort_choice.setObjectName("outboxSortBy")
        self.sort_choice.setAccessibleName(_("Sort the outbox by"))
        sort_label = QtWidgets.QLabel(_("Sor&t by:"))
        sort_label.setBuddy(self.sort_choice)
        self.sort_choice.addItem(_("Newest first"), -1)
        for name, label in (
            ("person", _("Person")),
            ("case", _("Case")),
            ("service", _("Service")),
            ("route", _("Route")),
            ("state", _("State")),
        ):
            if not self.table.isColumnHidden(outbox_model.column(name)):
                self.sort_choice.addItem(label, outbox_model.column(name))
        self.sort_choice.activated.connect(self._sort_chosen)
        header.sortIndicatorChanged.connect(self._sorted_by_header)
        sorting.addWidget(sort_label)
        sorting.addWidget(self.sort_choice)
        sorting.addStretch(1)
        column.addLayout(sorting)
        column.addWidget(self.table, 1)
        QtWidgets.QWidget.setTabOrder(self.sort_choice, self.table)  # as they are on screen
        self.reason = QtWidgets.QLabel()
        self.reason.setObjectName("outboxReason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.reason)
        self.message = message_label("outboxMessage")
        column.addWidget(self.message)

        row = QtWidgets.QHBoxLayout()
        self.retry_button = QtWidgets.QPushButton(_("&Retry now"))
        self.retry_button.setObjectName("outboxRetry")
        self.retry_button.setAccessibleName(_("Retry now"))
        self.cancel_item_button = QtWidgets.QPushButton(_("C&ancel item…"))
        self.cancel_item_button.setObjectName("outboxCancelItem")
        self.cancel_item_button.setAccessibleName(_("Cancel this item"))
        self.sync_button = QtWidgets.QPushButton(_("Sync no&w"))
        self.sync_button.setObjectName("outboxSyncNow")
        self.sync_button.setAccessibleName(_("Sync now"))
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setFormat(_("%v of %m"))
        self.progress.hide()
        self.abort_button = QtWidgets.QPushButton(_("St&op syncing"))
        self.abort_button.setObjectName("outboxAbort")
        self.abort_button.setAccessibleName(_("Stop syncing"))
        self.abort_button.hide()
        for widget in (self.retry_button, self.cancel_item_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.abort_button)
        row.addWidget(self.sync_button)
        column.addLayout(row)

        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.retry_button.clicked.connect(self._retry)
        self.cancel_item_button.clicked.connect(self._cancel_item)
        self.sync_button.clicked.connect(self.sync_requested)
        self.abort_button.clicked.connect(self.abort_requested)
        self._update_buttons()

    # -- what the controller calls ------------------------------------------------------
    def set_case(self, case_id: int | None) -> None:
        """A case was opened: show its items (asks for them)."""
        changed = case_id != self.case_id
        self.case_id = case_id
        if changed:
            self.model.set_rows([])
            self._update_buttons()
        if self.isVisible():
            self.reload_requested.emit()

    def show_rows(self, rows: list[OutboxRow]) -> None:
        current = self.current_row()
        self.model.set_rows(rows)
        keep = self.model.row_of(current.id) if current is not None else -1
        if keep < 0 and rows:
            keep = 0
        if keep >= 0:
            self.table.selectRow(keep)
        waiting = sum(1 for r in rows if r.state in ("queued", "sending"))
        attention = sum(1 for r in rows if r.state in ("needs_attention", "failed"))
        if not rows:
            text = (
                _("Nothing from this case is waiting to go or has been sent.")
                if self.per_case
                else _("The outbox is empty: nothing is waiting to go.")
            )
        else:
            text = " ".join(
                [
                    ngettext("{n} item waiting to go.", "{n} items waiting to go.", waiting).format(
                        n=waiting
                    ),
                    ngettext("{n} needs attention.", "{n} need attention.", attention).format(
                        n=attention
                    )
                    if attention
                    else "",
                ]
            ).strip()
            if len(rows) >= SHOWN:
                text = _("Showing the newest {n:,} items.").format(n=len(rows))
        self.summary.setText(text)
        self._update_buttons()

    def show_progress(self, progress: SyncProgress | None) -> None:
        running = progress is not None and progress.running
        self.progress.setVisible(running)
        self.abort_button.setVisible(running)
        self.sync_button.setEnabled(not running)
        if progress is not None and running:
            self.progress.setMaximum(max(progress.total, 1))
            self.progress.setValue(min(progress.done, max(progress.total, 1)))
            if progress.aborted:
                self.abort_button.setEnabled(False)
                self.abort_button.setText(_("Stopping…"))
        else:
            self.abort_button.setEnabled(True)
            self.abort_button.setText(_("St&op syncing"))

    def refused(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def current_row(self) -> OutboxRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    # -- inside -----------------------------------------------------------------------
    def _update_buttons(self) -> None:
        row = self.current_row()
        self.retry_button.setEnabled(row is not None and row.can_retry)
        self.cancel_item_button.setEnabled(row is not None and row.can_cancel)
        if row is None:
            self.reason.clear()
            return
        what = connector_label(row.connector)
        state = state_label(row.state, row.connector)
        about = _("For: {person}. Case: {case}. Service: {service}.").format(
            person=person_label(row), case=row.case_reference or "—", service=service_label(row)
        )
        route = (
            _("{what}: {state}. {reason}").format(what=what, state=state, reason=row.reason)
            if row.reason
            else _("{what}: {state}.").format(what=what, state=state)
        )
        self.reason.setText(f"{about}\n{route}")
        self.reason.setAccessibleName(_("About this item"))
        self.reason.setAccessibleDescription(f"{about} {route}")

    def _sorted_by_header(self, section: int, _order: Qt.SortOrder) -> None:
        found = self.sort_choice.findData(section if section >= 0 else -1)
        if found >= 0:
            self.sort_choice.setCurrentIndex(found)

    def _sort_chosen(self, number: int) -> None:
        chosen = self.sort_choice.itemData(number)
        self.table.sortByColumn(
            int(chosen) if chosen is not None else -1, Qt.SortOrder.AscendingOrder
        )

    def _retry(self) -> None:
        row = self.current_row()
        if row is not None:
            self.refused("")
            self.retry_requested.emit(row.id)

    def _cancel_item(self) -> None:
        row = self.current_row()
        if row is None:
            return
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question,
            _("Cancel this item?"),
            _(
                "Cancel this item ({what})? It will not be sent, and this cannot be undone: "
                "to send it later, do the work again from the case."
            ).format(what=connector_label(row.connector)),
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmCancel")
        box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.No)
        for button, name in (
            (QtWidgets.QMessageBox.StandardButton.Yes, _("Yes, cancel it")),
            (QtWidgets.QMessageBox.StandardButton.No, _("No, keep it")),
        ):
            box.button(button).setText(name)
            box.button(button).setAccessibleName(name)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box
        item_id = row.id

        def answered(button: QtWidgets.QAbstractButton) -> None:
            if box.standardButton(button) == QtWidgets.QMessageBox.StandardButton.Yes:
                self.refused("")
                self.cancel_requested.emit(item_id)

        box.buttonClicked.connect(answered)
        box.open()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self.reload_requested.emit()


class OutboxWindow(QtWidgets.QDialog):
    """Every item in the outbox (menu: Sync → Outbox, Ctrl+Shift+O)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxWindow")
        self.setWindowTitle(_("Outbox"))
        self.resize(900, 480)
        column = QtWidgets.QVBoxLayout(self)
        column.addWidget(heading(_("Outbox"), "outboxHeading"))
        self.panel = OutboxPanel(per_case=False)
        column.addWidget(self.panel, 1)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.panel.table.setFocus()
