"""The Case menu's entry for the Services view (beside the facilitator directory)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.kernel.i18n import _
from ui.host import Host
from ui.qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from ui.services.view import ServicesView


class ServicesMenu(QtCore.QObject):
    """Opens the Services view, one at a time, for the window it serves."""

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.view: ServicesView | None = None

    def add_actions(self, menu: QtWidgets.QMenu) -> list[QtGui.QAction]:
        """Add the entry to ``menu``; its action (signed-in workers only) is returned disabled."""
        action = self.host.add_action(
            menu, _("Service &pages and figures…"), ["Ctrl+Shift+F"], self.open_view
        )
        action.setEnabled(False)
        return [action]

    def open_view(self) -> ServicesView:
        # Imported when first opened, so start-up does not pay for it.
        from ui.services.view import ServicesView

        old = self.view
        if old is not None:
            old.close()
            if not self.host.ops.busy:
                old.deleteLater()
        host = self.host
        self.view = ServicesView(host.backend, host.ops, host.dialog_parent())
        self.view.show()
        self.view.activateWindow()
        return self.view
