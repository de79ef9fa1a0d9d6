"""A service's fee by nation, and the one payment item each send queues."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from casework.forms import actions, drafts, fees
from casework.forms.definitions import Catalogue, load_catalogue, parse_definition
from casework.forms.fees import FeeState
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput
from casework.kernel.models import Case, Person
from casework.kernel.nations import Nation
from casework.kernel.records import Actor
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.unit.casework.forms.sample_service import sample, sample_bytes, t
from tests.unit.casework.forms.test_drafts import COMPLETE
from tests.unit.conftest import WriteSession

BY_NATION = {"england": 1000, "wales": 0, "scotland": 2000}
RAW: dict[str, Any] = {
    **sample(),
    "fee": {"amount_pence": 1000, "by_nation": BY_NATION, "description": t("Up to £20.")},
}
SERVICE = parse_definition(sample_bytes(RAW), "sample.json")
CATALOGUE = Catalogue((SERVICE,), ())


def test_blue_badge_costs_ten_pounds_in_england_nothing_in_wales_twenty_in_scotland() -> None:
    badge = load_catalogue().service_of("blue-badge")
    assert fees.fee_for_nation(badge, Nation.ENGLAND) == 1000
    assert fees.fee_for_nation(badge, Nation.WALES) == 0
    assert fees.fee_for_nation(badge, Nation.SCOTLAND) == 2000
    assert fees.fee_pence(badge, "SW1A 1AA") == 1000
    assert fees.fee_pence(badge, "cf10 1aa") == 0
    assert fees.fee_pence(badge, "EH1 1YZ") == 2000
    assert fees.fee_pence(badge, "G2 1DU") == 2000  # a one-letter Scottish area
    assert fees.fee_pence(badge, None) == 1000  # nation unknown: the definition's amount


def test_a_service_without_a_fee_charges_nothing() -> None:
    free = parse_definition(
        sample_bytes({k: v for k, v in sample().items() if k != "fee"}), "free.json"
    )
    assert fees.fee_pence(free, "SW1A 1AA") == 0


def test_the_schema_refuses_a_negative_fee_for_a_nation() -> None:
    from casework.forms.definitions import DefinitionError

    bad = {**RAW, "fee": {**RAW["fee"], "by_nation": {"wales": -1}}}
    with pytest.raises(DefinitionError):
        parse_definition(sample_bytes(bad), "bad.json")
    unknown = {**RAW, "fee": {**RAW["fee"], "by_nation": {"mars": 5}}}
    with pytest.raises(DefinitionError):
        parse_definition(sample_bytes(unknown), "bad.json")


def _living_at(write: WriteSession, case_id: int, postcode: str | None) -> None:
    with write() as session:
        person_id = session.scalar(select(Case.person_id).where(Case.id == case_id))
        session.execute(update(Person).where(Person.id == person_id).values(postcode=postcode))


def _send(write: WriteSession, amira: Actor, case_id: int) -> str:
    with write() as session:
        draft = actions.start_form(session, amira, CATALOGUE, case_id, "sample-service")
        version = drafts.save_draft(
            session, amira, draft.id, draft.version, COMPLETE, None, services=CATALOGUE.get
        )
    with write() as session:
        return actions.submit_form(session, amira, CATALOGUE, draft.id, version).uuid


def _pay_items(write: WriteSession) -> list[OutboxItem]:
    with write() as session:
        items = session.scalars(
            select(OutboxItem).where(OutboxItem.connector == Connector.PAY)
        ).all()
        session.expunge_all()
        return list(items)


@pytest.mark.parametrize(("postcode", "amount"), [("SW1A 1AA", 1000), ("EH1 1YZ", 2000)])
def test_sending_queues_exactly_one_payment_for_the_persons_nation(
    write: WriteSession, amira: Actor, case_id: int, postcode: str, amount: int
) -> None:
    _living_at(write, case_id, postcode)
    reference = _send(write, amira, case_id)
    (item,) = _pay_items(write)
    body = json.loads(item.body)
    assert body["amount"] == amount and body["reference"] == reference
    assert body["description"] == "Apply for a sample thing: fee"
    assert body["return_url"].startswith("https://") and body["language"] == "en"
    assert item.idempotency_key == item.id and item.case_id == case_id
    assert item.state == OutboxState.QUEUED
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
        kinds = [e.kind for e in timeline.entries(session, case_id)]
    assert fee.state == FeeState.WAITING and fee.link is None and not fee.can_make_new
    assert "is waiting" in fee.words and "Nothing else waits" in fee.words
    assert "fee_queued" in kinds
    _send(write, amira, case_id)  # a second form: its own one payment
    assert len(_pay_items(write)) == 2


def test_nothing_to_pay_in_wales_queues_no_payment(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    _living_at(write, case_id, "CF10 1AA")
    _send(write, amira, case_id)
    assert _pay_items(write) == []
    with write() as session:
        assert fees.case_fees(session, amira, case_id) == []


def test_a_welsh_speaker_gets_the_payment_page_in_welsh(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    _living_at(write, case_id, "SW1A 1AA")
    with write() as session:
        person_id = session.scalar(select(Case.person_id).where(Case.id == case_id))
        session.execute(
            update(Person).where(Person.id == person_id).values(preferred_language="cy")
        )
    _send(write, amira, case_id)
    (item,) = _pay_items(write)
    body = json.loads(item.body)
    assert body["language"] == "cy" and body["description"].endswith(": ffi")


def _finish(write: WriteSession, item_id: str, state: OutboxState, status: str) -> None:
    with write() as session:
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(state=state, remote_status=status)
        )


def test_a_new_payment_only_after_the_last_one_failed(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    _living_at(write, case_id, "SW1A 1AA")
    _send(write, amira, case_id)
    (first,) = _pay_items(write)
    for open_state in (OutboxState.QUEUED, OutboxState.SENT):
        _finish(write, first.id, open_state, "created")
        with pytest.raises(InvalidInput), write() as session:
            fees.make_new_payment(session, amira, first.id)
    _finish(write, first.id, OutboxState.DELIVERED, "success")
    with pytest.raises(InvalidInput), write() as session:
        fees.make_new_payment(session, amira, first.id)  # paid: never ask twice
    _finish(write, first.id, OutboxState.FAILED, "expired")
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
    assert fee.state == FeeState.NOT_PAID and fee.can_make_new and "expired" in fee.words
    with write() as session:
        second_id = fees.make_new_payment(session, amira, first.id)
    second = next(i for i in _pay_items(write) if i.id == second_id)
    assert second.idempotency_key != first.idempotency_key
    assert json.loads(second.body) == json.loads(first.body)
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
    assert fee.item_id == second_id and fee.state == FeeState.WAITING and fee.attempts == 2
    with pytest.raises(InvalidInput), write() as session:
        fees.make_new_payment(session, amira, first.id)  # the new one is open


def test_never_paid_unless_pay_said_success(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    _living_at(write, case_id, "SW1A 1AA")
    _send(write, amira, case_id)
    (item,) = _pay_items(write)
    _finish(write, item.id, OutboxState.DELIVERED, "submitted")
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
    assert fee.state != FeeState.PAID and "paid" not in fee.words.replace("not paid", "")
    _finish(write, item.id, OutboxState.DELIVERED, "success")
    with write() as session:
        (fee,) = fees.case_fees(session, amira, case_id)
    assert fee.state == FeeState.PAID and fee.words == "The fee of £10.00 has been paid."


def test_another_teams_worker_sees_no_fees(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    from casework.kernel.errors import AccessRefused

    _living_at(write, case_id, "SW1A 1AA")
    _send(write, amira, case_id)
    (item,) = _pay_items(write)
    with pytest.raises(AccessRefused), write() as session:
        fees.case_fees(session, sam, case_id)
    _finish(write, item.id, OutboxState.FAILED, "failed")
    with pytest.raises(AccessRefused), write() as session:
        fees.make_new_payment(session, sam, item.id)
    with write() as session:
        assert outbox.list_items(session, connector=Connector.PAY)[0].id == item.id
