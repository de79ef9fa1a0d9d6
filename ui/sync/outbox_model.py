"""The outbox as a table model: one row for each item on its way to a platform,
saying who it is for, the case, the service, the route and the state.

Rows are plain ``OutboxRow`` records read off the UI thread and handed in
whole with ``set_rows``; the model never calls the backend. It sorts itself
(``sort``), so a row number is the same in the model and in the view; column
-1 is the order the rows came in (newest first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from casework.kernel.i18n import _
from offline_sync.names import person_words, route_name, state_name
from offline_sync.records import OutboxRow
from ui.labels import when
from ui.qt import Qt, QtCore, QtGui
from ui.widgets import FlatTableModel

COLUMNS = (
    "person",
    "case",
    "service",
    "route",
    "state",
    "reason",
    "attempts",
    "next_attempt_at",
    "created_at",
)


def column(name: str) -> int:
    """The number of a column by its name (``"state"``)."""
    return COLUMNS.index(name)


def connector_label(connector: str) -> str:
    return route_name(connector)


def state_label(state: str, connector: str = "") -> str:
    return state_name(state, connector)


def person_label(row: OutboxRow) -> str:
    """Who the item is for, as far as the worker may see."""
    return person_words(row.person, hidden=row.hidden, for_a_case=row.case_id is not None)


def service_label(row: OutboxRow) -> str:
    return row.service or "—"


def _headers() -> tuple[str, ...]:
    return (
        _("Person"),
        _("Case"),
        _("Service"),
        _("Route"),
        _("State"),
        _("Reason"),
        _("Tries"),
        _("Next try"),
        _("Created"),
    )


class OutboxModel(FlatTableModel):
    """Rows of ``OutboxRow``; ``RowRole`` gives the record itself."""

    RowRole = Qt.ItemDataRole.UserRole + 1
    columns = COLUMNS

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[OutboxRow] = []  # as they came: newest first
        self._rows: list[OutboxRow] = []  # as shown
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: Sequence[OutboxRow]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._sorted()
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].id for i in before]
        self._sort = (column, order)
        self._rows = self._sorted()
        after = [self.index(self.row_of(i), p.column()) for i, p in zip(ids, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        name = COLUMNS[index.column()]
        if role == self.RowRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, name)
        if role == Qt.ItemDataRole.ToolTipRole and name == "reason" and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and row.state in ("needs_attention", "failed"):
            return QtGui.QBrush(QtGui.QColor("#d4351c"))
        return None

    def _sorted(self) -> list[OutboxRow]:
        number, order = self._sort
        if not 0 <= number < len(COLUMNS):
            return list(self._given)
        key = _SORT_KEYS.get(COLUMNS[number])
        keyed: Callable[[OutboxRow], Any] = key or (
            lambda row: self._text(row, COLUMNS[number]).casefold()
        )
        return sorted(self._given, key=keyed, reverse=order == Qt.SortOrder.DescendingOrder)

    def _text(self, row: OutboxRow, column: str) -> str:
        if column == "person":
            return person_label(row)
        if column == "case":
            return row.case_reference or "—"
        if column == "service":
            return service_label(row)
        if column == "route":
            return connector_label(row.connector)
        if column == "state":
            return state_label(row.state, row.connector)
        if column == "reason":
            return row.reason
        if column == "attempts":
            return str(row.attempts)
        if column == "next_attempt_at":
            return when(row.next_attempt_at) if row.state == "queued" else ""
        return when(row.created_at)


# Columns whose order is not that of their text: numbers and times.
_SORT_KEYS: dict[str, Callable[[OutboxRow], Any]] = {
    "attempts": lambda row: row.attempts,
    "next_attempt_at": lambda row: (row.state != "queued", row.next_attempt_at),
    "created_at": lambda row: row.created_at,
}
