"""A person's mandates and audit: the mandates view.

The Mandates tab lists every mandate the person has given (status, basis,
who acts, scope, dates) as a tree: a mandate passed on sits indented under
the one it came from. Beside it are Renew, Suspend, Start again, Revoke,
Review, "Pass part of this on" (for the helper, when the mandate allows it)
and the consent receipt; Suspend and Revoke ask for a reason (Revoke first
names the passed-on mandates that will end with it), Renew for a new end
date (the longest allowed for the basis is shown). The Audit tab lists who
did what for the person, when, and the outcome (a sitting's autosaves as one
line: ``audit_lines``). Everything works from the
keyboard; the window runs each action off the UI thread and refreshes both
lists when it succeeds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, current_language, ngettext
from delegation.records import AuditRecord, MandateRecord
from delegation.scope import is_identifier
from delegation.scope_words import describe
from ui.error_form import ErrorForm
from ui.labels import format_date, parse_date
from ui.mandates.audit_lines import audit_lines, outcome_text
from ui.mandates.dialog_parts import refuse
from ui.mandates.grant_dialog import end_of_day, latest_end
from ui.mandates.labels import (
    END_REASONS,
    basis_label,
    mandate_status_label,
    reason_label,
    scope_summary,
    until,
)
from ui.mandates.reminders import days_left_text, ends_soon
from ui.qt import Qt, QtWidgets, Signal
from ui.widgets import dialog_buttons, fit_columns, heading, message_label


def audit_action_label(action: str) -> str:
    labels = {
        "grant": _("Granted a mandate"),
        "activate": _("Started a mandate"),
        "suspend": _("Suspended a mandate"),
        "revoke": _("Revoked a mandate"),
        "reject": _("Did not start a mandate"),
        "expire": _("A mandate ended"),
        "renew": _("Renewed a mandate"),
        "review": _("Reviewed a mandate"),
        "narrow": _("Narrowed a mandate"),
        "manage.grant": _("Asked to record a mandate"),
        "manage.suspend": _("Asked to suspend a mandate"),
        "manage.lift": _("Asked to start a suspended mandate again"),
        "manage.renew": _("Asked to renew a mandate"),
        "manage.widen": _("Asked to widen a mandate"),
        "manage.narrow": _("Asked to narrow a mandate"),
        "manage.revoke": _("Asked to revoke a mandate"),
        "manage.pass_on": _("Asked to pass a mandate on"),
        "manage.review": _("Asked to record a review of a mandate"),
        "manage.consent": _("Asked to record consent to a mandate"),
        "manage.activate": _("Asked to start a mandate"),
        "manage.reject": _("Asked not to start a mandate"),
        "read.mandates": _("Looked at the mandates"),
        "read.audit": _("Looked at the audit"),
        "read.acting": _("Checked the mandate they act under"),
        "read.acted_for": _("Asked for the report of who acted for the person"),
        "read.receipt": _("Asked for a consent receipt"),
        "session_keep": _("Kept the details after an assisted session"),
        "session_wipe": _("Wiped the details after an assisted session"),
        "view": _("Looked at the record"),
        "draft": _("Worked on a form"),
        "submit": _("Sent a form"),
        "print": _("Printed"),
        "contact": _("Contacted a service"),
        "escalate": _("Escalated a case"),
    }
    return labels.get(action, action)


def audit_target(entry: AuditRecord) -> str:
    """The service an entry was about, by its title ("" when none)."""
    if entry.target and is_identifier(entry.target):
        return entry.names.title(entry.target, current_language())
    return entry.target


class ReasonDialog(QtWidgets.QDialog):
    """Asks why a mandate is being suspended or revoked; emits ``chosen(code)``."""

    chosen = Signal(str)

    def __init__(self, title: str, explanation: str, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        text = QtWidgets.QLabel(explanation)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.reason = QtWidgets.QComboBox()
        self.reason.setObjectName("reasonChoice")
        self.reason.setAccessibleName(_("Reason"))
        for code in END_REASONS:
            self.reason.addItem(reason_label(code), code)
        label = QtWidgets.QLabel(_("&Reason"))
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        buttons, self.confirm = dialog_buttons(self, title, title, self._confirm)
        self.confirm.setObjectName("confirmReason")
        layout.addWidget(buttons)
        self.reason.setFocus()

    def _confirm(self) -> None:
        self.chosen.emit(str(self.reason.currentData()))
        self.accept()


class LiftDialog(QtWidgets.QDialog):
    """Asks why a suspended mandate may start again; emits ``chosen(reason)``
    and stays open until the window answers with ``lifted`` or ``refused``
    (after a safeguarding concern the reason is required, and the helper may
    not lift it: the core refuses, and the refusal shows here). The reason is
    kept in the audit."""

    chosen = Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("liftDialog")
        self.setMinimumWidth(520)  # room for a refusal beside the reason
        title = _("Start the mandate again")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        text = QtWidgets.QLabel(
            _(
                "Only the person's own team can start a paused mandate again. "
                "Write down why it is right to start it again."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.form = ErrorForm()
        self.reason = self.form.add_field(
            "reason", _("&Why it can start again"), QtWidgets.QLineEdit()
        )
        self.reason.setObjectName("liftReason")
        layout.addWidget(self.form)
        buttons, self.confirm = dialog_buttons(
            self, _("S&tart again"), _("Start again"), self._confirm
        )
        self.confirm.setObjectName("confirmLift")
        layout.addWidget(buttons)
        self.reason.setFocus()

    def _confirm(self) -> None:
        self.form.clear_errors()
        self.confirm.setEnabled(False)
        self.chosen.emit(self.reason.text())

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        """The core said no: show why (beside the reason when it is about it);
        what was typed stays."""
        refuse(self.form, self.confirm, fields, general)
        self.adjustSize()  # grow to show the whole refusal

    def lifted(self) -> None:
        self.accept()


class RenewDialog(QtWidgets.QDialog):
    """Asks for the new end date (and, on consent, whether the person agrees);
    emits ``chosen(datetime in UTC, agreed)``."""

    chosen = Signal(object, bool)

    def __init__(self, mandate: MandateRecord, parent: QtWidgets.QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("renewDialog")
        title = _("Renew the mandate")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        self.form = ErrorForm()
        self.latest = latest_end(mandate.longest_days)
        suggested = min(self.latest, date.today() + timedelta(days=min(mandate.longest_days, 366)))
        self.end = self.form.add_field(
            "ends_at",
            _("New &end date"),
            QtWidgets.QLineEdit(format_date(suggested)),
            _("It can be renewed until {day} at the latest.").format(day=format_date(self.latest)),
        )
        self.agreed = self.form.add_field(
            "person_agreed",
            _("Agreement"),
            QtWidgets.QCheckBox(_("The person has agreed to &carry on, to the same tasks")),
        )
        self.agreed.setVisible(mandate.basis == "consent")
        layout.addWidget(self.form)
        buttons, self.confirm = dialog_buttons(self, _("&Renew"), _("Renew"), self._confirm)
        self.confirm.setObjectName("confirmRenew")
        layout.addWidget(buttons)

    def _confirm(self) -> None:
        try:
            day = parse_date(self.end.text())
        except ValueError:
            day = None
        if day is None:
            self.form.show_errors(
                {"ends_at": _("Enter the new end date as day, month and year, like 27/03/2027.")}
            )
            return
        self.chosen.emit(end_of_day(day), self.agreed.isChecked())
        self.accept()


class MandatesDialog(QtWidgets.QDialog):
    renew_requested = Signal(int, int, object, bool)  # id, version, new end (UTC), agreed
    suspend_requested = Signal(int, int, str)  # mandate id, version, reason code
    revoke_requested = Signal(int, int, str)
    activate_requested = Signal(int, int, str)  # mandate id, version, reason
    receipt_requested = Signal(int)
    grant_requested = Signal()
    report_requested = Signal()  # the "who acted for me" report
    pass_on_requested = Signal(int)  # mandate id
    review_requested = Signal(int)  # mandate id

    def __init__(
        self,
        person_name: str,
        parent: QtWidgets.QWidget | None = None,
        me: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.me = me  # the signed-in worker's id and team id
        self.setObjectName("mandatesDialog")
        title = _("Mandates and audit for {name}").format(name=person_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.mandates: list[MandateRecord] = []
        self.prompt: QtWidgets.QDialog | None = None
        self.lifting: LiftDialog | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(heading(title, "mandatesHeading", 1.3))
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setObjectName("mandateTabs")
        self.tabs.setAccessibleName(_("Mandates and audit"))
        layout.addWidget(self.tabs, 1)

        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.list = QtWidgets.QTreeWidget()
        self.list.setObjectName("mandateList")
        self.list.setAccessibleName(_("Mandates"))
        self.list.setRootIsDecorated(True)
        self.list.setItemsExpandable(True)
        self.list.setHeaderLabels(
            [_("Status"), _("Basis"), _("Who acts"), _("Scope"), _("From"), _("Until")]
        )
        fit_columns(self.list)  # no column narrower than its title, in Welsh too
        column.addWidget(self.list, 1)
        self.task_list = QtWidgets.QLabel()
        self.task_list.setObjectName("mandateTaskList")
        self.task_list.setWordWrap(True)
        self.task_list.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.task_list)
        self.message = message_label("mandatesMessage")
        column.addWidget(self.message)
        self.reminder = QtWidgets.QLabel()
        self.reminder.setObjectName("mandateReminder")
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("QLabel { border-left: 8px solid #1d70b8; padding: 6px; }")
        self.reminder.hide()
        column.addWidget(self.reminder)
        row = QtWidgets.QHBoxLayout()
        self.grant_button = self._button(row, _("&Grant a new mandate…"), "grantNew")
        self.renew_button = self._button(row, _("Re&new…"), "renewMandate")
        self.suspend_button = self._button(row, _("&Suspend…"), "suspendMandate")
        self.activate_button = self._button(row, _("S&tart again"), "activateMandate")
        self.revoke_button = self._button(row, _("Re&voke…"), "revokeMandate")
        self.review_button = self._button(row, _("Rev&iew…"), "reviewMandate")
        self.pass_on_button = self._button(row, _("&Pass part of this on…"), "passOnMandate")
        self.receipt_button = self._button(row, _("Consent &receipt…"), "mandateReceipt")
        row.addStretch(1)
        column.addLayout(row)
        self.tabs.addTab(page, _("&Mandates"))

        self.audit = QtWidgets.QTreeWidget()
        self.audit.setObjectName("auditList")
        self.audit.setAccessibleName(_("Audit: who did what for this person"))
        self.audit.setRootIsDecorated(False)
        self.audit.setHeaderLabels([_("When"), _("Who"), _("What"), _("For"), _("Outcome")])
        audit_page = QtWidgets.QWidget()
        audit_column = QtWidgets.QVBoxLayout(audit_page)
        audit_column.addWidget(self.audit, 1)
        audit_row = QtWidgets.QHBoxLayout()
        self.report_button = self._button(
            audit_row, _("Who acted for me &report…"), "actedForReport"
        )
        self.report_button.setAccessibleName(_("Save and print the who acted for me report"))
        self.report_button.setEnabled(True)
        audit_row.addStretch(1)
        audit_column.addLayout(audit_row)
        self.tabs.addTab(audit_page, _("&Audit"))

        close = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        close.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.grant_button.clicked.connect(self.grant_requested)
        self.renew_button.clicked.connect(self._renew)
        self.suspend_button.clicked.connect(self._suspend)
        self.activate_button.clicked.connect(self._activate)
        self.revoke_button.clicked.connect(self._revoke)
        self.receipt_button.clicked.connect(self._receipt)
        self.review_button.clicked.connect(self._review)
        self.pass_on_button.clicked.connect(self._pass_on)
        self.report_button.clicked.connect(self.report_requested)
        self.list.currentItemChanged.connect(lambda _cur, _prev: self._selection_changed())
        self.resize(900, 520)
        self._selection_changed()

    def _button(self, row: QtWidgets.QHBoxLayout, text: str, name: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        row.addWidget(button)
        return button

    # -- filling --------------------------------------------------------------------
    def show_mandates(self, mandates: list[MandateRecord]) -> None:
        chosen = self.current()
        self.mandates = list(mandates)
        self.list.clear()
        items: dict[int, QtWidgets.QTreeWidgetItem] = {}
        known = {m.id for m in self.mandates}
        # Parents before children, so each passed-on mandate finds its parent's row.
        for mandate in sorted(self.mandates, key=lambda m: (self._depth(m), -m.id)):
            item = QtWidgets.QTreeWidgetItem(
                [
                    mandate_status_label(mandate.status),
                    basis_label(mandate.basis),
                    mandate.grantee,
                    scope_summary(mandate.scope, mandate.names),
                    until(mandate.starts_at),
                    until(mandate.ends_at),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, mandate.id)
            if mandate.parent_id is not None and mandate.parent_id in known:
                items[mandate.parent_id].addChild(item)
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleDescriptionRole,
                    _("Passed on from the mandate to {who}").format(
                        who=self._by_id(mandate.parent_id).grantee
                    ),
                )
            else:
                self.list.addTopLevelItem(item)
            items[mandate.id] = item
        self.list.expandAll()
        if chosen is not None and chosen.id in items:
            self.list.setCurrentItem(items[chosen.id])
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        for column in range(6):
            self.list.resizeColumnToContents(column)
        self._show_reminder()
        self._selection_changed()

    def _show_reminder(self) -> None:
        """Say which active mandates end within 30 days (Renew is on this tab)."""
        now = datetime.now(UTC)
        lines = []
        for mandate in self.mandates:
            left = ends_soon(mandate.ends_at, now) if mandate.status == "active" else None
            if left is not None:
                lines.append(
                    _(
                        "The mandate to {who} ends on {day} ({left}): renew it with the person."
                    ).format(
                        who=mandate.grantee, day=until(mandate.ends_at), left=days_left_text(left)
                    )
                )
        self.reminder.setText("\n".join(lines))
        self.reminder.setAccessibleName(self.reminder.text())
        self.reminder.setVisible(bool(lines))

    def show_audit(self, entries: list[AuditRecord]) -> None:
        self.audit.clear()
        for line in audit_lines(entries):
            entry = line.last
            what = line.what_text(audit_action_label(entry.action))
            item = QtWidgets.QTreeWidgetItem(
                [line.when_text(), entry.worker, what, audit_target(entry), outcome_text(entry)]
            )
            item.setToolTip(4, reason_label(entry.reason))
            self.audit.addTopLevelItem(item)
        for column in range(5):
            self.audit.resizeColumnToContents(column)

    def _by_id(self, mandate_id: int) -> MandateRecord:
        return next(m for m in self.mandates if m.id == mandate_id)

    def _depth(self, mandate: MandateRecord) -> int:
        known = {m.id: m for m in self.mandates}
        depth, parent_id = 0, mandate.parent_id
        while parent_id is not None and parent_id in known and depth < len(known):
            depth, parent_id = depth + 1, known[parent_id].parent_id
        return depth

    def passed_on_from(self, mandate_id: int) -> list[MandateRecord]:
        """The mandates passed on from this one, at any depth, that would end with it."""
        found: list[MandateRecord] = []
        frontier = [mandate_id]
        while frontier:
            children = [m for m in self.mandates if m.parent_id in frontier]
            found += [m for m in children if m.status in ("proposed", "active", "suspended")]
            frontier = [m.id for m in children]
        return found

    def is_my_mandate(self, mandate: MandateRecord) -> bool:
        """Is the signed-in worker the helper named in it (or in its team)?"""
        if self.me is None:
            return False
        worker_id, team_id = self.me
        return mandate.grantee_worker_id == worker_id or (
            mandate.grantee_team_id is not None and mandate.grantee_team_id == team_id
        )

    def current(self) -> MandateRecord | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((m for m in self.mandates if m.id == wanted), None)

    def _selection_changed(self) -> None:
        mandate = self.current()
        status = mandate.status if mandate else ""
        live = status in ("active", "suspended")
        self.renew_button.setEnabled(
            live and mandate is not None and mandate.basis not in ("emergency", "assisted_session")
        )
        self.suspend_button.setEnabled(status == "active")
        self.activate_button.setEnabled(status == "suspended")
        self.revoke_button.setEnabled(live)
        self.review_button.setEnabled(live)
        self.pass_on_button.setEnabled(
            mandate is not None
            and status == "active"
            and mandate.sub_delegation_allowed
            and self.is_my_mandate(mandate)
        )
        self.receipt_button.setEnabled(mandate is not None)
        self.task_list.setText(
            ""
            if mandate is None
            else _("{status}: {reason}.").format(
                status=mandate_status_label(mandate.status),
                reason=reason_label(mandate.status_reason),
            )
            + "\n"
            + describe(mandate.scope, mandate.names)
        )

    def refused(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()

    def done_action(self, message: str) -> None:
        self.message.hide()
        self.setAccessibleDescription(message)

    # -- actions -----------------------------------------------------------------------
    def _renew(self) -> None:
        mandate = self.current()
        if mandate is None:
            return
        prompt = RenewDialog(mandate, self)
        prompt.chosen.connect(
            lambda end, agreed: self.renew_requested.emit(mandate.id, mandate.version, end, agreed)
        )
        self._prompt(prompt)

    def _suspend(self) -> None:
        mandate = self.current()
        if mandate is None:
            return
        prompt = ReasonDialog(
            _("Suspend the mandate"),
            _("Nothing can be done under a suspended mandate until it is started again."),
            self,
        )
        prompt.chosen.connect(
            lambda code: self.suspend_requested.emit(mandate.id, mandate.version, code)
        )
        self._prompt(prompt)

    def _revoke(self) -> None:
        mandate = self.current()
        if mandate is None:
            return
        explanation = _(
            "Revoking is final: the mandate, and any passed on from it, can never be used "
            "again. Drafts freeze. To act again the person must give a new mandate."
        )
        children = self.passed_on_from(mandate.id)
        if children:
            explanation += "\n\n" + ngettext(
                "This will also end {n} mandate passed on from it: {names}.",
                "This will also end {n} mandates passed on from it: {names}.",
                len(children),
            ).format(
                n=len(children),
                names=", ".join(
                    _("{who} (until {day})").format(who=m.grantee, day=until(m.ends_at))
                    for m in children
                ),
            )
        prompt = ReasonDialog(_("Revoke the mandate"), explanation, self)
        prompt.chosen.connect(
            lambda code: self.revoke_requested.emit(mandate.id, mandate.version, code)
        )
        self._prompt(prompt)

    def _review(self) -> None:
        mandate = self.current()
        if mandate is not None:
            self.review_requested.emit(mandate.id)

    def _pass_on(self) -> None:
        mandate = self.current()
        if mandate is not None:
            self.pass_on_requested.emit(mandate.id)

    def _activate(self) -> None:
        mandate = self.current()
        if mandate is None:
            return
        prompt = LiftDialog(self)
        prompt.chosen.connect(
            lambda reason: self.activate_requested.emit(mandate.id, mandate.version, reason)
        )
        self.lifting = prompt
        prompt.finished.connect(lambda _result: self._forget_lift(prompt))
        self._prompt(prompt)

    def _forget_lift(self, prompt: LiftDialog) -> None:
        if self.lifting is prompt:
            self.lifting = None

    def lift_answered(self, refusal: AlongsideError | None) -> None:
        """The window's answer to "start again": close the open dialog, or show
        the refusal in it (beside the reason when it is about the reason)."""
        prompt = self.lifting
        if refusal is None:
            if prompt is not None:
                prompt.lifted()
            return
        fields = getattr(refusal, "fields", {}) or {}
        if prompt is not None:
            prompt.refused(fields, "" if fields else refusal.message)
        self.refused(refusal.message)

    def _receipt(self) -> None:
        mandate = self.current()
        if mandate is not None:
            self.receipt_requested.emit(mandate.id)

    def _prompt(self, prompt: QtWidgets.QDialog) -> None:
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.prompt = prompt
        prompt.open()
