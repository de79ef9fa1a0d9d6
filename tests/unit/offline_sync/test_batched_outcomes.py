"""Claims and outcomes a batch at a time: one compare-and-set statement per claim,
one transaction for a batch's outcomes, and the lease still decides every item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.connectors.base import Delivery
from offline_sync.engine import SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.outbox import ClaimedItem, OutboxError, Outcome
from offline_sync.records import Connector, OutboxState
from tests.unit.offline_sync import samples

S = OutboxState


def _queue(sessions: sessionmaker[Session], n: int) -> list[str]:
    with sessions.begin() as session:
        return [
            outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(i))
            for i in range(n)
        ]


def _states(sessions: sessionmaker[Session]) -> dict[str, tuple[OutboxState, str | None]]:
    with sessions() as session:
        rows = session.execute(select(OutboxItem.id, OutboxItem.state, OutboxItem.lease_owner))
        return {row.id: (row.state, row.lease_owner) for row in rows}


def test_a_row_changed_between_read_and_claim_is_not_claimed(
    sessions: sessionmaker[Session],
) -> None:
    ids = _queue(sessions, 3)
    now = utcnow()
    with sessions.begin() as session:
        query = select(*outbox._CLAIM_COLUMNS).where(outbox._due(now, None))
        wanted: list[tuple[Any, None]] = [(row, None) for row in session.execute(query).all()]
        # Another claimant takes the first row after our read (as if no lock held it).
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == ids[0])
            .values(state=S.SENDING, attempts=1, lease_owner="them", lease_until=now)
        )
        until = now + timedelta(seconds=60)
        claimed = outbox._claim_rows(session, wanted, "me", now, until, limit=3)
    assert sorted(item.id for item in claimed) == sorted(ids[1:])
    states = _states(sessions)
    assert states[ids[0]] == (S.SENDING, "them")
    assert states[ids[1]] == states[ids[2]] == (S.SENDING, "me")


def test_a_batch_of_outcomes_keeps_only_those_whose_lease_is_still_ours(
    sessions: sessionmaker[Session],
) -> None:
    ids = _queue(sessions, 3)
    claimed = outbox.claim(sessions, "me", utcnow(), 60, limit=3)
    assert len(claimed) == 3
    with sessions.begin() as session:  # the lease on the second ran out and was taken
        session.execute(
            update(OutboxItem).where(OutboxItem.id == ids[1]).values(lease_owner="them")
        )
    done = Outcome(S.DELIVERED, remote_id="r", remote_status="accepted")
    kept = outbox.record_outcomes(sessions, "me", [(i, done) for i in ids])
    assert kept == [True, False, True]
    states = _states(sessions)
    assert states[ids[0]] == states[ids[2]] == (S.DELIVERED, None)
    assert states[ids[1]] == (S.SENDING, "them")


def test_one_outcome_per_item_in_a_batch(sessions: sessionmaker[Session]) -> None:
    (item_id,) = _queue(sessions, 1)
    outbox.claim(sessions, "me", utcnow(), 60)
    done = Outcome(S.DELIVERED)
    with pytest.raises(OutboxError):
        outbox.record_outcomes(sessions, "me", [(item_id, done), (item_id, Outcome(S.QUEUED))])


class _Watching:
    """Sends to nowhere, noting the stored state of the item sent before each one."""

    connector = Connector.SUBMISSION_API

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.before: list[OutboxState] = []
        self.last: str | None = None

    def send(self, item: ClaimedItem) -> Delivery:
        if self.last is not None:
            with self.sessions() as session:
                previous = session.get(OutboxItem, self.last)
                assert previous is not None
                self.before.append(previous.state)
        self.last = item.id
        return Delivery(f"remote-{item.id}", "accepted", final=True)

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        return None

    def poll(self, item: ClaimedItem) -> Delivery:
        return Delivery(item.remote_id, item.remote_status, final=True)


@pytest.mark.parametrize(("store_every", "seen"), [(0.0, S.DELIVERED), (3600.0, S.SENDING)])
def test_outcomes_wait_for_the_batch_no_longer_than_store_every(
    sessions: sessionmaker[Session], store_every: float, seen: OutboxState
) -> None:
    _queue(sessions, 4)
    watching = _Watching(sessions)
    make: Callable[..., SyncEngine] = SyncEngine
    engine = make(
        sessions, {Connector.SUBMISSION_API: watching}, pace={}, batch=4, store_every=store_every
    )
    assert engine.step() == 4
    assert watching.before == [seen] * 3
    assert set(engine.counts()) == {"delivered"}  # stored at the end of the batch either way
