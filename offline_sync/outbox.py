"""The outbox: enqueue work for a platform, claim it under a lease, record what happened.

``enqueue`` runs inside the caller's transaction, so the outbox row commits
or rolls back with the submission or message it delivers. ``claim`` takes due
items under a lease in a transaction of its own: on SQLite the write
transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time), on
PostgreSQL rows are locked with ``FOR UPDATE SKIP LOCKED``, and on both the
claim is a compare-and-set ``UPDATE`` whose row count proves the claim, so two
processes never hold the same item. ``record_outcome`` stores an attempt's
result only while the caller still holds the lease.

At claim time a queued item whose mandate is no longer active is cancelled
instead of claimed, with the reason on the case timeline, unless the
mandate's work-in-progress rule lets queued work finish
(``offline_sync.mandate_check``). An item in doubt is not cancelled here:
the platform may already hold it. It is claimed with the reason
(``ClaimedItem.blocked``) and the engine looks for the platform's copy,
adopting it if found (it went before the mandate ended) and cancelling the
item if not; it is never sent again.

Every change of state goes through ``STATE_TRANSITIONS``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, bindparam, or_, select, union_all, update
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.i18n import N_
from casework.kernel.models import utcnow
from offline_sync.mandate_check import Blocked, blocked
from offline_sync.models import STATE_TRANSITIONS, OutboxItem
from offline_sync.payments import links as payment_links
from offline_sync.payments import words as payment_words
from offline_sync.records import Connector, OutboxState

NOTIFY_CONNECTORS = frozenset(
    {Connector.NOTIFY_EMAIL, Connector.NOTIFY_SMS, Connector.NOTIFY_LETTER}
)
# Notify limits a reference to 1,000 characters; Pay an Idempotency-Key to 255.
MAX_KEY_LENGTH = 255


class OutboxError(Exception):
    """A request the outbox cannot carry out (unknown item, a move the states forbid)."""


class IllegalTransition(OutboxError):
    def __init__(self, item_id: str, old: OutboxState, new: OutboxState) -> None:
        super().__init__(f"outbox item {item_id} cannot go from {old.value} to {new.value}")
        self.old = old
        self.new = new


@dataclass(frozen=True)
class ClaimedItem:
    """A plain copy of an item held under a lease (safe to use outside a session)."""

    id: str
    connector: Connector
    case_id: int | None
    body: str
    idempotency_key: str
    state: OutboxState  # the state after the claim: sending, or sent for a status poll
    attempts: int
    # True when an earlier attempt may have reached the platform: look before resending.
    in_doubt: bool
    remote_id: str | None
    remote_status: str | None
    created_at: datetime
    lease_owner: str
    lease_until: datetime
    # Set when the item is in doubt and its mandate has ended: look, never resend.
    blocked: Blocked | None = None
    # What went wrong last time (the same doubtful answer again sets it aside).
    last_error_type: str | None = None

    def payload(self) -> dict[str, Any]:
        loaded = json.loads(self.body)
        assert isinstance(loaded, dict)
        return loaded


@dataclass(frozen=True)
class ItemView:
    """One row of ``list_items``: what a person sees in the outbox."""

    id: str
    connector: Connector
    case_id: int | None
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    last_error_type: str | None
    last_error_message: str | None
    remote_id: str | None
    remote_status: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to, for ``record_outcome``."""

    state: OutboxState
    next_attempt_at: datetime | None = None
    error_type: str | None = None
    error_message: str | None = None
    remote_id: str | None = None
    remote_status: str | None = None
    # Whether the platform may hold a copy we have not heard about.
    in_doubt: bool = False
    # A retry that should not count as an attempt (connector stopped, never sent).
    refund_attempt: bool = False
    # A page the platform gave for the person (GOV.UK Pay's payment page).
    link: str | None = None


def check_transition(item_id: str, old: OutboxState, new: OutboxState) -> None:
    if new not in STATE_TRANSITIONS[old]:
        raise IllegalTransition(item_id, old, new)


