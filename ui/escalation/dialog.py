"""The Escalate dialog: who will receive it and by when, then the exact content, then Send.

Page one shows the named facilitator (role, organisation, hours, languages,
how they take escalations) and the reply-by day from the SLA, with the
reason and description to fill in. Preview asks the backend for exactly what
would be sent and shows it on page two; Send sends that. Nothing typed is
lost: a refusal keeps the dialog open with the text as it was.
"""

from __future__ import annotations

from casework.escalation.records import (
    REASONS,
    EscalationPreview,
    EscalationRequest,
    FacilitatorCard,
    reason_label,
)
from casework.kernel.i18n import _
from ui.error_form import ErrorForm
from ui.labels import day
from ui.qt import QtWidgets, Signal
from ui.widgets import heading, message_label


def card_text(card: FacilitatorCard) -> str:
    """The facilitator as a few plain lines (the dialog and the case view share it)."""
    how = (
        _("By email to {email}").format(email=card.email)
        if card.channel == "email"
        else _("By post to {address}").format(address=", ".join(card.postal_address))
    )
    return "\n".join(
        [
            _("{name}, {role}").format(name=card.name, role=card.role),
            card.organisation,
            _("Hours: {hours}").format(hours=card.hours),
            _("Languages: {languages}").format(languages=card.languages),
            _("Phone: {phone}").format(phone=card.phone),
            how,
            _("Reply due within {n} working days, by {day}").format(
                n=card.sla_working_days, day=day(card.due_on)
            ),
        ]
    )


