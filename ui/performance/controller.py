"""Opens the reasons picker at the three moments (a case opened, a form
started, an assisted session ended) and on request from the case's row; loads
the shown case's reasons, time and outcome into that row.

The window makes one ``DemandController``, calls ``attach`` with the case
view's row when it (re)builds its widgets and ``case_shown`` when a case is
on screen; a change to that case reloads the row.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _
from casework.performance.reasons import Moment
from casework.performance.records import CaseDemand
from ui.host import Host
from ui.operations import Changes, Op, Operations
from ui.operations import performance as ops
from ui.performance.case_row import DemandRow
from ui.performance.picker import ReasonsPicker
from ui.qt import Qt, QtCore, QtWidgets


def _words(exc: AlongsideError) -> str:
    fields = dict(exc.fields) if isinstance(exc, InvalidInput) else {}
    return " ".join(fields.values()) or exc.message


def ask(
    runner: Operations,
    parent: QtWidgets.QWidget,
    heading: str,
    save: Callable[[list[str], str], Op[int]],
) -> ReasonsPicker:
    """Open a picker over ``parent``; ``save(reasons, note)`` makes the
    operation that records them. Esc closes it and records nothing."""
    picker = ReasonsPicker(heading, parent)

    def requested(reasons: list[str], note: str) -> None:
        runner.run(
            save(reasons, note), lambda _id: picker.saved(), lambda exc: picker.refused(_words(exc))
        )

    def give_back() -> None:
        # The keyboard goes back to where the worker was (or to what the
        # screen behind asked for meanwhile, a new form's first question).
        window = parent.window()
        window.activateWindow()
        focus = window.focusWidget()
        if focus is not None and focus.isVisible():
            focus.setFocus(Qt.FocusReason.PopupFocusReason)

    picker.save_requested.connect(requested)
    # After the dialog has gone (its window must be gone before the one
    # behind can take the keyboard back).
    picker.finished.connect(lambda _result: QtCore.QTimer.singleShot(0, give_back))
    picker.open()
    return picker


class DemandController(QtCore.QObject):
    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.row: DemandRow | None = None
        self.picker: ReasonsPicker | None = None
        self._listening = False

    def attach(self, row: DemandRow) -> None:
        self.row = row
        row.reasons_requested.connect(lambda case_id: self.ask(case_id, Moment.LATER))
        row.time_requested.connect(self._add_time)
        row.outcome_requested.connect(self._set_outcome)
        if not self._listening:
            self.host.ops.changes_applied.connect(self._changes_applied)
            self._listening = True

    def ask(self, case_id: int, moment: Moment, draft_id: int | None = None) -> ReasonsPicker:
        """The picker for ``case_id`` at ``moment`` (Esc skips, recording nothing)."""
        headings = {
            Moment.CASE_OPENED: _("The case is open. Why did the person need help?"),
            Moment.FORM_STARTED: _("The form is started. Why did the person need help?"),
            Moment.LATER: _("Why did the person need help?"),
        }

        def save(reasons: list[str], note: str) -> Op[int]:
            return ops.record_reasons(case_id, reasons, moment.value, note, draft_id)

        self.picker = ask(self.host.ops, self.host.dialog_parent(), headings[moment], save)
        return self.picker

    def case_shown(self, case_id: int) -> None:
        def shown(found: CaseDemand) -> None:
            case = self.host.shown_case()
            if self.row is not None and case is not None and case.id == case_id:
                self.row.show_demand(found)

        if self.row is not None and (self.row.shown is None or self.row.shown.case_id != case_id):
            self.row.hide()
        self.host.ops.run(ops.case_demand(case_id), shown, lambda exc: None)

    def _changes_applied(self, changes: Changes) -> None:
        case = self.host.shown_case()
        if case is not None and (case.id in changes.case_ids or changes.mandates):
            self.case_shown(case.id)

    def _add_time(self, case_id: int, minutes: int) -> None:
        self.host.ops.run(ops.add_time(case_id, minutes), None, self._refused)

    def _set_outcome(self, case_id: int, outcome: str) -> None:
        self.host.ops.run(ops.set_outcome(case_id, outcome), None, self._refused)

    def _refused(self, exc: AlongsideError) -> None:
        if self.row is not None:
            self.row.refuse(_words(exc))
