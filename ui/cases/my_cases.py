"""The worker's own open cases: overdue work first, then what is due next."""

from __future__ import annotations

from casework.kernel.i18n import _, ngettext
from casework.kernel.records import WorkRow
from ui.labels import day, status_label
from ui.qt import Qt, QtGui, QtWidgets, Signal

OVERDUE = QtGui.QColor("#d4351c")


class MyCasesList(QtWidgets.QTreeWidget):
    case_requested = Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myCases")
        self.setAccessibleName(_("My open cases"))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([_("Person"), _("Next due"), _("Status"), _("Case")])
        self.itemActivated.connect(
            lambda item, _col: self.case_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))
        )

    def show_rows(self, rows: list[WorkRow]) -> None:
        self.clear()
        for row in rows:
            due = day(row.next_due)
            if row.overdue_tasks:
                due = ngettext(
                    "{date} ({n} task overdue)", "{date} ({n} tasks overdue)", row.overdue_tasks
                ).format(date=due, n=row.overdue_tasks)
            item = QtWidgets.QTreeWidgetItem(
                [row.person_name, due, status_label(row.status), f"{row.reference} {row.title}"]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.case_id)
            if row.overdue_tasks:
                item.setForeground(1, QtGui.QBrush(OVERDUE))
            self.addTopLevelItem(item)
        for column in range(3):
            self.resizeColumnToContents(column)
