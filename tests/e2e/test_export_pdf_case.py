"""`alongside export-pdf --profile --user --case` as a separate process: a
case's form pre-filled, through sign-in and the print decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
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
