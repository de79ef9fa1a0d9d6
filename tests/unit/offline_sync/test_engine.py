"""The sync engine against the platform fakes over real loopback HTTP.

The fault matrix: each fault kind x each connector lands in the right class,
the right state and the right message, and the item still reaches the
platform exactly once afterwards.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.connectors.base import (
    UNCERTAIN_ATTEMPTS,
    next_midnight_utc,
    parse_retry_after,
)
from offline_sync.connectors.notify import CLOCK_MESSAGE, NotifyConnector, check_sent
from offline_sync.connectors.pay import check_payment
from offline_sync.connectors.submission import check_receipt
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.fakes.notify import FakeNotify
from tests.fakes.pay import FakePay
from tests.fakes.server import FakePlatform, Fault
from tests.fakes.submission import FakeSubmissionAPI
from tests.unit.offline_sync import samples

S = OutboxState
MakeEngine = Callable[..., SyncEngine]
BODIES: dict[Connector, Callable[[int], dict[str, Any]]] = {
    Connector.NOTIFY_EMAIL: samples.email,
    Connector.NOTIFY_SMS: samples.sms,
    Connector.NOTIFY_LETTER: samples.letter,
    Connector.SUBMISSION_API: samples.submission,
    Connector.PAY: samples.payment,
}
# Platforms that honour an Idempotency-Key, and whose items end delivered at once.
KEYED = (Connector.SUBMISSION_API, Connector.PAY)


def _enqueue(
    sessions: sessionmaker[Session], connector: Connector, n: int = 0, **extra: Any
) -> str:
    with sessions.begin() as session:
        return outbox.enqueue(session, connector, BODIES[connector](n, **extra))


def _item(sessions: sessionmaker[Session], item_id: str) -> OutboxItem:
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        return item


def _held_by_platform(
    connector: Connector, item_id: str, notify: FakeNotify, api: FakeSubmissionAPI, pay: FakePay
) -> int:
    if connector == Connector.SUBMISSION_API:
        return 1 if item_id in api.by_key else 0
    if connector == Connector.PAY:
        return sum(1 for p in pay.payments.values() if p.key == item_id)
    return len(notify.by_reference(item_id))


def _path(connector: Connector) -> str:
    return {
        Connector.NOTIFY_EMAIL: "/v2/notifications/email",
        Connector.NOTIFY_SMS: "/v2/notifications/sms",
        Connector.NOTIFY_LETTER: "/v2/notifications/letter",
        Connector.SUBMISSION_API: "/v1/submissions",
        Connector.PAY: "/v1/payments",
    }[connector]


# fault -> (error type for Notify, for the submission API, in doubt afterwards, message words)
MATRIX: dict[Fault, tuple[str, str, bool, str]] = {
    Fault.HTTP_500: ("Exception", "S0999", True, ""),
    Fault.HTTP_504: ("HTTP504", "HTTP504", True, "not JSON"),
    Fault.HTML_503: ("HTTP503", "HTTP503", True, "not JSON"),
    Fault.RATE_LIMIT: ("RateLimitError", "S0900", False, ""),
    Fault.DROP: ("ConnectionError", "ConnectionError", True, "could not be reached"),
    Fault.SLOW: ("Timeout", "Timeout", True, "did not answer in time"),
    Fault.COMMIT_THEN_FAIL: ("ConnectionError", "ConnectionError", True, "could not be reached"),
    Fault.REDIRECT: ("Redirect", "Redirect", True, "redirect to another address (localhost)"),
    Fault.WRONG_SHAPE: ("InvalidResponse", "InvalidResponse", True, "not as its rules say"),
}


@pytest.mark.parametrize("connector", list(BODIES), ids=lambda c: c.value)
@pytest.mark.parametrize("fault", list(MATRIX), ids=lambda f: f.value)
def test_fault_matrix(
    fault: Fault,
    connector: Connector,
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
) -> None:
    notify_type, api_type, in_doubt, words = MATRIX[fault]
    item_id = _enqueue(sessions, connector)
    fakes: dict[Connector, FakePlatform] = {Connector.SUBMISSION_API: submission_api}
    fakes[Connector.PAY] = pay
    fake = fakes.get(connector, notify)
    fake.inject(fault, path=_path(connector))
    engine = make_engine()

    assert engine.step() == 1
    item = _item(sessions, item_id)
    assert item.state == S.QUEUED, "a retryable fault puts the item back in the queue"
    expected_type = notify_type
    if connector == Connector.SUBMISSION_API:
        expected_type = api_type
    elif connector == Connector.PAY:
        expected_type = api_type.replace("S0", "P0")
    assert item.last_error_type == expected_type
    assert words in (item.last_error_message or "")
    assert item.in_doubt is in_doubt
    assert item.attempts == 1
    assert item.next_attempt_at > item.updated_at - timedelta(seconds=1)
    assert engine.latest_progress().retrying == 1

    result = engine.drain(max_wait=10)
    assert result.finished
    item = _item(sessions, item_id)
    final = S.DELIVERED if connector == Connector.SUBMISSION_API else S.SENT  # Pay: polled
    assert item.state == final and item.remote_id is not None
    assert item.last_error_type is None
    # Exactly once, even where the platform had stored the first request.
    assert _held_by_platform(connector, item_id, notify, submission_api, pay) == 1
    if fault == Fault.REDIRECT:
        assert fake.decoy.requests == [], "a redirect is never followed"


def test_a_lost_notify_reply_is_found_by_reference_and_adopted(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    notify.inject(Fault.COMMIT_THEN_FAIL, path="/v2/notifications/email")
    engine = make_engine()
    engine.drain(max_wait=10)
    (message,) = notify.by_reference(item_id)
    assert notify.posts_received == 1  # searched, not resent
    assert _item(sessions, item_id).remote_id == message.id


@pytest.mark.parametrize("connector", list(BODIES), ids=lambda c: c.value)
def test_a_redirect_that_keeps_coming_sets_the_item_aside_still_in_doubt(
    connector: Connector,
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
) -> None:
    item_id = _enqueue(sessions, connector)
    fakes: dict[Connector, FakePlatform] = {Connector.SUBMISSION_API: submission_api}
    fakes[Connector.PAY] = pay
    fake = fakes.get(connector, notify)
    fake.inject(Fault.REDIRECT, times=UNCERTAIN_ATTEMPTS, path=_path(connector))
    engine = make_engine()

    assert engine.drain(max_wait=10).finished
    item = _item(sessions, item_id)
    assert item.state == S.NEEDS_ATTENTION and item.in_doubt
    assert item.attempts == UNCERTAIN_ATTEMPTS
    assert item.last_error_type == "Redirect"
    message = item.last_error_message or ""
    assert "redirect to another address" in message and "needs attention" in message
    assert engine.latest_progress().set_aside == 1
    assert _held_by_platform(connector, item_id, notify, submission_api, pay) == 0

    # Once the address is right, a retry looks for it first and sends it once.
    with sessions.begin() as session:
        outbox.retry_now(session, item_id)
    assert make_engine().drain(max_wait=10).finished
    assert _item(sessions, item_id).remote_id is not None
    assert _held_by_platform(connector, item_id, notify, submission_api, pay) == 1
    assert fake.decoy.requests == []


def test_an_unreadable_reference_search_is_never_taken_for_not_found(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    notify.inject(Fault.COMMIT_THEN_FAIL, path="/v2/notifications/email")
    notify.inject(Fault.WRONG_SHAPE, path="/v2/notifications", method="GET")
    ahead = timedelta()
    engine = make_engine(clock=lambda: utcnow() + ahead)
    assert engine.step() == 1  # the reply is lost
    ahead = timedelta(minutes=5)  # the backoff is over
    assert engine.step() == 1  # the search answers in a shape it cannot be read in
    item = _item(sessions, item_id)
    assert item.state == S.QUEUED and item.in_doubt
    assert item.last_error_type == "InvalidResponse"
    assert engine.drain(max_wait=10).finished
    (message,) = notify.by_reference(item_id)
    assert notify.posts_received == 1  # searched again, not resent
    assert _item(sessions, item_id).remote_id == message.id


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ([], "not a JSON object"),
        ({"id": "x", "reference": "r"}, "no notification id"),
        ({"id": str(uuid.uuid4()), "reference": "other"}, "reference"),
        ({"id": str(uuid.uuid4()), "reference": "r", "content": {}}, "template"),
        ({"id": str(uuid.uuid4()), "reference": "r", "template": {"id": str(uuid.uuid4())}},
         "content"),
    ],
)  # fmt: skip
def test_notify_send_replies_are_checked_against_the_contract(reply: Any, problem: str) -> None:
    assert problem in (check_sent(reply, "r") or "")
    good = {"id": str(uuid.uuid4()), "reference": "r", "content": {},
            "template": {"id": str(uuid.uuid4())}}  # fmt: skip
    assert check_sent(good, "r") is None
    assert check_sent({"id": str(uuid.uuid4()), "reference": "r", "postage": None}, "r",
                      letter=True) is None  # fmt: skip
    assert check_sent(good, "r", letter=True) is None  # a templated letter
    assert "template" in (check_sent({**good, "template": None}, "r", letter=True) or "")


def test_payment_and_receipt_replies_are_checked_against_the_contract() -> None:
    asked = samples.payment(1)
    good = {"payment_id": "abc", "amount": 1000, "reference": asked["reference"],
            "state": {"status": "created", "finished": False}}  # fmt: skip
    assert check_payment(good, request=asked) is None
    assert "amount" in (check_payment({**good, "amount": 1}, request=asked) or "")
    assert "state" in (check_payment({**good, "state": {"status": "ok"}}, request=asked) or "")
    assert "another payment" in (check_payment(good, payment_id="xyz") or "")
    receipt = {"id": "s1", "submission_reference": "ALG000001", "received_at": "2026-12-05"}
    assert check_receipt(receipt, "ALG000001") is None
    assert "not about this submission" in (check_receipt(receipt, "ALG000002") or "")
    assert "received" in (check_receipt({**receipt, "received_at": None}, "ALG000001") or "")


def test_a_replayed_submission_is_adopted(
    sessions: sessionmaker[Session], make_engine: MakeEngine, submission_api: FakeSubmissionAPI
) -> None:
    item_id = _enqueue(sessions, Connector.SUBMISSION_API)
    submission_api.inject(Fault.SLOW)
    make_engine().drain(max_wait=10)
    assert submission_api.requests_received == 2  # the resend got 200 with the original
    assert _item(sessions, item_id).remote_id == submission_api.by_key[item_id].id


def test_refused_items_are_set_aside_with_the_platforms_reason(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
) -> None:
    notify.missing_templates.add(samples.TEMPLATE_ID)
    no_template = _enqueue(sessions, Connector.NOTIFY_SMS)
    bad_email = _enqueue(sessions, Connector.NOTIFY_EMAIL, email_address="not-an-address")
    bad_answers = _enqueue(sessions, Connector.SUBMISSION_API, answers=[{"question_id": "q"}])
    reused = _enqueue(sessions, Connector.SUBMISSION_API, 7)
    # Someone else used this key with another body (409).
    requests.post(
        f"{submission_api.url}/v1/submissions",
        json=samples.submission(8),
        headers={"Authorization": f"Bearer {submission_api.token}", "Idempotency-Key": reused},
        timeout=2,
    ).raise_for_status()
    result = make_engine().drain(max_wait=10)
    assert result.finished and result.progress.set_aside == 4
    expected = {
        no_template: ("BadRequestError", "Template not found"),
        bad_email: ("ValidationError", "email_address Not a valid email address"),
        bad_answers: ("S0102", "answers/0: Invalid attribute value"),
        reused: ("S0191", "Idempotency-Key: The Idempotency-Key has already been used"),
    }
    for item_id, (kind, words) in expected.items():
        item = _item(sessions, item_id)
        assert item.state == S.NEEDS_ATTENTION
        assert item.last_error_type == kind
        assert words in (item.last_error_message or ""), item.last_error_message
        assert not item.in_doubt


def test_one_bad_item_never_blocks_the_rest(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    good = [_enqueue(sessions, Connector.NOTIFY_EMAIL, n) for n in range(10)]
    bad = _enqueue(sessions, Connector.NOTIFY_EMAIL, 99, template_id="not-a-template")
    good += [_enqueue(sessions, Connector.NOTIFY_EMAIL, n) for n in range(10, 20)]
    result = make_engine().drain(max_wait=10)
    assert result.finished
    assert result.counts == {"sent": 20, "needs_attention": 1}
    assert all(len(notify.by_reference(i)) == 1 for i in good)
    assert _item(sessions, bad).last_error_message == "template_id is not a valid UUID"


def test_bad_items_of_every_kind_never_block_the_rest(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify,
    submission_api: FakeSubmissionAPI, pay: FakePay,
) -> None:  # fmt: skip
    good = {c: [_enqueue(sessions, c, n) for n in range(4)] for c in BODIES}
    with sessions.begin() as session:
        bad = {
            Connector.NOTIFY_EMAIL: outbox.enqueue(
                session, Connector.NOTIFY_EMAIL, samples.email(email_address="nobody")
            ),
            Connector.NOTIFY_LETTER: outbox.enqueue(
                session, Connector.NOTIFY_LETTER, samples.bad_letter()
            ),
            Connector.SUBMISSION_API: outbox.enqueue(
                session, Connector.SUBMISSION_API, samples.submission(answers="none")
            ),
            Connector.PAY: outbox.enqueue(session, Connector.PAY, samples.payment(amount=-1)),
        }
    more = {c: [_enqueue(sessions, c, n) for n in range(4, 8)] for c in BODIES}
    result = make_engine().drain(max_wait=20)
    assert result.finished
    assert result.progress.set_aside == len(bad)
    for connector, item_id in bad.items():
        assert _item(sessions, item_id).state == S.NEEDS_ATTENTION, connector
    for connector in BODIES:
        for item_id in good[connector] + more[connector]:
            assert _item(sessions, item_id).state in (S.SENT, S.DELIVERED)
            assert _held_by_platform(connector, item_id, notify, submission_api, pay) == 1


def test_a_wrong_clock_stops_notify_and_says_what_to_check(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
) -> None:
    emails = [_enqueue(sessions, Connector.NOTIFY_EMAIL, n) for n in range(3)]
    texts = [_enqueue(sessions, Connector.NOTIFY_SMS, n) for n in range(2)]
    letters = [_enqueue(sessions, Connector.NOTIFY_LETTER, n) for n in range(2)]
    submission = _enqueue(sessions, Connector.SUBMISSION_API)
    notify.advance(90)  # our clock is now 90 s behind Notify's
    engine = make_engine()
    result = engine.drain(max_wait=10)

    assert result.finished  # held by a stopped connector counts as done for this run
    assert engine.stopped[Connector.NOTIFY_EMAIL] == CLOCK_MESSAGE
    assert engine.stopped[Connector.NOTIFY_SMS] == CLOCK_MESSAGE
    assert engine.stopped[Connector.NOTIFY_LETTER] == CLOCK_MESSAGE
    assert "within 30 seconds" in CLOCK_MESSAGE and "date, time and time zone" in CLOCK_MESSAGE
    assert result.progress.stopped["notify_email"] == CLOCK_MESSAGE
    for item_id in emails + texts + letters:
        item = _item(sessions, item_id)
        assert item.state == S.QUEUED and item.attempts == 0
    assert _item(sessions, emails[0]).last_error_type == "ClockSkew"
    assert notify.notifications == {}
    # The rest of the queue carried on.
    assert _item(sessions, submission).state == S.DELIVERED


def test_a_bad_key_stops_the_connector(
    sessions: sessionmaker[Session], notify: FakeNotify, submission_api: FakeSubmissionAPI
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    sub = _enqueue(sessions, Connector.SUBMISSION_API)
    wrong = f"old_key-{notify.service_id}-00000000-0000-4000-8000-000000000000"
    from offline_sync.connectors.submission import SubmissionConnector

    engine = SyncEngine(
        sessions,
        {
            Connector.NOTIFY_EMAIL: NotifyConnector(
                Connector.NOTIFY_EMAIL, wrong, base_url=notify.url, timeout=1
            ),
            Connector.SUBMISSION_API: SubmissionConnector(
                "expired", base_url=submission_api.url, timeout=1
            ),
        },
        pace={},
    )
    result = engine.drain(max_wait=5)
    assert result.finished
    message = engine.stopped[Connector.NOTIFY_EMAIL]
    assert "refused the API key for GOV.UK Notify emails" in message
    assert "Invalid token: API key not found" in message
    assert "access token" in engine.stopped[Connector.SUBMISSION_API]
    assert _item(sessions, item_id).state == S.QUEUED
    assert _item(sessions, sub).last_error_type == "HTTP401"


def test_the_daily_limit_waits_for_midnight_utc(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    notify.daily_limit = 0
    item_id = _enqueue(sessions, Connector.NOTIFY_SMS)
    engine = make_engine()
    engine.step()
    item = _item(sessions, item_id)
    assert item.state == S.QUEUED and item.last_error_type == "TooManyRequestsError"
    assert item.next_attempt_at == next_midnight_utc(utcnow())
    assert not item.in_doubt


def test_retry_after_is_respected(
    sessions: sessionmaker[Session], make_engine: MakeEngine, submission_api: FakeSubmissionAPI
) -> None:
    item_id = _enqueue(sessions, Connector.SUBMISSION_API)
    submission_api.inject(Fault.RATE_LIMIT)
    before = utcnow()
    make_engine().step()
    assert _item(sessions, item_id).next_attempt_at >= before + timedelta(seconds=1)


def test_statuses_are_polled_until_final(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    delivered = _enqueue(sessions, Connector.NOTIFY_EMAIL)
    bounced = _enqueue(sessions, Connector.NOTIFY_EMAIL, email_address="perm-fail@simulator.notify")
    engine = make_engine(policy=RetryPolicy(poll_min_seconds=0, poll_max_seconds=0))
    engine.drain(max_wait=5)
    assert _item(sessions, delivered).state == S.SENT
    engine.step()
    assert _item(sessions, delivered).remote_status in ("created", "sending")
    notify.advance(6)
    engine.step()
    assert _item(sessions, delivered).state == S.DELIVERED
    failed = _item(sessions, bounced)
    assert failed.state == S.FAILED and failed.last_error_type == "permanent-failure"
    assert "Check the contact details" in (failed.last_error_message or "")


def test_progress_and_abort(sessions: sessionmaker[Session], make_engine: MakeEngine) -> None:
    for n in range(3):
        _enqueue(sessions, Connector.SUBMISSION_API, n)
    engine = make_engine()
    assert not engine.latest_progress().running
    engine.abort()
    result = engine.drain(max_wait=5)
    assert not result.finished and result.progress.aborted and result.progress.claimed == 0
    again = make_engine()
    done = again.drain(max_wait=5)
    assert done.finished and done.progress.delivered == 3 and done.progress.claimed == 3
    assert not done.progress.running and done.progress.current is None


def test_backoff_is_exponential_jittered_and_capped() -> None:
    policy = RetryPolicy(base_seconds=2, max_seconds=60)
    rng = random.Random(1)
    for attempt, ceiling in ((1, 2), (2, 4), (3, 8), (10, 60)):
        delays = [policy.delay(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1
    assert policy.delay(1, rng, retry_after=30) == 30


def test_retry_after_headers() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3
    assert parse_retry_after("Sun, 22 Nov 2026 12:00:10 GMT", now) == 10
    assert parse_retry_after("soon", now) is None
    assert next_midnight_utc(now) == datetime(2026, 11, 23, tzinfo=UTC)


def test_polling_stops_when_the_platform_no_longer_keeps_the_status(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    item_id = _enqueue(sessions, Connector.NOTIFY_SMS)
    engine = make_engine(policy=RetryPolicy(poll_min_seconds=0, poll_max_seconds=0))
    engine.drain(max_wait=5)
    notify.notifications.clear()  # Notify deleted it after 7 days: now a 404
    engine.step()
    item = _item(sessions, item_id)
    assert item.state == S.SENT and item.last_error_type == "StatusUnavailable"
    assert item.next_attempt_at > utcnow() + timedelta(days=3650)
    assert "It was sent" in (item.last_error_message or "")


def test_a_payment_is_created_once_and_followed_until_paid(
    sessions: sessionmaker[Session], make_engine: MakeEngine, pay: FakePay
) -> None:
    paid = _enqueue(sessions, Connector.PAY, 1)
    expired = _enqueue(sessions, Connector.PAY, 2)
    pay.inject(Fault.COMMIT_THEN_FAIL)
    engine = make_engine(
        policy=RetryPolicy(base_seconds=0.01, poll_min_seconds=0, poll_max_seconds=0)
    )
    assert engine.drain(max_wait=10).finished
    assert len(pay.payments) == 2  # the lost reply's payment was adopted, not made twice
    assert _item(sessions, paid).state == S.SENT
    pay.pay(_item(sessions, paid).remote_id or "")
    pay.advance(91 * 60)
    engine.step()
    assert _item(sessions, paid).state == S.DELIVERED
    gone = _item(sessions, expired)
    assert gone.state == S.FAILED and gone.remote_status == "expired"
    assert gone.last_error_message == (
        "The payment was not made: the payment page expired before the person paid."
    )


def test_pay_refusals(
    sessions: sessionmaker[Session], make_engine: MakeEngine, pay: FakePay
) -> None:
    too_much = _enqueue(sessions, Connector.PAY, 1, amount=10_000_001)
    no_reference = _enqueue(sessions, Connector.PAY, 2)
    with sessions.begin() as session:
        item = session.get(OutboxItem, no_reference)
        assert item is not None
        item.body = item.body.replace('"reference":"BB000002",', "")
    engine = make_engine()
    engine.drain(max_wait=5)
    first, second = _item(sessions, too_much), _item(sessions, no_reference)
    assert (first.state, first.last_error_type) == (S.NEEDS_ATTENTION, "P0102")
    assert first.last_error_message == "amount: Invalid attribute value: amount"
    assert (second.last_error_type, second.last_error_message) == (
        "P0101",
        "reference: Missing mandatory attribute: reference",
    )
    _enqueue(sessions, Connector.PAY, 3)
    stopped = make_engine()
    pay.api_key = "api_test_rotated"  # the key this engine holds was revoked
    stopped.drain(max_wait=5)
    assert "GOV.UK Pay refused the API key" in stopped.stopped[Connector.PAY]


def test_sending_is_paced_under_the_platforms_limit(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    # Notify's bucket scaled down: 5 tokens refilling 20 a second (real: 1,000 and 50).
    notify.bucket_size, notify.refill_per_second = 5.0, 20.0
    notify._tokens = 5.0
    for n in range(25):
        _enqueue(sessions, Connector.NOTIFY_SMS if n % 2 else Connector.NOTIFY_EMAIL, n)
    unpaced = make_engine()
    paced = make_engine(pace={Connector.NOTIFY_EMAIL: 18.0, Connector.NOTIFY_SMS: 18.0})
    result = paced.drain(max_wait=10)
    assert result.finished and result.counts == {"sent": 25}
    # Email and texts share Notify's one limit, so one pacer: nothing was refused.
    assert notify.rate_limited_count == 0
    # Without pacing the same burst meets 429s; they are retried and all still go once.
    for n in range(25, 50):
        _enqueue(sessions, Connector.NOTIFY_EMAIL, n)
    assert unpaced.drain(max_wait=10).counts == {"sent": 50}
    assert notify.rate_limited_count > 0
    assert notify.posts_received == 50


def test_results_land_on_the_case_timeline(
    sessions: sessionmaker[Session], make_engine: MakeEngine, case_id: int
) -> None:
    from casework.kernel.timeline import entries

    with sessions.begin() as session:
        outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(), case_id)
        outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(), case_id)
        outbox.enqueue(
            session, Connector.NOTIFY_SMS, samples.sms(template_id="nope"), case_id=case_id
        )
    make_engine().drain(max_wait=5)
    with sessions() as session:
        lines = {(e.kind, e.summary) for e in entries(session, case_id)}
    assert ("outbox_delivered", "Form to the department: delivered.") in lines
    assert ("outbox_sent", "Email (GOV.UK Notify): sent.") in lines
    assert (
        "outbox_needs_attention",
        "Text message (GOV.UK Notify): needs attention. template_id is not a valid UUID",
    ) in lines
