"""The escalation part of the facade that is composition-root work.

``EscalationActions`` is a mixin of ``app.backend.local.LocalBackend`` and implements
``ui.backend.escalation.EscalationBackend``. Every user action on escalations,
the facilitator directory and handover is a core function the window names
in ``ui.operations.escalation``; what stays here needs the profile itself:
its settings and the SLA check, which runs one transaction per escalation with
no one signed in. The Notify template for escalation emails comes from the
setting ``notify.escalation_template_id``; the area used when a person has no
postcode from ``escalation.default_area`` (``england`` unless set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casework.escalation import breaches, lifecycle
from casework.escalation.records import CheckReport, EscalationSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.profile import OpenProfile
    from casework.forms.definitions import Catalogue

TEMPLATE_SETTING = "notify.escalation_template_id"
AREA_SETTING = "escalation.default_area"


def escalation_template_id(profile: OpenProfile) -> str:
    """The Notify template for escalation emails: the profile's setting, or the default."""
    return profile.settings.extra.get(TEMPLATE_SETTING) or lifecycle.DEFAULT_TEMPLATE_ID


class EscalationActions:
    """The profile's escalation settings and the SLA check."""

    if TYPE_CHECKING:
        _profile: OpenProfile
        _write: sessionmaker[Session]

        @property
        def catalogue(self) -> Catalogue: ...

    @property
    def escalation_settings(self) -> EscalationSettings:
        return EscalationSettings(
            template_id=escalation_template_id(self._profile),
            default_area=self._profile.settings.extra.get(AREA_SETTING) or "england",
        )

    def check_escalations(self) -> CheckReport:
        """The SLA check (start-up and timer): needs no one signed in."""
        return breaches.check_due(
            self._write,
            # The catalogue is read only when an escalation is passed up.
            lambda service_id: lifecycle.services_in(self.catalogue)(service_id),
            template_id=escalation_template_id(self._profile),
        )
