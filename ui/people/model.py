"""The people list as a lazy table model.

The model holds only the ordered ids of the caseload (fetched off the UI
thread); rows are read a page at a time when the view first asks for them
and kept in a small cache, as Anki's browser table does. A page is one
indexed query of at most ``PAGE`` rows, quick enough to run as the view
scrolls.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from casework.kernel.i18n import _
from casework.kernel.records import PersonRow
from ui.backend import Backend
from ui.labels import day
from ui.operations import people as people_ops
from ui.qt import Qt, QtCore
from ui.widgets import FlatTableModel

PAGE = 100
CACHED_PAGES = 50

COLUMNS = ("name", "date_of_birth", "postcode", "open_cases")


def _headers() -> tuple[str, ...]:
    return (_("Name"), _("Date of birth"), _("Postcode"), _("Open cases"))


class PeopleModel(FlatTableModel):
    """Rows of ``PersonRow``, fetched on demand by page."""

    PersonIdRole = Qt.ItemDataRole.UserRole + 1
    columns = COLUMNS

    def __init__(self, backend: Backend, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[PersonRow]] = OrderedDict()
        self.pages_fetched = 0

    # -- data the caller supplies ---------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Forget cached rows (after a change) and repaint what is visible."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def person_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, person_id: int) -> int:
        try:
            return self._ids.index(person_id)
        except ValueError:
            return -1

    # -- Qt model API ---------------------------------------------------------
    def row_total(self) -> int:
        return len(self._ids)

    def headers(self) -> tuple[str, ...]:
        return _headers()

    def row_header(self, section: int) -> Any:
        return section + 1 if 0 <= section < len(self._ids) else None

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == self.PersonIdRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self._row(index.row())
        if row is None:
            return "…"
        column = COLUMNS[index.column()]
        if column == "name":
            return f"{row.family_name}, {row.given_name}"
        if column == "date_of_birth":
            return day(row.date_of_birth)
        if column == "postcode":
            return row.postcode or ""
        return str(row.open_cases)

    # -- paging ---------------------------------------------------------------
    def _row(self, row: int) -> PersonRow | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE
            ids = self._ids[start : start + PAGE]
            page = people_ops.person_rows(ids).call(self._backend)
            self.pages_fetched += 1
            self._pages[page_no] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * PAGE
        return page[offset] if offset < len(page) else None
