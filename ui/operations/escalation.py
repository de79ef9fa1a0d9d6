"""Escalations and referrals: who to escalate to, the preview and the send,
moving an escalation on, the SLA check, handing a case to another team, and
the local facilitator directory.

Raising an escalation needs the service definitions and the profile's
escalation settings: its operations read both in their worker (the first use
of the catalogue reads every definition), afresh each time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from casework.escalation import handover, lifecycle, local_directory
from casework.escalation.directory import Facilitator, LocalFacilitatorInput
from casework.escalation.records import (
    CheckReport,
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    EscalationSettings,
    FacilitatorCard,
    ReferralRecord,
)
from casework.forms.definitions import Catalogue, Service
from casework.kernel.action import act
from ui.backend import Backend
from ui.operations.op import (
    NOTHING,
    Changes,
    Op,
    audited,
    ids,
    query,
    reads,
    with_catalogue,
    write,
    writes,
)

ESCALATIONS = Changes(escalations=True)
_NO_SETTINGS = EscalationSettings(template_id="")
T = TypeVar("T")


def check_escalations() -> Op[CheckReport]:
    """The SLA check: passes breached escalations up and sends reminders."""
    return write(lambda b: b.check_escalations(), ESCALATIONS)


def open_escalations() -> Op[list[EscalationRecord]]:
    return reads(act(lifecycle.open_escalations))


def incoming_referrals() -> Op[list[ReferralRecord]]:
    return reads(act(handover.incoming))


def case_escalations(case_id: int) -> Op[list[EscalationRecord]]:
    return reads(act(lifecycle.case_escalations, case_id))


def case_referrals(case_id: int) -> Op[list[ReferralRecord]]:
    return reads(act(handover.outgoing, case_id))


def escalation_letter(escalation_id: int) -> Op[bytes | None]:
    """The printed letter of the latest level, for paper facilitators."""
    return reads(act(lifecycle.letter_pdf, escalation_id))


def _with_setup(build: Callable[[Catalogue, EscalationSettings], Op[T]]) -> Op[T]:
    """The operation ``build`` makes with the service definitions and the
    profile's escalation settings, both read afresh in its worker (as
    ``op.with_catalogue`` does for the definitions alone)."""
    return with_catalogue(
        lambda catalogue: replace(
            build(catalogue, _NO_SETTINGS),
            call=lambda b: build(catalogue, b.escalation_settings).call(b),
        )
    )


def escalation_recipient(case_id: int) -> Op[FacilitatorCard]:
    # Audited: the policy decision to escalate is in the audit chain, even a refusal.
    return _with_setup(lambda c, s: audited(act(lifecycle.recipient, case_id, c, s)))


def preview_escalation(request: EscalationRequest) -> Op[EscalationPreview]:
    return _with_setup(lambda c, s: audited(act(lifecycle.preview_with, request, c, s)))


def raise_escalation(request: EscalationRequest) -> Op[int]:
    changes = Changes(case_ids=ids(request.case_id), escalations=True, outbox=True)
    return _with_setup(lambda c, s: writes(act(lifecycle.raise_with, request, c, s), changes))


def acknowledge(escalation_id: int, version: int, note: str) -> Op[int]:
    return writes(act(lifecycle.acknowledge, escalation_id, version, note), ESCALATIONS)


def resolve(escalation_id: int, version: int, note: str) -> Op[int]:
    return writes(act(lifecycle.resolve, escalation_id, version, note), ESCALATIONS)


def close(escalation_id: int, version: int, outcome: str) -> Op[int]:
    return writes(act(lifecycle.close, escalation_id, version, outcome), ESCALATIONS)


def referral_teams() -> Op[list[tuple[int, str]]]:
    return reads(act(handover.teams))


def refer_case(case_id: int, team_id: int, summary: str, consent: str) -> Op[int]:
    return writes(
        act(handover.refer, case_id, team_id, summary, consent),
        Changes(case_ids=ids(case_id), escalations=True),
    )


def accept_referral(referral_id: int, version: int) -> Op[int]:
    """Take the case on: the team now acts for the person under a new mandate."""
    return writes(
        act(handover.accept, referral_id, version),
        Changes(people=True, escalations=True, mandates=True),
    )


def reject_referral(referral_id: int, version: int, reason: str) -> Op[None]:
    return writes(act(handover.reject, referral_id, version, reason), ESCALATIONS)


def facilitator_ladder(service: Service, area: str) -> Op[list[Facilitator]]:
    """The service's ladder in ``area``, local entries included, in the worker's language."""
    return reads(act(lifecycle.facilitator_ladder, service, area))


def local_facilitators() -> Op[list[Facilitator]]:
    return reads(act(local_directory.local_facilitators))


def facilitator_directory() -> Op[tuple[list[tuple[str, str]], list[Facilitator]]]:
    """The services to choose from, and the facilitators added locally."""
    entries = act(local_directory.local_facilitators)

    def load(b: Backend) -> tuple[list[tuple[str, str]], list[Facilitator]]:
        language = b.language
        choices = [(s.id, s.text("title", language)) for s in b.catalogue.services]
        return choices, b.perform(entries, write=False)

    return query(load)


def add_local_facilitator(data: LocalFacilitatorInput) -> Op[int]:
    # No screen lists the directory after this, so nothing needs reloading.
    return writes(act(local_directory.add_local, data), NOTHING)
