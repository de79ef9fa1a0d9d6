"""Complaint routes as data: every service has one, each nation gets the
right bodies in order, and a routes file that points nowhere is refused."""

from __future__ import annotations

import json
from datetime import date

import pytest

from casework.complaints.limits import add_months, deadline
from casework.complaints.routes import (
    ROUTES_PATH,
    RouteFileError,
    load_routes,
    parse_routes,
    route_for,
    route_for_postcode,
)
from casework.forms.definitions import load_catalogue
from casework.kernel.errors import NotFound
from casework.kernel.nations import Nation

GB = (Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND)
NEW_SERVICES = (
    "pip",
    "adult-disability-payment",
    "housing-benefit",
    "discretionary-housing-payment",
    "bus-pass-england",
    "concessionary-travel-wales",
    "healthy-start",
)


def _catalogue_ids() -> set[str]:
    listed = json.loads(
        (ROUTES_PATH.parents[1] / "catalogue" / "services.json").read_text(encoding="utf-8")
    )
    ids = {s["id"] for s in listed["services"]}
    return ids | {s.id for s in load_catalogue().services} | set(NEW_SERVICES)


def test_every_service_in_the_catalogue_has_a_route() -> None:
    routes = load_routes()
    missing = _catalogue_ids() - routes.service_ids()
    assert not missing, f"add these to resources/complaints/routes.json: {sorted(missing)}"
    for service_id in _catalogue_ids() - {"general-advice"}:
        nations = [n for n in Nation if _has_route(service_id, n)]
        assert nations, service_id


def _has_route(service_id: str, nation: Nation) -> bool:
    try:
        return bool(route_for(service_id, nation))
    except NotFound:
        return False


def _bodies(service_id: str, postcode: str) -> list[str]:
    return [step.body.id for step in route_for_postcode(service_id, postcode, "en")[1]]


def test_dwp_goes_to_the_department_then_the_examiner_then_the_ombudsman_through_an_mp() -> None:
    for postcode in ("SW1A 1AA", "CF10 1AA", "EH1 1YZ"):
        assert _bodies("pip", postcode) == ["dwp-complaints", "dwp-second-tier", "ice", "phso-mp"]
    ice = route_for("attendance-allowance", Nation.WALES, "en")[2]
    assert ice.body.name == "Independent Case Examiner"
    assert "6 months" in ice.time_limit and ice.needs_previous_response
    assert ice.limit is not None and (ice.limit.months, ice.limit.start) == (6, "previous-response")


def test_nhs_and_councils_go_to_each_nations_ombudsman() -> None:
    assert _bodies("gp-registration", "SW1A 1AA") == ["nhs-england", "phso"]
    assert _bodies("gp-registration", "CF10 1AA") == ["nhs-wales", "psow"]
    assert _bodies("gp-registration", "G1 1XQ") == ["nhs-scotland", "spso"]
    for service in ("blue-badge", "council-tax-reduction", "housing-benefit"):
        assert _bodies(service, "M1 1AE") == ["council", "lgsco"]
        assert _bodies(service, "LL57 2DG") == ["council", "psow"]
        assert _bodies(service, "AB10 1XG") == ["council", "spso"]
    assert _bodies("adult-disability-payment", "DD1 1DB") == ["social-security-scotland", "spso"]
    assert _bodies("concessionary-travel-wales", "SA1 1NW") == ["transport-for-wales", "psow"]
    assert _bodies("healthy-start", "NP20 1XX")[0] == "nhs-bsa"


def test_the_route_is_in_welsh_with_its_sources() -> None:
    steps = route_for("blue-badge", Nation.WALES, "cy")
    assert steps[1].body.name == "Ombwdsmon Gwasanaethau Cyhoeddus Cymru"
    assert "12 mis" in steps[1].time_limit
    assert all(s.body.url.startswith("https://") and s.body.sources for s in steps)


def test_no_route_is_one_plain_reason() -> None:
    with pytest.raises(NotFound, match="does not know where complaints"):
        route_for("no-such-service", Nation.ENGLAND)
    with pytest.raises(NotFound, match="in Wales"):
        route_for("adult-disability-payment", Nation.WALES, "en")
    with pytest.raises(NotFound, match="not a UK postcode"):
        route_for_postcode("pip", "not a postcode")


def _raw() -> dict[str, object]:
    data: dict[str, object] = json.loads(ROUTES_PATH.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda r: r["steps"]["ice"].update(body="nobody"), "/steps/ice/body"),
        (lambda r: r["families"]["dwp"]["wales"].append("nowhere"), "/families/dwp/wales/4"),
        (lambda r: r["services"].update(pip="nothing"), "/services/pip"),
        (lambda r: r["families"]["nhs"].update(england=["phso-nhs"]), "/families/nhs/england/0"),
        (lambda r: r["bodies"]["ice"].update(url="http://insecure"), "/bodies/ice/url"),
    ],
)
def test_a_routes_file_that_points_nowhere_is_refused(change: object, pointer: str) -> None:
    raw = _raw()
    change(raw)  # type: ignore[operator]
    with pytest.raises(RouteFileError) as refused:
        parse_routes(json.dumps(raw).encode(), "routes.json")
    assert refused.value.pointer == pointer


def test_months_are_counted_as_the_bodies_count_them() -> None:
    assert add_months(date(2026, 3, 15), 6) == date(2026, 9, 15)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 5), 12) == date(2028, 12, 5)


def test_the_examiner_deadline_is_six_months_after_the_final_response() -> None:
    ice = route_for("pip", Nation.ENGLAND, "en")[2]
    waiting = deadline(ice, None, date(2026, 1, 10))
    assert not waiting.can_start and waiting.last_day is None
    ready = deadline(ice, date(2026, 4, 30), date(2026, 1, 10))
    assert ready.can_start and ready.last_day == date(2026, 10, 30) and not ready.from_problem


def test_the_ombudsman_through_an_mp_is_twelve_months_after_the_examiner() -> None:
    phso = route_for("pension-credit", Nation.SCOTLAND, "en")[3]
    assert deadline(phso, date(2026, 11, 2), date(2026, 1, 1)).last_day == date(2027, 11, 2)


def test_a_limit_from_the_problem_counts_from_the_cases_opening() -> None:
    council, lgsco = route_for("blue-badge", Nation.ENGLAND, "en")
    first = deadline(council, None, date(2026, 2, 1))
    assert first.can_start and first.from_problem and first.last_day == date(2027, 2, 1)
    second = deadline(lgsco, None, date(2026, 2, 1))
    assert not second.can_start and second.last_day == date(2027, 2, 1)
    nhs_scotland = route_for("gp-registration", Nation.SCOTLAND, "en")[0]
    assert deadline(nhs_scotland, None, date(2026, 2, 1)).last_day == date(2026, 8, 1)


def test_a_step_without_a_limit_has_no_day() -> None:
    first = route_for("pip", Nation.WALES, "en")[0]
    assert deadline(first, None, date(2026, 2, 1)).last_day is None
