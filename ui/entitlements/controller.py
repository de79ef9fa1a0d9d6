"""Runs the Next claims work: loads a case's suggestions and the worker's own,
starts one (then the window opens its form) and puts one aside."""

from __future__ import annotations

from datetime import date

from casework.entitlements.records import (
    DecisionRecord,
    StartedSuggestion,
    SuggestionRecord,
    outcome_words,
)
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _, ngettext
from ui.entitlements.decision import DecisionRow
from ui.entitlements.panel import MySuggestionsList, SuggestionsPanel
from ui.host import Host
from ui.operations import suggestions as ops
from ui.operations.op import Changes
from ui.qt import QtCore, Signal


class SuggestionsUi(QtCore.QObject):
    """Keeps the Next claims tab and the My cases list up to date."""

    form_requested = Signal(int)  # draft id: a started suggestion's form, to open

    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.ops = host.ops
        self.ops.changes_applied.connect(self._changes_applied)
        self.panel: SuggestionsPanel | None = None
        self.mine: MySuggestionsList | None = None

    # Each answer checks its widgets are still the window's: a language switch
    # rebuilds them (and ``attach`` is called again) while work is on its way.
    def attach(
        self, panel: SuggestionsPanel, mine: MySuggestionsList, decision: DecisionRow
    ) -> None:
        """Wire the case view's tab, the My cases list and the Forms tab's
        decision row (after each rebuild)."""
        self.panel, self.mine = panel, mine
        decision.decision_requested.connect(
            lambda draft_id, outcome, day: self._decide(panel, decision, draft_id, outcome, day)
        )
        panel.reload_requested.connect(lambda: self._load(panel))
        panel.start_requested.connect(lambda c, s, v: self._start(panel, c, s, v))
        panel.dismiss_requested.connect(lambda c, s, v, r, n: self._dismiss(panel, c, s, v, r, n))
        mine.case_requested.connect(self.host.open_case)

    def load_mine(self) -> None:
        mine = self.mine
        if mine is None:
            return

        def loaded(rows: list[SuggestionRecord]) -> None:
            if mine is self.mine:  # not a list a language switch has since replaced
                mine.show_rows(rows)

        self.ops.run(ops.my_suggestions(), loaded, lambda _exc: loaded([]))

    def _load(self, panel: SuggestionsPanel) -> None:
        case_id = panel.case_id
        if case_id is None:
            return

        def current() -> bool:  # the same case, on a tab not since rebuilt
            return panel is self.panel and panel.case_id == case_id

        def loaded(rows: list[SuggestionRecord]) -> None:
            if current():
                panel.show_suggestions(rows)

        def refused(exc: AlongsideError) -> None:
            if current():
                panel.show_suggestions([])
                panel.refuse(exc.message)

        self.ops.run(ops.case_suggestions(case_id), loaded, refused)

    def _start(self, panel: SuggestionsPanel, case_id: int, sid: int, version: int) -> None:
        def refused(exc: AlongsideError) -> None:
            if panel is self.panel:
                panel.refuse(exc.message)

        def started(found: StartedSuggestion) -> None:
            self.host.show_status(
                _("Form started: {title}. Answers already known are offered in it.").format(
                    title=found.suggestion.title
                )
            )
            self.form_requested.emit(found.draft.id)

        self.ops.run(
            ops.start_suggestion(case_id, sid, version),
            started,
            refused,
        )

    def _dismiss(
        self, panel: SuggestionsPanel, case_id: int, sid: int, version: int, reason: str, note: str
    ) -> None:
        def refused(exc: AlongsideError) -> None:
            if panel is self.panel:
                panel.refuse(exc.message)

        def done(record: SuggestionRecord) -> None:
            if panel is self.panel:
                panel.dismissed()
            self.host.show_status(_("Put aside: {title}.").format(title=record.title))

        self.ops.run(
            ops.dismiss_suggestion(case_id, sid, version, reason, note),
            done,
            refused,
        )

    def _decide(
        self,
        panel: SuggestionsPanel,
        row: DecisionRow,
        draft_id: int,
        outcome: str,
        day: date,
    ) -> None:
        case_id = panel.case_id
        if case_id is None:
            return

        def refused(exc: AlongsideError) -> None:
            if panel is self.panel:
                row.refuse(exc.message)

        def done(found: DecisionRecord) -> None:
            if panel is self.panel:
                row.recorded()
            text = _("Decision recorded: {outcome}.").format(outcome=outcome_words(found.outcome))
            if found.suggested:
                text += " " + ngettext(
                    "{n} more claim is suggested under Next claims.",
                    "{n} more claims are suggested under Next claims.",
                    found.suggested,
                ).format(n=found.suggested)
            self.host.show_status(text)

        self.ops.run(
            ops.record_decision(case_id, draft_id, outcome, day),
            done,
            refused,
        )

    def _changes_applied(self, changes: Changes) -> None:
        panel = self.panel
        if panel is not None and changes.touches_case(panel.case_id):
            self._load(panel)
        if changes.case_ids:
            self.load_mine()
