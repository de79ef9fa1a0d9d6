"""What a payment's outcome says on the case timeline, in money.

"received" is written only for a delivered item, which the sync engine makes
only when Pay says the payment's status is ``success``.
"""

from __future__ import annotations

import json

from casework.kernel.i18n import N_, _
from casework.kernel.timeline import Line, line
from offline_sync.records import OutboxState

# Pay's codes for a payment that ended without the money (state.code).
REASONS = {
    "P0010": N_("the card or payment method was declined"),
    "P0020": N_("the payment page expired before the person paid"),
    "P0030": N_("the person cancelled the payment"),
    "P0040": N_("the payment was cancelled"),
    "P0050": N_("the payment provider had a problem"),
}
TEXT = {
    OutboxState.SENT: N_("Payment of {amount} requested: the payment page is ready."),
    OutboxState.DELIVERED: N_("Payment of {amount} received."),
    OutboxState.FAILED: N_("Payment of {amount} not made: {reason}"),
    OutboxState.NEEDS_ATTENTION: N_("Payment request of {amount} needs attention. {reason}"),
    OutboxState.CANCELLED: N_("Payment request of {amount} cancelled. {reason}"),
}


def pounds(pence: int) -> str:
    """An amount in pence as the worker reads it: £10.00."""
    return f"£{pence // 100:,}.{pence % 100:02d}"


def amount_of(body: str) -> int | None:
    """The amount (pence) in a ``pay`` item's stored request body."""
    try:
        amount = json.loads(body).get("amount")
    except (ValueError, AttributeError):
        return None
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


def reason(code: str | None) -> str | None:
    """Pay's code for a payment that was not made, in words (None if not known)."""
    text = REASONS.get(code or "")
    return _(text) if text else None


def summary(body: str, state: OutboxState, message: str | None) -> Line | None:
    """The timeline line for a ``pay`` item reaching ``state`` (None: say nothing)."""
    text = TEXT.get(state)
    amount = amount_of(body)
    if text is None or amount is None:
        return None
    return line(text, amount=pounds(amount), reason=message or "")
