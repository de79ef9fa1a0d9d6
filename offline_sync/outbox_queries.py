"""What the window asks of the outbox beyond ``outbox.list_items`` and
``outbox.counts``: when something last got through, what is waiting for each
connector, how much a run has to do, what moved during a run; and the two
small changes behind Retry and Cancel (bring a waiting item forward, lock an
item before changing it).

Plain functions on the caller's ``Session``, like ``offline_sync.outbox``.
None of them changes an item's state: that goes through ``offline_sync.outbox``
and its ``STATE_TRANSITIONS``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState

# Items still to go: waiting their turn, or being sent now.
WAITING = (OutboxState.QUEUED, OutboxState.SENDING)
# Items that have reached their platform.
GOT_THROUGH = (OutboxState.SENT, OutboxState.DELIVERED)


@dataclass(frozen=True)
class Moved:
    """An item that changed during a sync run: its case, its state now, and
    the type of its last error (None when it had none)."""

    case_id: int | None
    state: OutboxState
    last_error_type: str | None


def last_got_through(session: Session) -> datetime | None:
    """When an item last reached its platform (the newest sent or delivered item's
    ``updated_at``), or None when none has."""
    return session.scalar(
        select(func.max(OutboxItem.updated_at)).where(OutboxItem.state.in_(GOT_THROUGH))
    )


def waiting_by_connector(session: Session) -> dict[Connector, int]:
    """How many items are waiting (queued or sending) for each connector that has any."""
    rows = session.execute(
        select(OutboxItem.connector, func.count())
        .where(OutboxItem.state.in_(WAITING))
        .group_by(OutboxItem.connector)
    ).all()
    return {connector: int(n) for connector, n in rows}


def due_count(session: Session, connectors: Collection[Connector], now: datetime) -> int:
    """How many waiting items for these connectors are due by ``now``."""
    due = session.scalar(
        select(func.count()).where(
            OutboxItem.state.in_(WAITING),
            OutboxItem.connector.in_(list(connectors)),
            OutboxItem.next_attempt_at <= now,
        )
    )
    return int(due or 0)


def moved_since(session: Session, since: datetime) -> list[Moved]:
    """The items changed at or after ``since``."""
    rows = session.execute(
        select(OutboxItem.case_id, OutboxItem.state, OutboxItem.last_error_type).where(
            OutboxItem.updated_at >= since
        )
    ).all()
    return [Moved(case_id, state, error) for case_id, state, error in rows]


def bring_forward(session: Session, item_id: str, now: datetime) -> bool:
    """Make a queued item waiting out a backoff due ``now``; False (and no change)
    when it is not queued, so an item someone holds is left alone."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id, OutboxItem.state == OutboxState.QUEUED)
        .values(next_attempt_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def lock_item(session: Session, item_id: str) -> OutboxItem | None:
    """The item, locked for a change in the caller's transaction; None when it is gone."""
    return session.get(OutboxItem, item_id, with_for_update=True)
