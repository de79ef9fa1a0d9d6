"""The bus pass (England), the concessionary travel card (Wales) and Healthy
Start: each validates as `alongside services validate` runs it, names its
nations and its counterpart, is in the catalogue list, and prints in English
and Welsh, normal and large print, with its key questions read back by pypdf."""

from __future__ import annotations

import json
from functools import cache

import pytest

from app.cli import main
from casework.forms.definitions import SERVICES_DIR, Service, load_definition
from casework.paper.form import PaperOptions, render_form
from tests.unit.casework.paper.helpers import pdf_text, squash

TRAVEL = ("bus-pass-england", "concessionary-travel-wales", "healthy-start")
CATALOGUE_LIST = SERVICES_DIR.parent / "catalogue" / "services.json"

# Questions that carry each form's own rules, as a person reads them on paper.
KEY_QUESTIONS = {
    "bus-pass-england": {
        "en": [
            "Older person’s pass: they have reached State Pension age",
            "Profoundly or severely deaf",
            "Refused a driving licence on medical grounds",
            "Is the reason persistent misuse of drugs or alcohol?",
            "Do they need a companion pass?",
            "Which proof of age will you send?",
        ],
        "cy": [
            "Pàs person hŷn: maen nhw wedi cyrraedd oedran Pensiwn y Wladwriaeth",
            "Byddardod dwys neu ddifrifol",
            "Wedi’u gwrthod am drwydded yrru ar sail feddygol",
            "Oes angen pàs cydymaith arnyn nhw?",
            "Pa brawf oedran fyddwch chi’n ei anfon?",
        ],
    },
    "concessionary-travel-wales": {
        "en": [
            "60 or over",
            "Disabled person’s card with a companion",
            "An injured armed forces veteran",
            "Which two proofs of address will you send?",
            "They cannot use a wheelchair on their own",
        ],
        "cy": [
            "60 oed neu’n hŷn",
            "Cerdyn person anabl gyda chydymaith",
            "Cyn-filwr a anafwyd yn y lluoedd arfog",
            "Pa ddau brawf cyfeiriad fyddwch chi’n eu hanfon?",
        ],
    },
    "healthy-start": {
        "en": [
            "When is your baby due?",
            "Are you responsible for any children under 4?",
            "Is your family’s take-home pay from work £408 a month or less?",
            "Is your family’s income £16,190 a year or less?",
            "Are you under 18?",
            "Can the card be posted to your home address?",
        ],
        "cy": [
            "Pryd mae disgwyl i’ch babi gael ei eni?",
            "Ydych chi’n gyfrifol am unrhyw blant dan 4 oed?",
            "Ydy cyflog clir eich teulu o waith yn £408 y mis neu lai?",
            "A ellir postio’r cerdyn i’ch cyfeiriad cartref?",
        ],
    },
}


@cache
def travel(name: str) -> Service:
    return load_definition(SERVICES_DIR / f"{name}.json")


@pytest.mark.parametrize("name", TRAVEL)
def test_services_validate_accepts_it(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", "validate", str(SERVICES_DIR / f"{name}.json")]) == 0
    assert f"valid ({name} " in capsys.readouterr().out


def test_the_bus_passes_point_to_each_other_by_nation() -> None:
    england, wales = travel("bus-pass-england"), travel("concessionary-travel-wales")
    assert england.raw["nations"] == ["england"]
    assert england.raw["counterparts"] == {"wales": "concessionary-travel-wales"}
    assert wales.raw["nations"] == ["wales"]
    assert wales.raw["counterparts"] == {"england": "bus-pass-england"}


def test_healthy_start_serves_three_nations_and_sends_scotland_to_best_start_foods() -> None:
    service = travel("healthy-start")
    assert service.raw["nations"] == ["england", "wales", "northern-ireland"]
    scotland = [s for s in service.raw["sources"] if "mygov.scot" in s["url"]]
    assert scotland and "Best Start Foods" in scotland[0]["title"]


def test_each_is_in_the_catalogue_list_in_both_languages() -> None:
    listed = {s["id"]: s["title"] for s in json.loads(CATALOGUE_LIST.read_text())["services"]}
    for name in TRAVEL:
        assert listed[name]["en"] and listed[name]["cy"] != listed[name]["en"]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("name", TRAVEL)
def test_the_paper_form_prints_its_key_questions(name: str, lang: str, large: bool) -> None:
    service = travel(name)
    text = pdf_text(render_form(service, PaperOptions(language=lang, large_print=large)))
    assert squash(service.text("title", lang)) in text
    missing = [q for q in KEY_QUESTIONS[name][lang] if squash(q) not in text]
    assert not missing, missing
    # Large print runs longer; neither loses the declaration's first words.
    assert squash(service.text("declaration", lang)[:40]) in text
