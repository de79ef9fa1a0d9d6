"""The complaint dialog's controller: opens it for the case on screen, runs
what the worker asks through ``ui.operations`` (recording goes to the one
write worker; the pack is gathered there and laid out after), saves the pack
where the worker chooses, and offers the route on the case view when the
escalation ladder has run out."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.complaints.steps import Complaint
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, current_language
from ui.complaints.dialog import ComplaintDialog
from ui.host import Host
from ui.operations import Operations
from ui.operations import complaints as complaint_ops
from ui.operations import paper as paper_ops
from ui.qt import QtCore
from ui.widgets import pdf_chooser

if TYPE_CHECKING:
    from ui.cases.view import CaseView
    from ui.operations.op import Op


class ComplaintController(QtCore.QObject):
    """Opens the dialog and runs its requests."""

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.dialog: ComplaintDialog | None = None
        self._case_view: CaseView | None = None
        self._case: tuple[int, str] | None = None  # (id, reference) of the dialog's case

    @property
    def ops(self) -> Operations:
        return self.host.ops

    def attach(self, case_view: CaseView) -> None:
        """Wire the case view's button."""
        self._case_view = case_view
        case_view.complain_button.clicked.connect(self.complain)

    def case_shown(self, case_id: int) -> None:
        """Offer the route on the case view when the ladder has run out."""

        def answered(run_out: bool) -> None:
            view = self._case_view
            if view is None or view.case is None or view.case.id != case_id:
                return
            view.offer_complaint(run_out)

        self.ops.run(complaint_ops.ladder_run_out(case_id), answered, lambda exc: None)

    # -- the dialog ----------------------------------------------------------------
    def complain(self) -> None:
        case = self.host.shown_case()
        if case is None or not self.host.showing_case():
            self.host.show_status(_("Open a case first."), 8000)
            return
        dialog = ComplaintDialog(case.reference, self.host.dialog_parent())
        self.dialog = dialog
        self._case = (case.id, case.reference)
        dialog.start_requested.connect(
            lambda step_id, day: self._record(complaint_ops.start_step(case.id, step_id, day))
        )
        dialog.response_requested.connect(
            lambda row, version, day: self._record(
                complaint_ops.record_response(case.id, row, version, day)
            )
        )
        dialog.close_requested.connect(
            lambda row, version, day: self._record(
                complaint_ops.close_step(case.id, row, version, day)
            )
        )
        dialog.consent_requested.connect(self._consent)
        dialog.pack_requested.connect(self._pack)
        dialog.show()
        dialog.table.setFocus()
        self._reload()

    def _reload(self) -> None:
        dialog, case = self.dialog, self._case
        if dialog is None or case is None:
            return

        def shown(complaint: Complaint) -> None:
            dialog.show_complaint(complaint)

        self.ops.run(
            complaint_ops.complaint(case[0], current_language()), shown, self._refused(dialog)
        )

    def _refused(self, dialog: ComplaintDialog) -> Any:
        def refused(exc: AlongsideError) -> None:
            dialog.refused(exc.message)

        return refused

    def _record(self, op: Op[Any]) -> None:
        dialog = self.dialog
        if dialog is None:
            return

        def done(_result: object) -> None:
            dialog.said(_("Recorded."))
            self._reload()

        self.ops.run(op, done, self._refused(dialog))

    def _consent(self, day: date) -> None:
        if self._case is not None:
            self._record(complaint_ops.record_consent(self._case[0], day))

    def _pack(self, language: str, large_print: bool) -> None:
        dialog, case = self.dialog, self._case
        if dialog is None or case is None:
            return
        dialog.said(_("Building the evidence pack…"))

        def built(pdf: bytes) -> None:
            size = "-large" if large_print else ""
            chooser = pdf_chooser(
                dialog,
                _("Save the evidence pack"),
                f"{case[1]}-evidence-pack-{language}{size}.pdf",
                "complaintPackChooser",
            )
            chooser.fileSelected.connect(lambda name: self._save(pdf, Path(name)))
            chooser.open()

        self.ops.run(
            complaint_ops.evidence_pack(case[1], language, large_print),
            built,
            self._refused(dialog),
        )

    def _save(self, pdf: bytes, path: Path) -> None:
        dialog = self.dialog

        def saved(written: object) -> None:
            text = _("Saved to {path}.").format(path=written)
            self.host.show_status(text, 15000)
            if dialog is not None:
                dialog.said(text)

        def failed(exc: BaseException) -> None:
            if dialog is not None and isinstance(exc, AlongsideError):
                dialog.refused(exc.message)
            else:
                self.host.unexpected(exc)

        self.ops.run(paper_ops.save_pdf(pdf, path), saved, failed, on_failed=failed)
