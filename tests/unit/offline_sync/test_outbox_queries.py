"""The outbox reads and small changes (offline_sync.outbox_queries): the status
bar's numbers, a run's size and what moved, Retry's bring-forward, the lock
before a change, and the worker's rows, Retry and Cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.errors import AccessRefused, AlongsideError, NotFound
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from offline_sync import outbox, outbox_queries
from offline_sync.models import OutboxItem
from offline_sync.outbox import Outcome
from offline_sync.outbox_queries import Moved
from offline_sync.records import Connector, OutboxState
from tests.unit.offline_sync import samples

S = OutboxState


def _enqueue(sessions: sessionmaker[Session], connector: Connector, n: int = 0) -> str:
    body = samples.submission(n) if connector == Connector.SUBMISSION_API else samples.email(n)
    with sessions.begin() as session:
        return outbox.enqueue(session, connector, body)


def _send(
    sessions: sessionmaker[Session], item_id: str, connector: Connector, state: OutboxState
) -> None:
    """Claim the item (the only one due for its connector) and record ``state`` for it."""
    (claimed,) = outbox.claim(sessions, "me", utcnow(), 60, connectors=[connector])
    assert claimed.id == item_id
    assert outbox.record_outcome(sessions, item_id, "me", Outcome(state))


def _later(sessions: sessionmaker[Session], item_id: str, minutes: float) -> None:
    with sessions.begin() as session:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(next_attempt_at=utcnow() + timedelta(minutes=minutes))
        )


def test_nothing_has_got_through_in_a_new_outbox(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL)
    with sessions() as session:
        assert outbox_queries.last_got_through(session) is None


def test_last_got_through_is_the_newest_sent_or_delivered_item(
    sessions: sessionmaker[Session],
) -> None:
    first = _enqueue(sessions, Connector.SUBMISSION_API, 1)
    _send(sessions, first, Connector.SUBMISSION_API, S.SENT)
    second = _enqueue(sessions, Connector.NOTIFY_EMAIL, 2)
    _send(sessions, second, Connector.NOTIFY_EMAIL, S.DELIVERED)
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 3)  # still queued: not counted
    with sessions() as session:
        newest = session.get(OutboxItem, second)
        assert newest is not None
        assert outbox_queries.last_got_through(session) == newest.updated_at


def test_waiting_by_connector_counts_queued_and_sending_only(
    sessions: sessionmaker[Session],
) -> None:
    sending = _enqueue(sessions, Connector.SUBMISSION_API, 1)
    outbox.claim(sessions, "me", utcnow(), 60)  # now sending
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 2)
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 3)
    gone = _enqueue(sessions, Connector.NOTIFY_SMS, 4)
    with sessions.begin() as session:
        outbox.cancel(session, gone)
        assert session.get(OutboxItem, sending).state == S.SENDING  # type: ignore[union-attr]
    with sessions() as session:
        assert outbox_queries.waiting_by_connector(session) == {
            Connector.SUBMISSION_API: 1,
            Connector.NOTIFY_EMAIL: 2,
        }


def test_due_count_counts_due_waiting_items_of_the_given_connectors(
    sessions: sessionmaker[Session],
) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 1)
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 2)
    backing_off = _enqueue(sessions, Connector.NOTIFY_EMAIL, 3)
    _later(sessions, backing_off, 30)
    _enqueue(sessions, Connector.SUBMISSION_API, 4)
    now = utcnow()
    with sessions() as session:
        assert outbox_queries.due_count(session, [Connector.NOTIFY_EMAIL], now) == 2
        assert outbox_queries.due_count(session, {Connector.NOTIFY_EMAIL: 1}, now) == 2
        both = [Connector.NOTIFY_EMAIL, Connector.SUBMISSION_API]
        assert outbox_queries.due_count(session, both, now) == 3
        assert outbox_queries.due_count(session, both, now + timedelta(hours=1)) == 4
        assert outbox_queries.due_count(session, [], now) == 0
        assert outbox_queries.due_count(session, [Connector.PAY], now) == 0


def test_moved_since_lists_what_changed_at_or_after_the_moment(
    sessions: sessionmaker[Session],
) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, 1)
    started = utcnow() + timedelta(seconds=1)
    with sessions.begin() as session:
        item_id = outbox.enqueue(
            session, Connector.SUBMISSION_API, samples.submission(2), now=started
        )
    with sessions() as session:
        assert outbox_queries.moved_since(session, started) == [
            Moved(case_id=None, state=S.QUEUED, last_error_type=None)
        ]
        assert outbox_queries.moved_since(session, started + timedelta(seconds=1)) == []
    (claimed,) = outbox.claim(sessions, "me", started + timedelta(seconds=2), 60, limit=1,
                              connectors=[Connector.SUBMISSION_API])  # fmt: skip
    assert claimed.id == item_id
    failed = Outcome(S.NEEDS_ATTENTION, error_type="Timeout", error_message="no answer")
    assert outbox.record_outcome(sessions, item_id, "me", failed, started + timedelta(seconds=3))
    with sessions() as session:
        moved = outbox_queries.moved_since(session, started + timedelta(seconds=3))
    assert moved == [Moved(None, S.NEEDS_ATTENTION, "Timeout")]


def test_bring_forward_makes_a_queued_item_due_now(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    _later(sessions, item_id, 60)
    now = utcnow()
    with sessions.begin() as session:
        assert outbox_queries.bring_forward(session, item_id, now)
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        assert item.next_attempt_at == now and item.updated_at == now
        assert item.state == S.QUEUED


def test_bring_forward_leaves_an_item_that_is_not_queued(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    outbox.claim(sessions, "me", utcnow(), 60)  # sending: someone holds it
    with sessions() as session:
        before = session.get(OutboxItem, item_id)
        assert before is not None
        kept = (before.state, before.next_attempt_at, before.updated_at)
    with sessions.begin() as session:
        assert not outbox_queries.bring_forward(session, item_id, utcnow() + timedelta(hours=1))
        assert not outbox_queries.bring_forward(session, "no-such-item", utcnow())
    with sessions() as session:
        after = session.get(OutboxItem, item_id)
        assert after is not None
        assert (after.state, after.next_attempt_at, after.updated_at) == kept


def test_lock_item_gives_the_item_or_none(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions, Connector.SUBMISSION_API)
    with sessions.begin() as session:
        item = outbox_queries.lock_item(session, item_id)
        assert item is not None and item.id == item_id and item.state == S.QUEUED
        assert outbox_queries.lock_item(session, "no-such-item") is None


# -- the worker's actions ----------------------------------------------------------------


def test_a_worker_sees_the_rows_of_their_caseload_and_only_the_fact_of_others(
    sessions: sessionmaker[Session], amira: Actor, sam: Actor, case_id: int
) -> None:
    with sessions.begin() as session:
        on_case = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(1), case_id)
        no_case = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(2))
    with sessions.begin() as session:
        mine = outbox_queries.outbox_rows(session, amira)
        for_case = outbox_queries.outbox_rows(session, amira, case_id)
        theirs = outbox_queries.outbox_rows(session, sam)
    assert {r.id for r in mine} == {on_case, no_case}
    assert [r.id for r in for_case] == [on_case]
    row = for_case[0]
    assert (row.connector, row.state, row.case_id) == ("notify_email", "queued", case_id)
    assert row.can_retry and row.can_cancel and row.reason == ""
    # Another team's item is listed (it waits here too), but as no one in particular.
    assert {r.id for r in theirs} == {on_case, no_case}
    hidden = next(r for r in theirs if r.id == on_case)
    assert hidden.hidden and hidden.person == "" and hidden.case_reference == ""
    assert not hidden.can_retry and not hidden.can_cancel
    with pytest.raises(AccessRefused), sessions.begin() as session:
        outbox_queries.outbox_rows(session, sam, case_id)


def test_retry_and_cancel_move_an_item_or_say_why_not(
    sessions: sessionmaker[Session], amira: Actor, sam: Actor, case_id: int
) -> None:
    with sessions.begin() as session:
        item_id = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(1), case_id)
    _send(sessions, item_id, Connector.NOTIFY_EMAIL, S.NEEDS_ATTENTION)
    with pytest.raises(AccessRefused), sessions.begin() as session:
        outbox_queries.retry_item(session, sam, item_id)
    with sessions.begin() as session:
        outbox_queries.retry_item(session, amira, item_id)
        assert session.get(OutboxItem, item_id).state == S.QUEUED  # type: ignore[union-attr]
    _later(sessions, item_id, 30)
    with sessions.begin() as session:  # waiting out a backoff: brought forward
        outbox_queries.retry_item(session, amira, item_id)
        item = session.get(OutboxItem, item_id)
        assert item is not None and item.next_attempt_at <= utcnow()
    with sessions.begin() as session:
        outbox_queries.cancel_item(session, amira, item_id)
        assert session.get(OutboxItem, item_id).state == S.CANCELLED  # type: ignore[union-attr]
    with pytest.raises(AlongsideError, match="was cancelled"), sessions.begin() as session:
        outbox_queries.retry_item(session, amira, item_id)
    with pytest.raises(AlongsideError, match="was cancelled"), sessions.begin() as session:
        outbox_queries.cancel_item(session, amira, item_id)
    with pytest.raises(NotFound, match="no longer in the outbox"), sessions.begin() as session:
        outbox_queries.cancel_item(session, amira, "no-such-item")


def test_an_item_at_its_platform_cannot_be_cancelled_or_retried(
    sessions: sessionmaker[Session], amira: Actor
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    _send(sessions, item_id, Connector.NOTIFY_EMAIL, S.SENT)
    reached = pytest.raises(AlongsideError, match="already reached the platform")
    with reached, sessions.begin() as session:
        outbox_queries.cancel_item(session, amira, item_id)
    reached = pytest.raises(AlongsideError, match="already reached the platform")
    with reached, sessions.begin() as session:
        outbox_queries.retry_item(session, amira, item_id)
    with sessions.begin() as session:
        (row,) = outbox_queries.outbox_rows(session, amira)
    assert row.state == "sent" and not row.can_retry and not row.can_cancel
