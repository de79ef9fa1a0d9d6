"""`alongside paper receive` as a separate process on a real profile: poor
scans of real forms, pre-filled and blank, in English and Welsh, received onto
the right cases; every bad input refused in one line, exit 1, nothing of it
attached; the same scan twice attached once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import pytest
from sqlalchemy import func, select

from app.database import session_factory
from app.demo.people import DEMO_PASSWORD, ensure_workers
from app.paths import ProfilePaths
from app.profile import create_profile
from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.kernel.accounts import actor_for
from casework.kernel.models import Case, Document, Worker
from casework.paper.models import PaperCopy, PaperOffice, PaperReturn
from casework.paper.reference import NO_OFFICE, copy_reference, random_code
from tests import paper_scans as ps
from tests.e2e.test_cli import Cli, Run
from tests.unit.casework.paper.helpers import answers_for
from tests.unit.factories import person_input

ENV = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}


@dataclass(frozen=True)
class Seeded:
    cli: Cli
    cases: dict[str, str]  # service id -> case reference
    copies: dict[str, str]  # service id -> its printed copy's reference
    office: str


def _seed(cli: Cli, services: dict[str, str]) -> Seeded:
    """A person with a case per service (``service id -> language``), and a
    pre-filled copy of each service's form printed for its case."""
    profile = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    cases: dict[str, str] = {}
    copies: dict[str, str] = {}
    try:
        ensure_workers(profile.engine)
        with session_factory(profile.engine, write=True).begin() as session:
            amira = actor_for(
                session.scalars(select(Worker).where(Worker.username == "amira")).one()
            )
            office = session.scalars(select(PaperOffice.code)).one()
            person_id = create_person(session, amira, person_input())
            for service_id, language in services.items():
                case = session.get(Case, open_case(session, amira, person_id, service_id, "Form"))
                assert case is not None
                service = ps.service(service_id)
                serial = random_code(6)
                reference = copy_reference(service_id, service.version, language, office, serial)
                pdf = ps.render(service_id, reference, language, answers_for(service))
                session.add(
                    PaperCopy(
                        reference=reference,
                        office=office,
                        serial=serial,
                        service_id=service_id,
                        version=service.version,
                        language=language,
                        kind="draft",
                        pages=len(ps.rasterise(pdf, dpi=10)),
                        case_id=case.id,
                        person_id=person_id,
                        printed_by_id=amira.worker_id,
                    )
                )
                cases[service_id], copies[service_id] = case.reference, reference
    finally:
        profile.close()
    return Seeded(cli, cases, copies, office)


