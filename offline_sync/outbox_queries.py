"""What the window asks of the outbox beyond ``outbox.list_items`` and
``outbox.counts``: when something last got through, what is waiting for each
connector, how much a run has to do, what moved during a run; the two small
changes behind Retry and Cancel (bring a waiting item forward, lock an item
before changing it); and the worker's own actions: the rows of the outbox,
each with who it is for, its case and its service, as far as the worker may
see them (``outbox_rows``), Retry (``retry_item``) and Cancel (``cancel_item``).

Plain functions on the caller's ``Session``, like ``offline_sync.outbox``.
Every change of an item's state goes through ``offline_sync.outbox`` and its
``STATE_TRANSITIONS``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from casework.kernel.errors import AlongsideError, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import Case, Person, Submission, utcnow
from casework.kernel.records import Actor
from delegation.caseload import in_caseload, require_case
from offline_sync import outbox
from offline_sync.models import STATE_TRANSITIONS, OutboxItem
from offline_sync.records import Connector, OutboxRow, OutboxState

# Items still to go: waiting their turn, or being sent now.
WAITING = (OutboxState.QUEUED, OutboxState.SENDING)
# Items that have reached their platform.
GOT_THROUGH = (OutboxState.SENT, OutboxState.DELIVERED)
# Items a worker must look at: set aside, or failed.
NEEDS_ACTION = (OutboxState.NEEDS_ATTENTION, OutboxState.FAILED)


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


# -- the worker's actions ----------------------------------------------------------------


def outbox_rows(
    session: Session,
    actor: Actor,
    case_id: int | None = None,
    limit: int = 500,
    titles: Mapping[str, str] | None = None,
) -> list[OutboxRow]:
    """Items newest first, for one case (which must be in the caseload) or, with
    None, every item on this computer: each says who it is for, its case and its
    service (``titles``: each service's title by id, in the reader's language).

    An item for someone outside the worker's caseload is listed, since it is
    still waiting to go from here, but gives nothing of them away: no name, no
    case reference, no reason, and no Retry or Cancel. One query, whatever the
    number of items."""
    if case_id is not None:
        require_case(session, actor, case_id)
    visible = and_(Person.id.is_not(None), in_caseload(actor))
    query = (
        select(
            OutboxItem.id,
            OutboxItem.connector,
            OutboxItem.case_id,
            OutboxItem.state,
            OutboxItem.last_error_message,
            OutboxItem.attempts,
            OutboxItem.next_attempt_at,
            OutboxItem.created_at,
            Person.given_name,
            Person.family_name,
            Case.reference,
            func.coalesce(Submission.service_id, Case.service_id),
            visible,
        )
        .outerjoin(Case, Case.id == OutboxItem.case_id)
        .outerjoin(Person, Person.id == Case.person_id)
        # A sent form's item carries the submission's uuid as its key: its own service.
        .outerjoin(
            Submission,
            and_(
                Submission.uuid == OutboxItem.idempotency_key,
                Submission.case_id == OutboxItem.case_id,
            ),
        )
        .order_by(OutboxItem.created_at.desc(), OutboxItem.id)
        .limit(limit)
    )
    if case_id is not None:
        query = query.where(OutboxItem.case_id == case_id)
    names = titles or {}
    rows = []
    for (
        item_id,
        connector,
        item_case,
        state,
        reason,
        attempts,
        next_attempt_at,
        created_at,
        given,
        family,
        reference,
        service_id,
        shown,
    ) in session.execute(query):
        hidden = item_case is not None and not shown
        allowed = STATE_TRANSITIONS[state]
        rows.append(
            OutboxRow(
                id=item_id,
                connector=connector,
                case_id=item_case,
                state=state,
                reason="" if hidden else reason or "",
                attempts=attempts,
                next_attempt_at=next_attempt_at,
                created_at=created_at,
                can_retry=not hidden and (state in NEEDS_ACTION or state == OutboxState.QUEUED),
                can_cancel=not hidden and OutboxState.CANCELLED in allowed,
                person="" if hidden or given is None else f"{given} {family}".strip(),
                hidden=hidden,
                case_reference="" if hidden or reference is None else reference,
                service_id=service_id or "",
                service=names.get(service_id or "", ""),
            )
        )
    return rows


def retry_item(session: Session, actor: Actor, item_id: str) -> None:
    """Send a set-aside, failed or waiting item at the next sync; refuses (with
    the reason) an item that cannot be sent again."""
    item = _item_for(session, actor, item_id)
    now = utcnow()
    if item.state in NEEDS_ACTION:
        outbox.retry_now(session, item_id, now)
        return
    if item.state == OutboxState.QUEUED:
        # Waiting out a backoff: bring it forward (only while no one holds it).
        bring_forward(session, item_id, now)
        return
    raise AlongsideError(_cannot(item.state, retry=True))


def cancel_item(session: Session, actor: Actor, item_id: str) -> None:
    """Stop an item that has not gone; refuses one that is sending or sent."""
    item = _item_for(session, actor, item_id)
    if OutboxState.CANCELLED not in STATE_TRANSITIONS[item.state]:
        raise AlongsideError(_cannot(item.state, retry=False))
    outbox.cancel(session, item_id)


def _item_for(session: Session, actor: Actor, item_id: str) -> OutboxItem:
    item = lock_item(session, item_id)
    if item is None:
        raise NotFound(_("That item is no longer in the outbox. Refresh the list."))
    if item.case_id is not None:
        require_case(session, actor, item.case_id)
    return item


def _cannot(state: OutboxState, *, retry: bool) -> str:
    if state == OutboxState.SENDING:
        return _(
            "This item is being sent right now, so it cannot be changed. Wait for the sync "
            "to finish, then look again."
        )
    if state == OutboxState.SENT:
        return _(
            "This item has already reached the platform, which is working on it, so it "
            "cannot be cancelled or sent again."
        )
    if state == OutboxState.DELIVERED:
        return _("This item has already been delivered, so there is nothing to retry or cancel.")
    if state == OutboxState.CANCELLED:
        return _("This item was cancelled. To send it, do the work again from the case.")
    return (
        _("This item cannot be retried now.") if retry else _("This item cannot be cancelled now.")
    )
