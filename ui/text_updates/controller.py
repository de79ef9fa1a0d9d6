"""Loads the shown case's text updates into its row and records the person's choice.

The window makes one ``TextUpdatesController``, calls ``attach`` with the
case view's row when it (re)builds its widgets and ``case_shown`` when a case
is on screen; a change to that case (a new phone number, a revoked mandate)
reloads the row.
"""

from __future__ import annotations

from casework.kernel.errors import AlongsideError, InvalidInput
from offline_sync.text_updates.records import TextUpdates
from ui.cases.text_updates import TextUpdatesRow
from ui.host import Host
from ui.operations import Changes
from ui.operations import text_updates as ops
from ui.qt import QtCore


class TextUpdatesController(QtCore.QObject):
    def __init__(self, host: Host, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.row: TextUpdatesRow | None = None
        self._listening = False

    def attach(self, row: TextUpdatesRow) -> None:
        self.row = row
        row.change_requested.connect(self._change)
        if not self._listening:
            self.host.ops.changes_applied.connect(self._changes_applied)
            self._listening = True

    def case_shown(self, case_id: int) -> None:
        def shown(updates: TextUpdates) -> None:
            case = self.host.shown_case()
            if self.row is not None and case is not None and case.id == case_id:
                self.row.show_updates(updates)

        if self.row is not None and (self.row.shown is None or self.row.shown.case_id != case_id):
            self.row.hide()
        self.host.ops.run(ops.text_updates(case_id), shown, lambda exc: None)

    def _changes_applied(self, changes: Changes) -> None:
        case = self.host.shown_case()
        touched = case is not None and (
            case.id in changes.case_ids or case.person_id in changes.person_ids
        )
        if case is not None and (touched or changes.mandates):
            self.case_shown(case.id)

    def _change(self, case_id: int, enabled: bool, version: int) -> None:
        self.host.ops.run(ops.set_text_updates(case_id, enabled, version), None, self._refused)

    def _refused(self, exc: AlongsideError) -> None:
        if self.row is None:
            return
        fields = dict(exc.fields) if isinstance(exc, InvalidInput) else {}
        self.row.refuse(" ".join(fields.values()) or exc.message)
