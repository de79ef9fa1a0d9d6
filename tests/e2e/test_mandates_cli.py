"""``alongside mandates``: the real command, in its own process, on a real profile.

The profile, its demo workers and a person with a case are made in-process
(quick); every grant, pass-on, revoke and listing is the command as a script
or an administrator runs it, signed in as a demo worker. Amira, Tom and Gwen
are in Riverside Library (the person's team), Sam is in Northgate.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.mandates.lookups import end_of_day
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.paths import ProfilePaths
from app.profile import open_profile
from casework.kernel.models import Worker
from delegation.models import AuditEntry, Mandate
from delegation.records import MandateStatus
from tests.e2e.profiles import person_with_case
from tests.e2e.test_cli import Cli, Run, assert_one_line_error

AS = {"ALONGSIDE_PASSWORD": DEMO_PASSWORD}
UNTIL = (date.today() + timedelta(days=200)).isoformat()
REVIEW = date.today() + timedelta(days=100)
AGREED = (
    "--consent-method", "in-person", "--seen-alone", "--pressured", "no",
    "--can-say-what-helper-will-do", "yes", "--knows-how-to-withdraw", "yes",
)  # fmt: skip


@dataclass
class Person:
    id: int
    case_reference: str


@pytest.fixture
def cli(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv("ALONGSIDE_DB_KEY", made.key)  # for the in-process checks
    return made


@contextmanager
def database(cli: Cli) -> Iterator[Session]:
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine, write=True).begin() as session:
            yield session
    finally:
        opened.close()


@pytest.fixture
def person(cli: Cli) -> Person:
    """Nia Pritchard, in Riverside Library's caseload, with a Blue Badge case."""
    person_id, reference = person_with_case(cli, "blue-badge", "Blue Badge")
    return Person(person_id, reference)


def grant(cli: Cli, *extra: str, user: str = "amira") -> Run:
    return cli(
        "mandates", "grant", "--user", user, "--to", "tom", "--service", "blue-badge",
        "--actions", "view,draft", "--information", "identity,contact", "--until", UNTIL,
        *AGREED, *extra, env=AS,
    )  # fmt: skip