def _count(cli: Cli, table: type[object]) -> int:
    """Rows in ``table`` of the profile, read in-process after the command ran."""
    from app.profile import open_profile

    with patch.dict(os.environ, {"ALONGSIDE_DB_KEY": cli.key}):
        opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine).begin() as session:
            return int(session.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        opened.close()


def _receive(seeded: Seeded, *args: str | Path) -> Run:
    return seeded.cli("paper", "receive", "--user", "amira", *map(str, args), env=ENV)


def _scan(seeded: Seeded, service_id: str, folder: Path, suffix: str, seed: int = 1) -> Path:
    reference = seeded.copies[service_id]
    language = "cy" if "-CY-" in reference else "en"
    pdf = ps.render(service_id, reference, language, answers_for(ps.service(service_id)))
    return ps.write(ps.scans(pdf, dpi=110, seed=seed), folder / f"{service_id}{suffix}")


def test_prefilled_and_blank_forms_come_back_onto_their_cases(tmp_path: Path) -> None:
    seeded = _seed(
        Cli(tmp_path), {"register-to-vote": "en", "free-school-meals": "cy", "blue-badge": "en"}
    )
    vote = _scan(seeded, "register-to-vote", tmp_path, ".pdf")
    meals = _scan(seeded, "free-school-meals", tmp_path, ".tiff", seed=2)
    badge_pdf = ps.render(
        "blue-badge", seeded.copies["blue-badge"], "en", answers_for(ps.service("blue-badge"))
    )
    badge_pages = ps.scans(badge_pdf, dpi=120, seed=3)
    badge = [ps.write([page], tmp_path / f"badge-{n}.jpg") for n, page in enumerate(badge_pages)]
    run = _receive(seeded, vote, meals, *badge[:-1])  # one page of the Blue Badge form left out
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert len(lines) == 3, run.out
    vote_ref = seeded.copies["register-to-vote"]
    assert f"Received paper form {vote_ref} (Register to vote) for case " in run.out
    assert f"for case {seeded.cases['register-to-vote']} (6 of 6 pages); reply due by " in run.out
    assert f"for case {seeded.cases['free-school-meals']} (" in run.out
    total = len(badge_pages)
    assert f"for case {seeded.cases['blue-badge']} ({total - 1} of {total} pages; page " in run.out
    assert _count(seeded.cli, PaperReturn) == 3


def test_a_blank_printed_with_no_profile_needs_its_case(tmp_path: Path) -> None:
    seeded = _seed(Cli(tmp_path), {"register-to-vote": "en"})
    version = ps.service("pension-credit").version
    reference = copy_reference("pension-credit", version, "cy", NO_OFFICE, random_code(6))
    pdf = ps.render("pension-credit", reference, "cy")
    scan = ps.write(ps.scans(pdf, dpi=100, seed=4), tmp_path / "pension.pdf")
    run = _receive(seeded, scan)
    assert run.code == 1
    assert f"alongside: {reference} is a blank form not linked to anyone yet." in run.err
    assert _count(seeded.cli, Document) == 0
    case = seeded.cases["register-to-vote"]
    run = _receive(seeded, "--case", case, scan)
    assert run.code == 0, run.err
    pages = len(ps.rasterise(pdf, dpi=10))
    expected = f"Received paper form {reference} (Apply for Pension Credit) for case {case}"
    assert f"{expected} ({pages} of {pages} pages); reply due by " in run.out


def test_bad_inputs_are_refused_and_the_good_copy_still_received(tmp_path: Path) -> None:
    seeded = _seed(Cli(tmp_path), {"register-to-vote": "en", "gp-registration": "cy"})
    good = _scan(seeded, "register-to-vote", tmp_path, ".pdf")
    gp = ps.rasterise(ps.render("gp-registration", seeded.copies["gp-registration"], "cy"), 110)
    text = tmp_path / "letter.png"
    text.write_text("Dear Sir, my form is enclosed.")
    truncated = tmp_path / "half.pdf"
    truncated.write_bytes(good.read_bytes()[:5000])
    other = copy_reference("blue-badge", ps.service("blue-badge").version, "en", "ZZ99", "4D7KQ2")
    elsewhere = ps.rasterise(ps.render("blue-badge", other), 110, pages=[0])[0]
    right = seeded.copies["register-to-vote"]
    bad_digits = f"{right[:-2]}{int(right[-2:]) + 1:02d} 1/6"  # one more is never right (mod 97)
    files = [
        good,
        ps.write([ps.blank_page()], tmp_path / "blank.png"),
        ps.write([ps.upside_down(ps.imperfect(gp[0], 1)), *gp[1:]], tmp_path / "turned.pdf"),
        ps.write([ps.cropped_through_qr(ps.imperfect(gp[1], 2))], tmp_path / "cut.jpg"),
        ps.huge_tiff(tmp_path / "archive.tiff"),
        text,
        truncated,
        ps.write([ps.imperfect(elsewhere, 3)], tmp_path / "elsewhere.png"),
        ps.write([ps.page_with_code(bad_digits)], tmp_path / "forged.png"),
    ]
    run = _receive(seeded, *files)
    assert run.code == 1
    assert f"for case {seeded.cases['register-to-vote']} (6 of 6 pages)" in run.out
    err = run.err.splitlines()
    expected = [
        "archive.tiff is too big to read: 40 pages, 1392 million pixels.",
        "letter.png is not a scan: use a PDF, PNG, JPEG or TIFF file.",
        "half.pdf is damaged or not finished",
        "blank.png is blank: scan the printed side of the form.",
        "Page 1 of turned.pdf is upside down: turn it and scan it again.",
        "No Alongside reference found on page 1 of cut.jpg: is it cropped through the QR code?",
        "Page 1 of elsewhere.png is from a copy printed by another office",
        "The reference on page 1 of forged.png fails its check digits",
        "The copies listed above were received; scan the others again.",
    ]
    for fragment in expected:
        assert any(line.startswith(f"alongside: {fragment}") for line in err), (fragment, err)
    # The GP form's other pages were fine, but came in a refused file: held back whole.
    assert seeded.cases["gp-registration"] not in run.out
    assert _count(seeded.cli, PaperReturn) == 1 and _count(seeded.cli, Document) == 1


def test_the_same_scan_twice_is_attached_once(tmp_path: Path) -> None:
    seeded = _seed(Cli(tmp_path), {"register-to-vote": "cy"})
    scan = _scan(seeded, "register-to-vote", tmp_path, ".tiff")
    assert _receive(seeded, scan).code == 0
    again = _receive(seeded, scan)
    assert again.code == 0, again.err
    assert "was already received for case" in again.out and "not attached again" in again.out
    assert _count(seeded.cli, Document) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["paper", "receive", "x.pdf"], "Receiving paper needs --user"),
        (["paper", "receive", "--user", "amira", "nowhere.pdf"], "Nothing was received."),
    ],
)
def test_bad_arguments_get_a_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    cli = Cli(tmp_path)
    cli.make_profile()
    run = cli(*args, env=ENV)
    assert run.code == 1
    assert message in run.err and len(run.err.splitlines()) <= 2, run.err


