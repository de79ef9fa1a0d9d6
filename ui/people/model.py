"""The people list as a lazy table model.

The model holds only the ordered ids of the caseload (fetched off the UI
thread, with the rows of the first page, so the list's first paint asks the
database nothing); other rows are read a page at a time when the view first
asks for them and kept in a small cache, as Anki's browser table does. A
page is one indexed query of at most ``PAGE`` rows, quick enough to run as
the view scrolls. Each row's shown text is made once, when its page is read,
and found by the person's id, so ``data()`` does no work per cell.
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
_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})


def _headers() -> tuple[str, ...]:
    return (_("Name"), _("Date of birth"), _("Postcode"), _("Open cases"))


class PeopleModel(FlatTableModel):
    """Rows of ``PersonRow``, fetched on demand by page."""

    PersonIdRole = _ID_ROLE
    columns = COLUMNS

    def __init__(self, backend: Backend, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple[str, ...]]] = OrderedDict()
        self.pages_fetched = 0

    # -- data the caller supplies ---------------------------------------------
    def set_ids(self, ids: Sequence[int], first_rows: Sequence[PersonRow] = ()) -> None:
        """Show ``ids``; ``first_rows``, read with them, fill the first page
        (so the first paint asks the database nothing)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._pages.clear()
        first = {r.id: _cells(r) for r in first_rows}
        if first and first.keys() >= set(self._ids[:PAGE]):  # the whole first page
            self._pages[0] = first
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
        # The view asks for many roles of every cell it paints: a shown row's
        # text is made once, when its page is read (``_texts``), not here.
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._ids):
            return None
        if role in _TEXT_ROLES:
            texts = self._texts(row)
            return "…" if texts is None else texts[index.column()]
        if role == _ID_ROLE:
            return self._ids[row]
        return None

    # -- paging ---------------------------------------------------------------
    def _texts(self, row: int) -> tuple[str, ...] | None:
        """The shown text of ``row``'s cells, reading its page if not cached."""
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * PAGE
            ids = self._ids[start : start + PAGE]
            rows = people_ops.person_rows(ids).call(self._backend)
            page = {r.id: _cells(r) for r in rows}
            self.pages_fetched += 1
            self._pages[page_no] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        # By id, not by place: a person no longer visible is left out of the
        # page, and the rows after them must not take their neighbour's text.
        return page.get(self._ids[row])


def _cells(row: PersonRow) -> tuple[str, ...]:
    """What each column shows for ``row``, in ``COLUMNS`` order."""
    return (
        f"{row.family_name}, {row.given_name}",
        day(row.date_of_birth),
        row.postcode or "",
        str(row.open_cases),
    )
