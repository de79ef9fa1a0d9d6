"""Escalation, facilitator directory and handover actions of the facade.

``EscalationActions`` is a mixin of ``app.backend.local.LocalBackend`` and implements
``ui.backend_escalation.EscalationBackend``: one user action, one transaction.
The Notify template for escalation emails comes from the setting
``notify.escalation_template_id``; the area used when a person has no
postcode from ``escalation.default_area`` (``england`` unless set).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TypeVar

from casework.escalation import breaches, handover, lifecycle, local_directory
from casework.escalation.directory import Facilitator, LocalFacilitatorInput
from casework.escalation.records import (
    CheckReport,
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    FacilitatorCard,
    ReferralRecord,
)
from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.i18n import _, current_language

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.profile import OpenProfile
    from casework.forms.definitions import Catalogue, Service
    from casework.kernel.records import Actor

TEMPLATE_SETTING = "notify.escalation_template_id"
AREA_SETTING = "escalation.default_area"
T = TypeVar("T")


def escalation_template_id(profile: OpenProfile) -> str:
    """The Notify template for escalation emails: the profile's setting, or the default."""
    return profile.settings.extra.get(TEMPLATE_SETTING) or lifecycle.DEFAULT_TEMPLATE_ID


class EscalationActions:
    """Escalate, acknowledge, resolve; run the SLA check; refer and accept cases."""

    if TYPE_CHECKING:
        _profile: OpenProfile
        _write: sessionmaker[Session]

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...

        def _need_actor(self) -> Actor: ...

        def _service(self, service_id: str) -> Service: ...

        @property
        def catalogue(self) -> Catalogue: ...

    def _decided(self, work: Callable[[Session, Actor], T]) -> T:
        """Run ``work`` in a write transaction that commits even when the policy
        refuses, so the refusal stays in the audit chain; then re-raise it."""
        actor = self._need_actor()
        refused: AccessRefused | None = None
        with self._tx(write=True) as session:
            try:
                return work(session, actor)
            except AccessRefused as exc:
                refused = exc
        raise refused

    def _escalation_service(self, service_id: str) -> Service:
        service = self.catalogue.get(service_id)
        if service is None:
            raise NotFound(
                _(
                    "Alongside has no definition for '{id}', so it has no named facilitator. "
                    "Contact the service by phone or letter, and note it on the case."
                ).format(id=service_id)
            )
        return service

    def _template_id(self) -> str:
        return escalation_template_id(self._profile)

    def _default_area(self) -> str:
        return self._profile.settings.extra.get(AREA_SETTING) or "england"

    # -- escalations -----------------------------------------------------------------
    def escalation_recipient(self, case_id: int) -> FacilitatorCard:
        return self._decided(
            lambda session, actor: lifecycle.facilitator_for(
                session, actor, case_id, self._escalation_service, default_area=self._default_area()
            )
        )

    def _with_settings(self, step: Callable[..., T], request: EscalationRequest) -> T:
        """Run ``escalation.preview`` or ``escalation.raise_escalation`` on ``request``
        with this profile's template and default area, as a decided transaction."""
        return self._decided(
            lambda session, actor: step(
                session,
                actor,
                request,
                self._escalation_service,
                template_id=self._template_id(),
                default_area=self._default_area(),
            )
        )

    def preview_escalation(self, request: EscalationRequest) -> EscalationPreview:
        return self._with_settings(lifecycle.preview, request)

    def raise_escalation(self, request: EscalationRequest) -> int:
        return self._with_settings(lifecycle.raise_escalation, request)

    def case_escalations(self, case_id: int) -> list[EscalationRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return lifecycle.case_escalations(session, actor, case_id)

    def open_escalations(self) -> list[EscalationRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return lifecycle.open_escalations(session, actor)

    def acknowledge_escalation(self, escalation_id: int, expected_version: int, note: str) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return lifecycle.acknowledge(session, actor, escalation_id, expected_version, note)

    def resolve_escalation(self, escalation_id: int, expected_version: int, outcome: str) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return lifecycle.resolve(session, actor, escalation_id, expected_version, outcome)

    def close_escalation(self, escalation_id: int, expected_version: int, outcome: str) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return lifecycle.close(session, actor, escalation_id, expected_version, outcome)

    def escalation_letter(self, escalation_id: int) -> bytes | None:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return lifecycle.letter_pdf(session, actor, escalation_id)

    def check_escalations(self) -> CheckReport:
        """The SLA check (start-up and timer): needs no one signed in."""
        return breaches.check_due(
            self._write, self._escalation_service, template_id=self._template_id()
        )

    # -- the directory ---------------------------------------------------------------
    def facilitator_ladder(self, service_id: str, area: str) -> list[Facilitator]:
        service = self._service(service_id)
        with self._tx(write=False) as session:
            return list(lifecycle.ladder_for(session, service, area, language=current_language()))

    def local_facilitators(self) -> list[Facilitator]:
        self._need_actor()
        with self._tx(write=False) as session:
            return local_directory.local_entries(session)

    def add_local_facilitator(self, data: LocalFacilitatorInput) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return local_directory.add_local(session, actor, data)

    # -- handover ----------------------------------------------------------------------
    def referral_teams(self) -> list[tuple[int, str]]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return handover.teams(session, actor)

    def refer_case(self, case_id: int, to_team_id: int, summary: str, consent_note: str) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return handover.refer(session, actor, case_id, to_team_id, summary, consent_note)

    def incoming_referrals(self) -> list[ReferralRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return handover.incoming(session, actor)

    def case_referrals(self, case_id: int) -> list[ReferralRecord]:
        actor = self._need_actor()
        with self._tx(write=False) as session:
            return handover.outgoing(session, actor, case_id)

    def accept_referral(self, referral_id: int, expected_version: int) -> int:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            return handover.accept(session, actor, referral_id, expected_version)

    def reject_referral(self, referral_id: int, expected_version: int, reason: str) -> None:
        actor = self._need_actor()
        with self._tx(write=True) as session:
            handover.reject(session, actor, referral_id, expected_version, reason)
