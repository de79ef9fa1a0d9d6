"""The sign-in screen, with the DEMO banner on a demo profile."""

from __future__ import annotations

from casework.kernel.i18n import _, current_language
from ui.qt import QtCore, QtWidgets, Signal
from ui.widgets import centred_panel, heading, message_label

DEMO_STYLE = "background: #ffdd00; color: #0b0c0c; font-weight: bold; padding: 10px;"


def demo_banner(text: str) -> QtWidgets.QLabel:
    banner = QtWidgets.QLabel(text)
    banner.setObjectName("demoBanner")
    banner.setWordWrap(True)
    banner.setStyleSheet(DEMO_STYLE)
    banner.setAccessibleName(_("Demo profile"))
    return banner


class SignInPage(QtWidgets.QWidget):
    """Username, password and a message line; emits ``submitted``."""

    submitted = Signal(str, str)
    language_requested = Signal(str)

    def __init__(
        self, profile_label: str, is_demo: bool, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        outer = QtWidgets.QVBoxLayout(self)
        if is_demo:
            outer.addWidget(
                demo_banner(
                    _(
                        "DEMO — every person here is made up. Sign in as amira, tom, gwen, "
                        "sam or admin with the password alongside-demo."
                    )
                )
            )
        top = QtWidgets.QHBoxLayout()
        top.addStretch(1)
        # Offer the other language, named in itself, as GOV.UK services do.
        other, other_name = ("en", "English") if current_language() == "cy" else ("cy", "Cymraeg")
        self.language_button = QtWidgets.QPushButton(other_name)
        self.language_button.setObjectName("languageButton")
        self.language_button.setAccessibleName(other_name)
        self.language_button.setFlat(True)
        self.language_button.setStyleSheet("color: #1d70b8; text-decoration: underline;")
        self.language_button.clicked.connect(lambda: self.language_requested.emit(other))
        top.addWidget(self.language_button)
        outer.addLayout(top)
        column = centred_panel(outer)
        title = heading(_("Sign in to {profile}").format(profile=profile_label), "signInTitle", 1.6)
        column.addWidget(title)
        self.message = message_label("signInMessage")
        self.message.setAccessibleName(_("Sign-in message"))
        column.addWidget(self.message)
        form = QtWidgets.QFormLayout()
        self.username = QtWidgets.QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName(_("Username"))
        self.password = QtWidgets.QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        form.addRow(_("&Username"), self.username)
        form.addRow(_("Pass&word"), self.password)
        column.addLayout(form)
        self.button = QtWidgets.QPushButton(_("&Sign in"))
        self.button.setObjectName("signInButton")
        self.button.setAccessibleName(_("Sign in"))
        self.button.setDefault(True)
        column.addWidget(self.button)
        self.button.clicked.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.setFocusProxy(self.username)

    def _submit(self) -> None:
        username = self.username.text().strip()
        if not username or not self.password.text():
            self.show_message(_("Enter your username and password."))
            (self.username if not username else self.password).setFocus()
            return
        self.set_busy(True)
        self.submitted.emit(username, self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(_("Signing in…") if busy else _("&Sign in"))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def failed(self, text: str) -> None:
        """A refused sign-in: keep the username, clear the password."""
        self.set_busy(False)
        self.show_message(text)
        self.password.clear()
        self.password.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.set_busy(False)
        self.show_message("")
        self.password.clear()
        self.username.setFocus()
