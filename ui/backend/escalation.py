"""The escalation part of the port the UI calls (``app.backend.escalation`` implements it).

Escalating, the facilitator directory and handover are core actions named in
``ui.operations.escalation``; the port keeps what needs the profile itself.
"""

from __future__ import annotations

from typing import Protocol

from casework.escalation.records import CheckReport, EscalationSettings


class EscalationBackend(Protocol):
    @property
    def escalation_settings(self) -> EscalationSettings:
        """The Notify template for escalation emails and the default area (settings; fast)."""
        ...

    def check_escalations(self) -> CheckReport:
        """Re-escalate breaches and remind before them (start-up and timer).

        One transaction per escalation, so each is passed up exactly once; needs
        no one signed in. Call it from a worker.
        """
        ...
