"""The Paper menu of the main window, and opening the paper dialogs from it
or from a case's Forms tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.host import Host
from ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from ui.paper.dialog import PaperDialog
    from ui.paper.export import PaperExportDialog

# The dialogs (and Qt's printing module) are imported when first opened, so
# start-up does not pay for them.


class PaperMenu(QtCore.QObject):
    """Opens the paper dialogs, one at a time, for the window it serves."""

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.dialog: QtWidgets.QDialog | None = None  # the paper dialog last opened

    def add_menu(self, menus: QtWidgets.QMenuBar) -> list[QtGui.QAction]:
        """Add the Paper menu; its actions (for signed-in workers only) are returned disabled."""
        menu = menus.addMenu(_("Pape&r"))
        blank = self.host.add_action(menu, _("Blank paper &form…"), ["Ctrl+P"], self.open_blank)
        bulk = self.host.add_action(
            menu, _("&Export paper forms…"), ["Ctrl+Shift+P"], self.open_export
        )
        for action in (blank, bulk):
            action.setEnabled(False)
        return [blank, bulk]

    def _show(self, dialog: QtWidgets.QDialog) -> None:
        old = self.dialog
        if old is not None:
            old.close()
            if not self.host.ops.busy:  # a print or export may still call back into it
                old.deleteLater()
        self.dialog = dialog
        dialog.open()

    def open_blank(self) -> PaperDialog:
        from ui.paper.dialog import PaperDialog

        host = self.host
        case = host.shown_case()  # a blank form printed from a case: given out for it
        dialog = PaperDialog(
            host.backend,
            host.ops,
            case_id=case.id if case is not None else None,
            case_label=_("{person}, case {reference}").format(
                person=case.person_name, reference=case.reference
            )
            if case is not None
            else "",
            parent=host.dialog_parent(),
        )
        self._show(dialog)
        return dialog

    def open_draft(self, draft_id: int) -> PaperDialog:
        from ui.paper.dialog import PaperDialog

        host = self.host
        case = host.shown_case()
        title = case.reference if case is not None else ""
        dialog = PaperDialog(
            host.backend, host.ops, draft_id=draft_id, title=title, parent=host.dialog_parent()
        )
        self._show(dialog)
        return dialog

    def open_export(self) -> PaperExportDialog:
        from ui.paper.export import PaperExportDialog

        host = self.host
        dialog = PaperExportDialog(host.backend, host.ops, parent=host.dialog_parent())
        self._show(dialog)
        return dialog
