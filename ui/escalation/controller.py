"""Wires the escalation screens to the operations: the Escalate and handover
dialogs, the escalations view, the escalation line on the case, and the SLA
check at sign-in and on a timer.

The window keeps its own code small: it makes one ``EscalationController``
and calls ``attach`` when it (re)builds its widgets, ``signed_in`` and
``case_shown``. Every piece of work is an operation from
``ui.operations.escalation``, run by the app's one runner; the escalations
view reloads itself when a change touches escalations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.escalation.directory import Facilitator
from casework.escalation.records import (
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    FacilitatorCard,
    status_label,
)
from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _, ngettext
from ui.escalation.dialog import EscalateDialog
from ui.escalation.facilitator_dialog import FacilitatorDialog
from ui.escalation.handover_dialog import HandoverDialog
from ui.escalation.view import EscalationsView
from ui.host import Host
from ui.labels import day
from ui.operations import Changes, Op, Operations, paper
from ui.operations import escalation as escalation_ops
from ui.qt import QtCore, QtWidgets

if TYPE_CHECKING:
    from ui.cases.view import CaseView

CHECK_INTERVAL_MS = 15 * 60 * 1000  # the SLA check runs every 15 minutes


def escalation_line(rows: list[EscalationRecord]) -> str:
    """The named facilitator on an escalated case, for the case view."""
    lines = []
    for row in rows:
        card = row.facilitator
        lines.append(
            _(
                "Escalated to {name} ({role}, {organisation}), level {level}: {status}. "
                "Reply due by {due}. Phone {phone}."
            ).format(
                name=card.name,
                role=card.role,
                organisation=card.organisation,
                level=row.level,
                status=status_label(row.status),
                due=day(card.due_on),
                phone=card.phone,
            )
        )
    return "\n".join(lines)


def check_words(re_escalated: int, reminded: int) -> str:
    """What a timed check did, in words for the status bar ("" when nothing)."""
    parts = []
    if re_escalated:
        parts.append(
            ngettext(
                "{n} escalation had no reply in time and went to the next level.",
                "{n} escalations had no reply in time and went to the next level.",
                re_escalated,
            ).format(n=re_escalated)
        )
    if reminded:
        parts.append(
            ngettext(
                "{n} reminder went to a facilitator who has not replied yet.",
                "{n} reminders went to facilitators who have not replied yet.",
                reminded,
            ).format(n=reminded)
        )
    return " ".join(parts)


def refusal_fields(exc: AlongsideError) -> tuple[dict[str, str], str]:
    """A refusal for a form: its field errors, or (when there are none) its message."""
    fields = dict(exc.fields) if isinstance(exc, InvalidInput) else {}
    return fields, "" if fields else exc.message


def refusal_text(exc: AlongsideError) -> str:
    """A refusal as one line: the field errors joined, or the message."""
    fields, message = refusal_fields(exc)
    return " ".join(fields.values()) or message


class EscalationController(QtCore.QObject):
    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._view: EscalationsView | None = None
        self._case_view: CaseView | None = None
        self._tabs: QtWidgets.QTabWidget | None = None
        self._listening = False
        self.dialog: EscalateDialog | None = None
        self.handover: HandoverDialog | None = None
        self.directory_dialog: FacilitatorDialog | None = None
        self.timer = QtCore.QTimer(self)
        self.timer.setObjectName("slaTimer")
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    @property
    def ops(self) -> Operations:
        return self.host.ops

    # -- wiring --------------------------------------------------------------------
    def attach(
        self, view: EscalationsView, case_view: CaseView, tabs: QtWidgets.QTabWidget
    ) -> None:
        """Wire the escalations view (in ``tabs``) and the case view's buttons."""
        self._view = view
        self._case_view = case_view
        self._tabs = tabs
        if not self._listening:
            self.ops.changes_applied.connect(self._changes_applied)
            self._listening = True
        view.acknowledge_requested.connect(
            lambda i, v, note: self._move(escalation_ops.acknowledge(i, v, note))
        )
        view.resolve_requested.connect(
            lambda i, v, note: self._move(escalation_ops.resolve(i, v, note))
        )
        view.close_requested.connect(
            lambda i, v, note: self._move(escalation_ops.close(i, v, note))
        )
        view.case_requested.connect(self.host.open_case)
        view.accept_requested.connect(self._accept)
        view.reject_requested.connect(self._reject)
        case_view.escalate_button.clicked.connect(self.escalate)
        case_view.refer_button.clicked.connect(self.refer)

    @property
    def view(self) -> EscalationsView:
        assert self._view is not None, "attach() comes first"
        return self._view

    @property
    def case_view(self) -> CaseView:
        assert self._case_view is not None, "attach() comes first"
        return self._case_view

    def signed_in(self) -> None:
        """The start-up check, then the view; the timer runs the check again."""
        self.check()
        self.timer.start()

    def signed_out(self) -> None:
        self.timer.stop()
        self.view.show_rows([])
        self.view.show_referrals([])

    def check(self) -> None:
        def done(report: Any) -> None:
            text = check_words(report.re_escalated, report.reminded)
            if text:
                self.host.show_status(text, 15000)

        # Its Changes (escalations) reload the view and the open case.
        self.ops.run(escalation_ops.check_escalations(), done, lambda exc: None)

    def reload(self) -> None:
        if self.host.backend.current_actor is None:
            return
        self.ops.run(escalation_ops.open_escalations(), self.view.show_rows, self._view_refused)
        self.ops.run(
            escalation_ops.incoming_referrals(), self.view.show_referrals, self._referral_refused
        )

    def _changes_applied(self, changes: Changes) -> None:
        if changes.escalations:
            self.reload()

    def _view_refused(self, exc: AlongsideError) -> None:
        self.view.refuse(exc.message)

    def _referral_refused(self, exc: AlongsideError) -> None:
        self.view.refuse_referral(exc.message)

    def show_view(self) -> None:
        if self._tabs is not None:
            self._tabs.setCurrentWidget(self.view)
        self.view.table.setFocus()
        self.reload()

    def case_shown(self, case_id: int) -> None:
        def shown(rows: list[EscalationRecord]) -> None:
            case = self.case_view.case
            if case is not None and case.id == case_id:
                self.case_view.show_escalation(escalation_line(rows))

        self.ops.run(escalation_ops.case_escalations(case_id), shown, lambda exc: None)

    # -- escalating ----------------------------------------------------------------
    def escalate(self) -> None:
        case = self.host.shown_case()
        if case is None or not self.host.showing_case():
            self.host.show_status(_("Open a case first."), 8000)
            return
        dialog = EscalateDialog(case.id, case.reference, self.host.dialog_parent())
        self.dialog = dialog
        dialog.preview_requested.connect(self._preview)
        dialog.send_requested.connect(self._send)
        dialog.save_letter_requested.connect(self._save_letter)

        def found(card: FacilitatorCard) -> None:
            dialog.show_recipient(card)

        def refused(exc: AlongsideError) -> None:
            dialog.refused({}, exc.message)

        self.ops.run(escalation_ops.escalation_recipient(case.id), found, refused)
        dialog.show()
        dialog.reason.setFocus()

    def _dialog_refused(self, exc: AlongsideError) -> None:
        if self.dialog is None:
            return
        # Each field's problem once: by its field and in the summary, not again
        # in the message that joins them all.
        self.dialog.refused(*refusal_fields(exc))

    def _preview(self, request: EscalationRequest) -> None:
        dialog = self.dialog

        def shown(preview: EscalationPreview) -> None:
            if dialog is not None:
                dialog.show_preview(preview)

        self.ops.run(escalation_ops.preview_escalation(request), shown, self._dialog_refused)

    def _send(self, request: EscalationRequest) -> None:
        dialog = self.dialog

        def sent(_escalation_id: int) -> None:
            if dialog is not None:
                dialog.accept()
            # Back to the case, with the keyboard focus where the worker left it.
            self.host.dialog_parent().activateWindow()
            self.case_view.escalate_button.setFocus()
            self.host.show_status(_("Escalation sent to the outbox."), 15000)

        self.ops.run(escalation_ops.raise_escalation(request), sent, self._dialog_refused)

    def _save_letter(self, pdf: bytes) -> None:
        dialog = self.dialog
        name, _filter = QtWidgets.QFileDialog.getSaveFileName(
            self.host.dialog_parent(), _("Save the letter"), "escalation-letter.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        path = Path(name)

        def saved(written: object) -> None:
            self.host.show_status(_("Saved to {path}.").format(path=written), 15000)

        def failed(exc: BaseException) -> None:
            # A folder that is gone or not writable is the worker's to fix, not a crash.
            if dialog is not None and isinstance(exc, AlongsideError):
                dialog.refused({}, exc.message)
            else:
                self.host.unexpected(exc)

        self.ops.run(paper.save_pdf(pdf, path), saved, failed, on_failed=failed)

    # -- acknowledgement and outcome ---------------------------------------------
    def _move(self, op: Op[int]) -> None:
        def refused(exc: AlongsideError) -> None:
            self.view.refuse(refusal_text(exc))

        self.ops.run(op, lambda _version: self.view.acted(), refused)

    # -- handover ------------------------------------------------------------------
    def refer(self) -> None:
        case = self.case_view.case
        if case is None:
            self.host.show_status(_("Open a case first."), 8000)
            return

        def teams_loaded(teams: list[tuple[int, str]]) -> None:
            dialog = HandoverDialog(case.reference, teams, self.host.dialog_parent())
            self.handover = dialog

            def refer(team_id: int, summary: str, consent: str) -> None:
                def referred(_referral_id: int) -> None:
                    dialog.accept()
                    self.host.dialog_parent().activateWindow()
                    self.case_view.refer_button.setFocus()
                    self.host.show_status(_("Referral sent."), 15000)

                def refused(exc: AlongsideError) -> None:
                    dialog.refused(*refusal_fields(exc))

                self.ops.run(
                    escalation_ops.refer_case(case.id, team_id, summary, consent), referred, refused
                )

            dialog.refer_requested.connect(refer)
            dialog.show()
            dialog.team.setFocus()

        self.ops.run(escalation_ops.referral_teams(), teams_loaded, self._view_refused)

    def _accept(self, referral_id: int, version: int) -> None:
        def done(_mandate_id: int) -> None:
            self.view.referral_answered()
            self.host.show_status(
                _("Referral accepted: your team now acts for the person under a new mandate."),
                15000,
            )

        self.ops.run(
            escalation_ops.accept_referral(referral_id, version), done, self._referral_refused
        )

    def _reject(self, referral_id: int, version: int, reason: str) -> None:
        def done(_none: object) -> None:
            self.view.referral_answered()

        def refused(exc: AlongsideError) -> None:
            self.view.refuse_referral(refusal_text(exc))

        self.ops.run(escalation_ops.reject_referral(referral_id, version, reason), done, refused)

    # -- the facilitator directory (administrators) --------------------------------
    def directory(self) -> None:
        def loaded(result: tuple[list[tuple[str, str]], list[Facilitator]]) -> None:
            dialog = FacilitatorDialog(result[0], result[1], self.host.dialog_parent())
            self.directory_dialog = dialog

            def save(data: Any) -> None:
                def saved(_row_id: int) -> None:
                    dialog.accept()
                    self.host.dialog_parent().activateWindow()
                    self.host.show_status(_("Facilitator added."), 15000)

                def refused(exc: AlongsideError) -> None:
                    dialog.refused(*refusal_fields(exc))

                self.ops.run(escalation_ops.add_local_facilitator(data), saved, refused)

            dialog.save_requested.connect(save)
            dialog.show()
            dialog.service.setFocus()

        self.ops.run(escalation_ops.facilitator_directory(), loaded, self._view_refused)
