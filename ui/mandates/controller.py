"""Wires the mandate screens into the main window: the menu actions, the
"Acting for" banner, the grant dialog, the mandates view, passing part of
a mandate on, reviews (the list of reviews due under "My cases" and the
review dialog), the consent receipt (save, then print) and the
assisted-session kiosk.

Every piece of work is an operation from ``ui.operations.mandates``, run by
the app's one runner; after a change to mandates the banner, the
ending-soon list and an open mandates dialog reload themselves. The window
only creates this object and tells it which person is on screen.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _
from casework.kernel.records import PersonDetail
from delegation.records import (
    AuditRecord,
    EndingSoon,
    GrantChoices,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    PassOnChoices,
    PassOnRequest,
)
from delegation.scope import Scope
from ui.backend import Backend
from ui.host import Host
from ui.mandates.banner import ActingBanner
from ui.mandates.grant_dialog import GrantMandateDialog
from ui.mandates.kiosk import KioskWindow
from ui.mandates.pass_on_dialog import PassOnDialog
from ui.mandates.reminders import EndingSoonPanel, ending_soon_message
from ui.mandates.review_dialog import ReviewDialog, ReviewsDuePanel
from ui.mandates.view import MandatesDialog, RenewDialog
from ui.operations import Changes, Op, Operations, access, background, paper
from ui.operations import mandates as mandate_ops
from ui.paper.keeper import PdfKeeper
from ui.qt import Qt, QtCore, QtGui, QtWidgets
from ui.widgets import pdf_chooser


class MandatesController(QtCore.QObject):
    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.banner = ActingBanner()  # made again by build_banner at each window build
        self.person_id: int | None = None
        self._generation = 0
        self.grant_dialog: GrantMandateDialog | None = None
        self.mandates_dialog: MandatesDialog | None = None
        self.print_dialog: QtWidgets.QDialog | None = None
        self.kiosk: KioskWindow | None = None
        self.printed_pages = 0
        self.keeper: PdfKeeper | None = None  # the last frozen form or report saved
        self.ending_panel = EndingSoonPanel()
        self.ending_panel.renew_requested.connect(self.renew_ending)
        self.reviews_panel = ReviewsDuePanel()
        self.reviews_panel.review_requested.connect(self.review_due)
        self.pass_on_dialog: PassOnDialog | None = None
        self.review_dialog: ReviewDialog | None = None
        self._dialog_person_id: int | None = None
        host.ops.changes_applied.connect(self._changes_applied)
        self.renew_dialog: RenewDialog | None = None

    @property
    def backend(self) -> Backend:
        return self.host.backend

    @property
    def ops(self) -> Operations:
        return self.host.ops

    def build_banner(self) -> ActingBanner:
        """A new "Acting for" banner for the window to place (after each rebuild)."""
        self.banner = ActingBanner()
        return self.banner

    def add_actions(self, menu: QtWidgets.QMenu) -> list[QtGui.QAction]:
        """The People menu's mandate entries (enabled only when signed in)."""
        w = self.host
        menu.addSeparator()
        return [
            w.add_action(menu, _("&Grant a mandate…"), ["Ctrl+Shift+G"], self.grant),
            w.add_action(menu, _("Man&dates and audit…"), ["Ctrl+Shift+M"], self.show_mandates),
            w.add_action(
                menu, _("Start an &assisted session…"), ["Ctrl+Shift+A"], self.start_kiosk
            ),
        ]

    def _status(self, text: str) -> None:
        self.host.show_status(text, 8000)

    def signed_in(self) -> None:
        """Wipe any assisted session left open past its end (the app was closed)."""

        def done(count: int) -> None:
            if count:
                self._status(
                    _("An assisted session was left open; the person's details were wiped.")
                )

        self.ops.run(mandate_ops.wipe_abandoned_sessions(), done)
        self.load_ending_soon(announce=True)
        self.load_reviews_due()

    def signed_out(self) -> None:
        self.ending_panel.show_rows([])
        self.reviews_panel.show_rows([])

    # -- reminders ---------------------------------------------------------------------
    def load_ending_soon(self, announce: bool = False) -> None:
        """Mandates ending within 30 days: the list, and at sign-in a status line."""

        def found(rows: list[EndingSoon]) -> None:
            if self.backend.current_actor is None:
                return  # signed out meanwhile
            self.ending_panel.show_rows(rows)
            if announce and rows:
                self._status(ending_soon_message(rows))

        self.ops.run(mandate_ops.ending_soon(), found, lambda _e: None)

    def load_reviews_due(self) -> None:
        """Mandates of the team's people whose review is due within 14 days or past."""

        def found(rows: list[MandateRecord]) -> None:
            if self.backend.current_actor is not None:
                self.reviews_panel.show_rows(rows)

        self.ops.run(mandate_ops.reviews_due(), found, lambda _e: None)

    def review_due(self, mandate_id: int, person_id: int) -> None:
        """Open the review dialog for a mandate from the reviews-due list."""
        mandate = next((m for m in self.reviews_panel.rows if m.id == mandate_id), None)
        if mandate is not None:
            self.review(mandate, self.host.dialog_parent())

    def _forget(self, name: str, dialog: QtWidgets.QDialog) -> None:
        if getattr(self, name) is dialog:
            setattr(self, name, None)

    def review(self, mandate: MandateRecord, parent: QtWidgets.QWidget) -> None:
        """The review dialog: kept, narrowed or ended."""

        def open_dialog(services: list[tuple[str, str]]) -> None:
            titles = {f"service:{sid}": title for sid, title in services}
            dialog = ReviewDialog(mandate, titles, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.review_dialog = dialog
            dialog.destroyed.connect(lambda _obj=None: self._forget("review_dialog", dialog))

            def chosen(outcome: str, next_review: datetime | None, scope: Scope | None) -> None:
                def done(_version: int) -> None:
                    dialog.reviewed()
                    self._status(
                        _("The mandate was ended.")
                        if outcome == "ended"
                        else _("The review was recorded.")
                    )

                def refused(exc: AlongsideError) -> None:
                    fields = exc.fields if isinstance(exc, InvalidInput) else {}
                    dialog.refused(fields, "" if fields else exc.message)

                # Its Changes reload the lists, the banner and an open mandates view.
                self.ops.run(
                    mandate_ops.record_review(
                        mandate.person_id, mandate.id, mandate.version, outcome, next_review, scope
                    ),
                    done,
                    refused,
                )

            dialog.review_requested.connect(chosen)
            dialog.open()
            dialog.kept.setFocus()

        self.ops.run(access.service_titles(), open_dialog, lambda exc: self._status(exc.message))

    def pass_on(self, mandate_id: int, person_id: int, parent: QtWidgets.QWidget) -> None:
        """The pass-on dialog for a mandate the worker may pass on."""

        def open_dialog(choices: PassOnChoices) -> None:
            dialog = PassOnDialog(choices, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.pass_on_dialog = dialog
            dialog.destroyed.connect(lambda _obj=None: self._forget("pass_on_dialog", dialog))

            def requested(request: PassOnRequest) -> None:
                def refused(exc: AlongsideError) -> None:
                    fields = exc.fields if isinstance(exc, InvalidInput) else {}
                    dialog.refused(fields, "" if fields else exc.message)

                self.ops.run(mandate_ops.pass_on(person_id, request), dialog.passed, refused)

            dialog.pass_on_requested.connect(requested)
            dialog.open()
            dialog.colleague.setFocus()

        def cannot(exc: AlongsideError) -> None:
            if self.mandates_dialog is not None:
                self.mandates_dialog.refused(exc.message)
            self._status(exc.message)

        self.ops.run(mandate_ops.pass_on_choices(mandate_id), open_dialog, cannot)

    def renew_ending(self, mandate_id: int, person_id: int) -> None:
        """Open the renew dialog for a mandate from the ending-soon list."""

        def found(mandates: list[MandateRecord]) -> None:
            mandate = next((m for m in mandates if m.id == mandate_id), None)
            if mandate is None:
                self._status(_("That mandate is no longer there."))
                self.load_ending_soon()
                return
            dialog = RenewDialog(mandate, self.host.dialog_parent())
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.renew_dialog = dialog

            def chosen(ends_at: datetime, agreed: bool) -> None:
                # Its Changes reload the list, the banner and an open mandates view.
                self.ops.run(
                    mandate_ops.renew(person_id, mandate.id, mandate.version, ends_at, agreed),
                    lambda _version: self._status(_("The mandate was renewed.")),
                    lambda exc: self._status(exc.message),
                )

            dialog.chosen.connect(chosen)
            dialog.open()
            dialog.end.setFocus()

        self.ops.run(
            mandate_ops.person_mandates(person_id), found, lambda exc: self._status(exc.message)
        )

    # -- the banner --------------------------------------------------------------------
    def person_shown(self, person_id: int | None) -> None:
        """The person now on screen (None: nobody): show or hide the banner."""
        self.person_id = person_id
        self._generation += 1
        generation = self._generation
        banner = self.banner
        if person_id is None:
            banner.show_mandate(None)
            return

        def found(mandate: MandateRecord | None) -> None:
            if generation == self._generation:
                self.banner.show_mandate(mandate)

        self.ops.run(mandate_ops.acting_mandate(person_id), found, lambda _exc: found(None))

    def _refresh_banner(self) -> None:
        self.person_shown(self.person_id)

    # -- granting ------------------------------------------------------------------------
    def _person(self) -> PersonDetail | None:
        person = self.host.shown_person()
        if person is None or not self.host.is_working():
            self._status(_("Choose a person first."))
            return None
        return person

    def grant(self) -> None:
        person = self._person()
        if person is None:
            return
        self.ops.run(mandate_ops.grant_choices(), lambda found: self._grant_dialog(person, found))

    def _grant_dialog(self, person: PersonDetail, choices: GrantChoices) -> None:
        actor = self.backend.current_actor
        dialog = GrantMandateDialog(
            person,
            choices.grantees,
            choices.scopes,
            choices.longest_days,
            actor.display_name if actor else "",
            self.mandates_dialog or self.host.dialog_parent(),
            choices.supervisors,
            choices.names,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.grant_dialog = dialog

        def grant(request: GrantRequest) -> None:
            def granted(outcome: GrantOutcome) -> None:
                dialog.granted(outcome)  # its Changes reload the banner and the mandates view

            def refused(exc: AlongsideError) -> None:
                fields = exc.fields if isinstance(exc, InvalidInput) else {}
                dialog.refused(fields, "" if fields else exc.message)

            self.ops.run(mandate_ops.grant(request), granted, refused)

        dialog.grant_requested.connect(grant)
        dialog.receipt_requested.connect(self.save_receipt)
        dialog.open()

    # -- the receipt ------------------------------------------------------------------
    def save_receipt(self, mandate_id: int, path: Path) -> None:
        def saved(done: Path) -> None:
            if self.grant_dialog is not None:
                self.grant_dialog.receipt_saved(done)
            self._status(_("The receipt was saved to {path}.").format(path=done))
            self.open_print_dialog(done)

        self.ops.run(
            mandate_ops.save_consent_receipt(mandate_id, path),
            saved,
            lambda exc: self._status(exc.message),
        )

    def open_print_dialog(self, path: Path) -> None:
        from PySide6 import QtPrintSupport

        from ui.paper.printing import print_pdf

        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        dialog = QtPrintSupport.QPrintDialog(
            printer, QtWidgets.QApplication.activeWindow() or self.host.dialog_parent()
        )
        dialog.setObjectName("receiptPrintDialog")
        dialog.setWindowTitle(_("Print the consent receipt"))
        self.print_dialog = dialog
        self.printer = printer

        def chosen() -> None:
            def printed(pages: int) -> None:
                self.printed_pages = pages
                self._status(_("The receipt was sent to the printer."))

            self.ops.run(
                background(lambda: print_pdf(path, printer)),
                printed,
                lambda exc: self._status(exc.message),
            )

        dialog.accepted.connect(chosen)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _receipt_from_list(self, mandate_id: int) -> None:
        chooser = pdf_chooser(
            self.mandates_dialog,
            _("Save the consent receipt"),
            f"consent-receipt-{mandate_id}.pdf",
            "receiptFileDialog",
        )
        chooser.fileSelected.connect(lambda name: self.save_receipt(mandate_id, Path(name)))
        chooser.open()

    # -- a frozen form and the acted-for report ----------------------------------------
    def _keeper(self) -> PdfKeeper:
        keeper = PdfKeeper(self.ops, self)
        keeper.saved.connect(lambda path: self._status(_("Saved to {path}.").format(path=path)))
        keeper.failed.connect(self._status)
        keeper.printed.connect(lambda _pages: self._status(_("Sent to the printer.")))
        self.keeper = keeper
        return keeper

    def print_frozen(self, draft_id: int) -> None:
        """Save (then offer to print) a frozen form for the person."""
        self._keeper().keep(
            self.host.dialog_parent(),
            _("Save the form for the person"),
            f"form-{draft_id}.pdf",
            paper.draft_pdf(draft_id),
            _("Print the form for the person"),
        )

    def save_report(self, person_id: int, parent: QtWidgets.QWidget) -> None:
        """Save (then offer to print) the "who acted for me" report."""
        self._keeper().keep(
            parent,
            _("Save the who acted for me report"),
            f"who-acted-for-me-{person_id}.pdf",
            paper.acted_for_report(person_id),
            _("Print the who acted for me report"),
        )

    # -- the mandates view ---------------------------------------------------------------
    def show_mandates(self) -> None:
        person = self._person()
        if person is None:
            return
        actor = self.backend.current_actor
        me = (actor.worker_id, actor.team_id) if actor else None
        dialog = MandatesDialog(person.full_name, self.host.dialog_parent(), me)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mandates_dialog = dialog
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "mandates_dialog", None))
        person_id = person.id
        self._dialog_person_id = person_id

        def act(op: Op[int], done_text: str) -> None:
            def done(_version: object) -> None:
                dialog.done_action(done_text)
                self._status(done_text)

            # Its Changes reload this view, the banner and the ending-soon list.
            self.ops.run(op, done, lambda exc: dialog.refused(exc.message))

        dialog.renew_requested.connect(
            lambda mid, version, end, agreed: act(
                mandate_ops.renew(person_id, mid, version, end, agreed),
                _("The mandate was renewed."),
            )
        )
        dialog.suspend_requested.connect(
            lambda mid, version, code: act(
                mandate_ops.suspend(person_id, mid, version, code), _("The mandate was suspended.")
            )
        )
        dialog.revoke_requested.connect(
            lambda mid, version, code: act(
                mandate_ops.revoke(person_id, mid, version, code), _("The mandate was revoked.")
            )
        )

        def lift(mid: int, version: int, reason: str) -> None:
            def done(_version: object) -> None:
                dialog.lift_answered(None)
                dialog.done_action(_("The mandate was started again."))
                self._status(_("The mandate was started again."))

            def refused(exc: AlongsideError) -> None:
                dialog.lift_answered(exc)
                self._reload_mandates(person_id)  # the refusal is in the audit too

            self.ops.run(mandate_ops.lift(person_id, mid, version, reason), done, refused)

        dialog.activate_requested.connect(lift)
        dialog.receipt_requested.connect(self._receipt_from_list)
        dialog.pass_on_requested.connect(lambda mid: self.pass_on(mid, person_id, dialog))
        dialog.review_requested.connect(
            lambda mid: self.review(next(m for m in dialog.mandates if m.id == mid), dialog)
        )
        dialog.grant_requested.connect(self.grant)
        dialog.report_requested.connect(lambda: self.save_report(person_id, dialog))
        dialog.open()
        self._reload_mandates(person_id)

    def _reload_mandates(self, person_id: int) -> None:
        dialog = self.mandates_dialog
        if dialog is None:
            return

        def loaded(found: tuple[list[MandateRecord], list[AuditRecord]]) -> None:
            if self.mandates_dialog is dialog:
                dialog.show_mandates(found[0])
                dialog.show_audit(found[1])

        self.ops.run(
            mandate_ops.mandates_and_audit(person_id),
            loaded,
            lambda exc: dialog.refused(exc.message),
        )

    # -- the kiosk -----------------------------------------------------------------------
    def start_kiosk(self, *, full_screen: bool = True) -> None:
        if not self.host.is_working():
            return

        def open_kiosk(services: list[tuple[str, str]]) -> None:
            kiosk = KioskWindow(self.backend, self.ops, services)
            kiosk.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            kiosk.finished.connect(self._kiosk_finished)
            kiosk.destroyed.connect(lambda _obj=None: self.host.dialog_parent().show())
            self.kiosk = kiosk
            # Nothing else of Alongside stays on screen while the session runs.
            self.host.dialog_parent().hide()
            if full_screen:
                kiosk.showFullScreen()
            else:
                kiosk.show()
            kiosk.given_name.setFocus()

        self.ops.run(access.service_titles(), open_kiosk)

    def _kiosk_finished(self, outcome: str) -> None:
        self.kiosk = None
        self._status(
            _("The session ended and the person's details were kept.")
            if outcome == "kept"
            else _("The session ended and everything about the person was wiped.")
        )
        # The session's own Changes have reloaded the people and case lists.

    # -- after a change ------------------------------------------------------------------
    def _changes_applied(self, changes: Changes) -> None:
        if not changes.mandates or self.backend.current_actor is None:
            return
        self.load_ending_soon()
        self.load_reviews_due()
        self._refresh_banner()
        if self.mandates_dialog is not None and self._dialog_person_id is not None:
            self._reload_mandates(self._dialog_person_id)
