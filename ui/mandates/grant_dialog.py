"""The grant-mandate dialog: who may act for the person, on what basis, within
what scope and until when, and how the person agreed.

The scope is built from the services, or from one of the person's cases:
pick a service (or "for one case" and the case), tick the actions and the
data categories its questions use, and add it. A review date may be set
(it defaults to the end date and must fall within the mandate). The exact
plain-language task list the person agrees to
(``delegation.scope_words.describe``, with the services' titles and cases
from ``names``) is shown as it changes, in the worker's language, and that
text and language are what the grant checks and the consent record
fingerprints. The
safeguarding questions must all be answered; an answer that raises a
concern means the mandate is recorded but not started, and the dialog says
what to do next. After a grant the consent receipt can be saved and printed.

The dialog never closes on a refusal: the messages appear in the summary
and beside the fields, and everything chosen or typed stays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from casework.kernel.i18n import _, current_language
from casework.kernel.records import PersonDetail
from delegation.records import (
    GRANTABLE_BASES,
    Basis,
    ConsentMethod,
    Grantee,
    GranteeKind,
    GrantOutcome,
    GrantRequest,
    ScopeChoice,
)
from delegation.scope import (
    Action,
    ScopeDetail,
    ScopeError,
    case_scope_id,
    make_scope,
)
from delegation.scope_words import CATEGORY_ORDER, NO_NAMES, ScopeNames, describe
from ui.error_form import ERROR_STYLE, ErrorForm
from ui.labels import format_date, parse_date
from ui.mandates.dialog_parts import refuse, send
from ui.mandates.labels import (
    action_label,
    basis_label,
    category_label,
    scope_summary,
    until,
)
from ui.mandates.safeguarding import SafeguardingQuestions
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons, fit_to_screen, heading, pdf_chooser, read_only_text

DOCUMENTED = frozenset(GRANTABLE_BASES) - {"consent", "emergency"}
# In an emergency only protective actions (delegation.mandates.PROTECTIVE_ACTIONS).
PROTECTIVE = frozenset({"view", "contact", "escalate"})
DEFAULT_DAYS = 90
OK_STYLE = "QLabel { border: 3px solid #00703c; padding: 8px; color: #0b0c0c; }"


def end_of_day(value: date) -> datetime:
    """The last minute of a local calendar day, in UTC."""
    return datetime.combine(value, time(23, 59)).astimezone().astimezone(UTC)


def latest_end(longest_days: int, today: date | None = None) -> date:
    """The last day an end date may fall on for a basis capped at ``longest_days``."""
    return (today or date.today()) + timedelta(days=longest_days - 1)


class GrantMandateDialog(QtWidgets.QDialog):
    """Emits ``grant_requested(GrantRequest)`` and ``receipt_requested(mandate id, Path)``;
    the window does the work and answers with ``granted``/``refused``."""

    grant_requested = Signal(object)
    receipt_requested = Signal(int, object)

    def __init__(
        self,
        person: PersonDetail,
        grantees: list[Grantee],
        choices: list[ScopeChoice],
        longest_days: dict[str, int],
        checked_by: str,
        parent: QtWidgets.QWidget | None = None,
        supervisors: list[Grantee] | None = None,
        names: ScopeNames = NO_NAMES,
    ) -> None:
        super().__init__(parent)
        self.person = person
        # The services' titles and the service of each of the person's cases,
        # for the task list (the core builds it the same way to check it).
        self.names = names.with_cases(
            {case_scope_id(case.reference): case.service_id for case in person.cases}
        )
        self.task_list_language = current_language()  # the language it is shown in
        self.choices = {c.service_id: c for c in choices}
        self.longest_days = longest_days
        self.details: list[ScopeDetail] = []
        self.outcome: GrantOutcome | None = None
        self.receipt_path: Path | None = None
        title = _("Give permission to act for {name}").format(name=person.full_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("grantMandateDialog")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(heading(title, "grantHeading", 1.3))
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        self.form = ErrorForm()
        f = self.form

        self.grantee = f.add_field("grantee", _("&Who will act"), QtWidgets.QComboBox())
        for g in grantees:
            self.grantee.addItem(g.label, (g.kind, g.id))

        self.basis = f.add_field("basis", _("&Basis"), QtWidgets.QComboBox())
        for basis in GRANTABLE_BASES:
            self.basis.addItem(basis_label(basis), basis)
        self.evidence = f.add_field(
            "evidence",
            _("&Evidence reference"),
            QtWidgets.QLineEdit(),
            _("For example, the LPA registration number. You must have seen the document."),
        )
        checked = QtWidgets.QLabel(checked_by)
        checked.setObjectName("checkedBy")
        f.add_field("checked_by", _("Checked by"), checked)
        self.next_check = f.add_field(
            "evidence_next_check",
            _("Ne&xt check of the evidence"),
            QtWidgets.QLineEdit(),
            _("Optional. For example, 27/03/2027"),
        )
        self.emergency_reason = f.add_field(
            "emergency_reason",
            _("Why this &cannot wait"),
            QtWidgets.QPlainTextEdit(),
            _("Emergency only: what harm this stops. It lasts at most 72 hours."),
        )
        self.emergency_reason.setTabChangesFocus(True)
        self.emergency_reason.setFixedHeight(54)
        self.second_approver = f.add_field(
            "second_approver", _("Supervisor appr&oving"), QtWidgets.QComboBox()
        )
        self.second_approver.addItem(_("Choose a supervisor"), None)
        for supervisor in supervisors or []:
            self.second_approver.addItem(supervisor.label, supervisor.id)
        end_box = QtWidgets.QWidget()
        end_column = QtWidgets.QVBoxLayout(end_box)
        end_column.setContentsMargins(0, 0, 0, 0)
        self.end_hint = QtWidgets.QLabel()
        self.end_hint.setObjectName("endHint")
        self.end_hint.setStyleSheet("color: #505a5f;")
        self.ends_at = QtWidgets.QLineEdit()
        self.ends_at.setObjectName("endsAtEdit")
        self.ends_at.setAccessibleName(_("End date"))
        end_column.addWidget(self.end_hint)
        end_column.addWidget(self.ends_at)
        end_box.setFocusProxy(self.ends_at)
        f.add_field("ends_at", _("E&nd date"), end_box)
        self.review_at = f.add_field(
            "review_at",
            _("&Planned review date"),
            QtWidgets.QLineEdit(),
            _("Optional: when to look at it again with the person. Empty: the end date."),
        )

        f.add_field("scope", _("&Scope"), self._scope_builder())
        self.task_list = f.add_field(
            "task_list",
            _("What the person is agreeing to"),
            read_only_text(90),
            _("Read this list to the person, or let them read it, before they agree."),
        )

        self.finish_queued = f.add_field(
            "work_in_progress",
            _("If it ends"),
            QtWidgets.QCheckBox(_("Forms already &queued may still be sent")),
            _("Otherwise drafts freeze and queued forms are not sent."),
        )
        self.sub_delegation = f.add_field(
            "sub_delegation_allowed",
            _("Passing it on"),
            QtWidgets.QCheckBox(_("The helper may pass part of this on to a colleag&ue")),
        )
        self.method = f.add_field("consent_method", _("How they &agreed"), QtWidgets.QComboBox())
        self.method.addItem(_("In person"), "in_person")
        self.method.addItem(_("Signed paper form"), "signed_paper")
        self.method.addItem(
            _("By phone, and we rang back on a number we already hold"), "phone_callback"
        )
        self.interpreter = f.add_field(
            "interpreter_used", _("Interpreter"), QtWidgets.QCheckBox(_("An &interpreter was used"))
        )
        self.seen_alone = f.add_field(
            "seen_alone", _("Seen alone"), QtWidgets.QCheckBox(_("The person was seen a&lone"))
        )
        self.safeguarding = f.add_field(
            "safeguarding", _("Safeguarding"), SafeguardingQuestions("safeguarding")
        )
        self.witness = f.add_field(
            "witness",
            _("Wi&tness"),
            QtWidgets.QLineEdit(),
            _("Needed when the person was not seen alone: the witness's name and role."),
        )
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)

        self.outcome_label = QtWidgets.QLabel()
        self.outcome_label.setObjectName("grantResult")
        self.outcome_label.setWordWrap(True)
        self.outcome_label.hide()
        layout.addWidget(self.outcome_label)
        self.print_button = QtWidgets.QPushButton(_("&Print consent receipt…"))
        self.print_button.setObjectName("printReceipt")
        self.print_button.setAccessibleName(_("Print consent receipt"))
        self.print_button.hide()
        self.print_button.clicked.connect(self.choose_receipt_file)
        layout.addWidget(self.print_button)
        buttons, self.grant_button = dialog_buttons(
            self, _("&Grant mandate"), _("Grant mandate"), self._submit
        )
        self.grant_button.setObjectName("grantMandate")
        self.buttons = buttons
        layout.addWidget(buttons)
        # Two columns of plain-language choices, in Welsh too; the form scrolls, so it
        # fits a 1280×720 screen with its title bar (and a smaller one).
        fit_to_screen(self, 900, 660)

        self.basis.currentIndexChanged.connect(self._basis_changed)
        self._basis_changed()
        self.ends_at.setText(format_date(date.today() + timedelta(days=DEFAULT_DAYS)))
        self._service_changed()
        self._refresh_task_list()

    # -- the scope builder --------------------------------------------------------
    def _scope_builder(self) -> QtWidgets.QWidget:
        box = QtWidgets.QWidget()
        box.setAccessibleName(_("Scope"))
        column = QtWidgets.QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        kind_row = QtWidgets.QHBoxLayout()
        self.for_service = QtWidgets.QRadioButton(_("For a service"))
        self.for_service.setObjectName("scopeForService")
        self.for_service.setAccessibleName(_("For a service"))
        self.for_case = QtWidgets.QRadioButton(_("For one case"))
        self.for_case.setObjectName("scopeForCase")
        self.for_case.setAccessibleName(_("For one case"))
        self.for_service.setChecked(True)
        self.for_case.setEnabled(bool(self.person.cases))
        kind_row.addWidget(self.for_service)
        kind_row.addWidget(self.for_case)
        kind_row.addStretch(1)
        column.addLayout(kind_row)
        self.service = QtWidgets.QComboBox()
        self.service.setObjectName("scopeService")
        self.service.setAccessibleName(_("Service"))
        for choice in self.choices.values():
            self.service.addItem(choice.title, choice.service_id)
        self.service_label = QtWidgets.QLabel(_("Ser&vice"))
        self.service_label.setBuddy(self.service)
        column.addWidget(self.service_label)
        column.addWidget(self.service)
        self.case = QtWidgets.QComboBox()
        self.case.setObjectName("scopeCase")
        self.case.setAccessibleName(_("Case"))
        for case in self.person.cases:
            known = self.choices.get(case.service_id)
            self.case.addItem(
                _("{reference}: {title}").format(
                    reference=case.reference, title=known.title if known else case.title
                ),
                (case.reference, case.service_id),
            )
        self.case_label = QtWidgets.QLabel(_("Whic&h case"))
        self.case_label.setBuddy(self.case)
        column.addWidget(self.case_label)
        column.addWidget(self.case)
        self.case_label.hide()
        self.case.hide()
        column.addWidget(QtWidgets.QLabel(_("What the helper may do")))
        actions_row = QtWidgets.QGridLayout()
        self.action_boxes: dict[str, QtWidgets.QCheckBox] = {}
        for number, action in enumerate(Action):
            check = QtWidgets.QCheckBox(action_label(action.value))
            check.setObjectName(f"action_{action.value}")
            check.setAccessibleName(_("Allow: {action}").format(action=action_label(action.value)))
            check.setChecked(action is Action.VIEW)
            actions_row.addWidget(check, number // 2, number % 2)
            self.action_boxes[action.value] = check
        column.addLayout(actions_row)
        column.addWidget(QtWidgets.QLabel(_("Information the helper may use")))
        categories_row = QtWidgets.QGridLayout()
        self.category_boxes: dict[str, QtWidgets.QCheckBox] = {}
        for number, category in enumerate(CATEGORY_ORDER):
            check = QtWidgets.QCheckBox(category_label(category))
            check.setObjectName(f"category_{category}")
            check.setAccessibleName(
                _("Information: {category}").format(category=category_label(category))
            )
            categories_row.addWidget(check, number // 2, number % 2)
            self.category_boxes[category] = check
        column.addLayout(categories_row)
        row = QtWidgets.QHBoxLayout()
        self.add_detail = QtWidgets.QPushButton(_("A&dd to the scope"))
        self.add_detail.setObjectName("addScopeDetail")
        self.add_detail.setAccessibleName(_("Add this service to the scope"))
        self.remove_detail = QtWidgets.QPushButton(_("&Remove from the scope"))
        self.remove_detail.setObjectName("removeScopeDetail")
        self.remove_detail.setAccessibleName(_("Remove the chosen service from the scope"))
        row.addWidget(self.add_detail)
        row.addWidget(self.remove_detail)
        row.addStretch(1)
        column.addLayout(row)
        self.scope_list = QtWidgets.QListWidget()
        self.scope_list.setObjectName("scopeList")
        self.scope_list.setAccessibleName(_("Services in the scope"))
        self.scope_list.setFixedHeight(70)
        column.addWidget(self.scope_list)
        self.scope_message = QtWidgets.QLabel()
        self.scope_message.setObjectName("scopeMessage")
        self.scope_message.setStyleSheet(ERROR_STYLE)
        self.scope_message.setWordWrap(True)
        self.scope_message.hide()
        column.addWidget(self.scope_message)
        self.service.currentIndexChanged.connect(self._service_changed)
        self.case.currentIndexChanged.connect(self._service_changed)
        self.for_case.toggled.connect(self._kind_changed)
        self.add_detail.clicked.connect(self.add_scope_detail)
        self.remove_detail.clicked.connect(self._remove_scope_detail)
        return box

    def _kind_changed(self) -> None:
        one_case = self.for_case.isChecked()
        self.case.setVisible(one_case)
        self.case_label.setVisible(one_case)
        self.service.setVisible(not one_case)
        self.service_label.setVisible(not one_case)
        self._service_changed()

    def _chosen_service(self) -> str:
        if self.for_case.isChecked() and self.case.currentData() is not None:
            return str(self.case.currentData()[1])
        return str(self.service.currentData())

    def _service_changed(self) -> None:
        choice = self.choices.get(self._chosen_service())
        used = set(choice.categories) if choice else set()
        for category, check in self.category_boxes.items():
            check.setEnabled(category in used)
            if category not in used:
                check.setChecked(False)

    def add_scope_detail(self) -> None:
        service_id = str(self.service.currentData())

        def ticked(boxes: dict[str, QtWidgets.QCheckBox]) -> list[str]:
            return [k for k, check in boxes.items() if check.isChecked() and check.isEnabled()]

        actions, categories = ticked(self.action_boxes), ticked(self.category_boxes)
        if not actions or not categories:
            self._scope_problem(
                _("Tick at least one thing the helper may do and one kind of information.")
            )
            return
        try:
            if self.for_case.isChecked() and self.case.currentData() is not None:
                case = case_scope_id(str(self.case.currentData()[0]))
                detail = ScopeDetail(case=case, actions=actions, categories=categories)
            else:
                detail = ScopeDetail(service_id=service_id, actions=actions, categories=categories)
            target = (detail.service_id, detail.case)
            details = [d for d in self.details if (d.service_id, d.case) != target] + [detail]
            make_scope(details)
        except ScopeError as exc:
            self._scope_problem(str(exc))
            return
        self.details = details
        self.scope_message.hide()
        self._refresh_scope()

    def _remove_scope_detail(self) -> None:
        row = self.scope_list.currentRow()
        if 0 <= row < len(self.details):
            del self.details[row]
            self._refresh_scope()

    def _scope_problem(self, message: str) -> None:
        self.scope_message.setText(message)
        self.scope_message.show()

    def _refresh_scope(self) -> None:
        self.scope_list.clear()
        for detail in self.details:
            self.scope_list.addItem(scope_summary((detail,), self.names))
        self._refresh_task_list()

    def _refresh_task_list(self) -> None:
        self.task_list_language = current_language()
        self.task_list.setPlainText(
            describe(tuple(self.details), self.names, self.task_list_language)
            if self.details
            else _("Add at least one service to the scope.")
        )

    # -- basis and dates ---------------------------------------------------------
    def _basis_changed(self) -> None:
        basis = str(self.basis.currentData())
        days = self.longest_days.get(basis, 366)
        text = _("At most {days} days on this basis: the latest end date is {day}.").format(
            days=days, day=format_date(latest_end(days))
        )
        self.end_hint.setText(text)
        self.ends_at.setAccessibleDescription(text)
        documented = basis in DOCUMENTED
        self.evidence.setPlaceholderText(_("Required for this basis") if documented else "")
        emergency = basis == "emergency"
        self.emergency_reason.setEnabled(emergency)
        self.second_approver.setEnabled(emergency)
        self.sub_delegation.setEnabled(not emergency)
        if emergency:
            self.sub_delegation.setChecked(False)
        for action, check in self.action_boxes.items():
            check.setEnabled(not emergency or action in PROTECTIVE)
            if emergency and action not in PROTECTIVE:
                check.setChecked(False)

    # -- granting ----------------------------------------------------------------
    def collect(self) -> GrantRequest:
        """What is on screen; raises ``ValueError`` with {field: message} as args[0]."""
        problems: dict[str, str] = {}
        ends: datetime | None = None
        next_check: datetime | None = None
        try:
            end_day = parse_date(self.ends_at.text())
            if end_day is None:
                problems["ends_at"] = _("Enter the end date, like 27/03/2027.")
            else:
                ends = end_of_day(end_day)
        except ValueError:
            problems["ends_at"] = _("Enter the end date as day, month and year, like 27/03/2027.")
        review: datetime | None = None
        try:
            review_day = parse_date(self.review_at.text())
            review = end_of_day(review_day) if review_day else None
        except ValueError:
            problems["review_at"] = _(
                "Enter the review date as day, month and year, like 27/03/2027."
            )
        try:
            check_day = parse_date(self.next_check.text())
            next_check = end_of_day(check_day) if check_day else None
        except ValueError:
            problems["evidence_next_check"] = _(
                "Enter the next check as day, month and year, like 27/03/2027."
            )
        if not self.details:
            problems["scope"] = _("Add at least one service to the scope.")
        answers = self.safeguarding.answers()
        if answers is None:
            problems["safeguarding"] = _("Answer every safeguarding question.")
        if problems or ends is None or answers is None:
            raise ValueError(problems)
        kind, grantee_id = self.grantee.currentData()
        emergency = self.basis.currentData() == "emergency"
        scope = tuple(self.details)
        return GrantRequest(
            person_id=self.person.id,
            grantee_kind=GranteeKind(str(kind)),
            grantee_id=int(grantee_id),
            basis=Basis(str(self.basis.currentData())),
            scope=scope,
            ends_at=ends,
            task_list_shown=self.task_list.toPlainText(),
            task_list_language=self.task_list_language,
            consent_method=ConsentMethod(str(self.method.currentData())),
            seen_alone=self.seen_alone.isChecked(),
            safeguarding_answers=answers,
            interpreter_used=self.interpreter.isChecked(),
            witness=self.witness.text(),
            evidence_reference=self.evidence.text(),
            evidence_next_check=next_check,
            finish_queued=self.finish_queued.isChecked(),
            sub_delegation_allowed=self.sub_delegation.isChecked() and not emergency,
            review_at=review,
            emergency_reason=self.emergency_reason.toPlainText() if emergency else "",
            second_approver_id=self.second_approver.currentData() if emergency else None,
        )

    def _submit(self) -> None:
        send(self.form, self.grant_button, self.collect, self.grant_requested.emit)

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        refuse(self.form, self.grant_button, fields, general)

    def granted(self, outcome: GrantOutcome) -> None:
        self.outcome = outcome
        self.form.clear_errors()
        self.outcome_label.show()
        cancel = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Close"))
        cancel.setAccessibleName(_("Close"))
        if outcome.active:
            self.outcome_label.setStyleSheet(OK_STYLE)
            self.outcome_label.setText(
                _(
                    "The mandate is active until {day}. Give the person their consent receipt."
                ).format(day=until(outcome.mandate.ends_at))
            )
            self.print_button.show()
            self.print_button.setFocus()
        else:
            self.outcome_label.setStyleSheet(
                "QLabel { border: 3px solid #d4351c; padding: 8px; color: #0b0c0c; }"
            )
            self.outcome_label.setText(outcome.message)
            cancel.setFocus()
        self.outcome_label.setAccessibleName(self.outcome_label.text())

    # -- the receipt ---------------------------------------------------------------
    def choose_receipt_file(self) -> None:
        if self.outcome is None:
            return
        mandate_id = self.outcome.mandate.id
        chooser = pdf_chooser(
            self,
            _("Save the consent receipt"),
            f"consent-receipt-{mandate_id}.pdf",
            "receiptFileDialog",
        )
        chooser.fileSelected.connect(
            lambda name: self.receipt_requested.emit(mandate_id, Path(name))
        )
        self.file_dialog = chooser
        chooser.open()

    def receipt_saved(self, path: Path) -> None:
        self.receipt_path = path
        saved = _("The receipt was saved to {path}.").format(path=path)
        self.outcome_label.setText(self.outcome_label.text() + "\n" + saved)
