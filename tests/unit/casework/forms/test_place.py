"""The case's nation comes from one place, and the fee, the facilitator ladder
and the bank holidays behind the reply date all follow it: for a Welsh, a
Scottish and a border address (where the address lookup's country, or the
case's own service, settles it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from casework.escalation import lifecycle, sla
from casework.escalation.records import EscalationRequest
from casework.forms import place
from casework.forms.definitions import parse_definition
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.nations import Evidence, Nation
from casework.kernel.records import Actor
from offline_sync.address.lookup import _to_json, cache_key
from offline_sync.address.records import AddressLookupResult, LookupStatus, PostcodeArea
from offline_sync.models import AddressCacheEntry
from tests.unit.casework.escalation.test_lifecycle import service_of
from tests.unit.casework.forms.sample_service import sample, sample_bytes
from tests.unit.casework.forms.test_fees import _living_at, _pay_items, _send
from tests.unit.conftest import WriteSession

# Monday 23 November 2026: St Andrew's Day (Monday 30th) is a bank holiday in
# Scotland only, so a Scottish reply is due a working day later.
RAISED = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LADDER = {Nation.ENGLAND: "Kwame Murray", Nation.WALES: "Eilidh Clarke"}
LADDER[Nation.SCOTLAND] = "Grace Price"
FEE = {Nation.ENGLAND: 1000, Nation.WALES: 0, Nation.SCOTLAND: 2000}


def _looked_up(write: WriteSession, postcode: str, country: str) -> None:
    """What the address lookup keeps after asking postcodes.io about a postcode."""
    result = AddressLookupResult(
        postcode, LookupStatus.FOUND, area=PostcodeArea(postcode, country=country)
    )
    with write() as session:
        session.add(
            AddressCacheEntry(key=cache_key(postcode), body=_to_json(result), fetched_at=utcnow())
        )


@pytest.mark.parametrize(
    ("postcode", "country", "nation", "uncertain"),
    [
        ("CF10 1AA", None, Nation.WALES, False),
        ("EH1 1YZ", None, Nation.SCOTLAND, False),
        ("TD15 1AA", None, Nation.ENGLAND, True),  # Berwick: mostly England
        ("TD15 1AA", "Scotland", Nation.SCOTLAND, False),  # Paxton, as the lookup said
        ("SY10 7AA", "Wales", Nation.WALES, False),  # Llanrhaeadr-ym-Mochnant
    ],
)
def test_fee_ladder_and_bank_holidays_follow_the_cases_nation(
    write: WriteSession,
    amira: Actor,
    case_id: int,
    postcode: str,
    country: str | None,
    nation: Nation,
    uncertain: bool,
) -> None:
    _living_at(write, case_id, postcode)
    if country:
        _looked_up(write, postcode, country)
    with write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        placement = place.place_of_case(session, session.get(Person, case.person_id))
        assert placement is not None
        assert (placement.nation, placement.uncertain) == (nation, uncertain)
        shown = lifecycle.preview(
            session,
            amira,
            EscalationRequest(case_id, "no_decision", "No decision, no reply."),
            service_of,
            now=RAISED,
        )
    card = shown.facilitator
    assert card.name == LADDER[nation]
    assert card.due_on == sla.add_working_days(RAISED.date(), card.sla_working_days, nation)
    england = sla.add_working_days(RAISED.date(), card.sla_working_days, Nation.ENGLAND)
    assert (card.due_on != england) == (nation is Nation.SCOTLAND)  # St Andrew's Day
    _send(write, amira, case_id)
    paid = [json.loads(item.body)["amount"] for item in _pay_items(write)]
    assert paid == ([FEE[nation]] if FEE[nation] else [])


def _serving(*nations: str) -> Any:
    return parse_definition(sample_bytes({**sample(), "nations": list(nations)}), "x.json")


def test_at_a_border_the_cases_service_settles_the_nation(write: WriteSession) -> None:
    person = Person(given_name="Ann", family_name="Jones", postcode="SY10 7AA")
    with write() as session:
        alone = place.place_of_case(session, person)
        welsh = place.place_of_case(session, person, _serving("wales"))
        both = place.place_of_case(session, person, _serving("england", "wales"))
        inland = place.place_of_case(
            session,
            Person(given_name="A", family_name="B", postcode="CF10 1AA"),
            _serving("england"),
        )
    assert alone is not None and (alone.nation, alone.uncertain) == (Nation.ENGLAND, True)
    assert welsh is not None and (welsh.nation, welsh.evidence) == (Nation.WALES, Evidence.SERVICE)
    assert both == alone  # both nations served: still the worker's to check
    assert inland is not None and inland.nation is Nation.WALES  # only borders are settled so


def test_a_postcode_never_looked_up_has_no_country(write: WriteSession) -> None:
    with write() as session:
        found = place.place_of_postcode(session, "LD7 1AA")
        assert found is not None and found.evidence is Evidence.DISTRICT and found.uncertain
        assert session.scalars(select(AddressCacheEntry)).all() == []


@pytest.mark.parametrize(
    "body", ["not json", "[1, 2]", '{"area": "Wales"}', '{"area": {"country": 5}}']
)
def test_a_damaged_cache_entry_falls_back_to_the_postcode(write: WriteSession, body: str) -> None:
    with write() as session:
        session.add(AddressCacheEntry(key=cache_key("SY10 7AA"), body=body, fetched_at=utcnow()))
    with write() as session:
        found = place.place_of_postcode(session, "sy10 7aa")
    assert found is not None and found.evidence is Evidence.DISTRICT and found.uncertain
