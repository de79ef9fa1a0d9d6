"""A 2,000-item burst against Notify's limits, on a clock running 20 times fast.

Notify allows 3,000 requests a minute from a bucket of 1,000 that refills 50
a second. Here the fake's bucket holds 50 and refills 1,000 a second, and
the engine's pace is scaled by the same 20, so the burst takes seconds and
the shape of the limits is the real one. Paced, the bucket never refuses
us. Unpaced, against a bucket small and slow enough for the engine to drain
it (20, refilling 50 a second), the 429s are backed off and every item still
arrives exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from offline_sync import outbox
from offline_sync.engine import PACE_PER_SECOND, RetryPolicy, SyncEngine
from offline_sync.records import Connector
from tests.fakes.notify import FakeNotify
from tests.unit.offline_sync import samples

MakeEngine = Callable[..., SyncEngine]
SPEED = 20
BURST = 2000
NO_POLLS = RetryPolicy(poll_min_seconds=3600)


def _burst(sessions: sessionmaker[Session], n: int = BURST) -> list[str]:
    with sessions.begin() as session:
        return [
            outbox.enqueue(
                session, Connector.NOTIFY_SMS if i % 4 == 0 else Connector.NOTIFY_EMAIL,
                samples.sms(i) if i % 4 == 0 else samples.email(i),
            )
            for i in range(n)
        ]  # fmt: skip


def _scaled_limits(notify: FakeNotify) -> None:
    notify.bucket_size = 1000 / SPEED
    notify.refill_per_second = 50 * SPEED
    notify._tokens = notify.bucket_size


def test_a_paced_burst_is_never_refused(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    _scaled_limits(notify)
    items = _burst(sessions)
    pace = {c: rate * SPEED for c, rate in PACE_PER_SECOND.items()}
    # Status polls would share the pace; leave them for later in this test.
    engine = make_engine(pace=pace, batch=50, policy=replace(NO_POLLS, base_seconds=0.02))
    started = time.monotonic()
    result = engine.drain(max_wait=60)
    took = time.monotonic() - started
    assert result.finished and result.counts == {"sent": BURST}
    assert notify.rate_limited_count == 0, "the pace must keep under the bucket"
    assert notify.posts_received == BURST
    # Notify counts email and text together: one pace for the platform, so the
    # burst cannot go faster than the scaled pace allows.
    assert took >= BURST / (45 * SPEED) * 0.9
    assert all(len(notify.by_reference(i)) == 1 for i in items[:: BURST // 50])


def test_an_unpaced_burst_backs_off_on_429_and_loses_and_doubles_nothing(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    notify.bucket_size, notify.refill_per_second = 20, 50
    notify._tokens = notify.bucket_size
    burst = 300
    items = _burst(sessions, burst)
    engine = make_engine(
        pace={},
        batch=50,
        policy=replace(NO_POLLS, base_seconds=0.02, max_seconds=0.2),
    )
    result = engine.drain(max_wait=60)
    assert result.finished and result.counts == {"sent": burst}
    assert notify.rate_limited_count > 0, "without pacing the bucket should have run dry"
    assert engine.latest_progress().retrying == notify.rate_limited_count
    assert notify.posts_received == burst
    held = {n.reference for n in notify.notifications.values()}
    assert held == set(items)
