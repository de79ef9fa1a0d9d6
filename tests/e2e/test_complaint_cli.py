"""`alongside complaint route` and `alongside complaint pack` as separate
processes: the bodies for each nation, and the evidence pack on a real
profile, refused in one line where the mandate does not allow it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.demo.people import DEMO_PASSWORD
from tests.e2e.test_cli import Cli, assert_one_line_error
from tests.unit.casework.paper.helpers import squash

PASSWORD = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cli, str]]:
    """(cli, case reference): a PIP case in Cardiff with the department's final
    response and the person's consent, made in-process."""
    from app.database import session_factory
    from app.demo.people import ensure_workers
    from app.paths import ProfilePaths
    from app.profile import create_profile
    from casework.casefile.cases import open_case
    from casework.casefile.people import create_person
    from casework.complaints import steps
    from casework.kernel.accounts import actor_for
    from casework.kernel.models import Case, Worker
    from tests.unit.factories import person_input

    cli = Cli(tmp_path_factory.mktemp("complaint"))
    opened = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        ensure_workers(opened.engine)
        write = session_factory(opened.engine, write=True)
        with write.begin() as session:
            amira = actor_for(
                session.scalars(select(Worker).where(Worker.username == "amira")).one()
            )
            person = create_person(session, amira, person_input())
            case_id = open_case(session, amira, person, "pip", "PIP claim lost twice")
            first = steps.start_step(session, amira, case_id, "dwp-first-tier", date(2026, 1, 5))
        with write.begin() as session:
            steps.record_response(session, amira, first, 1, date(2026, 2, 20))
            steps.record_consent(session, amira, case_id, date(2026, 3, 1))
            case = session.get(Case, case_id)
            assert case is not None
            reference = case.reference
    finally:
        opened.close()
    yield cli, reference


@pytest.mark.parametrize(
    ("service", "postcode", "bodies"),
    [
        ("pip", "SW1A 1AA", ("Independent Case Examiner", "through an MP")),
        ("gp-registration", "SW1A 1AA", ("Parliamentary and Health Service Ombudsman",)),
        ("gp-registration", "CF10 1AA", ("Public Services Ombudsman for Wales",)),
        ("council-tax-reduction", "M1 1AE", ("Local Government and Social Care Ombudsman",)),
        ("council-tax-reduction", "LL57 2DG", ("Public Services Ombudsman for Wales",)),
        ("council-tax-reduction", "EH1 1YZ", ("Scottish Public Services Ombudsman",)),
        ("council-tax-reduction", "CH5", ("Public Services Ombudsman for Wales",)),  # a district
    ],
)
def test_the_route_names_each_nations_bodies_in_order(
    tmp_path: Path, service: str, postcode: str, bodies: tuple[str, ...]
) -> None:
    run = Cli(tmp_path)(
        "complaint", "route", "--service", service, "--postcode", postcode, profile=False
    )
    assert run.code == 0, run.err
    numbered = [line for line in run.out.splitlines() if line[:2] in {"1.", "2.", "3.", "4."}]
    assert numbered[0].startswith("1. ")
    for body in bodies:
        assert body in run.out
    assert "Time limit: Within 12 months" in run.out


@pytest.mark.parametrize(
    ("service", "postcode", "version", "body"),
    [
        ("pip", "EH1 1YZ", "Adult Disability Payment", "Social Security Scotland complaints"),
        ("adult-disability-payment", "CF10 1AA", "Personal Independence Payment", "Independent"),
    ],
)
def test_the_route_follows_the_version_of_the_service_for_the_nation(
    tmp_path: Path, service: str, postcode: str, version: str, body: str
) -> None:
    run = Cli(tmp_path)(
        "complaint", "route", "--service", service, "--postcode", postcode, profile=False
    )
    assert run.code == 0, run.err
    first, heading = run.out.splitlines()[:2]
    assert f"so this is {version}" in first or f"so this is Apply for {version}" in first
    assert version in heading and body in run.out


def test_a_bad_service_or_postcode_is_one_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    bad = cli("complaint", "route", "--service", "nope", "--postcode", "SW1A 1AA", profile=False)
    assert_one_line_error(bad, "nope")
    bad = cli("complaint", "route", "--service", "pip", "--postcode", "12345", profile=False)
    assert_one_line_error(bad, "not a UK postcode")


def test_the_pack_is_written_and_reads_back(seeded: tuple[Cli, str], tmp_path: Path) -> None:
    cli, reference = seeded
    target = tmp_path / "pack.pdf"
    run = cli(
        "complaint", "pack", "--user", "amira", "--case", reference, "--lang", "cy",
        "--large-print", "-o", str(target), env=PASSWORD,
    )  # fmt: skip
    assert run.code == 0, run.err
    text = squash("".join(p.extract_text() for p in PdfReader(target).pages))
    assert squash("Pecyn tystiolaeth ar gyfer cwyn") in text
    assert squash("Tîm datrys cwynion yr Adran Gwaith a Phensiynau") in text
    assert "NiaPritchard" in text and reference in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_another_team_is_refused_in_one_line_and_nothing_is_written(
    seeded: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, reference = seeded
    target = tmp_path / "pack.pdf"
    run = cli(
        "complaint", "pack", "--user", "sam", "--case", reference, "-o", str(target), env=PASSWORD
    )
    assert_one_line_error(run, "You may not print this evidence pack")
    assert list(tmp_path.iterdir()) == []
    unknown = cli(
        "complaint", "pack", "--user", "amira", "--case", "AL-NOPE", "-o", str(target), env=PASSWORD
    )
    assert_one_line_error(unknown, "no case")


def test_consent_is_recorded_from_the_command_line_then_the_pack_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.e2e.profiles import person_with_case

    cli = Cli(tmp_path / "profile")
    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)
    reference = person_with_case(cli, "pip", "PIP claim lost twice")[1]
    target = tmp_path / "pack.pdf"
    pack = ("complaint", "pack", "--user", "amira", "--case", reference, "-o", str(target))
    assert_one_line_error(cli(*pack, env=PASSWORD), "consent")
    assert not target.exists()
    future = cli(
        "complaint", "consent", "--user", "amira", "--case", reference, "--on", "2999-01-01",
        env=PASSWORD,
    )  # fmt: skip
    assert_one_line_error(future, "future")
    other = cli("complaint", "consent", "--user", "sam", "--case", reference, env=PASSWORD)
    assert other.code == 1 and len(other.err.strip().splitlines()) == 1
    agreed = cli("complaint", "consent", "--user", "amira", "--case", reference, env=PASSWORD)
    assert agreed.code == 0, agreed.err
    assert reference in agreed.out and "consent" in agreed.out
    made = cli(*pack, env=PASSWORD)
    assert made.code == 0, made.err
    text = squash("".join(p.extract_text() for p in PdfReader(target).pages))
    assert "NiaPritchard" in text and reference in text
