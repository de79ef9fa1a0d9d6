"""PIP (PIP2, England and Wales) and Adult Disability Payment (Scotland): they
validate, point to each other by nation, ask every activity with its aids,
help and reliability questions, have ladders for their nations, and print in
English and Welsh with every activity's name on the paper."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from casework.escalation import directory
from casework.forms.definitions import SERVICES_DIR, DefinitionError, Service, load_definition
from casework.paper.form import PaperOptions, render_form

SERVICES = ["pip", "adult-disability-payment"]
ACTIVITIES = {
    "preparing-food": ("Preparing food", "Paratoi bwyd"),
    "taking-nutrition": ("Taking nutrition", "Cymryd maeth"),
    "managing-therapy": (
        "Managing therapy or monitoring a health condition",
        "Rheoli therapi neu fonitro cyflwr iechyd",
    ),
    "washing-bathing": ("Washing and bathing", "Ymolchi a chael bath"),
    "toilet-needs": (
        "Managing toilet needs or incontinence",
        "Rheoli anghenion toiled neu anymataliaeth",
    ),
    "dressing": ("Dressing and undressing", "Gwisgo a dadwisgo"),
    "communicating": ("Communicating verbally", "Cyfathrebu ar lafar"),
    "reading": (
        "Reading and understanding signs, symbols and words",
        "Darllen a deall arwyddion, symbolau a geiriau",
    ),
    "engaging-with-people": (
        "Engaging with other people face to face",
        "Ymwneud â phobl eraill wyneb yn wyneb",
    ),
    "budgeting": ("Making budgeting decisions", "Gwneud penderfyniadau cyllidebu"),
    "planning-journeys": ("Planning and following journeys", "Cynllunio a dilyn teithiau"),
    "moving-around": ("Moving around", "Symud o gwmpas"),
}
# Each activity: does it affect them, aids, help, the four parts of "reliably", tell us more.
PER_ACTIVITY = [
    "affected",
    "aids",
    "aids-which",
    "help",
    "help-what",
    "safely",
    "standard",
    "repeatedly",
    "reasonable-time",
    "how-often",
    "more",
]


def service(name: str) -> Service:
    return load_definition(SERVICES_DIR / f"{name}.json")


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", SERVICES)
def test_validate_passes(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", "validate", str(SERVICES_DIR / f"{name}.json")]) == 0
    assert "valid" in capsys.readouterr().out


def test_each_names_its_nations_and_its_counterpart() -> None:
    pip, adp = service("pip").raw, service("adult-disability-payment").raw
    assert pip["nations"] == ["england", "wales"]
    assert pip["counterparts"] == {"scotland": "adult-disability-payment"}
    assert adp["nations"] == ["scotland"]
    assert adp["counterparts"] == {"england": "pip", "wales": "pip"}
    # Northern Ireland's own PIP is left out, and a source line says so.
    assert any("Northern Ireland" in s["title"] for s in pip["sources"])
    assert all(s["url"].startswith("https://") for s in pip["sources"] + adp["sources"])


def test_a_nation_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    raw = json.loads((SERVICES_DIR / "pip.json").read_text(encoding="utf-8"))
    raw["nations"] = ["england", "atlantis"]
    bad = tmp_path / "pip.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_definition(bad)
    assert caught.value.pointer.startswith("/nations")
    raw["nations"] = ["england"]
    raw["counterparts"] = {"mars": "adult-disability-payment"}
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DefinitionError):
        load_definition(bad)


@pytest.mark.parametrize("name", SERVICES)
def test_every_activity_asks_aids_help_and_reliably(name: str) -> None:
    found = service(name)
    pages = {p.id: p for p in found.pages}
    order = [p.id for p in found.pages if p.id in ACTIVITIES]
    assert order == list(ACTIVITIES)
    for activity, (en, cy) in ACTIVITIES.items():
        page = pages[activity]
        assert page.text("title", "en") == en and page.text("title", "cy") == cy
        ids = {q.id for q in page.questions}
        assert {f"{activity}-{part}" for part in PER_ACTIVITY} <= ids, activity
        affected = page.questions[0]
        assert affected.id == f"{activity}-affected" and affected.type == "yes_no"
        # Everything after "does it affect you" waits for a Yes.
        assert all("condition" in q.raw for q in page.questions[1:]), activity
    distance = found.question("moving-around-distance")
    assert "under-20-metres" in distance.options


@pytest.mark.parametrize("name", SERVICES)
def test_a_ladder_for_each_nation_it_serves(name: str) -> None:
    for nation in service(name).raw["nations"]:
        rungs = directory.ladder((), name, nation)
        assert len(rungs) == 3 and all(r.email.endswith("@example.gov.uk") for r in rungs)
        assert all(r.phone.startswith("01632 960") for r in rungs)


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_paper_form_names_every_activity(name: str, language: str) -> None:
    found = service(name)
    pdf = render_form(found, PaperOptions(language=language, large_print=False))
    reader = PdfReader(io.BytesIO(pdf))
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert squash(found.text("title", language)) in text
    which = 0 if language == "en" else 1
    missing = [a for a, names in ACTIVITIES.items() if squash(names[which]) not in text]
    assert missing == []
    assert squash(found.text("declaration", language)[:60]) in text