def test_forms_printed_by_the_command_line_come_back_onto_their_cases(tmp_path: Path) -> None:
    """As the issue's check does it: forms exported by ``export-pdf`` (pre-filled,
    a blank given out for a case, a blank printed with no profile), scanned
    badly and shuffled, received onto the right cases."""
    from app.backend import LocalBackend
    from ui.operations import cases as cases_ops
    from ui.operations import forms as forms_ops
    from ui.operations import people as people_ops

    cli = Cli(tmp_path)
    opened = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        ensure_workers(opened.engine)
        with session_factory(opened.engine, write=True).begin() as session:
            amira = actor_for(
                session.scalars(select(Worker).where(Worker.username == "amira")).one()
            )
            create_person(session, amira, person_input())
        backend = LocalBackend(opened)
        backend.sign_in("amira", DEMO_PASSWORD)
        person_id = people_ops.list_person_ids().call(backend)[0]
        filled = cases_ops.open_case(person_id, "register-to-vote", "Vote").call(backend)
        record = forms_ops.start_form(filled, "register-to-vote").call(backend)[0]
        answers = answers_for(ps.service("register-to-vote"))
        forms_ops.save_form(record.case_id, record.id, record.version, answers, None).call(backend)
        given = cases_ops.open_case(person_id, "free-school-meals", "Meals").call(backend)
        filled_ref = cases_ops.case_detail(filled).call(backend).reference
        given_ref = cases_ops.case_detail(given).call(backend).reference
    finally:
        opened.close()
    out = tmp_path / "printed"
    out.mkdir()
    given_args = ["--user", "amira", "--service", "free-school-meals", "--case", given_ref]
    for args in (
        ["--user", "amira", "--case", filled_ref, "-o", str(out / "filled.pdf")],
        [*given_args, "--lang", "cy", "-o", str(out / "given.pdf")],
    ):
        assert cli("export-pdf", *args, env=ENV).code == 0
    anonymous = cli("export-pdf", "--service", "gp-registration", "-o", str(out / "anon.pdf"))
    assert anonymous.code == 0, anonymous.err
    scans = []
    for n, name in enumerate(("filled", "given", "anon")):
        images = ps.scans((out / f"{name}.pdf").read_bytes(), dpi=110 + 15 * n, seed=n)
        scans.append(ps.write(images, tmp_path / f"{name}{('.pdf', '.tiff', '.pdf')[n]}"))
    seeded = Seeded(cli, {}, {}, "")
    run = _receive(seeded, scans[0], scans[1])
    assert run.code == 0, run.err
    assert f"for case {filled_ref} (" in run.out and f"for case {given_ref} (" in run.out
    assert "reply due by" in run.out
    run = _receive(seeded, "--case", given_ref, scans[2])
    assert run.code == 0, run.err
    assert f"(Register with a GP surgery (GMS1)) for case {given_ref}" in run.out
    assert _count(cli, PaperReturn) == 3
