"""The port for mandates, the audit view and assisted sessions.

``app.mandate_actions.MandateActions`` implements it; ``ui.backend.port.Backend``
includes it. As for the rest of the backend: call from a worker
(an operation on ``ui.operations``), except the methods noted as fast.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from delegation.records import (
    AssistedStart,
    AuditRecord,
    Grantee,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    ScopeChoice,
    SessionRecord,
)
from delegation.scope import Scope


class MandateBackend(Protocol):
    def grantee_choices(self) -> list[Grantee]:
        """Me and my team (fast: from the signed-in actor)."""
        ...

    def supervisor_choices(self) -> list[Grantee]:
        """Supervisors who may approve an emergency mandate (not the worker)."""
        ...

    def scope_choices(self) -> list[ScopeChoice]:
        """Services with the data categories their questions use."""
        ...

    def basis_longest_days(self) -> dict[str, int]:
        """The longest a mandate may run, in days, per basis (fast)."""
        ...

    def describe_scope(self, scope: Scope) -> str:
        """The exact plain-language task list for a scope (fast)."""
        ...

    def person_mandates(self, person_id: int) -> list[MandateRecord]: ...

    def acting_mandate(self, person_id: int) -> MandateRecord | None:
        """The active mandate the signed-in worker acts under for this person."""
        ...

    def person_audit(self, person_id: int) -> list[AuditRecord]: ...

    def grant_mandate(self, request: GrantRequest) -> GrantOutcome:
        """Raises InvalidInput (fields named as in the dialog) when something is wrong."""
        ...

    def renew_mandate(
        self, mandate_id: int, expected_version: int, ends_at: datetime, person_agreed: bool
    ) -> int:
        """On the consent basis ``person_agreed`` must be True (asked again)."""
        ...

    def activate_mandate(self, mandate_id: int, expected_version: int) -> int: ...

    def suspend_mandate(self, mandate_id: int, expected_version: int, reason_code: str) -> int: ...

    def revoke_mandate(self, mandate_id: int, expected_version: int, reason_code: str) -> int: ...

    def consent_receipt_pdf(self, mandate_id: int) -> bytes: ...

    def save_consent_receipt(self, mandate_id: int, path: Path) -> Path: ...

    def assisted_task_list(self, service_id: str) -> str: ...

    def start_assisted_session(self, start: AssistedStart) -> SessionRecord: ...

    def current_assisted_session(self) -> SessionRecord | None: ...

    def wipe_abandoned_sessions(self) -> int:
        """Wipe sessions left open past their end; returns how many (run at sign-in)."""
        ...

    def keep_assisted_session(
        self, session_id: int, person_agreed_to_case: bool
    ) -> SessionRecord: ...

    def wipe_assisted_session(self, session_id: int, *, timed_out: bool = False) -> dict[str, int]:
        """Delete everything about the session's person; returns rows removed per table."""
        ...
