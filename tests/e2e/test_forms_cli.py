"""``alongside services sample`` and ``alongside forms submit``: the real
command, in its own process, on a real profile.

The profile, its demo workers and a person with a case are made in-process;
every sample and submission is the command as a script runs it. Amira is in
the person's team (Riverside Library), Sam is not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.paths import ProfilePaths
from app.profile import open_profile
from casework.forms import answers, definitions
from casework.kernel.models import Submission
from offline_sync.models import OutboxItem
from tests.e2e.profiles import person_with_case
from tests.e2e.test_cli import Cli, assert_one_line_error

AS = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(tmp_path)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", made.key)
    return made


@pytest.fixture
def case_reference(cli: Cli) -> str:
    """Nia Pritchard's GP registration case, in Riverside Library's caseload."""
    return person_with_case(cli, "gp-registration", "Registering")[1]


def _rows(cli: Cli) -> tuple[int, list[str]]:
    """How many submissions, and the connector of each outbox item."""
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine)() as session:
            return (
                session.scalar(select(func.count(Submission.id))) or 0,
                list(session.scalars(select(OutboxItem.connector).order_by(OutboxItem.id))),
            )
    finally:
        opened.close()


def _sample(cli: Cli, service_id: str, tmp_path: Path, language: str = "en") -> Path:
    run = cli("services", "sample", service_id, "--lang", language, profile=False)
    assert run.code == 0, run.err
    path = tmp_path / f"{service_id}-{language}.json"
    path.write_text(run.out, encoding="utf-8")
    return path


def _submit(cli: Cli, reference: str, path: Path, *extra: str, user: str = "amira") -> object:
    return cli(
        "forms", "submit", "--user", user, "--case", reference, "--service", "gp-registration",
        "--answers", str(path), *extra, env=AS,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_sample_is_complete_and_valid_for_every_service(
    cli: Cli, tmp_path: Path, language: str
) -> None:
    catalogue = definitions.load_catalogue()
    for service in catalogue.services:
        found = json.loads(_sample(cli, service.id, tmp_path, language).read_text())
        assert found and answers.check_all(service, found, language) == [], service.id
    assert_one_line_error(cli("services", "sample", "no-such-service", profile=False), "no-such")


def test_a_form_is_sent_by_its_route_and_its_reference_printed(
    cli: Cli, case_reference: str, tmp_path: Path
) -> None:
    path = _sample(cli, "gp-registration", tmp_path)
    sent = _submit(cli, case_reference, path)
    assert sent.code == 0, sent.err
    reference, words = sent.out.splitlines()
    assert words == (
        "Queued to go by email to registrations@gp-surgery.example, with the form attached."
    )
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine)() as session:
            assert session.scalar(select(Submission.uuid)) == reference
    finally:
        opened.close()
    assert _rows(cli) == (1, ["notify_email"])
    printed = _submit(cli, case_reference, path, "--route", "paper_print")
    assert printed.code == 0, printed.err
    assert printed.out.splitlines()[1] == "To print and send by post: nothing is queued."
    assert _rows(cli) == (2, ["notify_email"])
    # An inbox set locally overrides the definition's.
    assert cli("settings", "set", "routes.gp-registration.inbox", "gp@surgery.example").code == 0
    local = _submit(cli, case_reference, path)
    assert local.code == 0, local.err
    assert "by email to gp@surgery.example" in local.out.splitlines()[1]
    assert _rows(cli) == (3, ["notify_email", "notify_email"])


def test_bad_answers_or_a_refusal_exit_1_and_send_nothing(
    cli: Cli, case_reference: str, tmp_path: Path
) -> None:
    good = json.loads(_sample(cli, "gp-registration", tmp_path).read_text())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**good, "date-of-birth": {"date": "31/02/1950"}}))
    assert_one_line_error(_submit(cli, case_reference, bad), "date-of-birth")
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps({k: v for k, v in good.items() if k != "given-name"}))
    assert_one_line_error(_submit(cli, case_reference, missing), "given-name")
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({**good, "shoe-size": 9}))
    assert_one_line_error(_submit(cli, case_reference, extra), "shoe-size")
    assert_one_line_error(_submit(cli, case_reference, tmp_path / "none.json"), "no answers file")
    assert_one_line_error(_submit(cli, case_reference, tmp_path), "is a folder")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (4 * 1024 * 1024 + 1))
    assert_one_line_error(_submit(cli, case_reference, huge), "larger than the limit")
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps(good))
    assert_one_line_error(_submit(cli, case_reference, fine, user="sam"))
    closed = _submit(cli, case_reference, fine, "--route", "submission_api")
    assert_one_line_error(closed, "cannot go that way")
    assert _rows(cli) == (0, [])
