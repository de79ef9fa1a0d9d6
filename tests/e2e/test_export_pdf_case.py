"""`alongside export-pdf --profile --user --case` as a separate process: a
case's form pre-filled, through sign-in and the print decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from tests.conftest import PATIENCE_S
from tests.e2e.test_cli import Cli, assert_one_line_error
from tests.unit.casework.paper.helpers import answers_for, squash
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops

SERVICE = "attendance-allowance"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cli, str, int]]:
    """(cli, case reference, draft id): a profile with the demo workers and one
    Attendance Allowance draft in Riverside's caseload, made in-process."""
    from app.demo import people as demo_people
    from app.paths import ProfilePaths
    from app.profile import create_profile

    cli = Cli(tmp_path_factory.mktemp("case-export"))
    opened = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        demo_people.add_people(opened.engine, 3, seed=3)
        backend = LocalBackend(opened)
        backend.sign_in("amira", DEMO_PASSWORD)
        person_id = people_ops.list_person_ids().call(backend)[0]
        case_id = cases_ops.open_case(person_id, SERVICE, "Attendance Allowance claim").call(
            backend
        )
        record = forms_ops.start_form(case_id, SERVICE).call(backend)[0]
        service = backend.catalogue.get(SERVICE)
        assert service is not None
        answers = answers_for(service)
        answers["given-name"] = "Gwenllian"
        assert "gp-name" in answers  # on the route, so its absence below means something
        answers["gp-name"] = "Dr Secret Health"  # health: never printed from the caseload
        forms_ops.save_form(record.case_id, record.id, record.version, answers, None).call(backend)
        reference = cases_ops.case_detail(case_id).call(backend).reference
    finally:
        opened.close()
    yield cli, reference, record.id


def _text(path: Path) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(path).pages))


def test_a_case_form_prefilled_from_the_command_line(
    seeded: tuple[Cli, str, int], tmp_path: Path
) -> None:
    cli, reference, _draft_id = seeded
    target = tmp_path / "claim.pdf"
    run = cli(
        "export-pdf",
        "--user",
        "amira",
        "--case",
        reference,
        "--lang",
        "cy",
        "-o",
        str(target),
        env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )
    assert run.code == 0, run.err
    assert run.out.startswith(f"Wrote {target}")
    reader = PdfReader(target)
    assert all(round(float(p.mediabox.width)) == 595 for p in reader.pages)
    text = _text(target)
    assert "Gwenllian" in text
    assert "DrSecretHealth" not in text
    # The copy's own reference: the service, version, language, this office and a serial.
    assert re.search(r"AF-AA-2026\.1-CY-[0-9A-Z]{4}-[0-9A-Z]{6}-[0-9]{2}", text)
    assert not list(tmp_path.glob(".*.tmp"))


def test_another_team_is_refused_and_nothing_is_written(
    seeded: tuple[Cli, str, int], tmp_path: Path
) -> None:
    cli, reference, _draft = seeded
    target = tmp_path / "claim.pdf"
    run = cli(
        "export-pdf",
        "--user",
        "sam",
        "--case",
        reference,
        "-o",
        str(target),
        env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )
    assert_one_line_error(run, "You may not print this form", "no mandate")
    assert list(tmp_path.iterdir()) == []


def test_wrong_password_unknown_case_and_missing_options_are_one_line(
    seeded: tuple[Cli, str, int], tmp_path: Path
) -> None:
    cli, reference, _draft = seeded
    target = str(tmp_path / "x.pdf")
    good = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}
    wrong = cli(
        "export-pdf",
        "--user",
        "amira",
        "--case",
        reference,
        "-o",
        target,
        env={"ALONGSIDE_PASSWORD": "not-it"},
    )
    assert_one_line_error(wrong)
    unknown = cli("export-pdf", "--user", "amira", "--case", "AL-NOPE", "-o", target, env=good)
    assert_one_line_error(unknown, "no case with the reference AL-NOPE")
    sent = cli(
        "export-pdf",
        "--user",
        "amira",
        "--case",
        reference,
        "--submission",
        "99",
        "-o",
        target,
        env=good,
    )
    assert_one_line_error(sent, f"Case {reference} has no sent form 99")
    no_user = cli("export-pdf", "--case", reference, "-o", target, env=good)
    assert_one_line_error(no_user, "--user")
    neither = cli("export-pdf", "-o", target, profile=False)
    assert_one_line_error(neither, "--service ID", "--case REF")
    no_password = cli("export-pdf", "--user", "amira", "--case", reference, "-o", target)
    assert_one_line_error(no_password, "ALONGSIDE_PASSWORD")
    assert list(tmp_path.iterdir()) == []


