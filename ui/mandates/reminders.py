"""Mandates ending within 30 days, shown to the worker at sign-in: a status
bar message and a small list beside "My cases", with Renew one step away
(the list's Renew button, or Enter on a row, opens the renew dialog for that
mandate)."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.kernel.i18n import _, ngettext
from delegation.records import EndingSoon
from ui.mandates.labels import until
from ui.qt import Qt, QtWidgets, Signal

REMIND_DAYS = 30  # as delegation.reminders.REMIND_BEFORE


def ending_soon_message(rows: list[EndingSoon]) -> str:
    """The status-bar line at sign-in ("" when nothing ends soon)."""
    if not rows:
        return ""
    return ngettext(
        "{n} mandate ends within 30 days: renew it with the person (see Mandates ending soon).",
        "{n} mandates end within 30 days: renew them with the people (see Mandates ending soon).",
        len(rows),
    ).format(n=len(rows))


def days_left_text(days: int) -> str:
    if days < 1:
        return _("Ends today")
    return ngettext("{n} day left", "{n} days left", days).format(n=days)


def ends_soon(ends_at: datetime, now: datetime) -> int | None:
    """Days left when ``ends_at`` is within the reminder window, else None."""
    left = ends_at - now
    if timedelta(0) < left <= timedelta(days=REMIND_DAYS):
        return left.days
    return None


class EndingSoonPanel(QtWidgets.QWidget):
    """The list of mandates ending soon; hidden when there are none.

    Emits ``renew_requested(mandate id, person id)``."""

    renew_requested = Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("endingSoonPanel")
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        self.title = QtWidgets.QLabel(_("Mandates ending soon"))
        self.title.setStyleSheet("font-weight: bold;")
        column.addWidget(self.title)
        self.list = QtWidgets.QTreeWidget()
        self.list.setObjectName("endingSoon")
        self.list.setAccessibleName(_("Mandates ending within 30 days"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([_("Person"), _("Ends"), _("Left")])
        self.list.setMaximumHeight(120)
        self.title.setBuddy(self.list)
        column.addWidget(self.list)
        self.renew_button = QtWidgets.QPushButton(_("Re&new the chosen mandate…"))
        self.renew_button.setObjectName("renewEndingSoon")
        self.renew_button.setAccessibleName(_("Renew the chosen mandate"))
        column.addWidget(self.renew_button)
        self.renew_button.clicked.connect(self._renew)
        self.list.itemActivated.connect(lambda _item, _col: self._renew())
        self.rows: list[EndingSoon] = []
        self.hide()

    def show_rows(self, rows: list[EndingSoon]) -> None:
        self.rows = list(rows)
        self.list.clear()
        for row in rows:
            item = QtWidgets.QTreeWidgetItem(
                [
                    row.person_name,
                    until(row.ends_at),
                    days_left_text(row.days_left),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, (row.mandate_id, row.person_id))
            self.list.addTopLevelItem(item)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        for number in range(3):
            self.list.resizeColumnToContents(number)
        self.setVisible(bool(rows))

    def _renew(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            mandate_id, person_id = item.data(0, Qt.ItemDataRole.UserRole)
            self.renew_requested.emit(int(mandate_id), int(person_id))
