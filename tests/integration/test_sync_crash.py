"""Crash test: the sync engine killed with SIGKILL at random points, restarted each time.

A process runs the engine over 32 items (email, texts, submissions, payments)
against the fakes, which lose replies at random (commit-then-fail, slow
replies, dropped connections, 500s). It is killed several times at random
moments: before a request, during one, after the platform stored it but
before the outcome was written. At the end every item has gone and the
fakes hold exactly one message or submission for each: nothing lost, nothing
twice.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.database import session_factory
from app.profile import OpenProfile
from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.fakes.pay import FakePay, running_pay
from tests.fakes.server import Fault
from tests.fakes.submission import FakeSubmissionAPI, running_submission_api
from tests.unit.offline_sync import samples

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("sync_crash_runner.py")
KILLS = 7
ITEMS = 32
FAULTS = (Fault.COMMIT_THEN_FAIL, Fault.SLOW, Fault.DROP, Fault.HTTP_500)

pytestmark = pytest.mark.slow


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        fake.slow_seconds = 0.6
        fake.latency = 0.05
        fake.random_faults(0.2, FAULTS, seed=11, path="/v2/notifications/")
        yield fake


@pytest.fixture
def submission_api() -> Iterator[FakeSubmissionAPI]:
    with running_submission_api(slow_seconds=0.6) as fake:
        fake.latency = 0.05
        fake.random_faults(0.2, FAULTS, seed=12)
        yield fake


@pytest.fixture
def pay() -> Iterator[FakePay]:
    with running_pay(slow_seconds=0.6) as fake:
        fake.latency = 0.05
        fake.random_faults(0.2, FAULTS, seed=13, path="/v1/payments")
        yield fake


def _kill_repeatedly(
    profile: OpenProfile,
    db_key: bytes,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
    seed: int,
) -> None:
    """Run the engine in a process, SIGKILL it ``KILLS`` times at random moments
    (after it has begun claiming), then let a last run finish the queue."""
    env = {
        **os.environ,
        "CRASH_DB_KEY": db_key.hex(),
        "CRASH_NOTIFY_KEY": notify.api_key,
        "CRASH_SUBMISSION_TOKEN": submission_api.token,
        "CRASH_PAY_KEY": pay.api_key,
    }
    command = [
        sys.executable,
        str(RUNNER),
        str(profile.paths.database),
        notify.url,
        submission_api.url,
        pay.url,
    ]
    rng = random.Random(seed)
    kills = interrupted = 0
    progress: list[int] = []
    read = session_factory(profile.engine)

    def touched_since(moment: datetime) -> int:
        with read() as session:
            return len(
                session.scalars(select(OutboxItem.id).where(OutboxItem.updated_at >= moment)).all()
            )

    for _ in range(KILLS):
        started = utcnow()
        runner = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Wait (polling, with a deadline) until this runner has begun claiming,
        # then kill it a random moment later: inside the work, not in its imports.
        deadline = time.monotonic() + PATIENCE_S
        while runner.poll() is None and time.monotonic() < deadline:
            if touched_since(started):
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                runner.wait(timeout=0.02)
        try:
            runner.wait(timeout=rng.uniform(0.0, 0.5))
        except subprocess.TimeoutExpired:
            runner.send_signal(signal.SIGKILL)
            runner.wait(timeout=PATIENCE_S)
            kills += 1
            with read() as session:
                states = list(session.scalars(select(OutboxItem.state)))
            interrupted += states.count(OutboxState.SENDING)
            progress.append(sum(1 for s in states if s != OutboxState.QUEUED))
    assert kills >= KILLS - 2, f"the runner finished before most kills: {progress}"
    # Some kills landed mid-attempt (an item left sending under a dead lease).
    assert interrupted > 0, progress

    final = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, timeout=PATIENCE_S, text=True
    )
    assert final.returncode == 0, final.stdout + final.stderr
    print(f"kills={kills} interrupted={interrupted} done after each kill={progress}")
    assert json.loads(final.stdout.strip().splitlines()[-1])["finished"]


def test_killed_at_random_points_nothing_lost_nothing_twice(
    profile: OpenProfile,
    db_key: bytes,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
) -> None:
    sessions = session_factory(profile.engine, write=True)
    kinds = [
        Connector.NOTIFY_EMAIL,
        Connector.NOTIFY_SMS,
        Connector.SUBMISSION_API,
        Connector.PAY,
    ]
    bodies = {
        Connector.NOTIFY_EMAIL: samples.email,
        Connector.NOTIFY_SMS: samples.sms,
        Connector.SUBMISSION_API: samples.submission,
        Connector.PAY: samples.payment,
    }
    with sessions.begin() as session:
        items = {
            outbox.enqueue(session, kind, bodies[kind](n)): kind
            for n, kind in ((n, kinds[n % len(kinds)]) for n in range(ITEMS))
        }
    profile.engine.dispose()

    _kill_repeatedly(profile, db_key, notify, submission_api, pay, seed=2026)

    with session_factory(profile.engine)() as session:
        rows = {item.id: item for item in session.scalars(select(OutboxItem))}
    assert set(rows) == set(items)
    for item_id, kind in items.items():
        row = rows[item_id]
        if kind == Connector.SUBMISSION_API:
            assert row.state == OutboxState.DELIVERED, (item_id, row.state)
            stored = submission_api.by_key.get(item_id)
            assert stored is not None and stored.id == row.remote_id
        elif kind == Connector.PAY:
            assert row.state == OutboxState.SENT, (item_id, row.state)
            made = [p for p in pay.payments.values() if p.key == item_id]
            assert len(made) == 1 and made[0].id == row.remote_id
        else:
            # Sent; or delivered, when a message left in doubt by a kill was found on
            # Notify (by its reference) after Notify had already delivered it.
            assert row.state in (OutboxState.SENT, OutboxState.DELIVERED), (item_id, row.state)
            found = notify.by_reference(item_id)
            assert len(found) == 1, f"{len(found)} messages for {item_id}"
            assert found[0].id == row.remote_id
    # Nothing else reached the platforms, and each submission is there once.
    count = Counter(items.values())
    assert len(notify.notifications) == count[Connector.NOTIFY_EMAIL] + count[Connector.NOTIFY_SMS]
    assert len(submission_api.by_key) == count[Connector.SUBMISSION_API]
    assert len(pay.payments) == count[Connector.PAY]
    references = [s.body["submission_reference"] for s in submission_api.by_key.values()]
    assert len(references) == len(set(references))
    served = set(notify.faults_served) | set(submission_api.faults_served)
    assert served | set(pay.faults_served) >= {Fault.COMMIT_THEN_FAIL}


def test_killed_payments_and_emails_each_arrive_once_through_redirects_and_bad_replies(
    profile: OpenProfile,
    db_key: bytes,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
) -> None:
    """Pay items and Notify emails only, under every fault including redirects to
    another host and replies of the wrong shape: one payment and one email each."""
    faults = (*FAULTS, Fault.REDIRECT, Fault.WRONG_SHAPE)
    notify.random_faults(0.25, faults, seed=21, path="/v2/notifications/")
    pay.random_faults(0.25, faults, seed=23, path="/v1/payments")
    sessions = session_factory(profile.engine, write=True)
    with sessions.begin() as session:
        # Half plain emails, half forms sent as a file to download.
        emails = [
            outbox.enqueue(
                session,
                Connector.NOTIFY_EMAIL,
                samples.email(n) if n % 2 else samples.email_with_form(n),
            )
            for n in range(12)
        ]
        payments = [outbox.enqueue(session, Connector.PAY, samples.payment(n)) for n in range(12)]
    profile.engine.dispose()

    _kill_repeatedly(profile, db_key, notify, submission_api, pay, seed=2027)

    with session_factory(profile.engine)() as session:
        rows = {item.id: item for item in session.scalars(select(OutboxItem))}
    for item_id in emails:
        found = notify.by_reference(item_id)
        assert len(found) == 1, f"{len(found)} emails for {item_id}"
        # Sent; or delivered, when a kill left it in doubt and it was found on Notify
        # (by its reference) after Notify had delivered it.
        assert rows[item_id].state in (OutboxState.SENT, OutboxState.DELIVERED)
        assert rows[item_id].remote_id == found[0].id
        upload = found[0].personalisation.get("link_to_file")
        if upload is not None:  # the form arrived whole, as a real PDF
            assert PdfReader(io.BytesIO(base64.b64decode(upload["file"]))).pages
    assert sum("link_to_file" in notify.by_reference(i)[0].personalisation for i in emails) == 6
    for item_id in payments:
        made = [p for p in pay.payments.values() if p.key == item_id]
        assert len(made) == 1, f"{len(made)} payments for {item_id}"
        assert rows[item_id].state == OutboxState.SENT
        assert rows[item_id].remote_id == made[0].id
    assert len(notify.notifications) == len(emails)
    assert len(pay.payments) == len(payments)
    served = set(notify.faults_served) | set(pay.faults_served)
    assert {Fault.REDIRECT, Fault.WRONG_SHAPE, Fault.COMMIT_THEN_FAIL} <= served, served
    # A redirect was never followed: the other host heard nothing.
    assert notify.decoy.requests == [] and pay.decoy.requests == []
