"""The audit tab's lines: one per audit entry, except a sitting's autosaves.

Every autosave of a form under a mandate is an audit entry ("draft"); shown
one by one they flood the tab. Consecutive allowed saves by one worker, of
one service, under one mandate and no more than ``SITTING_GAP`` apart are
one line: "Worked on a form: 12 changes", from the first to the last
("5 Dec 2026 10:02–10:31"). Only the view groups: every entry stays in the
audit, and a line says how many it stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from casework.kernel.i18n import _, ngettext
from delegation.records import AuditRecord
from ui.labels import when

SITTING_GAP = timedelta(minutes=30)


@dataclass(frozen=True)
class AuditLine:
    """One row of the audit tab: the entries it stands for, newest first."""

    entries: tuple[AuditRecord, ...]

    @property
    def first(self) -> AuditRecord:
        return self.entries[-1]

    @property
    def last(self) -> AuditRecord:
        return self.entries[0]

    def when_text(self) -> str:
        """When: one time, or a span ("5 Dec 2026 10:02–10:31")."""
        start, end = when(self.first.at), when(self.last.at)
        if start == end:
            return start
        if start[:-5] == end[:-5]:  # the same day: "… HH:mm–HH:mm"
            return f"{start}–{end[-5:]}"
        return f"{start} – {end}"

    def what_text(self, label: str) -> str:
        """What: the action's words, with the number of changes when grouped."""
        if len(self.entries) == 1:
            return label
        n = len(self.entries)
        return ngettext("{what}: {n} change", "{what}: {n} changes", n).format(what=label, n=n)


def _same_sitting(line: list[AuditRecord], entry: AuditRecord) -> bool:
    newer = line[-1]
    return (
        entry.action == "draft"
        and entry.outcome == "allow"
        and newer.action == "draft"
        and newer.outcome == "allow"
        and entry.worker == newer.worker
        and entry.target == newer.target
        and entry.mandate_id == newer.mandate_id
        and abs(newer.at - entry.at) <= SITTING_GAP
    )


def audit_lines(entries: list[AuditRecord]) -> list[AuditLine]:
    """``entries`` (newest first, as listed) as the tab's lines, autosaves grouped."""
    lines: list[list[AuditRecord]] = []
    for entry in entries:
        if lines and _same_sitting(lines[-1], entry):
            lines[-1].append(entry)
        else:
            lines.append([entry])
    return [AuditLine(tuple(line)) for line in lines]


def outcome_text(entry: AuditRecord) -> str:
    return _("Allowed") if entry.outcome == "allow" else _("Refused")
