"""What the window is told about text updates on a case (plain values, no session)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextUpdates:
    """Whether the person gets text updates on this case, and why not when not.

    ``problem`` is the one sentence saying why no text will go (empty when
    texts will go, or when the person has not asked for them); ``can_turn_on``
    says whether the toggle may be switched on now.
    """

    case_id: int
    enabled: bool
    phone: str  # the mobile number as shown (the agreed one when on), or ""
    can_turn_on: bool
    problem: str
    version: int  # 0 before the person was first asked
