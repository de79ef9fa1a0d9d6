"""Passing part of a mandate on to a colleague.

Offered on a mandate the signed-in worker is the helper of, that is active
and allows it. The worker chooses the colleague, ticks part of what the
mandate holds (only its services or cases, actions and kinds of
information are offered), may choose an earlier end date (never later than
the mandate's), and says whether the colleague may pass it on again.

The dialog never closes on a refusal: the messages appear in the summary and
beside the fields, and everything chosen or typed stays.
"""

from __future__ import annotations

from datetime import datetime

from casework.kernel.i18n import _
from delegation.records import GrantOutcome, PassOnChoices, PassOnRequest
from ui.error_form import ErrorForm
from ui.labels import format_date, parse_date
from ui.mandates.dialog_parts import refuse, send, titled
from ui.mandates.grant_dialog import OK_STYLE, end_of_day
from ui.mandates.labels import until
from ui.mandates.review_dialog import within
from ui.mandates.scope_ticker import ScopeTicker
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons


class PassOnDialog(QtWidgets.QDialog):
    """Emits ``pass_on_requested(PassOnRequest)``; the window does the work and
    answers with ``passed``/``refused``."""

    pass_on_requested = Signal(object)

    def __init__(self, choices: PassOnChoices, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.outcome: GrantOutcome | None = None
        mandate = choices.parent
        title = _("Pass part of this mandate on")
        layout = titled(
            self,
            title,
            ("passOnDialog", "passOnHeading"),
            _(
                "{name} gave this mandate until {day}. A colleague can be given part of it, "
                "never more, and it ends when this one ends."
            ).format(name=mandate.person_name, day=until(mandate.ends_at)),
        )
        self.form = ErrorForm()
        f = self.form
        self.colleague = f.add_field("grantee", _("&Colleague"), QtWidgets.QComboBox())
        self.colleague.addItem(_("Choose a colleague"), None)
        for colleague in choices.colleagues:
            self.colleague.addItem(colleague.label, colleague.id)
        self.scope = f.add_field(
            "scope",
            _("What they may do"),
            ScopeTicker(mandate.scope, choices.titles, ticked=False),
            _("Tick only what the colleague needs."),
        )
        self.ends_at = f.add_field(
            "ends_at",
            _("&End date"),
            QtWidgets.QLineEdit(format_date(mandate.ends_at.astimezone().date())),
            _("Optional. No later than {day}, when this mandate ends.").format(
                day=until(mandate.ends_at)
            ),
        )
        self.again = f.add_field(
            "sub_delegation_allowed",
            _("Passing it on again"),
            QtWidgets.QCheckBox(_("The colleague may pass part of it on &again")),
        )
        layout.addWidget(f, 1)
        self.outcome_label = QtWidgets.QLabel()
        self.outcome_label.setObjectName("passOnResult")
        self.outcome_label.setWordWrap(True)
        self.outcome_label.hide()
        layout.addWidget(self.outcome_label)
        self.buttons, self.pass_button = dialog_buttons(
            self, _("&Pass on"), _("Pass on"), self._submit
        )
        self.pass_button.setObjectName("confirmPassOn")
        layout.addWidget(self.buttons)
        self.colleague.setFocus()

    def collect(self) -> PassOnRequest:
        """What is on screen; raises ``ValueError`` with {field: message} as args[0]."""
        problems: dict[str, str] = {}
        colleague = self.colleague.currentData()
        if colleague is None:
            problems["grantee"] = _("Choose the colleague to pass it on to.")
        try:
            scope = self.scope.chosen()
        except ValueError as exc:
            problems["scope"] = str(exc)
            scope = ()
        ends: datetime | None = None
        try:
            day = parse_date(self.ends_at.text())
            ends = within(end_of_day(day), self.choices.parent.ends_at) if day else None
        except ValueError:
            problems["ends_at"] = _("Enter the end date as day, month and year, like 27/03/2027.")
        if problems:
            raise ValueError(problems)
        return PassOnRequest(
            parent_id=self.choices.parent.id,
            grantee_worker_id=int(colleague),
            scope=scope,
            ends_at=ends,
            sub_delegation_allowed=self.again.isChecked(),
        )

    def _submit(self) -> None:
        send(self.form, self.pass_button, self.collect, self.pass_on_requested.emit)

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        refuse(self.form, self.pass_button, fields, general)

    def passed(self, outcome: GrantOutcome) -> None:
        self.outcome = outcome
        self.form.clear_errors()
        self.outcome_label.setStyleSheet(OK_STYLE)
        text = (
            _("Passed on to {name} until {day}.").format(
                name=outcome.mandate.grantee, day=until(outcome.mandate.ends_at)
            )
            if outcome.active
            else outcome.message
        )
        self.outcome_label.setText(text)
        self.outcome_label.setAccessibleName(text)
        self.outcome_label.show()
        cancel = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Close"))
        cancel.setAccessibleName(_("Close"))
        cancel.setFocus()
