"""Housing Benefit and Discretionary Housing Payment (issue 20): both
definitions load, stop a person who should claim something else with a plain
explanation (every later page is hidden), are listed in the catalogue and have
a facilitator ladder for each nation they serve."""

from __future__ import annotations

import json

import pytest

from casework.forms.answers import visible_pages
from casework.forms.definitions import RESOURCES, SERVICES_DIR, load_definition

HOUSING = ("housing-benefit", "discretionary-housing-payment")


@pytest.mark.parametrize("service_id", HOUSING)
def test_the_definition_loads_names_its_nations_and_cites_public_sources(service_id: str) -> None:
    service = load_definition(SERVICES_DIR / f"{service_id}.json")
    assert service.question_count() > 60
    assert service.raw["nations"] == ["england", "wales", "scotland"]
    hosts = {s["url"].split("/")[2] for s in service.raw["sources"]}
    assert {"www.gov.uk", "www.mygov.scot", "www.gov.wales"} <= hosts


def test_working_age_in_an_ordinary_home_is_sent_to_universal_credit() -> None:
    service = load_definition(SERVICES_DIR / "housing-benefit.json")
    stop = {"someone-helping": False, "hb-situation": "none", "council-said-claim": False}
    pages = [p.id for p in visible_pages(service, stop)]
    assert pages == ["helping", "who-can-claim", "claim-universal-credit"]
    explanation = service.raw["pages"][2]["hint"]
    assert "Universal Credit" in explanation["en"] and "Credyd Cynhwysol" in explanation["cy"]
    # The council's own say-so reopens the claim; pension age never sees the stop.
    assert len(visible_pages(service, {**stop, "council-said-claim": True})) > 20
    pension = [
        p.id
        for p in visible_pages(service, {"hb-situation": "pension-age", "home-type": "private"})
    ]
    assert "claim-universal-credit" not in pension and "landlord" in pension


def test_pension_credit_guarantee_credit_skips_income_and_savings() -> None:
    service = load_definition(SERVICES_DIR / "housing-benefit.json")
    passported = {
        "hb-situation": "pension-age",
        "gets-pension-credit": True,
        "pension-credit-part": "guarantee",
    }
    shown = {p.id for p in visible_pages(service, passported)}
    assert not shown & {"employed", "pensions", "other-income", "savings", "property"}
    shown = {
        p.id for p in visible_pages(service, {**passported, "pension-credit-part": "savings-only"})
    }
    assert {"employed", "savings"} <= shown


def test_supported_housing_asks_about_the_support() -> None:
    service = load_definition(SERVICES_DIR / "housing-benefit.json")
    shown = {p.id for p in visible_pages(service, {"hb-situation": "supported"})}
    assert {"supported-housing", "universal-credit"} <= shown
    assert "pension-credit" not in shown


def test_a_dhp_needs_housing_benefit_or_universal_credit_housing_costs() -> None:
    service = load_definition(SERVICES_DIR / "discretionary-housing-payment.json")
    stop = {"someone-helping": False, "rent-benefit": "neither", "waiting-decision": False}
    assert [p.id for p in visible_pages(service, stop)] == [
        "helping",
        "rent-benefit",
        "claim-first",
    ]
    spare = {"rent-benefit": "housing-benefit", "reasons": ["spare-room"]}
    shown = {p.id for p in visible_pages(service, spare)}
    assert {"spare-room", "shortfall", "how-long", "income", "outgoings", "steps"} <= shown
    assert not shown & {"moving", "benefit-cap", "claim-first"}
    moving = {
        p.id
        for p in visible_pages(service, {"rent-benefit": "universal-credit", "reasons": ["moving"]})
    }
    assert "moving" in moving and "shortfall" not in moving


def test_both_are_in_the_catalogue_with_a_ladder_for_each_nation() -> None:
    listed = json.loads((RESOURCES / "catalogue" / "services.json").read_text(encoding="utf-8"))
    ids = [s["id"] for s in listed["services"]]
    for service_id in HOUSING:
        assert service_id in ids
        ladders = json.loads(
            (RESOURCES / "facilitators" / f"{service_id}.json").read_text(encoding="utf-8")
        )
        assert ladders["service"] == service_id
        assert [ladder["area"] for ladder in ladders["ladders"]] == ["england", "wales", "scotland"]


def test_account_details_are_asked_only_when_the_money_comes_to_the_person() -> None:
    hb = load_definition(SERVICES_DIR / "housing-benefit.json")
    private = {"hb-situation": "pension-age", "home-type": "private", "pay-landlord": False}
    assert "bank" in {p.id for p in visible_pages(hb, private)}
    assert "bank" not in {p.id for p in visible_pages(hb, {**private, "pay-landlord": True})}
    council = {**private, "home-type": "council"}
    assert "bank" not in {p.id for p in visible_pages(hb, council)}
    dhp = load_definition(SERVICES_DIR / "discretionary-housing-payment.json")
    me = {"rent-benefit": "universal-credit", "paid-to": "me"}
    assert "bank" in {p.id for p in visible_pages(dhp, me)}
    assert "bank" not in {p.id for p in visible_pages(dhp, {**me, "paid-to": "landlord"})}
