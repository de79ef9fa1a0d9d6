"""Plain values about mandates that cross to the UI (no SQLAlchemy here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EndingSoon:
    """A mandate to the worker (or their team) that ends within 30 days."""

    mandate_id: int
    person_id: int
    person_name: str
    ends_at: datetime
    days_left: int


@dataclass(frozen=True)
class Effects:
    """What ending some mandates did to the work done under them."""

    mandate_ids: tuple[int, ...] = ()
    cancelled: tuple[str, ...] = ()  # outbox item ids stopped
    left_to_finish: tuple[str, ...] = ()  # queued, and the person agreed they may go
    flagged: tuple[str, ...] = ()  # already sent: flagged on the case timeline
    expired: tuple[int, ...] = ()
    lapsed: tuple[int, ...] = ()
