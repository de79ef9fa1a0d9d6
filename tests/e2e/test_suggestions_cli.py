"""``alongside suggestions``: after ``alongside forms submit`` sends an
Attendance Allowance form on a real profile, the case's open suggestions
name Pension Credit with its reason and source; a worker the case is hidden
from is refused with one line. Both are the real command in its own process."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.demo.people import DEMO_PASSWORD
from tests.e2e.profiles import person_with_case
from tests.e2e.test_cli import Cli, assert_one_line_error

AS = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(tmp_path)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", made.key)
    return made


def test_sending_attendance_allowance_then_listing_suggests_pension_credit(
    cli: Cli, tmp_path: Path
) -> None:
    reference = person_with_case(cli, "attendance-allowance", "Attendance Allowance claim")[1]
    before = cli("suggestions", "--user", "amira", "--case", reference, env=AS)
    assert before.code == 0 and before.out.strip() == "No open suggestions on this case."
    sample = cli("services", "sample", "attendance-allowance", profile=False)
    assert sample.code == 0, sample.err
    answers = tmp_path / "aa.json"
    answers.write_text(sample.out, encoding="utf-8")
    sent = cli(
        "forms", "submit", "--user", "amira", "--case", reference,
        "--service", "attendance-allowance", "--answers", str(answers), "--route", "paper_print",
        env=AS,
    )  # fmt: skip
    assert sent.code == 0, sent.err
    run = cli("suggestions", "--user", "amira", "--case", reference, env=AS)
    assert run.code == 0, run.err
    blocks = {b.splitlines()[0]: b for b in run.out.strip().split("\n\n")}
    pension = next(b for title, b in blocks.items() if "Pension Credit" in title)
    assert "may be entitled — check" in pension
    assert "Source: https://www.gov.uk/pension-credit/what-youll-get" in pension
    assert "Follows: " in pension and "Attendance Allowance" in pension.splitlines()[-1]
    assert any("Council Tax Reduction" in title for title in blocks)


def test_a_worker_the_case_is_hidden_from_is_refused_in_one_line(cli: Cli) -> None:
    reference = person_with_case(cli, "attendance-allowance", "Attendance Allowance claim")[1]
    assert_one_line_error(
        cli("suggestions", "--user", "sam", "--case", reference, env=AS), "caseload"
    )
    assert_one_line_error(cli("suggestions", "--user", "amira", "--case", "AL-NOSUCH1", env=AS))
