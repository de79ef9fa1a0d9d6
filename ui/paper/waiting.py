"""Paper forms given out and not yet back: on the case ("Forms waiting to come
back"), and under My cases ("Paper forms overdue"), overdue ones said in words.

Each panel loads itself through the operations it is given (``attach``): the
case view's when a case is shown (``set_case``, also after a change to the
case), the My cases one when the window reloads the worker's cases.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from casework.kernel.i18n import _, ngettext
from ui.labels import day
from ui.operations import Operations, paper
from ui.qt import Qt, QtGui, QtWidgets, Signal
from ui.widgets import fit_columns, heading

if TYPE_CHECKING:
    from casework.paper.copies import CopyItem

OVERDUE = QtGui.QColor("#d4351c")


def standing(item: CopyItem, today: date | None = None) -> str:
    """Where a copy given out stands, in words."""
    from casework.paper.copies import today_here

    if item.due_back_on is None:
        return _("Waiting")
    late = ((today or today_here()) - item.due_back_on).days
    if item.overdue and late > 0:
        return ngettext("Overdue by {n} day", "Overdue by {n} days", late).format(n=late)
    return _("Waiting")


def _tree(name: str, accessible: str, headers: list[str]) -> QtWidgets.QTreeWidget:
    tree = QtWidgets.QTreeWidget()
    tree.setObjectName(name)
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headers)
    fit_columns(tree)
    return tree


class WaitingPanel(QtWidgets.QWidget):
    """The case's paper forms given out and not yet back."""

    loaded = Signal(int)  # rows shown

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperWaiting")
        self.ops: Operations | None = None
        self.case_id: int | None = None
        self._generation = 0
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Forms waiting to come back"), "paperWaitingHeading", 1.1))
        self.tree = _tree(
            "paperWaitingList",
            _("Paper forms waiting to come back"),
            [_("Form"), _("Given out to"), _("Expected back by"), _("Where it stands")],
        )
        self.tree.setMaximumHeight(140)
        column.addWidget(self.tree)
        self.none = QtWidgets.QLabel(_("No paper forms are waiting to come back."))
        self.none.setObjectName("paperWaitingNone")
        column.addWidget(self.none)
        self.tree.hide()

    def attach(self, ops: Operations) -> None:
        self.ops = ops

    def set_case(self, case_id: int | None) -> None:
        """Show the case's copies waiting (asks for them)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.show_items([])
        if case_id is None or self.ops is None:
            return
        self._generation += 1
        generation = self._generation

        def shown(rows: list[tuple[CopyItem, str]]) -> None:
            if generation == self._generation and case_id == self.case_id:
                self.show_items(rows)

        self.ops.run(paper.waiting_copies(case_id), shown)

    def show_items(self, rows: list[tuple[CopyItem, str]]) -> None:
        self.tree.clear()
        for item, title in rows:
            row = QtWidgets.QTreeWidgetItem(
                [title, item.person_name, day(item.due_back_on), standing(item)]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, item.id)
            row.setToolTip(0, _("Reference: {reference}").format(reference=item.reference))
            if item.overdue:
                row.setForeground(3, QtGui.QBrush(OVERDUE))
            self.tree.addTopLevelItem(row)
        self.tree.setVisible(bool(rows))
        self.none.setVisible(not rows)
        self.tree.resizeColumnToContents(0)
        self.loaded.emit(len(rows))


class OverduePanel(QtWidgets.QWidget):
    """Under My cases: every paper form the worker may see past its date."""

    case_requested = Signal(int)
    loaded = Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paperOverdue")
        self.ops: Operations | None = None
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Paper forms overdue"), "paperOverdueHeading", 1.1))
        self.tree = _tree(
            "paperOverdueList",
            _("Paper forms overdue"),
            [_("Person"), _("Form"), _("Where it stands"), _("Case")],
        )
        self.tree.setMaximumHeight(160)
        column.addWidget(self.tree)
        self.tree.itemActivated.connect(
            lambda row, _col: self.case_requested.emit(row.data(0, Qt.ItemDataRole.UserRole))
        )
        self.hide()

    def attach(self, ops: Operations) -> None:
        self.ops = ops

    def reload(self) -> None:
        if self.ops is not None:
            self.ops.run(paper.overdue_paper(), self.show_items)

    def show_items(self, rows: list[tuple[CopyItem, str]]) -> None:
        self.tree.clear()
        for item, title in rows:
            row = QtWidgets.QTreeWidgetItem(
                [item.person_name, title, standing(item), item.case_reference or ""]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, item.case_id)
            row.setForeground(2, QtGui.QBrush(OVERDUE))
            self.tree.addTopLevelItem(row)
        self.setVisible(bool(rows))
        for n in range(3):
            self.tree.resizeColumnToContents(n)
        self.loaded.emit(len(rows))
