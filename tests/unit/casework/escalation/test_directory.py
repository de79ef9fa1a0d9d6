"""The facilitator directory: every shipped service has a named ladder for every
nation it serves; a definition with no route is refused; local additions win."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.backend import LocalBackend
from app.cli import main
from app.profile import OpenProfile
from casework.escalation import directory, lifecycle, local_directory
from casework.escalation.directory import DirectoryError, LocalFacilitatorInput
from casework.escalation.sla import Nation
from casework.forms import definitions
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.records import Actor
from tests.unit.casework.forms.sample_service import SAMPLE
from tests.unit.conftest import WriteSession


def test_every_shipped_service_has_a_ladder_for_every_nation_it_serves() -> None:
    found, problems = directory.directory()
    assert problems == ()
    shipped = {s.id for s in definitions.load_catalogue().services}
    assert set(found) == shipped
    for service_id, entry in found.items():
        assert entry.nations, service_id
        for nation in entry.nations:
            rungs = directory.ladder((), service_id, nation.value)
            assert rungs and all(r.name and r.email and r.phone for r in rungs), service_id
            assert [r.level for r in rungs] == list(range(1, len(rungs) + 1))
            for rung in rungs:
                assert rung.channel == "email" or len(rung.postal_address) >= 3


def test_a_council_code_has_its_own_ladder_and_falls_back_to_its_nation() -> None:
    cardiff = directory.ladder((), "blue-badge", "W06000015")
    wales = directory.ladder((), "blue-badge", "wales")
    swansea = directory.ladder((), "blue-badge", "W06000011")
    assert cardiff[0].organisation == "Cardiff Council Blue Badge team"
    assert swansea == wales != cardiff


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "definition.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_definition_with_no_escalation_route_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(SAMPLE)
    del data["facilitator"]["email"]
    path = _write(tmp_path, data)
    # The form engine knows nothing of the directory: escalation hands its check in.
    assert definitions.load_definition(path).id == data["id"]
    with pytest.raises(definitions.DefinitionError) as refused:
        definitions.load_definition(path, directory.route_problem)
    assert refused.value.pointer == "/facilitator"
    assert "no escalation route" in refused.value.reason
    assert main(["services", "validate", str(path)]) == 1
    assert "/facilitator" in capsys.readouterr().err
    # With no facilitator at all the schema refuses it too.
    del data["facilitator"]
    with pytest.raises(definitions.DefinitionError):
        definitions.load_definition(_write(tmp_path, data))


def test_a_directory_ladder_is_a_route_even_without_an_email() -> None:
    data = copy.deepcopy(SAMPLE)
    data["id"] = "blue-badge"
    del data["facilitator"]["email"]
    raw = json.dumps(data).encode()
    assert definitions.parse_definition(raw, "x.json", directory.route_problem).id == "blue-badge"


def test_a_directory_file_missing_a_nations_ladder_is_refused() -> None:
    raw = json.loads((directory.DIRECTORY_DIR / "blue-badge.json").read_bytes())
    raw["ladders"] = [ladder for ladder in raw["ladders"] if ladder["area"] != "scotland"]
    with pytest.raises(DirectoryError, match="scotland"):
        directory.parse_directory(json.dumps(raw).encode(), "blue-badge.json")
    raw = json.loads((directory.DIRECTORY_DIR / "blue-badge.json").read_bytes())
    raw["ladders"][0]["levels"][0]["channel"] = "paper"  # and no postal address
    with pytest.raises(DirectoryError, match="postal_address"):
        directory.parse_directory(json.dumps(raw).encode(), "blue-badge.json")


def test_a_directory_file_with_a_key_twice_or_markup_is_refused_where_it_is() -> None:
    text = (directory.DIRECTORY_DIR / "blue-badge.json").read_text(encoding="utf-8")
    twice = text.replace('"service": "blue-badge"', '"service": "x", "service": "blue-badge"', 1)
    assert twice != text
    with pytest.raises(DirectoryError) as refused:
        directory.parse_directory(twice.encode(), "blue-badge.json")
    assert (refused.value.pointer, refused.value.reason) == (
        "/service",
        "the field 'service' is given twice in the same object",
    )
    raw = json.loads(text)
    raw["ladders"][0]["levels"][0]["name"] = "<b>Sam</b> Jones"
    with pytest.raises(DirectoryError) as refused:
        directory.parse_directory(json.dumps(raw).encode(), "blue-badge.json")
    assert refused.value.pointer == "/ladders/0/levels/0/name"
    assert refused.value.reason == "markup is not allowed in text (<b>)"


def _local(**changes: object) -> LocalFacilitatorInput:
    values: dict[str, object] = {
        "service_id": "blue-badge",
        "area": "wales",
        "level": 1,
        "name": "Gwen Parry",
        "role": "Local liaison",
        "organisation": "Riverside Library partnerships",
        "email": "gwen.parry@example.gov.uk",
        "phone": "01632 960999",
        "languages": ("en", "cy"),
        "sla_working_days": 3,
    }
    values.update(changes)
    return LocalFacilitatorInput(**values)  # type: ignore[arg-type]


def test_an_administrator_adds_a_local_facilitator_who_takes_the_level(
    write: WriteSession, actor: object, amira: Actor
) -> None:
    admin = actor("admin")  # type: ignore[operator]
    with pytest.raises(AccessRefused), write() as session:
        local_directory.add_local(session, amira, _local())
    with pytest.raises(InvalidInput) as bad, write() as session:
        local_directory.add_local(
            session, admin, _local(area="atlantis", email="nope", channel="paper")
        )
    assert {"area", "email", "postal_address"} <= set(bad.value.fields)
    with write() as session:
        local_directory.add_local(session, admin, _local())
        local_directory.add_local(session, admin, _local(name="Gwen Parry-Jones"))
        local = local_directory.for_service(session, "blue-badge")
    rungs = directory.ladder(local, "blue-badge", "wales")
    assert [r.name for r in local] == ["Gwen Parry-Jones"]
    assert rungs[0].name == "Gwen Parry-Jones" and rungs[0].source == "local"
    assert rungs[1].source == "directory" and rungs[0].nation is Nation.WALES


def test_a_directory_schema_fault_names_the_field_like_a_definition_fault() -> None:
    raw = json.loads((directory.DIRECTORY_DIR / "blue-badge.json").read_bytes())
    raw["ladders"][0]["levels"][0]["surprise"] = True
    with pytest.raises(DirectoryError) as refused:
        directory.parse_directory(json.dumps(raw).encode(), "blue-badge.json")
    assert refused.value.pointer == "/ladders/0/levels/0"
    assert refused.value.reason.startswith("an unknown field")
    with pytest.raises(DirectoryError) as refused:
        directory.parse_directory(b"[]", "blue-badge.json")
    assert refused.value.pointer == "/"


def test_what_an_administrator_mistypes_is_refused_field_by_field() -> None:
    assert directory.check_input(_local()) == {}
    assert directory.check_input(_local(area="W06000015")) == {}
    bad = directory.check_input(
        _local(
            level=0,
            name="  ",
            organisation="",
            phone="999",
            channel="fax",
            sla_working_days=0,
            opens="9am",
            languages=("fr",),
        )
    )
    assert set(bad) == {
        "level",
        "name",
        "organisation",
        "phone",
        "channel",
        "sla_working_days",
        "hours",
        "languages",
    }
    reversed_hours = directory.check_input(_local(opens="17:00", closes="09:00"))
    assert set(reversed_hours) == {"hours"}
    assert set(directory.check_input(_local(languages=()))) == {"languages"}


def test_the_window_refuses_a_definition_with_no_escalation_route(
    tmp_path: Path, demo_profile: OpenProfile
) -> None:
    """The composition root hands the directory's check to the form engine."""
    data = copy.deepcopy(SAMPLE)
    del data["facilitator"]["email"]
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "no-route.json").write_text(json.dumps(data), encoding="utf-8")
    catalogue = LocalBackend(demo_profile, services_dir=folder).catalogue
    assert catalogue.services == ()
    assert [problem.pointer for problem in catalogue.problems] == ["/facilitator"]


def test_the_directory_and_the_ladder_as_a_worker_reads_them(
    write: WriteSession, actor: object, amira: Actor
) -> None:
    admin = actor("admin")  # type: ignore[operator]
    blue_badge = definitions.load_catalogue().service_of("blue-badge")
    with write() as session:
        assert local_directory.local_facilitators(session, amira) == []
        local_directory.add_local(session, admin, _local())
        listed = local_directory.local_facilitators(session, amira)
        ladder = lifecycle.facilitator_ladder(session, amira, blue_badge, "wales")
    assert [f.name for f in listed] == ["Gwen Parry"]
    assert isinstance(ladder, list) and ladder[0].name == "Gwen Parry"
    assert ladder[0].source == "local" and ladder[1].source == "directory"
