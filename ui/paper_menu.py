"""The Paper menu of the main window, and opening the paper dialogs from it
or from a case's Forms tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.qt import QtGui, QtWidgets

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.paper_dialog import PaperDialog
    from ui.paper_export import PaperExportDialog

# The dialogs (and Qt's printing module) are imported when first opened, so
# start-up does not pay for them.


def add_menu(window: MainWindow, menus: QtWidgets.QMenuBar) -> list[QtGui.QAction]:
    """Add the Paper menu; its actions (for signed-in workers only) are returned disabled."""
    menu = menus.addMenu(_("P&aper"))
    blank = window._action(menu, _("Blank paper &form…"), ["Ctrl+P"], lambda: open_blank(window))
    bulk = window._action(
        menu, _("&Export paper forms…"), ["Ctrl+Shift+P"], lambda: open_export(window)
    )
    for action in (blank, bulk):
        action.setEnabled(False)
    return [blank, bulk]


def _show(window: MainWindow, dialog: QtWidgets.QDialog) -> QtWidgets.QDialog:
    old = getattr(window, "paper_dialog", None)
    if old is not None:
        old.close()
        if not window.tasks.busy:  # a print or export may still call back into it
            old.deleteLater()
    window.paper_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def open_blank(window: MainWindow) -> PaperDialog:
    from ui.paper_dialog import PaperDialog

    dialog = PaperDialog(window.backend, window.tasks, parent=window)
    _show(window, dialog)
    return dialog


def open_draft(window: MainWindow, draft_id: int) -> PaperDialog:
    from ui.paper_dialog import PaperDialog

    case = window.case_view.case if hasattr(window, "case_view") else None
    title = case.reference if case is not None else ""
    dialog = PaperDialog(
        window.backend, window.tasks, draft_id=draft_id, title=title, parent=window
    )
    _show(window, dialog)
    return dialog


def open_export(window: MainWindow) -> PaperExportDialog:
    from ui.paper_export import PaperExportDialog

    dialog = PaperExportDialog(window.backend, window.tasks, parent=window)
    _show(window, dialog)
    return dialog
