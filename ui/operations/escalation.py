"""Escalations and referrals: who to escalate to, the preview and the send,
moving an escalation on, the SLA check, handing a case to another team, and
the local facilitator directory."""

from __future__ import annotations

from casework.escalation.directory import Facilitator, LocalFacilitatorInput
from casework.escalation.records import (
    CheckReport,
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    FacilitatorCard,
    ReferralRecord,
)
from ui.backend import Backend
from ui.operations.op import NOTHING, Changes, Op, ids, query, write

ESCALATIONS = Changes(escalations=True)


def check_escalations() -> Op[CheckReport]:
    """The SLA check: passes breached escalations up and sends reminders."""
    return write(lambda b: b.check_escalations(), ESCALATIONS)


def open_escalations() -> Op[list[EscalationRecord]]:
    return query(lambda b: b.open_escalations())


def incoming_referrals() -> Op[list[ReferralRecord]]:
    return query(lambda b: b.incoming_referrals())


def case_escalations(case_id: int) -> Op[list[EscalationRecord]]:
    return query(lambda b: b.case_escalations(case_id))


def escalation_recipient(case_id: int) -> Op[FacilitatorCard]:
    return query(lambda b: b.escalation_recipient(case_id))


def preview_escalation(request: EscalationRequest) -> Op[EscalationPreview]:
    return query(lambda b: b.preview_escalation(request))


def raise_escalation(request: EscalationRequest) -> Op[int]:
    return write(
        lambda b: b.raise_escalation(request),
        Changes(case_ids=ids(request.case_id), escalations=True, outbox=True),
    )


def acknowledge(escalation_id: int, version: int, note: str) -> Op[int]:
    return write(lambda b: b.acknowledge_escalation(escalation_id, version, note), ESCALATIONS)


def resolve(escalation_id: int, version: int, note: str) -> Op[int]:
    return write(lambda b: b.resolve_escalation(escalation_id, version, note), ESCALATIONS)


def close(escalation_id: int, version: int, outcome: str) -> Op[int]:
    return write(lambda b: b.close_escalation(escalation_id, version, outcome), ESCALATIONS)


def referral_teams() -> Op[list[tuple[int, str]]]:
    return query(lambda b: b.referral_teams())


def refer_case(case_id: int, team_id: int, summary: str, consent: str) -> Op[int]:
    return write(
        lambda b: b.refer_case(case_id, team_id, summary, consent),
        Changes(case_ids=ids(case_id), escalations=True),
    )


def accept_referral(referral_id: int, version: int) -> Op[int]:
    """Take the case on: the team now acts for the person under a new mandate."""
    return write(
        lambda b: b.accept_referral(referral_id, version),
        Changes(people=True, escalations=True, mandates=True),
    )


def reject_referral(referral_id: int, version: int, reason: str) -> Op[None]:
    return write(lambda b: b.reject_referral(referral_id, version, reason), ESCALATIONS)


def facilitator_directory() -> Op[tuple[list[tuple[str, str]], list[Facilitator]]]:
    """The services to choose from, and the facilitators added locally."""

    def load(b: Backend) -> tuple[list[tuple[str, str]], list[Facilitator]]:
        language = b.language
        choices = [(s.id, s.text("title", language)) for s in b.catalogue.services]
        return choices, b.local_facilitators()

    return query(load)


def add_local_facilitator(data: LocalFacilitatorInput) -> Op[int]:
    # No screen lists the directory after this, so nothing needs reloading.
    return write(lambda b: b.add_local_facilitator(data), NOTHING)