def counts(cli: Cli) -> tuple[int, int]:
    """How many mandates and audit entries the profile holds."""
    with database(cli) as session:
        return (
            session.scalar(select(func.count()).select_from(Mandate)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def refusals(cli: Cli, username: str) -> list[AuditEntry]:
    with database(cli) as session:
        worker = session.scalars(select(Worker).where(Worker.username == username)).one()
        rows = session.scalars(
            select(AuditEntry).where(
                AuditEntry.worker_id == worker.id, AuditEntry.outcome == "refuse"
            )
        ).all()
        session.expunge_all()
        return list(rows)


def test_grant_pass_on_and_revoke_the_parent_ends_both(cli: Cli, person: Person) -> None:
    # Without --person-agreed: the task list, one line on stderr, nothing written.
    asked = grant(cli, "--person", person.case_reference)
    assert_one_line_error(asked, "--person-agreed")
    assert "task list" in asked.out and "look at the details; fill in forms" in asked.out
    assert "blue-badge" not in asked.out and "view, draft" not in asked.out
    assert counts(cli)[0] == 0

    granted = grant(
        cli, "--person", person.case_reference, "--review", REVIEW.strftime("%d/%m/%Y"),
        "--may-pass-on", "--person-agreed", "--json",
    )  # fmt: skip
    assert granted.code == 0, granted.err
    parent = json.loads(granted.out)
    assert parent["active"] is True and parent["person_id"] == person.id
    assert parent["review_at"] == end_of_day(REVIEW).isoformat() and parent["may_pass_on"] is True
    assert parent["task_list"] == parent["task_list"].strip() != ""

    listed = cli("mandates", "list", "--user", "amira", env=AS)
    assert listed.code == 0, listed.err
    (line,) = listed.out.splitlines()
    assert "Nia Pritchard" in line and "Tom Price" in line and "Active" in line
    assert "Apply for a Blue Badge" in line and "blue-badge" not in line  # words, not ids
    assert str(parent["id"]) not in line.split("\t")

    passed = cli(
        "mandates", "pass-on", str(parent["id"]), "--user", "tom", "--to", "gwen",
        "--actions", "view", "--until", UNTIL, "--json", env=AS,
    )  # fmt: skip
    assert passed.code == 0, passed.err
    child = json.loads(passed.out)
    assert child["active"] is True and child["parent_id"] == parent["id"]
    assert child["helper"] == "Gwen Morgan" and child["scope"][0]["actions"] == ["view"]
    assert child["may_pass_on"] is False

    revoked = cli(
        "mandates", "revoke", str(parent["id"]), "--user", "amira",
        "--reason", "person-withdrew", env=AS,
    )  # fmt: skip
    assert revoked.code == 0, revoked.err
    assert "Revoked" in revoked.out and "Ended with it" in revoked.out
    assert "Gwen Morgan, passed on by Tom Price" in revoked.out

    after = cli("mandates", "list", "--user", "amira", "--person", str(person.id), "--json", env=AS)
    assert after.code == 0, after.err
    statuses = {m["id"]: (m["status"], m["status_reason"]) for m in json.loads(after.out)}
    assert statuses == {
        parent["id"]: ("revoked", "person_withdrew"),
        child["id"]: ("revoked", "parent_revoked"),
    }
    verify = cli("audit", "verify")
    assert verify.code == 0, verify.err


def _tom_may_not_pass_on(cli: Cli, person: Person) -> int:
    granted = grant(cli, "--person", str(person.id), "--person-agreed", "--json")
    assert granted.code == 0, granted.err
    mandate_id: int = json.loads(granted.out)["id"]
    return mandate_id


def test_refusals_are_one_line_audited_and_the_chain_stays_intact(cli: Cli, person: Person) -> None:
    mandate_id = _tom_may_not_pass_on(cli, person)
    before = counts(cli)

    # Sam (another team) asks for the person by a case in Riverside's caseload.
    looked = cli("mandates", "list", "--user", "sam", "--person", person.case_reference, env=AS)
    assert_one_line_error(looked, "caseload")
    assert [(e.action, e.person_id) for e in refusals(cli, "sam")] == [("view", person.id)]

    # Tom passes on a mandate that does not allow it.
    passed = cli("mandates", "pass-on", str(mandate_id), "--user", "tom", "--to", "gwen", env=AS)
    assert_one_line_error(passed, "pass it on")

    # Sam grants for someone outside his caseload.
    outside = grant(cli, "--person", str(person.id), "--person-agreed", user="sam")
    assert_one_line_error(outside, "caseload")
    assert "Traceback" not in outside.err

    assert counts(cli)[0] == before[0]  # no mandate was made by either
    with database(cli) as session:
        assert session.get(Mandate, mandate_id).status is MandateStatus.ACTIVE  # type: ignore[union-attr]
    verify = cli("audit", "verify")
    assert verify.code == 0, verify.err


def test_a_helper_outside_the_team_passes_on_and_the_team_starts_it(
    cli: Cli, person: Person
) -> None:
    granted = grant(
        cli, "--person", str(person.id), "--may-pass-on", "--person-agreed", "--json",
        "--to", "sam",
    )  # fmt: skip
    assert granted.code == 0, granted.err
    parent_id = json.loads(granted.out)["id"]
    passed = cli("mandates", "pass-on", str(parent_id), "--user", "sam", "--to", "tom", env=AS)
    # Sam may pass it on but not start it for the person's team: it waits, and says so.
    assert passed.code == 0, passed.err
    assert "own team must start it" in passed.out and "Tom Price" in passed.out
    with database(cli) as session:
        child = session.scalars(select(Mandate).where(Mandate.parent_id == parent_id)).one()
        assert child.status is MandateStatus.PROPOSED


def test_refused_grants_and_passing_on_leave_an_audit_entry(cli: Cli, person: Person) -> None:
    mandate_id = _tom_may_not_pass_on(cli, person)
    passed = cli("mandates", "pass-on", str(mandate_id), "--user", "tom", "--to", "gwen", env=AS)
    assert_one_line_error(passed)
    outside = grant(cli, "--person", str(person.id), "--person-agreed", user="sam")
    assert_one_line_error(outside)
    assert refusals(cli, "tom") and refusals(cli, "sam")
    assert cli("audit", "verify").code == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--person", "1", "--to", "nobody", "--person-agreed"), "no worker called 'nobody'"),
        (("--person", "AL-0000000", "--person-agreed"), "no case with reference"),
        (("--person", "1", "--service", "no-such-service"), "no service called"),
        (("--person", "1", "--review", "31/02/2099"), "--review as a date"),
        (("--person", "1", "--actions", "view,rule"), "--actions"),
        (("--person", "1", "--pressured", "maybe"), "yes or no"),
    ],
    ids=["worker", "person", "service", "date", "action", "answer"],
)
def test_bad_input_is_one_line_and_writes_nothing(
    cli: Cli, person: Person, args: tuple[str, ...], fragment: str
) -> None:
    before = counts(cli)
    assert_one_line_error(grant(cli, *args), fragment)
    assert counts(cli) == before


def test_missing_answers_or_a_wrong_password_are_one_line(cli: Cli, person: Person) -> None:
    asked = (
        "mandates", "grant", "--user", "amira", "--person", str(person.id), "--to", "tom",
        "--service", "blue-badge", "--actions", "view", "--information", "identity",
        "--until", UNTIL, "--consent-method", "in-person", "--person-agreed",
    )  # fmt: skip
    unanswered = cli(*asked, "--seen-alone", "--pressured", "no", env=AS)
    assert_one_line_error(unanswered, "--can-say-what-helper-will-do", "--knows-how-to-withdraw")
    alone = cli(
        *asked, "--pressured", "no", "--can-say-what-helper-will-do", "yes",
        "--knows-how-to-withdraw", "yes", env=AS,
    )  # fmt: skip
    assert_one_line_error(alone, "--seen-alone", "--witness")
    wrong = cli("mandates", "list", "--user", "amira", env={"ALONGSIDE_PASSWORD": "not-it"})
    assert_one_line_error(wrong)
    assert counts(cli)[0] == 0
