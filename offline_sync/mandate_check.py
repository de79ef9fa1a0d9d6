"""Whether a queued outbox item may still go, judged by the mandate it was queued under.

An item carries the mandate (``mandate_id``, ``mandate_version``) it was
created under. At claim time the engine reads that mandate (only
``delegation.models.Mandate``, never the policy modules) and cancels the
item if the mandate is no longer active: revoked, expired, suspended,
rejected, gone, or past its end date (lapsed, before the expiry job has
caught up). A sub-mandate falls with its parent. The one exception is the
mandate's own work-in-progress rule: ``finish_queued`` lets items queued
before the mandate ended still be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from casework.kernel.i18n import N_, _
from delegation.models import Mandate
from delegation.records import MandateStatus, WorkInProgress

# How deep a chain of passed-on mandates is followed (sub-mandates only narrow).
MAX_CHAIN = 10

REASONS = {
    MandateStatus.REVOKED: N_("the person revoked the mandate to act for them"),
    MandateStatus.EXPIRED: N_("the mandate to act for this person has expired"),
    MandateStatus.SUSPENDED: N_("the mandate to act for this person is suspended"),
    MandateStatus.REJECTED: N_("the mandate to act for this person was rejected"),
    MandateStatus.PROPOSED: N_("the mandate to act for this person is not active yet"),
}
LAPSED = N_("the mandate to act for this person reached its end date")
MISSING = N_("the mandate this was queued under no longer exists")


@dataclass(frozen=True)
class Blocked:
    """Why an item may not go: a short error type and a sentence for a person."""

    error_type: str
    message: str


def _ended(mandate: Mandate, now: datetime) -> tuple[str, str, datetime] | None:
    """(error type, reason, when it ended) if this mandate alone stops work, else None."""
    if mandate.status is not MandateStatus.ACTIVE:
        return (
            f"Mandate{mandate.status.value.capitalize()}",
            REASONS[mandate.status],
            mandate.status_changed_at,
        )
    if now >= mandate.ends_at:
        return "MandateLapsed", LAPSED, mandate.ends_at
    if now < mandate.starts_at:
        return "MandateNotStarted", REASONS[MandateStatus.PROPOSED], mandate.starts_at
    return None


def blocked(
    session: Session,
    mandate_id: int | None,
    mandate_version: int | None,
    queued_at: datetime,
    now: datetime,
) -> Blocked | None:
    """Why an item queued at ``queued_at`` under this mandate must not go now (or None)."""
    if mandate_id is None:
        return None
    mandate = session.get(Mandate, mandate_id)
    if mandate is None:
        return Blocked("MandateMissing", _(
            "Cancelled: {reason}, so it was not sent."
        ).format(reason=_(MISSING)))  # fmt: skip
    own = mandate
    seen = 0
    ended: tuple[str, str, datetime] | None = None
    while mandate is not None and seen < MAX_CHAIN:
        ended = _ended(mandate, now)
        if ended is not None:
            break
        mandate = session.get(Mandate, mandate.parent_id) if mandate.parent_id else None
        seen += 1
    if ended is None:
        return None
    error_type, reason, when = ended
    if own.work_in_progress is WorkInProgress.FINISH_QUEUED and queued_at <= when:
        return None  # the person agreed that work already queued may finish
    changed = ""
    if mandate_version is not None and own.version != mandate_version:
        changed = " " + _(
            "(It was queued under version {old}; the mandate is now at {new}.)"
        ).format(old=mandate_version, new=own.version)
    return Blocked(
        error_type,
        _("Cancelled: {reason} on {date}, so it was not sent.").format(
            reason=_(reason), date=when.strftime("%d/%m/%Y")
        )
        + changed,
    )
