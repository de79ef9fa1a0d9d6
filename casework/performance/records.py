"""What the screens see of a case's failure demand: plain values, no session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DemandPick:
    """One pick of reasons on a case (reason keys, in the list's order)."""

    id: int
    moment: str
    reasons: tuple[str, ...]
    note: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class CaseDemand:
    """A case's reasons, time spent and outcome.

    ``outcome_derived``: the outcome comes from what happened on the case (a
    form sent, printed or escalated), not from the worker, who may still set it."""

    case_id: int
    picks: tuple[DemandPick, ...]
    minutes: int
    outcome: str | None
    outcome_on: date | None
    outcome_derived: bool

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason recorded on the case, once each, in the list's order."""
        from casework.performance.reasons import REASONS

        seen = {r for pick in self.picks for r in pick.reasons}
        return tuple(r.value for r in REASONS if r.value in seen)
