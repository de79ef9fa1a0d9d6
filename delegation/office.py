"""Office-level reads: figures about a team's work as a whole, no one person's record.

The open-data export counts a team's forms, escalations, payments and paper
without reading any person's details, so it is not a decision about a person
(``delegation.policy.decide``). It is still a read of the office's work: only
a supervisor or an administrator with an active account may take it, and the
answer, allow or refuse, goes into the audit chain in the caller's
transaction (decision 0032).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused
from casework.kernel.i18n import _
from casework.kernel.records import Actor, Role
from delegation import audit
from delegation.mandate_rows import acting_worker

OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
OFFICE_READS = frozenset({"open_data"})


@dataclass(frozen=True)
class OfficeDecision:
    """May the actor read the office's figures, and why (or why not)."""

    allowed: bool
    reason: str


def decide_office_read(
    session: Session, actor: Actor, what: str, detail: Mapping[str, str] | None = None
) -> OfficeDecision:
    """Decide an office-level read (``open_data``) and audit it either way;
    ``detail`` (the period asked for) is kept with the entry."""
    worker = acting_worker(session, actor)
    if what not in OFFICE_READS:
        decision = OfficeDecision(False, _("Alongside does not know that kind of reading."))
    elif worker is None:
        decision = OfficeDecision(False, _("Your account is not active. Ask an administrator."))
    elif Role(worker.role) not in OFFICE_ROLES:
        decision = OfficeDecision(
            False, _("Only a supervisor or an administrator can export the office's figures.")
        )
    else:
        decision = OfficeDecision(
            True, _("A supervisor or administrator reads the office's figures.")
        )
    audit.append(
        session,
        kind="read",
        action=f"office.{what}"[:32],
        outcome="allow" if decision.allowed else "refuse",
        reason=decision.reason,
        worker_id=actor.worker_id,
        person_id=None,
        scope_detail=json.dumps(dict(detail or {}), sort_keys=True),
    )
    return decision


def require_office_read(
    session: Session, actor: Actor, what: str, detail: Mapping[str, str] | None = None
) -> OfficeDecision:
    """``decide_office_read``, raising ``AccessRefused`` with the reason when refused."""
    decision = decide_office_read(session, actor, what, detail)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    return decision
