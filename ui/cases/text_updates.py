"""The "Text me updates" row on a case: a checkbox for the person's choice,
the mobile number texts go to, and one line saying why none will go."""

from __future__ import annotations

from casework.kernel.i18n import _
from offline_sync.text_updates.records import TextUpdates
from ui.qt import QtWidgets, Signal
from ui.widgets import message_label


class TextUpdatesRow(QtWidgets.QWidget):
    """Shows a case's ``TextUpdates``; asks for a change, never makes one."""

    change_requested = Signal(int, bool, int)  # case id, on or off, version

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textUpdates")
        self.shown: TextUpdates | None = None
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QtWidgets.QHBoxLayout()
        self.toggle = QtWidgets.QCheckBox()
        self.toggle.setObjectName("textUpdatesToggle")
        self.number = QtWidgets.QLabel()
        self.number.setObjectName("textUpdatesNumber")
        row.addWidget(self.toggle)
        row.addWidget(self.number)
        row.addStretch(1)
        column.addLayout(row)
        self.why = QtWidgets.QLabel()
        self.why.setObjectName("textUpdatesWhy")
        self.why.setWordWrap(True)
        self.why.hide()
        column.addWidget(self.why)
        self.message = message_label("textUpdatesMessage")
        column.addWidget(self.message)
        self.translate_ui()
        self.toggle.clicked.connect(self._clicked)
        self.hide()

    def translate_ui(self) -> None:
        self.toggle.setText(_("Te&xt me updates"))
        self.toggle.setAccessibleName(_("Text updates to the person"))
        self.toggle.setToolTip(
            _("The person agreed to a text when their form arrives, a payment completes "
              "or an escalation is answered.")
        )  # fmt: skip

    def show_updates(self, updates: TextUpdates) -> None:
        self.shown = updates
        self.message.hide()
        self.toggle.setChecked(updates.enabled)
        self.toggle.setEnabled(updates.enabled or updates.can_turn_on)
        self.number.setText(
            _("Texts go to {phone}").format(phone=updates.phone) if updates.phone else ""
        )
        description = _("Text updates to the person")
        if updates.phone:
            description = _("Text updates to the person at {phone}").format(phone=updates.phone)
        self.toggle.setAccessibleDescription(
            f"{description}. {updates.problem}" if updates.problem else description
        )
        self.why.setText(updates.problem)
        self.why.setVisible(bool(updates.problem))
        self.show()

    def refuse(self, text: str) -> None:
        if self.shown is not None:
            self.toggle.setChecked(self.shown.enabled)
            self.toggle.setEnabled(self.shown.enabled or self.shown.can_turn_on)
        self.message.setText(text)
        self.message.show()

    def _clicked(self, checked: bool) -> None:
        if self.shown is None:
            return
        self.toggle.setEnabled(False)  # until the answer comes back
        self.change_requested.emit(self.shown.case_id, checked, self.shown.version)
