"""Forms that came back, on the case: each returned paper copy, the day it
came back, its pages, and whether it has been typed up; "Type it up" opens
the form with empty answers and the scan beside it, and "Paper returned…"
receives more scans.

The panel loads itself through the operations it is given (``attach``), when
a case is shown (``set_case``, also after a change to the case).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.labels import day
from ui.operations import Operations, returns
from ui.qt import Qt, QtWidgets, Signal
from ui.widgets import fit_columns, heading

if TYPE_CHECKING:
    from casework.paper.typed_up import CameBack


def standing(item: CameBack) -> str:
    """Where a returned copy stands, in words."""
    if item.typed_submission_id is not None:
        return _("Typed up and sent")
    if item.typing_draft_id is not None:
        return _("Being typed up")
    return _("Not typed up yet")


def pages(item: CameBack) -> str:
    """The pages that came back, and any missing."""
    from casework.paper.returns.receive import pages_words  # with the first returned form

    said = pages_words(item.pages_found)
    if item.pages_missing:
        return _("{found}; {missing} missing").format(
            found=said, missing=pages_words(item.pages_missing)
        )
    return said


class CameBackPanel(QtWidgets.QWidget):
    """The case's paper forms that came back, with Type it up and Paper returned…."""

    loaded = Signal(int)  # rows shown
    type_up = Signal(object)  # the CameBack chosen
    receive = Signal()  # "Paper returned…"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperCameBack")
        self.ops: Operations | None = None
        self.case_id: int | None = None
        self.items: list[CameBack] = []
        self._generation = 0
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Forms that came back"), "paperCameBackHeading", 1.1))
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setObjectName("paperCameBackList")
        self.tree.setAccessibleName(_("Paper forms that came back"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([_("Form"), _("Came back on"), _("Pages"), _("Where it stands")])
        fit_columns(self.tree)
        self.tree.setMaximumHeight(140)
        column.addWidget(self.tree)
        self.none = QtWidgets.QLabel(_("No paper forms have come back."))
        self.none.setObjectName("paperCameBackNone")
        column.addWidget(self.none)
        row = QtWidgets.QHBoxLayout()
        self.type_button = QtWidgets.QPushButton(_("Type it up &with the scan"))
        self.type_button.setObjectName("paperTypeItUp")
        self.type_button.setAccessibleName(
            _("Type up the chosen paper form, with its scan beside it")
        )
        self.receive_button = QtWidgets.QPushButton(_("P&aper returned…"))
        self.receive_button.setObjectName("paperReturnedOnCase")
        self.receive_button.setAccessibleName(_("Receive scans of paper forms that came back"))
        row.addWidget(self.type_button)
        row.addWidget(self.receive_button)
        row.addStretch(1)
        column.addLayout(row)
        self.tree.hide()
        self.type_button.setEnabled(False)
        self.type_button.clicked.connect(self._type_up)
        self.receive_button.clicked.connect(self.receive.emit)
        self.tree.itemActivated.connect(lambda _row, _col: self._type_up())
        self.tree.currentItemChanged.connect(lambda _now, _before: self._chosen_changed())

    def attach(self, ops: Operations) -> None:
        self.ops = ops

    def set_case(self, case_id: int | None) -> None:
        """Show the case's returned copies (asks for them)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.show_items([])
        if case_id is None or self.ops is None:
            return
        self._generation += 1
        generation = self._generation

        def shown(found: tuple[list[CameBack], dict[str, str]]) -> None:
            if generation == self._generation and case_id == self.case_id:
                self.show_items(*found)

        self.ops.run(returns.came_back(case_id), shown)

    def show_items(self, rows: list[CameBack], titles: dict[str, str] | None = None) -> None:
        chosen = self.chosen()
        self.items = list(rows)
        self.tree.clear()
        titles = titles or {}
        for index, item in enumerate(rows):
            row = QtWidgets.QTreeWidgetItem(
                [
                    titles.get(item.service_id, _("A paper form")),
                    day(item.received_on),
                    pages(item),
                    standing(item),
                ]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, index)
            row.setToolTip(0, _("Reference: {reference}").format(reference=item.reference))
            self.tree.addTopLevelItem(row)
            if chosen is not None and chosen.return_id == item.return_id:
                self.tree.setCurrentItem(row)
        first = self.tree.topLevelItem(0)
        if first is not None and self.tree.currentItem() is None:
            self.tree.setCurrentItem(first)
        self.tree.setVisible(bool(rows))
        self.none.setVisible(not rows)
        self.tree.resizeColumnToContents(0)
        self._chosen_changed()
        self.loaded.emit(len(rows))

    def chosen(self) -> CameBack | None:
        row = self.tree.currentItem()
        if row is None:
            return None
        index = row.data(0, Qt.ItemDataRole.UserRole)
        return self.items[index] if isinstance(index, int) and index < len(self.items) else None

    def _chosen_changed(self) -> None:
        item = self.chosen()
        self.type_button.setEnabled(
            item is not None and item.typed_submission_id is None and item.document_id is not None
        )

    def _type_up(self) -> None:
        item = self.chosen()
        if item is not None and self.type_button.isEnabled():
            self.type_up.emit(item)
