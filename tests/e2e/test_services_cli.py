"""`alongside services list|validate` as a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casework.forms.definitions import definition_files
from tests.conftest import PATIENCE_S
from tests.unit.casework.forms.sample_service import sample, sample_bytes

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "services", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        stdin=subprocess.DEVNULL,
    )


def test_list_names_every_shipped_service() -> None:
    done = _run("list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(definition_files())
    for line, path in zip(lines, definition_files(), strict=True):
        service_id, version, languages, title = line.split("\t")
        assert service_id == path.stem
        assert version[:4].isdigit() and languages == "en,cy" and title


def test_validate_all_shipped_definitions() -> None:
    done = _run("validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": valid (") == len(definition_files())


def test_validate_names_the_file_pointer_and_reason(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(sample_bytes())
    bad = tmp_path / "bad.json"
    broken = sample()
    broken["pages"][2]["questions"][0]["type"] = "essay"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe\x00")
    done = _run("validate", str(good), str(bad), str(garbage))
    assert done.returncode == 1
    assert f"{good}: valid (sample-service 2026.1, 21 questions)" in done.stdout
    errors = done.stderr.splitlines()
    assert errors == [
        f"alongside: {bad}: /pages/2/questions/0/type: 'essay' is not one of the allowed values",
        f"alongside: {garbage}: /: the file is not UTF-8 text (byte 0)",
    ]
    assert "Traceback" not in done.stderr


def test_validate_refuses_hostile_definitions_in_one_line_each(tmp_path: Path) -> None:
    """A catastrophic pattern, a pattern RE2 cannot run, markup and a key given
    twice: one line each on standard error, exit 1, the files untouched."""
    files = {}
    for name, pattern in (("slow", "(a+)+$"), ("backreference", r"(a)\1")):
        data = sample()
        data["pages"][0]["questions"][0]["validation"] = {"pattern": pattern}
        files[name] = json.dumps(data).encode()
    data = sample()
    data["pages"][0]["title"]["en"] = "<b>What is your name?</b>"
    files["markup"] = json.dumps(data).encode()
    files["twice"] = sample_bytes().replace(b'"id": "sample-service"', b'"id": "x", "id": "y"', 1)
    paths = []
    for name, content in files.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        paths.append(path)
    done = _run("validate", *map(str, paths))
    assert done.returncode == 1 and done.stdout == ""
    errors = done.stderr.splitlines()
    assert len(errors) == len(paths) and done.stderr.count("\n") == len(paths)
    pointer = "/pages/0/questions/0/validation/pattern"
    assert errors[0].startswith(f"alongside: {paths[0]}: {pointer}: the pattern repeats a part")
    assert errors[1].startswith(f"alongside: {paths[1]}: {pointer}: the pattern is not a regular")
    assert errors[2] == (
        f"alongside: {paths[2]}: /pages/0/title/en: markup is not allowed in text (<b>)"
    )
    assert errors[3] == (
        f"alongside: {paths[3]}: /id: the field 'id' is given twice in the same object"
    )
    for path in paths:
        assert path.read_bytes() == files[path.stem]


def _listed(postcode: str) -> tuple[str, set[str]]:
    done = _run("list", "--postcode", postcode)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    return first, {line.split("\t")[0] for line in rest}


def test_list_for_a_postcode_shows_that_nations_versions() -> None:
    every = {path.stem for path in definition_files()}
    english, in_england = _listed("sw1a 1aa")
    assert english == "Nation for SW1A 1AA: England"
    assert "gp-registration" in in_england and in_england <= every
    welsh, in_wales = _listed("SY21 7AA")  # Welshpool: an SY district in Wales
    assert welsh == "Nation for SY21 7AA: Wales"
    assert "gp-registration" not in in_wales  # England's GMS1 is not offered there
    assert {"attendance-allowance", "hc1-health-costs"} <= in_wales
    scottish, in_scotland = _listed("TD1 1AA")
    assert scottish == "Nation for TD1 1AA: Scotland"
    # Attendance Allowance and Carer's Allowance are not claimed in Scotland any more
    assert not {"attendance-allowance", "carers-allowance"} & in_scotland
    assert {"pension-credit", "register-to-vote"} <= in_scotland


def test_list_for_a_border_postcode_says_to_check() -> None:
    first, in_england = _listed("TD15 1AA")  # Berwick: mostly England, some Scotland
    assert first == (
        "Nation for TD15 1AA: England — border postcode: check; the other nation is Scotland"
    )
    assert "gp-registration" in in_england


@pytest.mark.parametrize(
    ("district", "nation", "pip"),
    [
        ("ch5", "Wales", "pip"),  # Deeside: a CH district in Wales
        ("CH1", "England", "pip"),  # Chester
        ("SY16", "Wales", "pip"),  # Newtown
        ("SY1", "England", "pip"),  # Shrewsbury
        ("TD1", "Scotland", "adult-disability-payment"),  # Galashiels
        ("TD15", "England", "pip"),  # Berwick: a border district, said so
    ],
)
def test_list_for_a_postcode_district_alone(district: str, nation: str, pip: str) -> None:
    first, listed = _listed(district)
    assert first.startswith(f"Nation for {district.upper()}: {nation}")
    assert pip in listed and not {"pip", "adult-disability-payment"} - {pip} & listed
    assert ("border postcode" in first) == (district == "TD15")


def test_list_for_a_bad_postcode_is_one_line_and_exit_1() -> None:
    for bad in ("not a postcode", "JE2 3AB", "", "JE2", "12345", "CH"):
        done = _run("list", "--postcode", bad)
        assert done.returncode == 1
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1
        assert "is not a UK postcode" in done.stderr


def test_validate_checks_counterparts_against_the_catalogue(tmp_path: Path) -> None:
    lonely = tmp_path / "pip.json"
    lonely.write_text(
        json.dumps(
            {**sample(), "id": "pip", "nations": ["england"], "counterparts": {"wales": "nowhere"}}
        ),
        encoding="utf-8",
    )
    done = _run("validate", str(lonely))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"alongside: {lonely}: /counterparts/wales: "
        "the counterpart 'nowhere' is not in the catalogue"
    ]
    pair = tmp_path / "adp.json"
    pair.write_text(
        json.dumps(
            {**sample(), "id": "adp", "nations": ["wales"], "counterparts": {"england": "pip"}}
        ),
        encoding="utf-8",
    )
    lonely.write_text(
        json.dumps(
            {**sample(), "id": "pip", "nations": ["england"], "counterparts": {"wales": "adp"}}
        ),
        encoding="utf-8",
    )
    done = _run("validate", str(lonely), str(pair))
    assert done.returncode == 0, done.stderr


def test_validate_reports_every_quality_problem_on_its_own_line(tmp_path: Path) -> None:
    """A definition that loads but has untranslated Welsh, a question no route
    asks and a condition that reads a skipped answer: one line each, and
    exit 1."""
    data = sample()
    data["next_steps"] = {"en": "We will write to you.", "cy": "We will write to you."}
    money = data["pages"][3]["questions"]
    money.append(
        {
            "id": "never",
            "type": "yes_no",
            "label": {"en": "Never", "cy": "Byth"},
            "category": "other",
            "condition": {
                "all": [
                    {"question": "has-income", "equals": True},
                    {"question": "has-income", "equals": False},
                ]
            },
        }
    )
    data["pages"][6]["questions"].append(
        {
            "id": "letter",
            "type": "yes_no",
            "label": {"en": "Letter", "cy": "Llythyr"},
            "category": "other",
        }
    )
    data["pages"][7]["condition"] = {"not": {"question": "letter", "equals": True}}
    path = tmp_path / "flawed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = _run("validate", str(path))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"alongside: {path}: /next_steps/cy: the Welsh text is the same as the English "
        "('We will write to you.'); translate it (only names, numbers, web and email addresses "
        "and form codes stay as they are)",
        f"alongside: {path}: /pages/3/questions/3: no answers to the questions before it show "
        "this question, so it is never asked",
        f"alongside: {path}: /pages/7/condition/not: on a route where 'letter' is not asked, "
        "this condition still holds, reading the missing answer as an answer; add the "
        "condition that shows 'letter'",
    ]
