"""First run of a real profile: name it, make the first administrator, and
(where there is no keyring) choose the passphrase that protects it.

The answers are checked here for what the screen can check (matching
passwords, nothing empty); everything else is checked by the core when the
profile is created, and its messages are shown beside the right fields.
Nothing typed is cleared when something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _
from ui.error_form import ErrorForm
from ui.qt import QtWidgets
from ui.widgets import dialog_buttons


@dataclass(frozen=True)
class SetupAnswers:
    profile_name: str
    team_name: str
    username: str
    display_name: str
    password: str
    passphrase: str = ""


def _secret() -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    return edit


class SetupDialog(QtWidgets.QDialog):
    """The one-page set-up shown before the first sign-in."""

    def __init__(
        self,
        keyring_available: bool,
        create: Callable[[SetupAnswers], None],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._create = create
        self._needs_passphrase = not keyring_available
        self.setWindowTitle(_("Set up Alongside"))
        self.setAccessibleName(_("Set up Alongside"))
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(
            _(
                "Set up this computer's Alongside profile and the first administrator "
                "account. You can add other workers after you sign in."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = ErrorForm()
        f = self.form
        self.profile_name = f.add_field(
            "profile_name",
            _("&Organisation or site"),
            QtWidgets.QLineEdit(),
            _("For example, Riverside Library"),
        )
        self.team_name = f.add_field(
            "team_name", _("&Team"), QtWidgets.QLineEdit(), _("The team whose caseload you share")
        )
        self.username = f.add_field("username", _("&Username"), QtWidgets.QLineEdit())
        self.display_name = f.add_field("display_name", _("&Your full name"), QtWidgets.QLineEdit())
        self.password = f.add_field(
            "password", _("&Password"), _secret(), _("At least 10 characters")
        )
        self.password_again = f.add_field("password_again", _("Password &again"), _secret())
        self.passphrase: QtWidgets.QLineEdit | None = None
        self.passphrase_again: QtWidgets.QLineEdit | None = None
        if self._needs_passphrase:
            self.passphrase = f.add_field(
                "passphrase",
                _("Profile pa&ssphrase"),
                _secret(),
                _(
                    "This computer has no password store, so the database is protected by a "
                    "passphrase you type each time Alongside starts. It cannot be recovered "
                    "if lost."
                ),
            )
            self.passphrase_again = f.add_field(
                "passphrase_again", _("Passphrase a&gain"), _secret()
            )
        layout.addWidget(self.form)
        buttons, self.create_button = dialog_buttons(
            self, _("&Create profile"), _("Create profile"), self._submit
        )
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _text(self, edit: QtWidgets.QWidget | None) -> str:
        return edit.text() if isinstance(edit, QtWidgets.QLineEdit) else ""

    def answers(self) -> SetupAnswers:
        return SetupAnswers(
            profile_name=self._text(self.profile_name).strip(),
            team_name=self._text(self.team_name).strip(),
            username=self._text(self.username).strip(),
            display_name=self._text(self.display_name).strip(),
            password=self._text(self.password),
            passphrase=self._text(self.passphrase),
        )

    def check(self) -> dict[str, str]:
        """What the screen can check before asking the core."""
        a = self.answers()
        errors: dict[str, str] = {}
        if not a.profile_name:
            errors["profile_name"] = _("Enter the name of your organisation or site.")
        if not a.team_name:
            errors["team_name"] = _("Enter your team's name.")
        if not a.username:
            errors["username"] = _("Enter a username.")
        if not a.display_name:
            errors["display_name"] = _("Enter your full name.")
        if a.password != self._text(self.password_again):
            errors["password_again"] = _("The two passwords do not match. Type them again.")
        if self._needs_passphrase:
            if len(a.passphrase) < 12:
                errors["passphrase"] = _("Enter a passphrase of at least 12 characters.")
            elif a.passphrase != self._text(self.passphrase_again):
                errors["passphrase_again"] = _("The two passphrases do not match.")
        return errors

    def _submit(self) -> None:
        errors = self.check()
        if errors:
            self.form.show_errors(errors)
            return
        try:
            self._create(self.answers())
        except InvalidInput as exc:
            self.form.show_errors(exc.fields)
            return
        except AlongsideError as exc:
            self.form.show_errors({}, exc.message)
            return
        self.accept()


def run_first_run_setup(keyring_available: bool, create: Callable[[SetupAnswers], None]) -> bool:
    """Show the set-up; True once a profile was created, False if cancelled."""
    dialog = SetupDialog(keyring_available, create)
    return dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
