"""Search results as a list model: a person, a case or a note per row."""

from __future__ import annotations

from typing import Any

from casework.kernel.i18n import _
from casework.kernel.records import SearchHit
from ui.qt import Qt, QtCore

_ROOT = QtCore.QModelIndex()


def _kind_label(kind: str) -> str:
    return {"person": _("Person"), "case": _("Case"), "note": _("Note")}.get(kind, kind)


class SearchModel(QtCore.QAbstractListModel):
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: tuple[SearchHit, ...] | list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == self.HitRole:
            return hit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            first = f"{_kind_label(hit.kind)}: {hit.title}"
            snippet = hit.snippet.replace("[", "").replace("]", "")
            return f"{first}\n{snippet}" if snippet and snippet != hit.title else first
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        return None
