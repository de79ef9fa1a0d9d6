"""Revoking (or ending) a mandate cancels its queued outbox items at claim time.

The engine reads the mandate each item was queued under; an item whose
mandate is no longer active is cancelled, never sent, with the reason on the
case timeline, unless the mandate's work-in-progress rule lets queued work
finish. Items under other mandates, or none, carry on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.errors import InvalidInput
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from delegation import mandates
from delegation.audit import ReasonCode
from delegation.models import Mandate
from delegation.records import ConsentMethod, MandateStatus, WorkInProgress
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from offline_sync import outbox, revocation
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.fakes.notify import FakeNotify
from tests.fakes.server import FakePlatform, Fault
from tests.fakes.submission import FakeSubmissionAPI
from tests.unit.conftest import WriteSession
from tests.unit.offline_sync import samples

S = OutboxState
FAST = RetryPolicy(base_seconds=0.05, max_seconds=0.1)
MakeEngine = Callable[..., SyncEngine]
SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=("submit",), categories=("identity",))]
)


def _mandate(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int, **options: Any
) -> tuple[int, int]:
    now = utcnow()
    with write() as session:
        mandate = mandates.grant(
            session, amira, person_id=person_id, basis=mandates.Basis.CONSENT, scope=SCOPE,
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=30),
            grantee_worker_id=sam.worker_id, now=now - timedelta(hours=1), **options,
        )  # fmt: skip
        mandates.record_consent(
            session, amira, mandate.id, method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(SCOPE), seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS), now=now,
        )  # fmt: skip
        active = mandates.activate(session, amira, mandate.id, now=now)
        return active.id, active.version


def _queue(
    sessions: sessionmaker[Session], mandate: tuple[int, int] | None, case_id: int, n: int = 0
) -> str:
    with sessions.begin() as session:
        return outbox.enqueue(
            session,
            Connector.NOTIFY_EMAIL,
            samples.email(n),
            case_id,
            mandate_id=mandate[0] if mandate else None,
            mandate_version=mandate[1] if mandate else None,
        )


def _item(sessions: sessionmaker[Session], item_id: str) -> OutboxItem:
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        return item


def test_a_revoked_mandate_cancels_its_queued_items_and_says_why(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id)
    stopped = [_queue(sessions, mandate, case_id, n) for n in range(3)]
    unrelated = _queue(sessions, None, case_id, 9)
    with write() as session:
        mandates.revoke(session, amira, mandate[0], ReasonCode.PERSON_WITHDREW)

    result = make_engine().drain(max_wait=10)
    assert result.finished
    for item_id in stopped:
        item = _item(sessions, item_id)
        assert item.state == S.CANCELLED and item.attempts == 0
        assert item.last_error_type == "MandateRevoked"
        assert "the person revoked the mandate" in (item.last_error_message or "")
        assert notify.by_reference(item_id) == []
    assert "queued under version" in (_item(sessions, stopped[0]).last_error_message or "")
    assert len(notify.by_reference(unrelated)) == 1

    from casework.kernel.timeline import entries

    with sessions() as session:
        lines = [e for e in entries(session, case_id) if e.kind == "outbox_cancelled"]
    assert len(lines) == 3
    assert lines[0].summary.startswith("Email (GOV.UK Notify): cancelled. Cancelled: the person")


def test_finish_queued_lets_work_queued_before_the_end_go_but_not_after(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id, work_in_progress=WorkInProgress.FINISH_QUEUED)
    before = _queue(sessions, mandate, case_id, 1)
    with write() as session:
        mandates.revoke(session, amira, mandate[0], ReasonCode.PERSON_WITHDREW)
    after = _queue(sessions, mandate, case_id, 2)  # a bug elsewhere must not let this out

    make_engine().drain(max_wait=10)
    assert _item(sessions, before).state == S.SENT
    assert len(notify.by_reference(before)) == 1
    assert _item(sessions, after).state == S.CANCELLED
    assert notify.by_reference(after) == []


def test_suspended_and_lapsed_mandates_stop_their_items_too(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    suspended = _mandate(write, amira, sam, person_id)
    with write() as session:
        mandates.suspend(session, amira, suspended[0], ReasonCode.SAFEGUARDING_CONCERN)
    on_hold = _queue(sessions, suspended, case_id, 1)
    lapsing = _mandate(write, amira, sam, person_id)
    late = _queue(sessions, lapsing, case_id, 2)
    live = _mandate(write, amira, sam, person_id)

    # 31 days on, the second mandate has passed its end date although no job
    # has marked it expired yet; an item queued under a live one still goes.
    engine = make_engine(clock=lambda: utcnow() + timedelta(days=31))
    make_engine().drain(max_wait=10)
    assert _item(sessions, on_hold).last_error_type == "MandateSuspended"
    assert _item(sessions, late).state == S.SENT  # still inside its dates today

    again = _queue(sessions, lapsing, case_id, 3)
    with write() as session:
        mandates_live_until = session.get(mandates.Mandate, live[0])
        assert mandates_live_until is not None
        mandates_live_until.ends_at = utcnow() + timedelta(days=60)
    still_live = _queue(sessions, (live[0], live[1] + 1), case_id, 4)
    engine.drain(max_wait=10)
    item = _item(sessions, again)
    assert item.state == S.CANCELLED and item.last_error_type == "MandateLapsed"
    assert "reached its end date" in (item.last_error_message or "")
    assert notify.by_reference(again) == []
    assert _item(sessions, still_live).state == S.SENT


# -- in doubt when the mandate ended: look, adopt or cancel, never send again -----------


def _in_doubt_then_revoked(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    fake: FakePlatform,
    fault: Fault,
    path: str,
    write: WriteSession,
    amira: Actor,
    mandate: tuple[int, int],
    item_id: str,
) -> OutboxItem:
    fake.inject(fault, path=path)
    assert make_engine().step() == 1
    assert _item(sessions, item_id).in_doubt, "the reply was lost: nobody knows if it went"
    with write() as session:
        mandates.revoke(session, amira, mandate[0], ReasonCode.PERSON_WITHDREW)
    assert make_engine(policy=FAST).drain(max_wait=10).finished
    return _item(sessions, item_id)


def test_in_doubt_under_a_revoked_mandate_and_not_at_notify_is_cancelled_not_sent(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id)
    item_id = _queue(sessions, mandate, case_id)
    path = "/v2/notifications/email"
    item = _in_doubt_then_revoked(
        sessions, make_engine, notify, Fault.DROP, path, write, amira, mandate, item_id
    )
    assert item.state == S.CANCELLED and item.last_error_type == "MandateRevoked"
    assert "the person revoked the mandate" in (item.last_error_message or "")
    assert notify.by_reference(item_id) == []
    from casework.kernel.timeline import entries

    with sessions() as session:
        kinds = [e.kind for e in entries(session, case_id)]
    assert "outbox_cancelled" in kinds


def test_in_doubt_under_a_revoked_mandate_and_at_notify_is_adopted_once(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id)
    item_id = _queue(sessions, mandate, case_id)
    path = "/v2/notifications/email"
    item = _in_doubt_then_revoked(
        sessions, make_engine, notify, Fault.COMMIT_THEN_FAIL, path, write, amira, mandate,
        item_id,
    )  # fmt: skip
    (held,) = notify.by_reference(item_id)
    assert item.state in (S.SENT, S.DELIVERED) and item.remote_id == held.id
    assert not item.in_doubt


def test_in_doubt_at_a_platform_that_cannot_be_asked_is_set_aside_not_resent(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    submission_api: FakeSubmissionAPI,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id)
    with sessions.begin() as session:
        item_id = outbox.enqueue(
            session, Connector.SUBMISSION_API, samples.submission(), case_id,
            mandate_id=mandate[0], mandate_version=mandate[1],
        )  # fmt: skip
    item = _in_doubt_then_revoked(
        sessions, make_engine, submission_api, Fault.DROP, "/v1/submissions", write, amira,
        mandate, item_id,
    )  # fmt: skip
    assert item.state == S.NEEDS_ATTENTION and item.last_error_type == "MandateRevoked"
    assert "check with them" in (item.last_error_message or "")
    # Only the dropped attempt ever reached it (dropped before it was handled).
    assert submission_api.requests_received == 0 and submission_api.by_key == {}


def test_a_send_cut_off_by_a_crash_under_a_revoked_mandate_is_looked_for_then_cancelled(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id)
    item_id = _queue(sessions, mandate, case_id)
    # A process claimed it and died: its lease has run out, the item still "sending".
    (_claimed,) = outbox.claim(sessions, "dead", utcnow(), -1)
    assert _item(sessions, item_id).state == S.SENDING
    with write() as session:
        mandates.revoke(session, amira, mandate[0], ReasonCode.PERSON_WITHDREW)
    assert make_engine().drain(max_wait=10).finished
    item = _item(sessions, item_id)
    assert item.state == S.CANCELLED and notify.by_reference(item_id) == []


def test_finish_queued_lets_an_item_in_doubt_be_retried(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    mandate = _mandate(write, amira, sam, person_id, work_in_progress=WorkInProgress.FINISH_QUEUED)
    item_id = _queue(sessions, mandate, case_id)
    item = _in_doubt_then_revoked(
        sessions, make_engine, notify, Fault.DROP, "/v2/notifications/email", write, amira,
        mandate, item_id,
    )  # fmt: skip
    assert item.state == S.SENT and len(notify.by_reference(item_id)) == 1


def test_the_windows_revoke_answers_the_new_version_and_needs_a_reason(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int
) -> None:
    mandate_id, version = _mandate(write, amira, sam, person_id)
    with pytest.raises(InvalidInput) as refused, write() as session:
        revocation.revoke_mandate(session, amira, mandate_id, version, "bored")
    assert refused.value.fields == {"reason": "Choose a reason."}
    with write() as session:
        revoked = revocation.revoke_mandate(session, amira, mandate_id, version, "person_withdrew")
        mandate = session.get(Mandate, mandate_id)
        assert mandate is not None
        assert (mandate.status, mandate.version) == (MandateStatus.REVOKED, revoked)
        assert revoked == version + 1