class EscalateDialog(QtWidgets.QDialog):
    """Emits ``preview_requested`` then ``send_requested`` with the same request."""

    preview_requested = Signal(object)  # EscalationRequest
    send_requested = Signal(object)  # EscalationRequest
    save_letter_requested = Signal(object)  # bytes

    def __init__(
        self, case_id: int, case_label: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.case_id = case_id
        title = _("Escalate case {case}").format(case=case_label)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("escalateDialog")
        self.resize(620, 560)
        self.preview: EscalationPreview | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.pages = QtWidgets.QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.message = message_label("escalateMessage")
        layout.addWidget(self.message)

        # Page one: who, when, why.
        first = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(first)
        column.addWidget(heading(_("Who will receive it"), "escalateRecipientHeading", 1.2))
        self.recipient = QtWidgets.QLabel(_("Finding the named facilitator…"))
        self.recipient.setObjectName("escalateRecipient")
        self.recipient.setAccessibleName(_("Who will receive it"))
        self.recipient.setWordWrap(True)
        self.recipient.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Minimum
        )
        self.recipient.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.recipient.setMargin(8)
        column.addWidget(self.recipient)
        self.form = ErrorForm()
        self.reason = QtWidgets.QComboBox()
        self.reason.setObjectName("escalateReason")
        self.reason.addItem(_("Choose a reason"), "")
        for code in REASONS:
            self.reason.addItem(reason_label(code), code)
        self.form.add_field("reason", _("&Reason"), self.reason)
        self.description = QtWidgets.QPlainTextEdit()
        self.description.setObjectName("escalateDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(120)
        self.description.setMaximumHeight(200)
        self.form.add_field(
            "description",
            _("&What has happened"),
            self.description,
            _("Dates, what was sent and what the service said. The facilitator reads this."),
        )
        column.addWidget(self.form)
        column.addStretch(1)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        self.preview_button = QtWidgets.QPushButton(_("&Preview"))
        self.preview_button.setObjectName("escalatePreview")
        self.preview_button.setAccessibleName(_("Preview what will be sent"))
        self.preview_button.setDefault(True)
        self.preview_button.setEnabled(False)
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        row.addWidget(self.preview_button)
        row.addWidget(self.cancel_button)
        column.addLayout(row)
        self.pages.addWidget(first)

        # Page two: exactly what will go.
        second = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(second)
        column.addWidget(heading(_("Check what will be sent"), "escalatePreviewHeading", 1.2))
        self.channel = QtWidgets.QLabel()
        self.channel.setObjectName("escalateChannel")
        self.channel.setWordWrap(True)
        column.addWidget(self.channel)
        self.subject = QtWidgets.QLineEdit()
        self.subject.setObjectName("escalateSubject")
        self.subject.setAccessibleName(_("Subject"))
        self.subject.setReadOnly(True)
        column.addWidget(self.subject)
        self.body = QtWidgets.QPlainTextEdit()
        self.body.setObjectName("escalateBody")
        self.body.setAccessibleName(_("The exact text that will be sent"))
        self.body.setReadOnly(True)
        self.body.setTabChangesFocus(True)
        column.addWidget(self.body, 1)
        row = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("&Back"))
        self.back_button.setAccessibleName(_("Back to the reason"))
        self.letter_button = QtWidgets.QPushButton(_("Save the &letter…"))
        self.letter_button.setAccessibleName(_("Save the letter as a PDF"))
        self.send_button = QtWidgets.QPushButton(_("&Send"))
        self.send_button.setObjectName("escalateSend")
        self.send_button.setAccessibleName(_("Send the escalation"))
        row.addWidget(self.back_button)
        row.addWidget(self.letter_button)
        row.addStretch(1)
        row.addWidget(self.send_button)
        column.addLayout(row)
        self.pages.addWidget(second)

        self.preview_button.clicked.connect(self._preview)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self._back)
        self.send_button.clicked.connect(self._send)
        self.letter_button.clicked.connect(self._save_letter)

    def request(self) -> EscalationRequest:
        return EscalationRequest(
            self.case_id, str(self.reason.currentData() or ""), self.description.toPlainText()
        )

    # -- called by the controller with the backend's answers --------------------
    def show_recipient(self, card: FacilitatorCard) -> None:
        self.recipient.setText(card_text(card))
        # A wrapped label inside a stacked page does not grow by itself: ask for its height.
        width = max(self.recipient.width(), 540)
        self.recipient.setMinimumHeight(self.recipient.heightForWidth(width))
        self.preview_button.setEnabled(True)

    def show_preview(self, preview: EscalationPreview) -> None:
        self.preview = preview
        self.form.clear_errors()
        self.message.hide()
        if preview.channel == "email":
            extra = (
                _(" The sent form is attached: {name}.").format(name=preview.attachment_name)
                if preview.attachment_name
                else ""
            )
            self.channel.setText(
                _("An email to {name} at {email}.").format(
                    name=preview.facilitator.name, email=preview.facilitator.email
                )
                + extra
            )
        else:
            self.channel.setText(
                _("{name} works on paper: this letter will be printed and posted.").format(
                    name=preview.facilitator.name
                )
            )
        self.letter_button.setVisible(preview.letter_pdf is not None)
        self.subject.setText(preview.subject)
        self.body.setPlainText(preview.body)
        self.pages.setCurrentIndex(1)
        self.send_button.setEnabled(True)
        self.send_button.setDefault(True)
        self.send_button.setFocus()

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        """Back on page one with the errors; nothing typed is lost."""
        self.preview_button.setEnabled(True)
        self.send_button.setEnabled(True)
        if fields:
            self.pages.setCurrentIndex(0)
            self.form.show_errors(fields, general)
        elif general:
            self.message.setText(general)
            self.message.show()

    # -- buttons -------------------------------------------------------------------
    def _preview(self) -> None:
        self.preview_button.setEnabled(False)
        self.preview_requested.emit(self.request())

    def _back(self) -> None:
        self.pages.setCurrentIndex(0)
        self.preview_button.setEnabled(True)
        self.preview_button.setDefault(True)
        self.description.setFocus()

    def _send(self) -> None:
        self.send_button.setEnabled(False)
        self.send_requested.emit(self.request())

    def _save_letter(self) -> None:
        if self.preview is not None and self.preview.letter_pdf is not None:
            self.save_letter_requested.emit(self.preview.letter_pdf)