def body_text(payload: Mapping[str, Any]) -> str:
    """The exact text ``enqueue`` stores (and a connector sends) for ``payload``."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def enqueue(
    session: Session,
    connector: Connector | str,
    body: Mapping[str, Any],
    case_id: int | None = None,
    *,
    item_id: str | None = None,
    idempotency_key: str | None = None,
    mandate_id: int | None = None,
    mandate_version: int | None = None,
    now: datetime | None = None,
) -> str:
    """Add an item to the outbox in the caller's transaction; returns its id.

    For Notify the item's id is put in the body's ``reference`` (Notify has no
    idempotency key; the reference lets us find a message after a lost reply).
    Other connectors send ``idempotency_key`` (the item's id by default) as
    the ``Idempotency-Key`` header.
    """
    connector = Connector(connector)
    item_id = item_id or str(uuid.uuid4())
    payload = dict(body)
    if connector in NOTIFY_CONNECTORS:
        if idempotency_key is not None and idempotency_key != item_id:
            raise OutboxError("a Notify item's reference is its own id")
        payload["reference"] = item_id
        key = item_id
    else:
        key = idempotency_key or item_id
    if not key or len(key) > MAX_KEY_LENGTH:
        raise OutboxError("an idempotency key must be 1 to 255 characters")
    now = now or utcnow()
    session.add(
        OutboxItem(
            id=item_id,
            connector=connector,
            case_id=case_id,
            body=body_text(payload),
            idempotency_key=key,
            state=OutboxState.QUEUED,
            attempts=0,
            next_attempt_at=now,
            in_doubt=False,
            mandate_id=mandate_id,
            mandate_version=mandate_version,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    return item_id


def _due_parts(now: datetime, connectors: Collection[Connector] | None) -> list[Any]:
    """What makes an item due, one condition per state (each an index range on state)."""
    lease_free = or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until <= now)
    parts = [
        and_(OutboxItem.state == OutboxState.QUEUED, OutboxItem.next_attempt_at <= now),
        # A sending item whose lease ran out: its process died mid-attempt.
        and_(OutboxItem.state == OutboxState.SENDING, lease_free),
        # A sent item whose status is due to be polled.
        and_(
            OutboxItem.state == OutboxState.SENT,
            OutboxItem.next_attempt_at <= now,
            lease_free,
        ),
    ]
    if connectors is not None:
        mine = OutboxItem.connector.in_(list(connectors))
        parts = [and_(part, mine) for part in parts]
    return parts


def _due(now: datetime, connectors: Collection[Connector] | None) -> Any:
    return or_(*_due_parts(now, connectors))


def _due_rows(session: Session, now: datetime, connectors: Any, limit: int) -> list[Any]:
    """The ``limit`` first due rows, in due order, with everything a claim needs.

    One query per state, each walking the ``(state, next_attempt_at)`` index
    and stopping after ``limit`` rows; a single query with the three states
    OR-ed together would read and sort every due row (a whole queue of
    bodies) for each batch. The three short lists are merged here. The
    statements are built once (``_due_statements``) and run as Core
    statements: building and caching them again for every batch cost more
    than reading the rows.
    """
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"b_now": now, "b_limit": limit}
    if connectors is not None:
        params["b_connectors"] = list(connectors)
    connection = session.connection()
    rows: list[Any] = []
    for statement in _due_statements(dialect, connectors is not None):
        rows.extend(connection.execute(statement, params).all())
    rows.sort(key=lambda row: (row.next_attempt_at, row.created_at, row.id))
    return rows[:limit]


_DUE_STATEMENTS: dict[tuple[str, bool], list[Any]] = {}


def _due_statements(dialect: str, by_connector: bool) -> list[Any]:
    """The due queries of ``_due_rows`` for ``dialect``, with ``b_now``, ``b_limit`` and
    (``by_connector``) ``b_connectors`` left to bind."""
    key = (dialect, by_connector)
    if key not in _DUE_STATEMENTS:
        c = OutboxItem
        now = bindparam("b_now", type_=c.next_attempt_at.type)
        connectors: Any = bindparam("b_connectors", expanding=True) if by_connector else None
        lease_free = or_(c.lease_until.is_(None), c.lease_until <= now)
        parts = [
            and_(c.state == OutboxState.QUEUED, c.next_attempt_at <= now),
            and_(c.state == OutboxState.SENDING, lease_free),
            and_(c.state == OutboxState.SENT, c.next_attempt_at <= now, lease_free),
        ]
        if connectors is not None:
            parts = [and_(part, c.connector.in_(connectors)) for part in parts]
        order = (c.next_attempt_at, c.created_at, c.id)
        queries = [
            select(*_CLAIM_COLUMNS).where(part).order_by(*order).limit(bindparam("b_limit"))
            for part in parts
        ]
        statements: list[Any]
        if dialect == "postgresql":
            # Rows are locked as they are read; FOR UPDATE cannot go in a UNION.
            statements = [query.with_for_update(skip_locked=True) for query in queries]
        else:  # one statement: the write lock (BEGIN IMMEDIATE) is already held
            subqueries = [query.subquery() for query in queries]
            statements = [union_all(*(select(part) for part in subqueries))]
        _DUE_STATEMENTS[key] = statements
    return _DUE_STATEMENTS[key]


def claim(
    sessions: sessionmaker[Session],
    owner: str,
    now: datetime,
    lease_seconds: float,
    *,
    connectors: Collection[Connector] | None = None,
    limit: int = 1,
) -> list[ClaimedItem]:
    """Take up to ``limit`` due items under a lease held by ``owner`` until now + lease.

    ``sessions`` should be a write session factory (``BEGIN IMMEDIATE`` on
    SQLite). A queued item becomes ``sending`` and counts an attempt; it is
    marked in doubt before anything leaves, so a crash after this point makes
    the next claimant look for the platform's copy first. A sent item keeps its
    state and is leased for a status poll.
    """
    if connectors is not None and not connectors:
        return []
    lease_until = now + timedelta(seconds=lease_seconds)
    claimed: list[ClaimedItem] = []
    with sessions.begin() as session:
        # The whole row comes with the due query (one read per batch, not three
        # per item); the compare-and-set below still proves each claim. Only as
        # many rows as are wanted are read: when some are cancelled instead
        # (their mandate ended), the query runs again for the rest. A row read
        # here and claimed or cancelled is no longer due, so it is not read twice.
        while len(claimed) < limit:
            want = limit - len(claimed)
            rows = _due_rows(session, now, connectors, want)
            wanted: list[tuple[Any, Blocked | None]] = []
            cancelled = 0
            for row in rows:
                stop = None
                if row.state != OutboxState.SENT and row.mandate_id is not None:
                    stop = blocked(
                        session, row.mandate_id, row.mandate_version, row.created_at, now
                    )
                    in_doubt = bool(row.in_doubt) or row.state == OutboxState.SENDING
                    if stop is not None and not in_doubt:
                        _cancel_for_mandate(session, row, stop, now)
                        cancelled += 1
                        continue
                wanted.append((row, stop))
            claimed.extend(_claim_rows(session, wanted, owner, now, lease_until, want))
            if not cancelled or len(rows) < want:
                break  # nothing was skipped, or nothing more is due
    return claimed


def _claim_rows(
    session: Session,
    wanted: Sequence[tuple[Any, Blocked | None]],
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[ClaimedItem]:
    """Claim the due rows read by ``claim``: every compare-and-set in one statement.

    The per-row compare-and-set runs as one ``executemany``; when its row
    count shows every row was taken (the usual case: the write lock or
    ``SKIP LOCKED`` holds them) that is the proof. Otherwise someone changed
    a row between the read and the write: the batch is rolled back to a
    savepoint and each row is claimed on its own, so exactly the rows whose
    update matched are ours.
    """
    if not wanted:
        return []
    for row, _stop in wanted:
        check_transition(row.id, row.state, _claimed_state(row.state))
    sending = [
        {"b_id": row.id, "b_state": row.state, "b_attempts": row.attempts}
        for row, _stop in wanted
        if _claimed_state(row.state) == OutboxState.SENDING
    ]
    polling = [
        {"b_id": row.id, "b_state": row.state, "b_attempts": row.attempts}
        for row, _stop in wanted
        if _claimed_state(row.state) == OutboxState.SENT
    ]
    lease = {"b_owner": owner, "b_until": lease_until, "b_now": now}
    try:
        with session.begin_nested():
            connection = session.connection()  # in the savepoint (it starts here)
            taken = 0
            for statement, params in ((_TO_SENDING, sending), (_TO_POLLED, polling)):
                if params:
                    done = connection.execute(statement, [{**p, **lease} for p in params])
                    taken += done.rowcount
            if taken != len(wanted):
                raise _Contended
        return [_claimed(row, owner, lease_until, stop) for row, stop in wanted]
    except _Contended:
        still_due = _due(now, None)
        claimed = []
        for row, stop in wanted:
            item = _claim_one(session, row, owner, now, lease_until, still_due, stop)
            if item is not None:
                claimed.append(item)
            if len(claimed) >= limit:
                break
        return claimed


class _Contended(Exception):
    """A batched claim matched fewer rows than it read (another claimant moved one)."""


def _claimed_state(state: OutboxState) -> OutboxState:
    """What a claim moves an item to: a sent one is polled, anything else is sent."""
    return OutboxState.SENT if state == OutboxState.SENT else OutboxState.SENDING


def _to_sending() -> Any:
    """Queued (or a sending item whose lease ran out) -> sending: an attempt, in doubt."""
    return _cas(
        state=OutboxState.SENDING,
        attempts=bindparam("b_attempts") + 1,
        in_doubt=True,
    )


def _to_polled() -> Any:
    """A sent item leased for a status poll keeps its state."""
    return _cas()


def _cas(**values: Any) -> Any:
    table: Table = OutboxItem.__table__  # type: ignore[assignment]
    c = table.c
    lease_free = or_(c.lease_until.is_(None), c.lease_until <= bindparam("b_now"))
    still_due = or_(
        and_(c.state == OutboxState.QUEUED, c.next_attempt_at <= bindparam("b_now")),
        and_(c.state == OutboxState.SENDING, lease_free),
        and_(c.state == OutboxState.SENT, c.next_attempt_at <= bindparam("b_now"), lease_free),
    )
    return (
        update(table)
        .where(
            c.id == bindparam("b_id"),
            c.state == bindparam("b_state", type_=c.state.type),
            c.attempts == bindparam("b_attempts"),
            still_due,
        )
        .values(
            lease_owner=bindparam("b_owner"),
            lease_until=bindparam("b_until", type_=c.lease_until.type),
            updated_at=bindparam("b_now", type_=c.updated_at.type),
            **values,
        )
    )


_TO_SENDING = _to_sending()
_TO_POLLED = _to_polled()


def _claimed(row: Any, owner: str, lease_until: datetime, stop: Blocked | None) -> ClaimedItem:
    state: OutboxState = row.state
    new_state = _claimed_state(state)
    attempts = int(row.attempts) + (1 if new_state == OutboxState.SENDING else 0)
    # The previous in-doubt flag (before this claim marked it) or a lease that
    # ran out mid-send says an earlier attempt may have reached the platform.
    was_in_doubt = bool(row.in_doubt) or state == OutboxState.SENDING
    return ClaimedItem(
        id=row.id,
        connector=row.connector,
        case_id=row.case_id,
        body=row.body,
        idempotency_key=row.idempotency_key,
        state=new_state,
        attempts=attempts,
        in_doubt=was_in_doubt,
        remote_id=row.remote_id,
        remote_status=row.remote_status,
        created_at=row.created_at,
        lease_owner=owner,
        lease_until=lease_until,
        blocked=stop if was_in_doubt else None,
        last_error_type=row.last_error_type,
    )


def _cancel_for_mandate(session: Session, row: Any, stop: Blocked, now: datetime) -> None:
    """Cancel a queued item whose mandate ended, and say why on the case timeline.

    ``row`` is the claim query's row (``_CLAIM_COLUMNS``): it already has the
    connector and case, so the item is not read again.
    """
    done = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == row.id, OutboxItem.state == OutboxState.QUEUED)
        .values(
            state=OutboxState.CANCELLED,
            last_error_type=stop.error_type,
            last_error_message=stop.message,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1 or row.case_id is None:
        return
    from casework.kernel import timeline

    summary = timeline.line(
        N_("{what}: cancelled. {reason}"),
        what=timeline.line(PLATFORM_NAMES[Connector(row.connector)]),
        reason=stop.message,
    )
    timeline.record(session, row.case_id, "outbox_cancelled", summary, None)


_CLAIM_COLUMNS = (
    OutboxItem.id,
    OutboxItem.connector,
    OutboxItem.case_id,
    OutboxItem.body,
    OutboxItem.idempotency_key,
    OutboxItem.state,
    OutboxItem.attempts,
    OutboxItem.in_doubt,
    OutboxItem.remote_id,
    OutboxItem.remote_status,
    OutboxItem.created_at,
    OutboxItem.next_attempt_at,
    OutboxItem.mandate_id,
    OutboxItem.mandate_version,
    OutboxItem.last_error_type,
)


def _claim_one(
    session: Session,
    row: Any,
    owner: str,
    now: datetime,
    lease_until: datetime,
    still_due: Any,
    stop: Blocked | None = None,
) -> ClaimedItem | None:
    state: OutboxState = row.state
    new_state = _claimed_state(state)
    check_transition(row.id, state, new_state)
    attempts = int(row.attempts)
    values: dict[str, Any] = {"lease_owner": owner, "lease_until": lease_until, "updated_at": now}
    if new_state == OutboxState.SENDING:
        attempts += 1
        values.update(state=new_state, attempts=attempts, in_doubt=True)
    # Compare-and-set: the row must still be due and unchanged, or someone else has it.
    done = session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.id == row.id,
            OutboxItem.state == state,
            OutboxItem.attempts == row.attempts,
            still_due,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        return None
    return _claimed(row, owner, lease_until, stop)


def record_outcome(
    sessions: sessionmaker[Session],
    item_id: str,
    owner: str,
    outcome: Outcome,
    now: datetime | None = None,
) -> bool:
    """Store an attempt's result and release the lease; False if the lease was lost.

    A lease that ran out and was taken by another process is no longer ours:
    the result is dropped, and the new holder decides (it looks for the
    platform's copy first, so nothing is sent twice).
    """
    return record_outcomes(sessions, owner, [(item_id, outcome)], now)[0]


def record_outcomes(
    sessions: sessionmaker[Session],
    owner: str,
    outcomes: Sequence[tuple[str, Outcome]],
    now: datetime | None = None,
) -> list[bool]:
    """``record_outcome`` for several items in one transaction; one flag per item.

    Each result is stored only while ``owner`` still holds that item's lease
    (checked in the same write transaction as the update, and again by the
    update itself). Until this commits, an item stays ``sending`` and in
    doubt, so a crash before it makes the next claimant look for the
    platform's copy: storing results a few at a time never sends anything twice.
    """
    if not outcomes:
        return []
    ids = [item_id for item_id, _outcome in outcomes]
    if len(set(ids)) != len(ids):
        raise OutboxError("one outcome per item in a batch")
    now = now or utcnow()
    stored: list[bool] = []
    with sessions.begin() as session:
        connection = session.connection()
        rows = {row.id: row for row in connection.execute(_OUTCOME_READ, {"b_ids": ids})}
        params: list[dict[str, Any]] = []
        for item_id, outcome in outcomes:
            row = rows.get(item_id)
            if row is None:
                raise OutboxError(f"no outbox item {item_id}")
            if row.lease_owner != owner or row.state not in (
                OutboxState.SENDING,
                OutboxState.SENT,
            ):
                stored.append(False)
                continue
            check_transition(item_id, row.state, outcome.state)
            if row.case_id is not None and outcome.state != row.state:
                _on_timeline(session, row, outcome)
                if outcome.state == OutboxState.DELIVERED:  # text the person, if they asked
                    from offline_sync.text_updates import send as text_updates

                    text_updates.after_delivery(session, row.connector, row.case_id, row.id, now)
            elif row.case_id is not None and outcome.remote_status != row.remote_status:
                _status_on_timeline(session, row, outcome.remote_status)
            if outcome.link is not None:
                payment_links.keep(session, item_id, outcome.link, now)
            params.append(_outcome_values(row, outcome, owner, now))
            stored.append(True)
        if params:
            connection.execute(_OUTCOME_UPDATE, params)
    return stored


_OUTCOME_COLUMNS = (
    OutboxItem.id,
    OutboxItem.connector,
    OutboxItem.body,
    OutboxItem.case_id,
    OutboxItem.state,
    OutboxItem.attempts,
    OutboxItem.lease_owner,
    OutboxItem.remote_id,
    OutboxItem.remote_status,
    OutboxItem.last_error_type,
    OutboxItem.last_error_message,
)
# Built once: building the statement for every batch cost more than running it.
_OUTCOME_READ = select(*_OUTCOME_COLUMNS).where(
    OutboxItem.id.in_(bindparam("b_ids", expanding=True))
)


def _outcome_values(row: Any, outcome: Outcome, owner: str, now: datetime) -> dict[str, Any]:
    """The row's new columns for ``_OUTCOME_UPDATE``, the lease released."""
    error_type, error_message = row.last_error_type, row.last_error_message
    if outcome.error_type is not None or outcome.error_message is not None:
        error_type, error_message = outcome.error_type, outcome.error_message
    elif outcome.state in (OutboxState.SENT, OutboxState.DELIVERED):
        error_type, error_message = None, None
    return {
        "b_id": row.id,
        "b_owner": owner,
        "b_state": outcome.state,
        "b_next": outcome.next_attempt_at or now,
        "b_in_doubt": outcome.in_doubt,
        "b_attempts": max(0, row.attempts - 1) if outcome.refund_attempt else row.attempts,
        "b_remote_id": outcome.remote_id if outcome.remote_id is not None else row.remote_id,
        "b_remote_status": (
            outcome.remote_status if outcome.remote_status is not None else row.remote_status
        ),
        "b_error_type": error_type,
        "b_error_message": error_message,
        "b_now": now,
    }


def _outcome_update() -> Any:
    table: Table = OutboxItem.__table__  # type: ignore[assignment]
    c = table.c
    return (
        update(table)
        # The lease is checked again by the write itself.
        .where(c.id == bindparam("b_id"), c.lease_owner == bindparam("b_owner"))
        .values(
            state=bindparam("b_state", type_=c.state.type),
            next_attempt_at=bindparam("b_next", type_=c.next_attempt_at.type),
            in_doubt=bindparam("b_in_doubt", type_=c.in_doubt.type),
            lease_owner=None,
            lease_until=None,
            attempts=bindparam("b_attempts"),
            remote_id=bindparam("b_remote_id"),
            remote_status=bindparam("b_remote_status"),
            last_error_type=bindparam("b_error_type"),
            last_error_message=bindparam("b_error_message"),
            updated_at=bindparam("b_now", type_=c.updated_at.type),
        )
    )


_OUTCOME_UPDATE = _outcome_update()


PLATFORM_NAMES = {
    Connector.NOTIFY_EMAIL: N_("Email (GOV.UK Notify)"),
    Connector.NOTIFY_SMS: N_("Text message (GOV.UK Notify)"),
    Connector.NOTIFY_LETTER: N_("Letter (GOV.UK Notify)"),
    Connector.SUBMISSION_API: N_("Form to the department"),
    Connector.PAY: N_("Payment request (GOV.UK Pay)"),
    Connector.ADDRESS_LOOKUP: N_("Address lookup"),
}
TIMELINE_TEXT = {
    OutboxState.SENT: N_("{what}: sent."),
    OutboxState.DELIVERED: N_("{what}: delivered."),
    OutboxState.NEEDS_ATTENTION: N_("{what}: needs attention. {reason}"),
    OutboxState.FAILED: N_("{what}: not delivered. {reason}"),
    OutboxState.CANCELLED: N_("{what}: cancelled. {reason}"),
}


def _on_timeline(session: Session, item: Any, outcome: Outcome) -> None:
    """Results land on the case timeline, in the same transaction as the outcome."""
    text = TIMELINE_TEXT.get(outcome.state)
    if text is None or item.case_id is None:
        return
    from casework.kernel import timeline

    reason = outcome.error_message or ""
    summary = timeline.line(text, what=timeline.line(PLATFORM_NAMES[item.connector]), reason=reason)
    if item.connector == Connector.PAY:  # in money: "Payment of £10.00 received."
        summary = payment_words.summary(item.body, outcome.state, reason) or summary
    timeline.record(session, item.case_id, f"outbox_{outcome.state.value}", summary, None)


# Statuses worth a line while a sent item is still being followed (a letter
# can wait days between Notify accepting it and the printer posting it).
STATUS_TEXT = {
    "accepted": N_("{what}: accepted by GOV.UK Notify for printing and posting."),
}


def _status_on_timeline(session: Session, item: Any, status: str | None) -> None:
    text = STATUS_TEXT.get(status or "")
    if text is None or item.case_id is None or item.connector != Connector.NOTIFY_LETTER:
        return
    from casework.kernel import timeline

    summary = timeline.line(text, what=timeline.line(PLATFORM_NAMES[item.connector]))
    timeline.record(session, item.case_id, f"outbox_{status}", summary, None)


def _move(session: Session, item_id: str, new: OutboxState, now: datetime) -> OutboxItem:
    item = session.get(OutboxItem, item_id, with_for_update=True)
    if item is None:
        raise OutboxError(f"no outbox item {item_id}")
    check_transition(item_id, item.state, new)
    item.state = new
    item.updated_at = now
    return item


def retry_now(session: Session, item_id: str, now: datetime | None = None) -> None:
    """Queue a set-aside or failed item again, due at once (in the caller's transaction)."""
    now = now or utcnow()
    item = _move(session, item_id, OutboxState.QUEUED, now)
    item.next_attempt_at = now


def cancel(session: Session, item_id: str, now: datetime | None = None) -> None:
    """Stop an item that has not gone (queued, set aside or failed).

    A sending item may be on its way: only the engine holding its lease may
    cancel it (after looking for it, when its mandate has ended).
    """
    item = session.get(OutboxItem, item_id, with_for_update=True)
    if item is not None and item.state == OutboxState.SENDING:
        raise IllegalTransition(item_id, item.state, OutboxState.CANCELLED)
    _move(session, item_id, OutboxState.CANCELLED, utcnow() if now is None else now)


def list_items(
    session: Session,
    *,
    case_id: int | None = None,
    states: Collection[OutboxState] | None = None,
    connector: Connector | None = None,
    limit: int = 500,
) -> list[ItemView]:
    """Items newest first, optionally for one case, in some states, or for one connector."""
    query = select(OutboxItem).order_by(OutboxItem.created_at.desc(), OutboxItem.id)
    if case_id is not None:
        query = query.where(OutboxItem.case_id == case_id)
    if states is not None:
        query = query.where(OutboxItem.state.in_(list(states)))
    if connector is not None:
        query = query.where(OutboxItem.connector == connector)
    return [
        ItemView(
            id=item.id,
            connector=item.connector,
            case_id=item.case_id,
            state=item.state,
            attempts=item.attempts,
            next_attempt_at=item.next_attempt_at,
            last_error_type=item.last_error_type,
            last_error_message=item.last_error_message,
            remote_id=item.remote_id,
            remote_status=item.remote_status,
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        for item in session.scalars(query.limit(limit))
    ]


def counts(session: Session) -> dict[OutboxState, int]:
    """How many items are in each state."""
    from sqlalchemy import func

    rows = session.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state)).all()
    return {state: int(n) for state, n in rows}
