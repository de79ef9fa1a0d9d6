"""The lease: two processes (two engines, several threads) never claim the same item.

On one SQLCipher file (two engines, as two terminals or a restarted process
would have) and on PostgreSQL (``FOR UPDATE SKIP LOCKED`` plus the
compare-and-set update). Then two whole sync engines drain one queue into the
Notify fake at once, and every item reaches Notify exactly once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app import migrate
from app.database import postgres_engine, session_factory, sqlcipher_engine
from app.profile import OpenProfile
from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.connectors.notify import NotifyConnector
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.records import Connector
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.unit.offline_sync import samples

ITEMS = 120
THREADS_PER_ENGINE = 3


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_engines(
    request: pytest.FixtureRequest, profile: OpenProfile, db_key: bytes
) -> Iterator[tuple[Engine, Engine]]:
    """Two independent engines (own pools, own connections) on one database."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        first, second = postgres_engine(url), postgres_engine(url)
        migrate.upgrade(first, None)
    else:
        first = profile.engine
        second = sqlcipher_engine(profile.paths.database, db_key)
    yield first, second
    second.dispose()
    if request.param == "postgres":
        first.dispose()


def _fill(sessions: sessionmaker[Session], n: int) -> set[str]:
    with sessions.begin() as session:
        return {
            outbox.enqueue(session, Connector.NOTIFY_SMS, samples.sms(i), now=utcnow())
            for i in range(n)
        }


def test_no_item_is_claimed_twice(two_engines: tuple[Engine, Engine]) -> None:
    factories = [session_factory(engine, write=True) for engine in two_engines]
    queued = _fill(factories[0], ITEMS)
    claimed: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    go = threading.Barrier(len(factories) * THREADS_PER_ENGINE)

    def worker(sessions: sessionmaker[Session], name: str) -> None:
        try:
            go.wait(timeout=PATIENCE_S)
            while True:
                got = outbox.claim(sessions, name, utcnow(), 300, limit=3)
                if not got:
                    return
                with lock:
                    claimed.extend(item.id for item in got)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(sessions, f"engine{e}-thread{t}"))
        for e, sessions in enumerate(factories)
        for t in range(THREADS_PER_ENGINE)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=PATIENCE_S)
    assert not errors, errors
    twice = [item for item, n in Counter(claimed).items() if n > 1]
    assert twice == []
    assert set(claimed) == queued


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        fake.latency = 0.005
        yield fake


def test_two_engines_drain_one_queue_exactly_once(
    profile: OpenProfile, db_key: bytes, notify: FakeNotify
) -> None:
    second_engine = sqlcipher_engine(profile.paths.database, db_key)
    try:
        factories = [session_factory(e, write=True) for e in (profile.engine, second_engine)]
        queued = _fill(factories[0], 30)
        engines = [
            SyncEngine(
                sessions,
                {
                    Connector.NOTIFY_SMS: NotifyConnector(
                        Connector.NOTIFY_SMS, notify.api_key, base_url=notify.url, timeout=2
                    )
                },
                batch=2,
                pace={},
                policy=RetryPolicy(base_seconds=0.01, max_seconds=0.05),
            )
            for sessions in factories
        ]
        results = []
        threads = [
            threading.Thread(target=lambda e=e: results.append(e.drain(max_wait=30)))
            for e in engines
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=PATIENCE_S)
        assert len(results) == 2 and all(r.finished for r in results)
        # Both did some of the work, and together all of it, once.
        assert all(r.progress.sent > 0 for r in results)
        assert sum(r.progress.sent for r in results) == len(queued)
        assert notify.posts_received == len(queued)
        assert all(len(notify.by_reference(item)) == 1 for item in queued)
    finally:
        second_engine.dispose()