def test_the_password_prompt_does_not_echo(seeded: tuple[Cli, str, int], tmp_path: Path) -> None:
    """With no ALONGSIDE_PASSWORD and a terminal, the password is asked for and
    what is typed is not shown."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    from tests.e2e.test_cli import ROOT

    cli, reference, _draft = seeded
    target = tmp_path / "claim.pdf"
    main, child = pty.openpty()
    argv = ["export-pdf", "--profile", str(cli.profile), "--user", "amira", "--case", reference]
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *argv, "-o", str(target)],
        cwd=ROOT,
        env=cli.env,
        stdin=child,
        stdout=child,
        stderr=child,
        close_fds=True,
    )
    os.close(child)
    seen = b""
    deadline = time.monotonic() + PATIENCE_S
    typed = False
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not typed and b"Password for amira:" in seen:
            os.write(main, DEMO_PASSWORD.encode() + b"\n")
            typed = True
        if process.poll() is not None and not ready:
            break
    os.close(main)
    assert process.wait(timeout=PATIENCE_S) == 0, seen
    assert typed and DEMO_PASSWORD.encode() not in seen
    assert "Gwenllian" in _text(target)


# -- printed copies (issue 18) ----------------------------------------------------------------

COPY = re.compile(r"AF-[A-Z0-9]{1,6}-[0-9]{4}\.[0-9]+-(EN|CY)-([0-9A-Z]{4})-[0-9A-Z]{6}-[0-9]{2}")


def _copy_on(path: Path) -> str:
    """The copy reference printed on every page (the same on each)."""
    found = {m[0] for m in COPY.finditer(_text(path))}
    assert len(found) == 1, found
    return found.pop()


def _recorded(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, int, str | None, date | None]]:
    """(reference, kind, pages, case reference, due back) of every copy in the profile."""
    from sqlalchemy import select

    from app.database import session_factory
    from app.paths import ProfilePaths
    from app.profile import open_profile
    from casework.kernel.models import Case
    from casework.paper.models import PaperCopy

    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine).begin() as session:
            rows = session.execute(
                select(PaperCopy, Case.reference)
                .outerjoin(Case, Case.id == PaperCopy.case_id)
                .order_by(PaperCopy.id)
            )
            return [(c.reference, c.kind, c.pages, ref, c.due_back_on) for c, ref in rows]
    finally:
        opened.close()


def test_two_blank_copies_without_a_profile_have_their_own_references(tmp_path: Path) -> None:
    from tests.e2e.test_cli import Cli as Plain

    cli = Plain(tmp_path)
    made: list[str] = []
    for n, service in enumerate(("blue-badge", "blue-badge", "attendance-allowance")):
        target = tmp_path / f"{n}.pdf"
        run = cli("export-pdf", "--service", service, "-o", str(target), profile=False)
        assert run.code == 0, run.err
        made.append(_copy_on(target))
    assert len(set(made)) == 3  # two copies of one service, and another service
    assert [m.split("-")[1] for m in made] == ["BB", "BB", "AA"]
    assert all(m.split("-")[4] == "0000" for m in made)  # recorded nowhere: no office


def test_a_blank_copy_printed_with_a_profile_is_recorded(
    seeded: tuple[Cli, str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, _reference, _draft = seeded
    before = _recorded(cli, monkeypatch)
    target = tmp_path / "blank.pdf"
    good = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}
    run = cli(
        "export-pdf", "--user", "amira", "--service", "blue-badge", "-o", str(target), env=good
    )
    assert run.code == 0, run.err
    printed = _copy_on(target)
    [(reference, kind, pages, case, due)] = _recorded(cli, monkeypatch)[len(before) :]
    assert (reference, kind, case, due) == (printed, "blank", None, None)
    assert pages == len(PdfReader(target).pages)
    assert printed.split("-")[4] != "0000"  # this profile's office
    # With the profile but no worker, the copy is made but recorded nowhere, and that is said.
    no_user = cli("export-pdf", "--service", "blue-badge", "-o", str(tmp_path / "x.pdf"), env=good)
    assert no_user.code == 0 and "recorded nowhere" in no_user.out
    assert _copy_on(tmp_path / "x.pdf").split("-")[4] == "0000"
    assert len(_recorded(cli, monkeypatch)) == len(before) + 1


def test_a_blank_copy_given_out_for_a_case(
    seeded: tuple[Cli, str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, reference, _draft = seeded
    good = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}
    target = tmp_path / "given.pdf"
    args = ["export-pdf", "--user", "amira", "--service", "blue-badge", "--case", reference]
    run = cli(*args, "--lang", "cy", "-o", str(target), env=good)
    assert run.code == 0, run.err
    printed = _copy_on(target)
    reference_row, kind, _pages, case, due = _recorded(cli, monkeypatch)[-1]
    assert (reference_row, kind, case) == (printed, "blank", reference)
    assert due is not None and due > date.today()
    chosen = cli(*args, "--due-back", "2099-01-05", "-o", str(tmp_path / "later.pdf"), env=good)
    assert chosen.code == 0, chosen.err
    assert _recorded(cli, monkeypatch)[-1][4] == date(2099, 1, 5)
    bad = cli(*args, "--due-back", "soon", "-o", str(tmp_path / "x.pdf"), env=good)
    assert bad.code == 2 and "is not a date" in bad.err.splitlines()[-1]  # argparse's usage
    sam = cli(*args[:2], "sam", *args[3:], "-o", str(tmp_path / "x.pdf"), env=good)
    assert_one_line_error(sam, "You may not print this form")
    assert not (tmp_path / "x.pdf").exists()
