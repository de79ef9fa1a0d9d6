"""The sync engine: claim due outbox items, deliver them, record what happened.

One engine runs on one thread (a Qt worker, ``alongside sync`` or a test). It
claims a few items at a time under a lease, so several engines (two
terminals on a shared database, or a restarted process) never send the same
item. Failures are classified by the connector and handled here:

- retry: jittered exponential backoff, never sooner than a Retry-After;
- retry at a time: Notify's daily limit waits for midnight UTC;
- set aside: the item needs attention, with the platform's reason; the rest
  of the queue carries on (also when an uncertain answer that will not mend
  itself, such as a redirect, comes twice in a row after ``set_aside_after``
  attempts: it stays in doubt, so a retry looks for it first);
- stop the connector: a bad key or a wrong clock stops every item for that
  connector in this run, with a message saying what to check.

Progress is read with ``latest_progress()`` and a run is stopped with
``abort()``; neither needs Qt (the UI polls them on a timer).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.i18n import _
from casework.kernel.models import utcnow
from offline_sync.connectors.base import (
    Delivery,
    DeliveryFailed,
    FailureKind,
    Message,
    PlatformConnector,
)
from offline_sync.models import OutboxItem
from offline_sync.outbox import ClaimedItem, Outcome, claim, record_outcomes
from offline_sync.records import Connector, OutboxState

log = logging.getLogger("alongside.sync")

# Requests a second each platform is paced under (Notify: 3,000 a minute; Pay
# and the submission API: 15 POSTs a second).
PACE_PER_SECOND: dict[Connector, float] = {
    Connector.NOTIFY_EMAIL: 45.0,
    Connector.NOTIFY_SMS: 45.0,
    Connector.NOTIFY_LETTER: 45.0,
    Connector.SUBMISSION_API: 12.0,
    Connector.PAY: 12.0,
    Connector.ADDRESS_LOOKUP: 8.0,
}
# The longest an outcome waits to be stored with the rest of its batch (seconds).
STORE_EVERY = 1.0
# Connectors sharing one platform limit share one pacer.
PLATFORM = {
    Connector.NOTIFY_EMAIL: "notify",
    Connector.NOTIFY_SMS: "notify",
    Connector.NOTIFY_LETTER: "notify",
}


@dataclass(frozen=True)
class RetryPolicy:
    """Jittered exponential backoff: base * 2**(attempt-1), capped, times 0.5-1.0."""

    base_seconds: float = 2.0
    max_seconds: float = 900.0
    max_attempts: int = 30
    poll_min_seconds: float = 30.0
    poll_max_seconds: float = 3600.0
    # Notify keeps a message's status for 7 days; poll a little less than that.
    poll_for_seconds: float = 7 * 24 * 3600 - 3600

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
        exponent = min(max(attempts - 1, 0), 30)
        ceiling = min(self.max_seconds, self.base_seconds * (2**exponent))
        jittered = ceiling * (0.5 + rng.random() / 2)
        return float(max(jittered, retry_after or 0.0))

    def poll_delay(self, age_seconds: float) -> float:
        """Poll young messages often and old ones rarely."""
        return min(self.poll_max_seconds, max(self.poll_min_seconds, age_seconds / 4))


@dataclass(frozen=True)
class Progress:
    """A snapshot of a run, safe to read from another thread."""

    running: bool = False
    claimed: int = 0
    sent: int = 0
    delivered: int = 0
    retrying: int = 0
    set_aside: int = 0
    failed: int = 0
    waiting: int = 0  # items still due to go (queued or sending) for running connectors
    current: str | None = None  # the item being sent now
    stopped: Mapping[str, str] = field(default_factory=dict)  # connector -> what to check
    aborted: bool = False


@dataclass(frozen=True)
class DrainResult:
    """How a drain ended: every item went, was set aside or held, or time ran out."""

    finished: bool
    progress: Progress
    counts: Mapping[str, int]


def default_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SyncEngine:
    """Delivers outbox items through connectors; one engine per thread."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        connectors: Mapping[Connector, PlatformConnector],
        *,
        owner: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        lease_seconds: float = 120.0,
        batch: int = 5,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        pace: Mapping[Connector, float] | None = None,
        store_every: float = STORE_EVERY,
    ) -> None:
        self._sessions = sessions
        self._connectors = dict(connectors)
        self.owner = owner or default_owner()
        self._clock = clock
        self._lease_seconds = lease_seconds
        self._batch = batch
        self._policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._pace = dict(PACE_PER_SECOND if pace is None else pace)
        self._last_request: dict[str, float] = {}
        self._abort = threading.Event()
        self._lock = threading.Lock()
        # The progress counters, copied into a Progress when asked for (the UI polls).
        self._fields: dict[str, Any] = {
            f.name: getattr(Progress(), f.name) for f in fields(Progress)
        }
        self._stopped: dict[Connector, str] = {}
        # The same, untranslated where the connector gave a Message (the window
        # shows it again in the worker's language after a switch).
        self._stopped_text: dict[Connector, Message | str] = {}
        # Outcomes of the batch in hand not yet stored, and since when.
        self._unstored: list[tuple[str, Outcome]] = []
        self._unstored_since = 0.0
        self._store_every = store_every

    # -- what the UI and the CLI call ------------------------------------------------

    def latest_progress(self) -> Progress:
        with self._lock:
            return Progress(**self._fields)

    def abort(self) -> None:
        """Ask the run to stop after the item in hand (its outcome is still stored)."""
        self._abort.set()
        self._update(aborted=True)

    @property
    def stopped(self) -> dict[Connector, str]:
        return dict(self._stopped)

    @property
    def stopped_messages(self) -> dict[Connector, Message | str]:
        """Why each stopped connector stopped: ``str()`` it to read it in the current language."""
        return dict(self._stopped_text)

    def active_connectors(self) -> list[Connector]:
        return [c for c in self._connectors if c not in self._stopped]

    # -- running ----------------------------------------------------------------------

    def step(self) -> int:
        """Claim one batch of due items and deal with each.

        Returns how many were claimed to be sent; status polls done on the way
        are not counted, so a drain is not kept going by messages still in flight.
        """
        active = self.active_connectors()
        if self._abort.is_set() or not active:
            return 0
        items = claim(
            self._sessions,
            self.owner,
            self._clock(),
            self._lease_seconds,
            connectors=active,
            limit=self._batch,
        )
        sends = sum(1 for item in items if item.state == OutboxState.SENDING)
        self._bump(claimed=sends)
        try:
            for item in items:
                self._handle(item)
                if self._unstored and time.monotonic() - self._unstored_since >= self._store_every:
                    self._store()
        finally:
            self._store()
        self._update(current=None)
        return sends

    def drain(
        self,
        max_wait: float = 300.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> DrainResult:
        """Keep going, waiting out backoffs, until every item is sent, set aside or
        held by a stopped connector, or ``max_wait`` seconds pass."""
        deadline = monotonic() + max_wait
        self._update(running=True)
        finished = False
        try:
            while not self._abort.is_set():
                if self.step():
                    continue
                waiting, next_due = self._pending()
                self._update(waiting=waiting)
                if waiting == 0:
                    finished = True
                    break
                left = deadline - monotonic()
                if left <= 0:
                    break
                pause = left if next_due is None else (next_due - self._clock()).total_seconds()
                # Look again at least every second: another process may finish or die.
                self._abort.wait(min(max(pause, 0.05), left, 1.0))
        finally:
            self._update(running=False, current=None)
        return DrainResult(finished, self.latest_progress(), self.counts())

    def run_forever(self, idle_seconds: float = 5.0) -> None:
        """Headless: deliver as items come, until ``abort()``."""
        self._update(running=True)
        try:
            while not self._abort.is_set():
                if not self.step():
                    self._abort.wait(idle_seconds)
        finally:
            self._update(running=False, current=None)

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            rows = session.execute(
                select(OutboxItem.state, func.count()).group_by(OutboxItem.state)
            ).all()
        return {str(state): int(n) for state, n in rows}

    def _pending(self) -> tuple[int, datetime | None]:
        """Items still to go for running connectors, and when the next one is due."""
        active = self.active_connectors()
        if not active:
            return 0, None
        with self._sessions() as session:
            waiting = OutboxItem.state.in_([OutboxState.QUEUED, OutboxState.SENDING])
            mine = OutboxItem.connector.in_(active)
            n = session.scalar(select(func.count()).where(waiting, mine)) or 0
            due = session.scalar(
                select(func.min(OutboxItem.next_attempt_at)).where(
                    OutboxItem.state == OutboxState.QUEUED, mine
                )
            )
            lease = session.scalar(
                select(func.min(OutboxItem.lease_until)).where(
                    OutboxItem.state == OutboxState.SENDING,
                    mine,
                    OutboxItem.lease_until.is_not(None),
                )
            )
        times = [t for t in (due, lease) if t is not None]
        return int(n), (min(times) if times else None)

    # -- one item -------------------------------------------------------------------------

    def _handle(self, item: ClaimedItem) -> None:
        connector = self._connectors[item.connector]
        if item.connector in self._stopped:
            self._record(item, Outcome(OutboxState.QUEUED, in_doubt=item.in_doubt,
                                       refund_attempt=True))  # fmt: skip
            return
        self._update(current=item.id)
        outcome: Outcome
        try:
            if item.state == OutboxState.SENT:
                self._wait_for_pace(item.connector)
                outcome = self._after_poll(item, connector.poll(item))
            elif item.blocked is not None:
                self._wait_for_pace(item.connector)
                outcome = self._after_mandate_ended(item, connector)
            else:
                delivery = None
                if item.in_doubt:
                    self._wait_for_pace(item.connector)
                    delivery = connector.find_existing(item)
                    if delivery is not None:
                        log.info("adopted %s's earlier delivery %s", item.id, delivery.remote_id)
                if delivery is None:
                    self._wait_for_pace(item.connector)
                    delivery = connector.send(item)
                outcome = self._after_send(item, delivery)
        except DeliveryFailed as failure:
            outcome = self._after_failure(item, failure)
        except Exception as exc:  # a bug or a surprise: keep the queue going
            log.exception("unexpected error delivering outbox item %s", item.id)
            outcome = self._after_failure(
                item,
                DeliveryFailed(
                    FailureKind.RETRY,
                    type(exc).__name__,
                    _("Something unexpected went wrong while sending; it will be tried again."),
                    uncertain=True,
                ),
            )
        self._record(item, outcome)

    def _after_mandate_ended(self, item: ClaimedItem, connector: PlatformConnector) -> Outcome:
        """In doubt, and the mandate has ended: adopt the platform's copy, or cancel.

        It is never sent again. A platform that cannot be asked (only an
        Idempotency-Key, whose resend would create it) sets the item aside.
        """
        assert item.blocked is not None
        look_up: Callable[[ClaimedItem], Delivery | None] | None = getattr(
            connector, "look_up", None
        )
        if look_up is None:
            self._bump(set_aside=1)
            return Outcome(
                OutboxState.NEEDS_ATTENTION,
                error_type=item.blocked.error_type,
                error_message=_(
                    "The mandate ended while this was on its way, so it was not sent again. "
                    "An earlier attempt may have reached the platform, which cannot be asked "
                    "from here: check with them, then cancel this item."
                ),
            )
        found = look_up(item)
        if found is not None:
            log.info("adopted %s's delivery from before its mandate ended", item.id)
            return self._after_send(item, found)
        return Outcome(
            OutboxState.CANCELLED,
            error_type=item.blocked.error_type,
            error_message=item.blocked.message,
        )

    def _after_send(self, item: ClaimedItem, delivery: Delivery) -> Outcome:
        self._bump(sent=1)
        if delivery.final:
            return self._final(delivery)
        return Outcome(
            OutboxState.SENT,
            next_attempt_at=self._clock() + timedelta(seconds=self._policy.poll_min_seconds),
            remote_id=delivery.remote_id,
            remote_status=delivery.remote_status,
            link=delivery.link,
        )

    def _after_poll(self, item: ClaimedItem, delivery: Delivery) -> Outcome:
        if delivery.final:
            return self._final(delivery)
        age = (self._clock() - item.created_at).total_seconds()
        if age > self._policy.poll_for_seconds:
            return self._stop_polling(delivery.remote_status)
        return Outcome(
            OutboxState.SENT,
            next_attempt_at=self._clock() + timedelta(seconds=self._policy.poll_delay(age)),
            remote_id=delivery.remote_id,
            remote_status=delivery.remote_status,
            link=delivery.link,
        )

    def _stop_polling(self, remote_status: str | None) -> Outcome:
        """Past the platform's retention: the last status heard is all there will be."""
        return Outcome(
            OutboxState.SENT,
            next_attempt_at=self._clock() + timedelta(days=36500),
            remote_status=remote_status,
            error_type="StatusUnavailable",
            error_message=_(
                "The platform no longer keeps this message's status (Notify keeps it for 7 "
                "days). It was sent; whether it arrived is not known."
            ),
        )

    def _final(self, delivery: Delivery) -> Outcome:
        if delivery.failed:
            self._bump(failed=1)
            return Outcome(
                OutboxState.FAILED,
                error_type=delivery.remote_status,
                error_message=delivery.message,
                remote_id=delivery.remote_id,
                remote_status=delivery.remote_status,
            )
        self._bump(delivered=1)
        return Outcome(
            OutboxState.DELIVERED,
            remote_id=delivery.remote_id,
            remote_status=delivery.remote_status,
        )

    def _after_failure(self, item: ClaimedItem, failure: DeliveryFailed) -> Outcome:
        now = self._clock()
        polling = item.state == OutboxState.SENT
        back = OutboxState.SENT if polling else OutboxState.QUEUED
        in_doubt = False if polling else failure.uncertain
        kind = failure.kind
        log.info(
            "outbox item %s (%s): %s %s", item.id, item.connector.value, kind.value,
            failure.error_type,
        )  # fmt: skip
        if kind == FailureKind.STOP_CONNECTOR:
            self._stop(item.connector, failure)
            return Outcome(
                back,
                error_type=failure.error_type,
                error_message=failure.message,
                in_doubt=item.in_doubt if not polling else False,
                refund_attempt=not polling,
            )
        if kind == FailureKind.SET_ASIDE and polling:
            # A status the platform will not give (404 after its retention): stop asking.
            return self._stop_polling(item.remote_status)
        if kind == FailureKind.SET_ASIDE:
            self._bump(set_aside=1)
            return Outcome(
                OutboxState.NEEDS_ATTENTION,
                error_type=failure.error_type,
                error_message=failure.message,
            )
        if kind == FailureKind.RETRY_AT and failure.retry_at is not None:
            self._bump(retrying=1)
            return Outcome(
                back,
                next_attempt_at=failure.retry_at,
                error_type=failure.error_type,
                error_message=failure.message,
                in_doubt=in_doubt,
            )
        if (
            not polling
            and failure.set_aside_after is not None
            and item.attempts >= failure.set_aside_after
            and item.last_error_type == failure.error_type
        ):
            # The same doubtful answer again and again (a redirect): a person must look.
            # Still in doubt, so a retry looks for it on the platform before sending.
            self._bump(set_aside=1)
            return Outcome(
                OutboxState.NEEDS_ATTENTION,
                error_type=failure.error_type,
                error_message=_(
                    "{reason} This has happened {n} times, so it now needs attention: check the "
                    "platform's address in the settings, then retry it."
                ).format(reason=failure.message, n=item.attempts),
                in_doubt=in_doubt,
            )
        if not polling and item.attempts >= self._policy.max_attempts and not failure.uncertain:
            self._bump(failed=1)
            return Outcome(
                OutboxState.FAILED, error_type=failure.error_type, error_message=failure.message
            )
        self._bump(retrying=1)
        delay = self._policy.delay(item.attempts, self._rng, failure.retry_after)
        return Outcome(
            back,
            next_attempt_at=now + timedelta(seconds=delay),
            error_type=failure.error_type,
            error_message=failure.message,
            in_doubt=in_doubt,
        )

    def _record(self, item: ClaimedItem, outcome: Outcome) -> None:
        """Keep an outcome to store with the rest of the batch (see ``_store``)."""
        if not self._unstored:
            self._unstored_since = time.monotonic()
        self._unstored.append((item.id, outcome))

    def _store(self) -> None:
        """Store the outcomes held so far in one transaction.

        Until they are stored the items stay sending and in doubt under our
        lease, so a crash in between makes the next claimant look for the
        platform's copy first (or resend under the same key): never twice.
        """
        if not self._unstored:
            return
        held, self._unstored = self._unstored, []
        for (item_id, _outcome), kept in zip(
            held, record_outcomes(self._sessions, self.owner, held, self._clock()), strict=True
        ):
            if not kept:
                log.warning("lease on outbox item %s was lost; its new holder decides", item_id)

    def _stop(self, connector: Connector, failure: DeliveryFailed) -> None:
        message = failure.message
        if connector not in self._stopped:
            log.error("connector %s stopped: %s", connector.value, message)
        self._stopped[connector] = message
        self._stopped_text[connector] = failure.text or message
        self._update(stopped={c.value: m for c, m in self._stopped.items()})

    def _wait_for_pace(self, connector: Connector) -> None:
        rate = self._pace.get(connector)
        if not rate:
            return
        platform = PLATFORM.get(connector, connector.value)
        gap = 1.0 / rate
        now = time.monotonic()
        last = self._last_request.get(platform)
        if last is not None and now - last < gap:
            self._abort.wait(gap - (now - last))
        self._last_request[platform] = time.monotonic()

    # -- progress -------------------------------------------------------------------------

    def _update(self, **changes: object) -> None:
        with self._lock:
            self._fields.update(changes)

    def _bump(self, **deltas: int) -> None:
        with self._lock:
            for name, delta in deltas.items():
                self._fields[name] += delta
