"""``alongside performance export`` in its own process on a demo profile with
activity: three files, no person's details in them, no count under 5 shown;
a worker with no right, a bad date, a backwards or over-long period: one
line and exit 1."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import open_profile
from casework.kernel.models import Case, Person, Worker
from tests.e2e.test_demo_queued import Alongside


@pytest.fixture
def cli(tmp_path: Path) -> Alongside:
    return Alongside(tmp_path / "profile")


def _traces(cli: Alongside, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.env["ALONGSIDE_DB_KEY"])
    profile = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(profile.engine)() as session:
            found: list[str] = []
            for p in session.scalars(select(Person)):
                found += [p.given_name + " " + p.family_name, p.family_name]
                if p.postcode:
                    found += [p.postcode, p.postcode.replace(" ", "")]
                if p.date_of_birth:
                    dob = p.date_of_birth
                    found += [dob.isoformat(), dob.strftime("%d/%m/%Y")]
            found += list(session.scalars(select(Case.reference)))
            found += list(session.scalars(select(Worker.display_name)))
            return found
    finally:
        profile.close()


@pytest.mark.keyring
def test_export_on_a_demo_profile_publishes_only_safe_figures(
    cli: Alongside, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("demo-data", "--people", "30", "--seed", "5", "--queued", "20")
    today = datetime.now(UTC).date()
    out = tmp_path / "open" / "data"
    month_ago = (today - timedelta(days=30)).isoformat()
    said = cli("performance", "export", "--user", "gwen", "--from", month_ago,
               "--to", today.isoformat(), "-o", str(out))  # fmt: skip
    assert "Wrote 3 files" in said
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "open-data.csv", "open-data.json"]
    rows = list(csv.DictReader(io.StringIO((out / "open-data.csv").read_text())))
    assert any(r["measure"] == "forms_sent" for r in rows)
    assert any(r["measure"] == "reason" and r["reason_welsh"] for r in rows)
    values = [int(r["value"]) for r in rows if r["value"]]
    assert all(v == 0 or (v >= 5 and v % 5 == 0) for v in values)
    body = json.loads((out / "open-data.json").read_text())
    assert len(body["rows"]) == len(rows)
    text = "".join(p.read_text() for p in out.iterdir())
    for trace in _traces(cli, monkeypatch):
        assert trace not in text
    # Again, into the same folder: the files are replaced whole.
    cli("performance", "export", "--user", "admin", "--from", today.isoformat(),
        "--to", today.isoformat(), "-o", str(out), "--lang", "cy")  # fmt: skip
    assert "Cyfnod" in (out / "README.md").read_text()


@pytest.mark.keyring
@pytest.mark.parametrize(
    ("user", "start", "end", "words"),
    [
        ("amira", "2026-01-05", "2026-02-01", "supervisor or an administrator"),
        ("gwen", "2026-02-30", "2026-03-01", "is not a date"),
        ("gwen", "2026-03-02", "2026-03-01", "after its end"),
        ("gwen", "2025-03-01", "2026-03-01", "a year or less"),
    ],
)
def test_a_refused_export_says_why_in_one_line(
    cli: Alongside, tmp_path: Path, user: str, start: str, end: str, words: str
) -> None:
    cli("demo-data", "--people", "2")
    err = cli("performance", "export", "--user", user, "--from", start, "--to", end,
              "-o", str(tmp_path / "out"), code=1)  # fmt: skip
    assert words in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
