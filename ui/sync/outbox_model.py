"""The outbox as a table model: one row for each item on its way to a platform.

Rows are plain ``OutboxRow`` records read off the UI thread and handed in
whole with ``set_rows``; the model never calls the backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casework.kernel.i18n import _
from offline_sync.records import OutboxRow
from ui.labels import when
from ui.qt import Qt, QtCore, QtGui
from ui.widgets import FlatTableModel

COLUMNS = ("connector", "state", "reason", "attempts", "next_attempt_at", "created_at")


def connector_label(connector: str) -> str:
    labels = {
        "notify_email": _("Email"),
        "notify_sms": _("Text message"),
        "notify_letter": _("Letter"),
        "submission_api": _("Form to the department"),
        "pay": _("Payment request"),
        "address_lookup": _("Address lookup"),
    }
    return labels.get(connector, connector)


def state_label(state: str) -> str:
    labels = {
        "queued": _("Waiting to send"),
        "sending": _("Sending"),
        "sent": _("Sent, waiting for news"),
        "delivered": _("Delivered"),
        "needs_attention": _("Needs attention"),
        "cancelled": _("Cancelled"),
        "failed": _("Not delivered"),
    }
    return labels.get(state, state)


def _headers() -> tuple[str, ...]:
    return (_("What"), _("State"), _("Reason"), _("Tries"), _("Next try"), _("Created"))


class OutboxModel(FlatTableModel):
    """Rows of ``OutboxRow``; ``RowRole`` gives the record itself."""

    RowRole = Qt.ItemDataRole.UserRole + 1
    columns = COLUMNS

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxRow] = []

    def set_rows(self, rows: Sequence[OutboxRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> OutboxRow:
        return self._rows[number]

    def row_of(self, item_id: str) -> int:
        for number, row in enumerate(self._rows):
            if row.id == item_id:
                return number
        return -1

    # -- the Qt model ---------------------------------------------------------------
    def row_total(self) -> int:
        return len(self._rows)

    def headers(self) -> tuple[str, ...]:
        return _headers()

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == self.RowRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "reason" and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and row.state in ("needs_attention", "failed"):
            return QtGui.QBrush(QtGui.QColor("#d4351c"))
        return None

    def _text(self, row: OutboxRow, column: str) -> str:
        if column == "connector":
            return connector_label(row.connector)
        if column == "state":
            return state_label(row.state)
        if column == "reason":
            return row.reason
        if column == "attempts":
            return str(row.attempts)
        if column == "next_attempt_at":
            return when(row.next_attempt_at) if row.state == "queued" else ""
        return when(row.created_at)
