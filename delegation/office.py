"""Office-level reads: figures about a team's work as a whole, no one person's record.

The open-data export and the service page count a team's forms,
escalations, payments and paper without reading any person's details, so
neither is a decision about a person (``delegation.policy.decide``). Each is
still a read of the office's work, by an active account: the export only by
a supervisor or an administrator (decision 0032); the service page's figures
by any worker of the office but a carer, who acts for one person. Neither
while the worker's assisted session runs: at a public terminal the screen is
the person's. The answer, allow or refuse, goes into the audit chain in the
caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused
from casework.kernel.i18n import _
from casework.kernel.records import Actor, Role
from delegation import audit
from delegation.mandate_rows import acting_worker
from delegation.session_wall import running_session

OFFICE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Who may take each office-level read.
READERS: dict[str, frozenset[Role]] = {
    "open_data": OFFICE_ROLES,
    "service_figures": frozenset(Role) - {Role.CARER},
}
OFFICE_READS = frozenset(READERS)


@dataclass(frozen=True)
class OfficeDecision:
    """May the actor read the office's figures, and why (or why not)."""

    allowed: bool
    reason: str


def _role_refusal(what: str) -> str:
    if what == "open_data":
        return _("Only a supervisor or an administrator can export the office's figures.")
    return _("Your role does not include your office's figures. Ask a supervisor.")


def decide_office_read(
    session: Session,
    actor: Actor,
    what: str,
    detail: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> OfficeDecision:
    """Decide an office-level read (``open_data``, ``service_figures``) and
    audit it either way; ``detail`` (the period asked for) is kept with the entry."""
    worker = acting_worker(session, actor)
    if what not in OFFICE_READS:
        decision = OfficeDecision(False, _("Alongside does not know that kind of reading."))
    elif worker is None:
        decision = OfficeDecision(False, _("Your account is not active. Ask an administrator."))
    elif Role(worker.role) not in READERS[what]:
        decision = OfficeDecision(False, _role_refusal(what))
    elif running_session(session, actor, now) is not None:
        decision = OfficeDecision(
            False, _("An assisted session is running. End it to see your office's figures.")
        )
    elif what == "service_figures":
        decision = OfficeDecision(True, _("Figures for your own office, counts only."))
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
    session: Session,
    actor: Actor,
    what: str,
    detail: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> OfficeDecision:
    """``decide_office_read``, raising ``AccessRefused`` with the reason when refused."""
    decision = decide_office_read(session, actor, what, detail, now=now)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    return decision
