"""The Paper menu of the main window, and opening the paper dialogs from it
or from a case's Forms tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.host import Host
from ui.paper.typing_up import TypingUp
from ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from ui.paper.dialog import PaperDialog
    from ui.paper.export import PaperExportDialog
    from ui.paper.receive import ReceiveDialog

# The dialogs (and Qt's printing module) are imported when first opened, so
# start-up does not pay for them.


class PaperMenu(QtCore.QObject):
    """Opens the paper dialogs, one at a time, for the window it serves."""

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.dialog: QtWidgets.QDialog | None = None  # the paper dialog last opened
        self.typing = TypingUp(host, self)  # a returned form typed up, its scan beside it

    def add_menu(self, menus: QtWidgets.QMenuBar) -> list[QtGui.QAction]:
        """Add the Paper menu; its actions (for signed-in workers only) are returned disabled."""
        menu = menus.addMenu(_("Pape&r"))
        blank = self.host.add_action(menu, _("Blank paper &form…"), ["Ctrl+P"], self.open_blank)
        bulk = self.host.add_action(
            menu, _("&Export paper forms…"), ["Ctrl+Shift+P"], self.open_export
        )
        returned = self.host.add_action(
            menu, _("Paper &returned…"), ["Ctrl+Shift+R"], self.open_returned
        )
        for action in (blank, bulk, returned):
            action.setEnabled(False)
        return [blank, bulk, returned]

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

    def type_up(self, item: object) -> None:
        """Type up a returned copy of the case shown (``CameBack``), its scan beside it."""
        case = self.host.shown_case()
        if case is not None:
            self.typing.start(item, case.id)  # type: ignore[arg-type]

    def open_returned(self) -> ReceiveDialog:
        """ "Paper returned…": receive scans of forms that came back."""
        from ui.paper.receive import ReceiveDialog

        host = self.host
        case = host.shown_case()
        dialog = ReceiveDialog(
            host.backend,
            host.ops,
            case_id=case.id if case is not None else None,
            parent=host.dialog_parent(),
        )
        dialog.received_for_new_person.connect(self._type_up_new)
        self._show(dialog)
        return dialog

    def _type_up_new(self, case_id: int) -> None:
        """A blank copy received onto a new person's case: open it and type it up."""
        from ui.operations import returns

        self.host.open_case(case_id)

        def found(result: object) -> None:
            assert isinstance(result, tuple)
            waiting = [item for item in result[0] if item.typed_submission_id is None]
            if waiting:
                if self.dialog is not None:
                    self.dialog.close()
                self.typing.start(waiting[0], case_id)

        self.host.ops.run(returns.came_back(case_id), found)
