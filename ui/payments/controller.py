"""Runs the Fee tab's work: loads a case's fees, opens the payment page in the
system browser, shows the QR code and makes a new payment."""

from __future__ import annotations

from casework.forms.fees import FeePayment
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from ui.host import Host
from ui.operations import payments as payment_ops
from ui.operations.op import Changes
from ui.payments.panel import FeePanel, QrDialog
from ui.qt import QtCore, QtGui


class FeesUi(QtCore.QObject):
    """Keeps the case's Fee tab up to date and carries out what it asks."""

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.ops = host.ops
        self.ops.changes_applied.connect(self._changes_applied)
        self.panel: FeePanel | None = None
        self.qr_dialog: QrDialog | None = None

    def attach(self, panel: FeePanel) -> None:
        """Wire the case view's Fee tab (after each rebuild of the window)."""
        self.panel = panel
        panel.reload_requested.connect(lambda: self._load(panel))
        panel.open_requested.connect(self.open_page)
        panel.qr_requested.connect(self.show_qr)
        panel.new_payment_requested.connect(
            lambda case_id, item_id: self._new(panel, case_id, item_id)
        )

    def _load(self, panel: FeePanel) -> None:
        case_id = panel.case_id
        if case_id is None:
            return

        def loaded(fees: list[FeePayment]) -> None:
            if panel.case_id == case_id:
                panel.show_fees(fees)

        self.ops.run(payment_ops.case_fees(case_id), loaded, lambda exc: panel.refuse(exc.message))

    def open_page(self, url: str) -> None:
        """The payment page in the system browser (never inside the app)."""
        opened = QtGui.QDesktopServices.openUrl(QtCore.QUrl(url))
        if not opened and self.panel is not None:
            self.panel.refuse(_("The web browser could not be opened. Show the QR code instead."))

    def show_qr(self, fee: FeePayment) -> None:
        if self.qr_dialog is not None:
            self.qr_dialog.close()
            self.qr_dialog.deleteLater()
        self.qr_dialog = QrDialog(fee, self.host.dialog_parent())
        self.qr_dialog.open()

    def _new(self, panel: FeePanel, case_id: int, item_id: str) -> None:
        def done(_item_id: str) -> None:
            self.host.show_status(_("A new payment will be made at the next sync."))

        def refused(exc: AlongsideError) -> None:
            panel.refuse(exc.message)

        self.ops.run(payment_ops.make_new_payment(case_id, item_id), done, refused)

    def _changes_applied(self, changes: Changes) -> None:
        panel = self.panel
        if panel is not None and (changes.touches_case(panel.case_id) or changes.outbox):
            self._load(panel)
