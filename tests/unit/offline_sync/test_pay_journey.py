"""A fee from sending to its final state, against the Pay fake over real HTTP:
one payment per item under its Idempotency-Key, the payment page kept, polled
until Pay says it is final, and "received" only when Pay says success."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.profile import OpenProfile
from casework.forms import actions, drafts, fees
from casework.forms.fees import FeePayment, FeeState
from casework.kernel import timeline
from casework.kernel.models import Case, Person
from casework.kernel.records import Actor
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from offline_sync.text_updates import consent, template
from tests.fakes.pay import FakePay
from tests.unit.casework.forms.test_drafts import COMPLETE
from tests.unit.casework.forms.test_fees import CATALOGUE
from tests.unit.conftest import WriteSession

MakeEngine = Callable[..., SyncEngine]
FOLLOW_AT_ONCE = RetryPolicy(base_seconds=0.01, poll_min_seconds=0, poll_max_seconds=0)


def _send(write: WriteSession, amira: Actor, case_id: int, postcode: str = "SW1A 1AA") -> None:
    with write() as session:
        person_id = session.scalar(select(Case.person_id).where(Case.id == case_id))
        session.execute(update(Person).where(Person.id == person_id).values(postcode=postcode))
        draft = actions.start_form(session, amira, CATALOGUE, case_id, "sample-service")
        version = drafts.save_draft(
            session, amira, draft.id, draft.version, COMPLETE, None, services=CATALOGUE.get
        )
    with write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft.id, version)


def _fee(write: WriteSession, amira: Actor, case_id: int) -> FeePayment:
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
    return fee


def _item(sessions: sessionmaker[Session], item_id: str) -> OutboxItem:
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        session.expunge(item)
        return item


def _said(write: WriteSession, case_id: int) -> list[str]:
    with write() as session:
        return [e.summary for e in timeline.entries(session, case_id)]


def test_the_payment_is_created_once_with_its_key_and_its_page_is_kept(
    write: WriteSession,
    sessions: sessionmaker[Session],
    amira: Actor,
    case_id: int,
    make_engine: MakeEngine,
    pay: FakePay,
) -> None:
    _send(write, amira, case_id)
    engine = make_engine(policy=RetryPolicy())  # the real backoff
    assert engine.drain(max_wait=10).finished
    fee = _fee(write, amira, case_id)
    item = _item(sessions, fee.item_id)
    (payment,) = pay.payments.values()
    assert payment.key == item.idempotency_key == item.id  # the Idempotency-Key header
    assert payment.body["amount"] == 1000 and item.remote_id == payment.id
    assert item.state == OutboxState.SENT
    # Followed with backoff: the first look at least 30 seconds on, not at once.
    assert (item.next_attempt_at - item.updated_at).total_seconds() >= 29
    assert fee.state == FeeState.OPEN and fee.link == f"{pay.url}/secure/{payment.id}"
    assert "ready to pay" in fee.words and not fee.can_make_new
    assert "Payment of £10.00 requested: the payment page is ready." in _said(write, case_id)
    assert not any("received" in line for line in _said(write, case_id))
    engine.step()  # nothing due yet: no second payment, no poll
    assert len(pay.payments) == 1


def test_only_a_web_address_is_kept_as_the_payment_page(
    write: WriteSession, sessions: sessionmaker[Session], amira: Actor, case_id: int
) -> None:
    from offline_sync.payments import links

    _send(write, amira, case_id)
    item_id = _fee(write, amira, case_id).item_id
    with sessions.begin() as session:
        links.keep(session, item_id, "javascript:alert(1)")
        links.keep(session, item_id, "https://pay.example/secure/a b")
        assert links.links_of(session, [item_id]) == {}
        links.keep(session, item_id, "https://pay.example/secure/abc")
        assert links.links_of(session, [item_id]) == {item_id: "https://pay.example/secure/abc"}


@pytest.mark.parametrize(
    ("status", "code", "why"),
    [
        ("success", None, None),
        ("failed", "P0010", "declined"),
        ("cancelled", "P0030", "cancelled"),
        ("expired", "P0020", "expired"),
    ],
)
def test_the_payment_is_followed_to_its_final_state(
    write: WriteSession,
    sessions: sessionmaker[Session],
    amira: Actor,
    case_id: int,
    make_engine: MakeEngine,
    pay: FakePay,
    status: str,
    code: str | None,
    why: str | None,
) -> None:
    _send(write, amira, case_id)
    engine = make_engine(policy=FOLLOW_AT_ONCE)
    engine.drain(max_wait=10)
    (payment,) = pay.payments.values()
    pay.finish(payment.id, "submitted")  # on its way: still not paid
    engine.step()
    assert _fee(write, amira, case_id).state == FeeState.OPEN
    if status == "expired":
        pay.finish(payment.id, "created")
        pay.advance(91 * 60)  # Pay expires a payment after 90 minutes
    else:
        pay.finish(payment.id, status, code)
    engine.step()
    fee = _fee(write, amira, case_id)
    item = _item(sessions, fee.item_id)
    received = [line for line in _said(write, case_id) if "received" in line]
    if status == "success":
        assert item.state == OutboxState.DELIVERED and fee.state == FeeState.PAID
        assert received == ["Payment of £10.00 received."]
        assert not fee.can_make_new and fee.link is None
    else:
        assert item.state == OutboxState.FAILED and received == []
        assert fee.state == FeeState.NOT_PAID and fee.can_make_new and fee.link is None
        assert why is not None and why in (item.last_error_message or "")
        assert any(line.startswith("Payment of £10.00 not made") for line in _said(write, case_id))
    engine.step()  # final: never asked again
    assert len(pay.payments) == 1


def test_after_expiry_a_new_payment_has_a_new_key(
    write: WriteSession,
    sessions: sessionmaker[Session],
    amira: Actor,
    case_id: int,
    make_engine: MakeEngine,
    pay: FakePay,
) -> None:
    _send(write, amira, case_id, postcode="EH1 1YZ")  # Scotland: £20
    engine = make_engine(policy=FOLLOW_AT_ONCE)
    engine.drain(max_wait=10)
    pay.advance(91 * 60)
    engine.step()
    first = _fee(write, amira, case_id)
    assert first.state == FeeState.NOT_PAID and "expired" in first.words
    with write() as session:
        fees.make_new_payment(session, amira, first.item_id)
    engine.drain(max_wait=10)
    second = _fee(write, amira, case_id)
    assert second.item_id != first.item_id and second.state == FeeState.OPEN
    assert len(pay.payments) == 2 and len(pay.by_key) == 2  # two keys, two payments
    assert {p.body["amount"] for p in pay.payments.values()} == {2000}
    new = next(p for p in pay.payments.values() if p.key == second.item_id)
    assert second.link == f"{pay.url}/secure/{new.id}"
    pay.pay(new.id)
    engine.step()
    assert _fee(write, amira, case_id).state == FeeState.PAID
    assert "Payment of £20.00 received." in _said(write, case_id)


def test_the_fee_and_its_payment_speak_welsh(
    write: WriteSession,
    sessions: sessionmaker[Session],
    amira: Actor,
    case_id: int,
    make_engine: MakeEngine,
    pay: FakePay,
) -> None:
    from casework.kernel.i18n import set_language

    set_language("cy")
    try:
        _send(write, amira, case_id)
        assert "Mae ffi o £10.00 yn aros" in _fee(write, amira, case_id).words
        engine = make_engine(policy=FOLLOW_AT_ONCE)
        engine.drain(max_wait=10)
        (payment,) = pay.payments.values()
        pay.pay(payment.id)
        engine.step()
        assert _fee(write, amira, case_id).words == "Mae’r ffi o £10.00 wedi’i thalu."
        assert "Cafwyd taliad o £10.00." in _said(write, case_id)
    finally:
        set_language("en")


@pytest.mark.parametrize("status", ["success", "failed"])
def test_the_person_gets_a_text_only_when_the_payment_succeeds(
    write: WriteSession,
    sessions: sessionmaker[Session],
    amira: Actor,
    case_id: int,
    make_engine: MakeEngine,
    pay: FakePay,
    profile: OpenProfile,
    status: str,
) -> None:
    profile.settings.extra[template.SETTING] = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    with write() as session:
        consent.set_text_updates(session, amira, case_id, True, 0)
    _send(write, amira, case_id)
    engine = make_engine(policy=FOLLOW_AT_ONCE)
    engine.drain(max_wait=10)
    (payment,) = pay.payments.values()
    pay.finish(payment.id, status, None if status == "success" else "P0010")
    engine.step()
    with sessions() as session:
        texts = [
            json.loads(item.body)["personalisation"]["message"]
            for item in session.scalars(
                select(OutboxItem).where(OutboxItem.connector == Connector.NOTIFY_SMS)
            )
        ]
    # The form's own delivery texts too; the payment's text is the one about it.
    about_payment = [text for text in texts if "payment" in text]
    assert len(about_payment) == (1 if status == "success" else 0), texts
