"""Sync: drain 10,000 queued items to the local submission API fake, against a bare
``requests.Session`` loop posting the same bodies to the same fake in the same run.

The engine does more per item than the loop: a leased claim and a stored
outcome in the encrypted database (two write transactions), the idempotency
header, classification. The ratio is what that safety costs. Pacing is off
here (the real pace, 12 a second for the submission API, would measure the
platform's limit, not us).
"""

from __future__ import annotations

import json
import os
import secrets
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy.orm import Session, sessionmaker

from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import create_profile
from offline_sync import outbox
from offline_sync.connectors.submission import SubmissionConnector
from offline_sync.engine import SyncEngine
from offline_sync.records import Connector
from tests.fakes.submission import running_submission_api
from tests.unit.offline_sync import samples

ITEMS = int(os.environ.get("ALONGSIDE_BENCH_SYNC_ITEMS", "10000"))


def _fill(sessions: sessionmaker[Session], n: int) -> list[str]:
    bodies = []
    with sessions.begin() as session:
        for i in range(n):
            outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(i))
    with sessions() as session:
        for item in outbox.list_items(session, limit=n + 1):
            bodies.append(item.id)
    return bodies


def test_sync_drain_rate_against_a_bare_requests_loop(tmp_path: Path) -> None:
    profile = create_profile(ProfilePaths(tmp_path / "profile"), key=secrets.token_bytes(32))
    sessions = session_factory(profile.engine, write=True)
    with running_submission_api() as fake:
        started = time.perf_counter()
        _fill(sessions, ITEMS)
        fill_s = time.perf_counter() - started
        bodies = [json.dumps(samples.submission(i)) for i in range(ITEMS)]

        # The floor: one session, the same bodies, a fresh key each, nothing stored.
        session = requests.Session()
        headers = {"Authorization": f"Bearer {fake.token}", "Content-Type": "application/json"}
        started = time.perf_counter()
        for body in bodies:
            reply = session.post(
                f"{fake.url}/v1/submissions",
                data=body.replace('"ALG', '"RAW', 1).encode(),
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                timeout=30,
            )
            assert reply.status_code == 201
        bare_s = time.perf_counter() - started

        engine = SyncEngine(
            sessions,
            {Connector.SUBMISSION_API: SubmissionConnector(fake.token, base_url=fake.url)},
            pace={},
            batch=20,
        )
        started = time.perf_counter()
        result = engine.drain(max_wait=3600)
        ours_s = time.perf_counter() - started
    profile.close()

    assert result.finished and result.counts == {"delivered": ITEMS}
    ours_rate, bare_rate = ITEMS / ours_s, ITEMS / bare_s
    print()
    print(f"sync: {ITEMS:,} items to the submission API fake (queued in {fill_s:.1f} s)")
    print(f"  bare requests.Session loop: {bare_rate:8.0f} items/s ({bare_s:.1f} s)")
    print(f"  sync engine drain:          {ours_rate:8.0f} items/s ({ours_s:.1f} s)")
    print(
        f"  ratio bare/ours: {bare_rate / ours_rate:.2f}x  (ours/bare {ours_rate / bare_rate:.2f}x)"
    )
    assert ours_rate > 20  # far above any platform's published limit (Notify: 50/s)
