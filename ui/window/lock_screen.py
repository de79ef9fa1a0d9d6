"""The lock screen: hides everything until the worker types their password.

Locking never closes what was open or clears what was typed; it only covers
it. The worker can also sign out from here (for a shared terminal).
"""

from __future__ import annotations

from casework.kernel.i18n import _
from ui.qt import QtWidgets, Signal
from ui.widgets import centred_panel, heading, message_label


class LockScreen(QtWidgets.QWidget):
    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        column = centred_panel(QtWidgets.QVBoxLayout(self))
        self.title = heading("", "lockTitle", 1.4)
        column.addWidget(self.title)
        self.message = message_label("lockMessage")
        column.addWidget(self.message)
        self.password = QtWidgets.QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password to unlock"))
        self.password.setPlaceholderText(_("Your password"))
        column.addWidget(self.password)
        buttons = QtWidgets.QHBoxLayout()
        self.unlock_button = QtWidgets.QPushButton(_("&Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.sign_out_button = QtWidgets.QPushButton(_("Sign &out"))
        self.sign_out_button.setObjectName("lockSignOut")
        self.sign_out_button.setAccessibleName(_("Sign out"))
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.sign_out_button)
        column.addLayout(buttons)
        self.unlock_button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.setFocusProxy(self.password)

    def prepare(self, worker_name: str) -> None:
        self.title.setText(
            _("Locked. {name}, type your password to carry on.").format(name=worker_name)
        )
        self.message.hide()
        self.password.clear()
        self.unlock_button.setEnabled(True)

    def _unlock(self) -> None:
        if not self.password.text():
            self.refused(_("Type your password to unlock."))
            return
        self.unlock_button.setEnabled(False)
        self.unlock_requested.emit(self.password.text())

    def refused(self, text: str) -> None:
        self.unlock_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()
        self.password.clear()
        self.password.setFocus()
