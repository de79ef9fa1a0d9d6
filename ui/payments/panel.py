"""The Fee tab: each fee on the case in words, and what can be done about it."""

from __future__ import annotations

from casework.forms.fees import FeePayment, FeeState
from casework.kernel.i18n import _
from offline_sync.payments.words import pounds
from ui.labels import when
from ui.payments.qr import qr_image
from ui.qt import Qt, QtGui, QtWidgets, Signal
from ui.widgets import fit_columns, message_label


def state_words(state: FeeState) -> str:
    """A fee's state, short, for its row."""
    return {
        FeeState.WAITING: _("Waiting to go to GOV.UK Pay"),
        FeeState.OPEN: _("Ready to pay"),
        FeeState.PAID: _("Paid"),
        FeeState.NOT_PAID: _("Not paid"),
        FeeState.NEEDS_ATTENTION: _("Needs attention"),
        FeeState.CANCELLED: _("Cancelled"),
    }[state]


class FeePanel(QtWidgets.QWidget):
    """The fees of one case; the window loads them and runs what is asked."""

    reload_requested = Signal()
    open_requested = Signal(str)  # the payment page's address
    qr_requested = Signal(object)  # FeePayment
    new_payment_requested = Signal(int, str)  # case id, the fee's newest item id

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feePanel")
        self.case_id: int | None = None
        self.fees: list[FeePayment] = []
        column = QtWidgets.QVBoxLayout(self)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setObjectName("fees")
        self.tree.setAccessibleName(_("Fees on this case"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([_("Fee"), _("Amount"), _("Where it stands"), _("Changed")])
        fit_columns(self.tree)
        column.addWidget(self.tree, 1)
        self.words = QtWidgets.QLabel(_("No fee to pay on this case."))
        self.words.setObjectName("feeWords")
        self.words.setWordWrap(True)
        selectable = Qt.TextInteractionFlag.TextSelectableByKeyboard
        self.words.setTextInteractionFlags(
            selectable | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.words.setAccessibleName(_("Where the chosen fee stands"))
        column.addWidget(self.words)
        self.message = message_label("feeMessage")
        column.addWidget(self.message)
        row = QtWidgets.QHBoxLayout()
        self.open_button = QtWidgets.QPushButton(_("Open the payment page"))
        self.open_button.setObjectName("openPaymentPage")
        self.open_button.setAccessibleName(_("Open the payment page in the web browser"))
        self.qr_button = QtWidgets.QPushButton(_("Show a QR code"))
        self.qr_button.setObjectName("showPaymentQr")
        self.qr_button.setAccessibleName(
            _("Show a QR code of the payment page for the person's phone")
        )
        self.new_button = QtWidgets.QPushButton(_("Make a new payment"))
        self.new_button.setObjectName("newPayment")
        self.new_button.setAccessibleName(_("Make a new payment for this fee"))
        for button in (self.open_button, self.qr_button, self.new_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.tree.currentItemChanged.connect(lambda *_args: self._show_chosen())
        self.open_button.clicked.connect(self._open)
        self.qr_button.clicked.connect(self._qr)
        self.new_button.clicked.connect(self._new)
        self._show_chosen()

    def set_case(self, case_id: int | None) -> None:
        """A case was opened: show its fees (asks for them)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.show_fees([])
        self.message.hide()
        self.reload_requested.emit()

    def show_fees(self, fees: list[FeePayment]) -> None:
        chosen = self.chosen()
        self.fees = list(fees)
        self.tree.clear()
        for fee in self.fees:
            item = QtWidgets.QTreeWidgetItem(
                [fee.description, pounds(fee.amount_pence), state_words(fee.state),
                 when(fee.updated_at)]
            )  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, fee.reference)
            self.tree.addTopLevelItem(item)
            if chosen is not None and fee.reference == chosen.reference:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self.tree.resizeColumnToContents(0)
        fit_columns(self.tree)
        self._show_chosen()

    def chosen(self) -> FeePayment | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        reference = item.data(0, Qt.ItemDataRole.UserRole)
        return next((f for f in self.fees if f.reference == reference), None)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_chosen(self) -> None:
        fee = self.chosen()
        self.words.setText(fee.words if fee else _("No fee to pay on this case."))
        has_link = fee is not None and fee.link is not None
        self.open_button.setEnabled(has_link)
        self.qr_button.setEnabled(has_link)
        self.new_button.setEnabled(fee is not None and fee.can_make_new)

    def _open(self) -> None:
        fee = self.chosen()
        if fee is not None and fee.link:
            self.open_requested.emit(fee.link)

    def _qr(self) -> None:
        fee = self.chosen()
        if fee is not None and fee.link:
            self.qr_requested.emit(fee)

    def _new(self) -> None:
        fee = self.chosen()
        if fee is not None and fee.can_make_new and self.case_id is not None:
            self.message.hide()
            self.new_payment_requested.emit(self.case_id, fee.item_id)


class QrDialog(QtWidgets.QDialog):
    """The payment page as a QR code, for the person to scan with their own phone."""

    def __init__(self, fee: FeePayment, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        assert fee.link is not None
        self.setObjectName("paymentQrDialog")
        self.setWindowTitle(_("Pay the fee on your phone"))
        self.setAccessibleName(_("QR code of the payment page"))
        column = QtWidgets.QVBoxLayout(self)
        said = QtWidgets.QLabel(
            _(
                "Ask the person to point their phone's camera at this code to pay {amount} "
                "on GOV.UK Pay. Nothing is paid until they finish there."
            ).format(amount=pounds(fee.amount_pence))
        )
        said.setWordWrap(True)
        column.addWidget(said)
        self.image = qr_image(fee.link)
        self.code = QtWidgets.QLabel()
        self.code.setObjectName("paymentQr")
        self.code.setAccessibleName(_("QR code of the payment page"))
        self.code.setPixmap(QtGui.QPixmap.fromImage(self.image))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.code)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
