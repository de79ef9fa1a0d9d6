"""Plain values about escalations and referrals, for the UI and the command line.

No database here: these cross threads and reach ``ui/``, which must not
import SQLAlchemy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from casework.kernel.i18n import N_, _

REASONS = (
    "no_decision",
    "wrong_decision",
    "lost_evidence",
    "urgent_hardship",
    "safeguarding",
    "other",
)
# Most urgent first: the escalations view sorts on this order, then on the breach time.
URGENCY = ("breached", "due_soon", "waiting", "acknowledged")


REASON_WORDS = {
    "no_decision": N_("No decision made"),
    "wrong_decision": N_("Wrong decision"),
    "lost_evidence": N_("Evidence lost"),
    "urgent_hardship": N_("Urgent hardship"),
    "safeguarding": N_("Safeguarding"),
    "other": N_("Something else"),
}


def reason_label(reason: str) -> str:
    words = REASON_WORDS.get(reason)
    return _(words) if words else reason


def urgency_label(urgency: str) -> str:
    return {
        "breached": _("Breached"),
        "due_soon": _("Due soon"),
        "waiting": _("Waiting for acknowledgement"),
        "acknowledged": _("Acknowledged"),
    }.get(urgency, urgency)


def status_label(status: str) -> str:
    return {
        "raised": _("Raised"),
        "acknowledged": _("Acknowledged"),
        "resolved": _("Resolved"),
        "closed": _("Closed"),
    }.get(status, status)


@dataclass(frozen=True)
class FacilitatorCard:
    """Who an escalation goes to, as the worker sees it before sending."""

    level: int
    name: str
    role: str
    organisation: str
    email: str
    phone: str
    hours: str
    languages: str
    channel: str  # "email" or "paper"
    postal_address: tuple[str, ...]
    sla_working_days: int
    due_on: date


@dataclass(frozen=True)
class EscalationSettings:
    """The profile's escalation settings: the Notify template for escalation
    emails (``notify.escalation_template_id``) and the area used when a person
    has no postcode (``escalation.default_area``)."""

    template_id: str
    default_area: str = "england"


@dataclass(frozen=True)
class EscalationRequest:
    """What the worker typed in the Escalate dialog."""

    case_id: int
    reason: str
    description: str


@dataclass(frozen=True)
class EscalationPreview:
    """Exactly what will be sent: the email text, or the letter PDF for paper."""

    facilitator: FacilitatorCard
    channel: str
    subject: str
    body: str
    attachment_name: str | None  # the pre-filled form, when the mandate allows it
    letter_pdf: bytes | None
    notify_body: dict[str, object]  # the Notify request body, less its reference


@dataclass(frozen=True)
class EscalationRecord:
    """One escalation, for the case view and the escalations view."""

    id: int
    version: int
    case_id: int
    case_reference: str
    person_name: str
    service_id: str
    reason: str
    description: str
    status: EscalationStatus
    urgency: str
    level: int
    facilitator: FacilitatorCard
    raised_at: datetime
    breach_at: datetime
    working_days_left: int
    outcome: str
    outbox_item_id: str
    allowed_statuses: tuple[EscalationStatus, ...]


@dataclass(frozen=True)
class ReferralRecord:
    """A referral; before acceptance the receiver sees only these fields."""

    id: int
    version: int
    case_reference: str
    from_team: str
    to_team: str
    summary: str
    status: ReferralStatus
    decision_reason: str
    created_at: datetime


@dataclass(frozen=True)
class CheckReport:
    """What one SLA check did."""

    re_escalated: int = 0
    reminded: int = 0
    breached_at_top: int = 0
    refused: int = 0


class EscalationStatus(enum.StrEnum):
    RAISED = "raised"  # sent; waiting for the facilitator to acknowledge it
    ACKNOWLEDGED = "acknowledged"  # the facilitator has it
    RESOLVED = "resolved"  # final: the facilitator sorted it out
    CLOSED = "closed"  # final: withdrawn or no longer needed


class ReasonCategory(enum.StrEnum):
    NO_DECISION = "no_decision"
    WRONG_DECISION = "wrong_decision"
    LOST_EVIDENCE = "lost_evidence"
    URGENT_HARDSHIP = "urgent_hardship"
    SAFEGUARDING = "safeguarding"
    OTHER = "other"


class ReferralStatus(enum.StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
