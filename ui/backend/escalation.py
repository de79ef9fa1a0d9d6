"""The escalation part of the port the UI calls (``app.escalation_actions`` implements it).

Every method is one user action in one transaction and may be slow: call it
from a worker (an operation on ``ui.operations``), never on the UI thread.
"""

from __future__ import annotations

from typing import Protocol

from casework.escalation.directory import Facilitator, LocalFacilitatorInput
from casework.escalation.records import (
    CheckReport,
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    FacilitatorCard,
    ReferralRecord,
)


class EscalationBackend(Protocol):
    # Escalations -------------------------------------------------------------
    def escalation_recipient(self, case_id: int) -> FacilitatorCard:
        """Who an escalation of the case goes to now, their hours and the due day."""
        ...

    def preview_escalation(self, request: EscalationRequest) -> EscalationPreview:
        """Exactly what Send would send (email text, or the letter PDF)."""
        ...

    def raise_escalation(self, request: EscalationRequest) -> int:
        """Raise and queue it; refused (AccessRefused) outside the mandate."""
        ...

    def case_escalations(self, case_id: int) -> list[EscalationRecord]: ...

    def open_escalations(self) -> list[EscalationRecord]:
        """The team's open escalations, most urgent first."""
        ...

    def acknowledge_escalation(
        self, escalation_id: int, expected_version: int, note: str
    ) -> int: ...

    def resolve_escalation(
        self, escalation_id: int, expected_version: int, outcome: str
    ) -> int: ...

    def close_escalation(self, escalation_id: int, expected_version: int, outcome: str) -> int: ...

    def escalation_letter(self, escalation_id: int) -> bytes | None: ...

    def check_escalations(self) -> CheckReport:
        """Re-escalate breaches and remind before them (start-up and timer)."""
        ...

    # The facilitator directory -------------------------------------------------
    def facilitator_ladder(self, service_id: str, area: str) -> list[Facilitator]: ...

    def local_facilitators(self) -> list[Facilitator]: ...

    def add_local_facilitator(self, data: LocalFacilitatorInput) -> int:
        """Administrators only; InvalidInput names the fields to fix."""
        ...

    # Handover ------------------------------------------------------------------
    def referral_teams(self) -> list[tuple[int, str]]: ...

    def refer_case(self, case_id: int, to_team_id: int, summary: str, consent_note: str) -> int: ...

    def incoming_referrals(self) -> list[ReferralRecord]:
        """Referrals offered to the worker's team: the agreed summary only."""
        ...

    def case_referrals(self, case_id: int) -> list[ReferralRecord]: ...

    def accept_referral(self, referral_id: int, expected_version: int) -> int: ...

    def reject_referral(self, referral_id: int, expected_version: int, reason: str) -> None: ...
