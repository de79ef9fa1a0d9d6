"""Helpers for the audit trail tests: writing plain entries to the chain, and
the statements that drop its guards before a test tampers with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from delegation import audit

# What someone holding the database key does before rewriting the trail.
DROP_GUARDS = (
    "DROP TRIGGER IF EXISTS audit_entries_no_update",
    "DROP TRIGGER IF EXISTS audit_entries_no_delete",
)


def append_entries(session: Session, moments: Iterable[datetime | None]) -> None:
    """One allowed "view" decision by worker 1 for person 1 at each moment
    (``None``: now)."""
    for at in moments:
        audit.append(
            session,
            kind="decision",
            action="view",
            outcome="allow",
            reason="test",
            worker_id=1,
            person_id=1,
            at=at,
        )
