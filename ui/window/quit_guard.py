"""Quitting asks first when it would lose something.

Ctrl+Q (or closing the window) in the middle of a form, or on the demo
profile, where quitting deletes every change made in it, asks before it
quits. The question is keyboard-safe: its default button (Enter) and Esc
both keep the app open; quitting takes a deliberate Alt+Q or Tab to the
Quit button. On a real profile with no form open the app just quits.

The question is opened window-modal without a nested event loop
(``QMessageBox.open``): ``quit`` is called only if the answer is to quit.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.kernel.i18n import _
from ui.qt import Qt, QtWidgets


def reason(*, demo: bool, signed_in: bool, form_open: bool) -> str | None:
    """Why quitting now needs asking, in plain words; None when it does not."""
    if demo and signed_in:
        return _(
            "This is the demo profile: quitting deletes every change made in it, "
            "and they cannot be got back."
        )
    if form_open:
        return _(
            "A form is open. The answers typed so far are saved as a draft, "
            "and the form can be carried on with later."
        )
    return None


def ask(parent: QtWidgets.QWidget, why: str, quit: Callable[[], None]) -> QtWidgets.QMessageBox:
    """Ask, under ``parent``, whether to quit, saying ``why``; quit only on yes."""
    before = QtWidgets.QApplication.focusWidget()
    box = QtWidgets.QMessageBox(parent)
    box.setObjectName("quitQuestion")
    box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Quit Alongside?"))
    box.setText(_("Quit Alongside?"))
    box.setInformativeText(why)
    box.setAccessibleName(_("Quit Alongside?"))
    box.setAccessibleDescription(why)
    quit_button = box.addButton(_("&Quit"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
    quit_button.setObjectName("quitButton")
    quit_button.setAccessibleName(_("Quit"))
    stay_button = box.addButton(_("&Stay"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
    stay_button.setObjectName("stayButton")
    stay_button.setAccessibleName(_("Stay"))
    box.setDefaultButton(stay_button)  # Enter keeps the app open
    box.setEscapeButton(stay_button)

    def answered() -> None:
        box.deleteLater()
        if box.clickedButton() is quit_button:
            quit()
            return
        # Staying: the keyboard goes back where it was.
        parent.activateWindow()
        try:
            if before is not None and before.isVisible():
                before.setFocus(Qt.FocusReason.PopupFocusReason)
        except RuntimeError:  # that widget has gone meanwhile
            pass

    box.finished.connect(answered)
    box.open()
    stay_button.setFocus()
    return box
