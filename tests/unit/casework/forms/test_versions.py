"""Each nation's version of a service: definitions name their nations and
counterparts, the catalogue refuses counterparts that do not hold, and
``version_for`` offers the version for the person's nation, saying why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from casework.forms.definitions import load_catalogue
from casework.forms.versions import Fit, service_for, version_for, versions_in
from casework.kernel.i18n import set_language
from casework.kernel.nations import Nation
from tests.unit.casework.forms.sample_service import sample, t


def _service(sid: str, title: str, owner: str, **extra: Any) -> dict[str, Any]:
    data = sample()
    data["id"] = sid
    data["title"] = t(title, f"{title} (cy)")
    data["owner"] = {"kind": "department", "name": t(owner, f"{owner} (cy)")}
    data.update(extra)
    return data


def _write(folder: Path, *services: dict[str, Any]) -> Path:
    for service in services:
        (folder / f"{service['id']}.json").write_text(json.dumps(service), encoding="utf-8")
    return folder


PIP = _service(
    "pip",
    "Personal Independence Payment",
    "Department for Work and Pensions",
    nations=["england", "wales"],
    counterparts={"scotland": "adp"},
)
ADP = _service(
    "adp",
    "Adult Disability Payment",
    "Social Security Scotland",
    nations=["scotland"],
    counterparts={"england": "pip", "wales": "pip"},
)
EVERYWHERE = _service("vote", "Register to vote", "Electoral services")
ENGLAND_ONLY = _service("gp", "Register with a GP", "NHS England", nations=["england"])


@pytest.fixture
def catalogue(tmp_path: Path) -> Any:
    catalogue = load_catalogue(_write(tmp_path, PIP, ADP, EVERYWHERE, ENGLAND_ONLY))
    assert catalogue.problems == ()
    return catalogue


def test_a_definition_without_nations_serves_all_four(catalogue: Any) -> None:
    assert catalogue.service_of("vote").nations == tuple(Nation)
    assert catalogue.service_of("pip").nations == (Nation.ENGLAND, Nation.WALES)
    assert catalogue.service_of("pip").counterparts == {Nation.SCOTLAND: "adp"}


def test_the_version_for_scotland_is_the_counterpart_and_says_why(catalogue: Any) -> None:
    set_language("en")
    version = version_for(catalogue, "pip", Nation.SCOTLAND, "Mrs Jones")
    assert version.service.id == "adp" and version.fit is Fit.SWITCHED
    assert version.reason == (
        "Mrs Jones lives in Scotland, so this is Adult Disability Payment from "
        "Social Security Scotland, not Personal Independence Payment."
    )
    back = version_for(catalogue, "adp", Nation.WALES, "Mr Evans")
    assert back.service.id == "pip"
    assert back.reason.startswith("Mr Evans lives in Wales, so this is Personal Independence")


def test_the_reason_is_in_welsh_when_the_screens_are(catalogue: Any) -> None:
    set_language("cy")
    try:
        version = version_for(catalogue, "pip", Nation.SCOTLAND, "Mrs Jones")
    finally:
        set_language("en")
    assert version.reason == (
        "Mae Mrs Jones yn byw yn yr Alban, felly dyma Adult Disability Payment (cy) gan "
        "Social Security Scotland (cy), nid Personal Independence Payment (cy)."
    )


@pytest.mark.parametrize(
    ("service_id", "nation", "expected", "fit"),
    [
        ("pip", Nation.ENGLAND, "pip", Fit.SERVES),
        ("pip", Nation.WALES, "pip", Fit.SERVES),
        ("pip", Nation.SCOTLAND, "adp", Fit.SWITCHED),
        ("adp", Nation.SCOTLAND, "adp", Fit.SERVES),
        ("adp", Nation.ENGLAND, "pip", Fit.SWITCHED),
        ("pip", Nation.NORTHERN_IRELAND, "pip", Fit.NOT_OFFERED),
        ("gp", Nation.WALES, "gp", Fit.NOT_OFFERED),
        ("vote", Nation.NORTHERN_IRELAND, "vote", Fit.SERVES),
        ("pip", None, "pip", Fit.NATION_UNKNOWN),
    ],
)
def test_each_version(
    catalogue: Any, service_id: str, nation: Nation | None, expected: str, fit: Fit
) -> None:
    version = version_for(catalogue, service_id, nation, "Mrs Jones")
    assert (version.service.id, version.fit) == (expected, fit)
    assert "Mrs Jones" in version.reason


def test_the_catalogue_as_each_nation_sees_it(catalogue: Any) -> None:
    def ids(nation: Nation) -> list[str]:
        return [s.id for s in versions_in(catalogue, nation)]

    assert ids(Nation.ENGLAND) == ["pip", "gp", "vote"]  # files in name order: adp, gp, pip, vote
    assert ids(Nation.SCOTLAND) == ["adp", "vote"]
    assert ids(Nation.WALES) == ["pip", "vote"]
    assert ids(Nation.NORTHERN_IRELAND) == ["vote"]


@pytest.mark.parametrize(
    ("services", "refused", "pointer", "words"),
    [
        # A counterpart that is not in the catalogue
        ([_service("pip", "PIP", "DWP", nations=["england"], counterparts={"scotland": "adp"})],
         "pip", "/counterparts/scotland", "is not in the catalogue"),
        # One that does not point back
        ([PIP, _service("adp", "ADP", "SSS", nations=["scotland"])],
         "pip", "/counterparts/scotland", "does not name 'pip'"),
        # One that does not serve the nation it stands in for
        ([PIP, {**ADP, "nations": ["wales"], "counterparts": {"england": "pip"}}],
         "pip", "/counterparts/scotland", "does not serve scotland"),
    ],
)  # fmt: skip
def test_the_catalogue_refuses_counterparts_that_do_not_hold(
    tmp_path: Path, services: list[dict[str, Any]], refused: str, pointer: str, words: str
) -> None:
    catalogue = load_catalogue(_write(tmp_path, *services))
    assert refused not in [s.id for s in catalogue.services]
    problem = next(p for p in catalogue.problems if p.file.endswith(f"{refused}.json"))
    assert problem.pointer == pointer and words in problem.reason


def test_a_service_dropped_for_its_counterpart_takes_its_partner_with_it(tmp_path: Path) -> None:
    # adp points at pip, pip at a missing service: pip goes, so adp points at nothing.
    pip = {**PIP, "counterparts": {"scotland": "adp", "northern-ireland": "gone"}}
    catalogue = load_catalogue(_write(tmp_path, pip, ADP, EVERYWHERE))
    assert [s.id for s in catalogue.services] == ["vote"]
    assert len(catalogue.problems) == 2


def test_a_counterpart_for_a_nation_the_service_serves_is_refused(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, {**PIP, "counterparts": {"wales": "adp"}}))
    assert catalogue.services == ()
    (problem,) = catalogue.problems
    assert problem.pointer == "/counterparts/wales"
    assert "itself serves wales" in problem.reason


def test_the_shipped_services_say_where_they_apply() -> None:
    shipped = load_catalogue()
    assert shipped.problems == ()
    where = {s.id: {n.value for n in s.nations} for s in shipped.services}
    assert where["attendance-allowance"] == {"england", "wales"}  # Scotland: Pension Age DP
    assert where["carers-allowance"] == {"england", "wales"}  # Scotland: Carer Support Payment
    assert where["gp-registration"] == {"england"}
    assert where["pension-credit"] == {"england", "wales", "scotland"}


def test_service_for_is_the_version_as_a_pair(catalogue: Any) -> None:
    service, reason = service_for(catalogue, "pip", Nation.SCOTLAND)
    assert service.id == "adp"
    assert reason.startswith("The person lives in Scotland, so this is Adult Disability Payment")
