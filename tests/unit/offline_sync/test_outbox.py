"""The outbox: enqueue in the caller's transaction, the state table, leases, outcomes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.models import STATE_TRANSITIONS, OutboxItem
from offline_sync.outbox import IllegalTransition, OutboxError, Outcome
from offline_sync.records import Connector, OutboxState
from tests.unit.offline_sync import samples

S = OutboxState


def _enqueue(sessions: sessionmaker[Session], connector: Connector, body: dict[str, object]) -> str:
    with sessions.begin() as session:
        return outbox.enqueue(session, connector, body)


def test_notify_items_carry_their_own_id_as_reference(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        assert json.loads(item.body)["reference"] == item_id == item.idempotency_key
        assert item.state == S.QUEUED and item.attempts == 0 and not item.in_doubt


def test_other_items_carry_an_idempotency_key(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        given = outbox.enqueue(
            session, "submission_api", samples.submission(), idempotency_key="sub-123"
        )
        default = outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(2))
    with sessions() as session:
        assert session.get(OutboxItem, given).idempotency_key == "sub-123"  # type: ignore[union-attr]
        assert session.get(OutboxItem, default).idempotency_key == default  # type: ignore[union-attr]


def test_the_body_is_kept_exactly(sessions: sessionmaker[Session]) -> None:
    body = samples.submission(answers_extra="Côte d'Ivoire ✓")
    item_id = _enqueue(sessions, Connector.SUBMISSION_API, body)
    (claimed,) = outbox.claim(sessions, "me", utcnow(), 60)
    assert claimed.id == item_id
    assert claimed.payload() == body


def test_enqueue_rolls_back_with_the_callers_transaction(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError), sessions.begin() as session:
        outbox.enqueue(session, Connector.NOTIFY_SMS, samples.sms())
        raise RuntimeError("the submission failed")
    with sessions() as session:
        assert outbox.list_items(session) == []


def test_a_key_is_used_once_per_connector(sessions: sessionmaker[Session]) -> None:
    from sqlalchemy.exc import IntegrityError

    _ = _enqueue(sessions, Connector.SUBMISSION_API, samples.submission())
    with pytest.raises(IntegrityError), sessions.begin() as session:
        outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(), idempotency_key="k")
        outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(), idempotency_key="k")
    with pytest.raises(OutboxError), sessions.begin() as session:
        outbox.enqueue(session, Connector.PAY, {}, idempotency_key="x" * 256)


def test_every_state_has_transitions_and_finals_have_none() -> None:
    assert set(STATE_TRANSITIONS) == set(OutboxState)
    assert STATE_TRANSITIONS[S.DELIVERED] == STATE_TRANSITIONS[S.CANCELLED] == frozenset()
    for old, targets in STATE_TRANSITIONS.items():
        for new in OutboxState:
            if new in targets:
                outbox.check_transition("x", old, new)
            else:
                with pytest.raises(IllegalTransition):
                    outbox.check_transition("x", old, new)


def test_claim_leases_and_counts_an_attempt(sessions: sessionmaker[Session]) -> None:
    first = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email(1))
    now = utcnow()
    (item,) = outbox.claim(sessions, "terminal-a", now, 60)
    assert item.id == first and item.state == S.SENDING and item.attempts == 1
    assert not item.in_doubt  # nothing has left yet
    # Held: nobody else gets it while the lease runs.
    assert outbox.claim(sessions, "terminal-b", now + timedelta(seconds=59), 60) == []
    with sessions() as session:
        row = session.get(OutboxItem, first)
        assert row is not None and row.in_doubt and row.lease_owner == "terminal-a"


def test_an_expired_lease_is_taken_over_and_the_item_is_in_doubt(
    sessions: sessionmaker[Session],
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    now = utcnow()
    outbox.claim(sessions, "crashed", now, 10)
    (again,) = outbox.claim(sessions, "restarted", now + timedelta(seconds=11), 10)
    assert again.id == item_id and again.in_doubt and again.attempts == 2
    # The crashed process's late outcome is refused: the lease is no longer its own.
    assert not outbox.record_outcome(sessions, item_id, "crashed", Outcome(S.SENT))
    assert outbox.record_outcome(sessions, item_id, "restarted", Outcome(S.SENT, remote_id="n1"))


def test_not_yet_due_items_wait(sessions: sessionmaker[Session]) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_SMS, samples.sms())
    now = utcnow()
    (item,) = outbox.claim(sessions, "me", now, 60)
    later = now + timedelta(minutes=5)
    outbox.record_outcome(sessions, item.id, "me", Outcome(S.QUEUED, next_attempt_at=later))
    assert outbox.claim(sessions, "me", now + timedelta(minutes=4), 60) == []
    assert [i.id for i in outbox.claim(sessions, "me", later, 60)] == [item_id]


def test_claim_only_for_the_connectors_asked(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, Connector.NOTIFY_SMS, samples.sms())
    sub = _enqueue(sessions, Connector.SUBMISSION_API, samples.submission())
    now = utcnow()
    assert outbox.claim(sessions, "me", now, 60, connectors=[]) == []
    claimed = outbox.claim(sessions, "me", now, 60, connectors=[Connector.SUBMISSION_API], limit=5)
    assert [i.id for i in claimed] == [sub]


def test_sent_items_are_leased_for_polling_without_changing_state(
    sessions: sessionmaker[Session],
) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    now = utcnow()
    (item,) = outbox.claim(sessions, "me", now, 60)
    outbox.record_outcome(sessions, item.id, "me", Outcome(S.SENT, remote_id="abc"), now)
    (poll,) = outbox.claim(sessions, "me", now, 60)
    assert poll.state == S.SENT and poll.attempts == 1 and poll.remote_id == "abc"
    assert outbox.record_outcome(sessions, item.id, "me", Outcome(S.DELIVERED))
    assert outbox.claim(sessions, "me", now + timedelta(days=1), 60) == []


def test_record_outcome_refuses_an_illegal_move(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    (item,) = outbox.claim(sessions, "me", utcnow(), 60)
    now = utcnow()
    outbox.record_outcome(sessions, item.id, "me", Outcome(S.SENT, next_attempt_at=now), now)
    (poll,) = outbox.claim(sessions, "me", utcnow(), 60)
    assert poll.state == S.SENT
    with pytest.raises(IllegalTransition):  # the platform has it: it cannot be queued again
        outbox.record_outcome(sessions, item.id, "me", Outcome(S.QUEUED))


def test_set_aside_then_retry_now_or_cancel(sessions: sessionmaker[Session]) -> None:
    a = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email(1))
    b = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email(2))
    for item in outbox.claim(sessions, "me", utcnow(), 60, limit=2):
        outbox.record_outcome(
            sessions,
            item.id,
            "me",
            Outcome(S.NEEDS_ATTENTION, error_type="ValidationError", error_message="bad"),
        )
    with sessions.begin() as session:
        outbox.retry_now(session, a)
        outbox.cancel(session, b)
    with sessions() as session:
        views = {v.id: v for v in outbox.list_items(session)}
        assert views[a].state == S.QUEUED and views[a].last_error_type == "ValidationError"
        assert views[b].state == S.CANCELLED
        with pytest.raises(IllegalTransition):
            outbox.cancel(session, b)
        with pytest.raises(OutboxError):
            outbox.retry_now(session, "no-such-item")


def test_a_sending_item_cannot_be_cancelled(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    (item,) = outbox.claim(sessions, "me", utcnow(), 60)
    with pytest.raises(IllegalTransition), sessions.begin() as session:
        outbox.cancel(session, item.id)


def test_list_items_filters(sessions: sessionmaker[Session]) -> None:
    _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    sub = _enqueue(sessions, Connector.SUBMISSION_API, samples.submission())
    with sessions() as session:
        assert [v.id for v in outbox.list_items(session, connector=Connector.SUBMISSION_API)] == [
            sub
        ]
        assert len(outbox.list_items(session, states=[S.QUEUED])) == 2
        assert outbox.list_items(session, states=[S.SENT]) == []
        assert outbox.counts(session) == {S.QUEUED: 2}
        assert session.scalars(select(OutboxItem.id)).all()
