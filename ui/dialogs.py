"""Small modal dialogs used before or outside the main window: the crash
report, the profile passphrase prompt and fatal start-up errors."""

from __future__ import annotations

from pathlib import Path

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from ui.qt import QtWidgets


def show_crash(summary: str, report: Path | None) -> None:
    """Tell the worker something broke, that their saved work is safe, and
    where the report is, without showing a traceback."""
    box = QtWidgets.QMessageBox()
    box.setIcon(QtWidgets.QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Something went wrong"))
    box.setAccessibleName(_("Something went wrong"))
    text = _(
        "Alongside hit a problem it did not expect. Everything you saved is safe. "
        "If you were typing, check your text is still there, then try again."
    )
    if report is not None:
        text += "\n\n" + _("A report was saved to {path}. Give it to your administrator.").format(
            path=report
        )
    box.setText(text)
    box.setDetailedText(summary)
    box.exec()


def show_fatal(message: str) -> None:
    """A start-up error the app cannot continue from, with what to do."""
    box = QtWidgets.QMessageBox()
    box.setIcon(QtWidgets.QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Alongside cannot start"))
    box.setAccessibleName(_("Alongside cannot start"))
    box.setText(message)
    box.exec()


class PassphraseDialog(QtWidgets.QDialog):
    """Asks for the profile passphrase (used when there is no keyring)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Unlock this profile"))
        layout = QtWidgets.QVBoxLayout(self)
        label = QtWidgets.QLabel(
            _("This computer has no password store, so this profile is protected by a passphrase.")
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QtWidgets.QFormLayout()
        self.passphrase = QtWidgets.QLineEdit()
        self.passphrase.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Profile passphrase"))
        form.addRow(_("&Passphrase"), self.passphrase)
        layout.addLayout(form)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText(_("Unlock"))
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setAccessibleName(_("Unlock"))
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            _("Cancel")
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_passphrase() -> str:
    """Ask for the profile passphrase; raises if the worker cancels."""
    dialog = PassphraseDialog()
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or not dialog.passphrase.text():
        raise AlongsideError(_("No passphrase was entered, so the profile stays locked."))
    return dialog.passphrase.text()
