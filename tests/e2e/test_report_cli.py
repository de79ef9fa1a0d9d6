"""``alongside report acted-for``: the "who acted for me" PDF, made by the
real command in its own process and read back with pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.database import session_factory
from app.demo.people import DEMO_PASSWORD, ensure_workers
from app.paths import ProfilePaths
from app.profile import create_profile, open_profile
from casework.casefile.people import create_person, person_detail
from casework.kernel.accounts import actor_for
from casework.kernel.models import Worker, utcnow
from delegation import audit, mandates
from delegation.audit import ReasonCode
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from offline_sync import revocation
from tests.conftest import PATIENCE_S
from tests.e2e.test_cli import Cli, assert_one_line_error
from tests.unit.factories import person_input


def _history(cli: Cli) -> int:
    """Amira records a mandate for Sam, Sam looks, the person withdraws."""
    profile = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        ensure_workers(profile.engine)
        factory = session_factory(profile.engine, write=True)
        with factory.begin() as session:
            by_name = {w.username: actor_for(w) for w in session.scalars(select(Worker))}
            amira, sam = by_name["amira"], by_name["sam"]
            person_id = create_person(session, amira, person_input())
            scope = make_scope(
                [ScopeDetail(service_id="blue-badge", actions={"view"}, categories={"identity"})]
            )
            now = utcnow()
            mandate = mandates.grant(
                session, amira, person_id=person_id, basis=mandates.Basis.CONSENT, scope=scope,
                ends_at=now + timedelta(days=30), grantee_worker_id=sam.worker_id,
            )  # fmt: skip
            mandates.record_consent(
                session, amira, mandate.id, method=ConsentMethod.IN_PERSON,
                task_list_shown=describe(scope), seen_alone=True,
                safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS),
            )  # fmt: skip
            mandates.activate(session, amira, mandate.id)
            mandate_id = mandate.id
        with factory.begin() as session:
            person_detail(session, sam, person_id)
        with factory.begin() as session:
            revocation.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
        return person_id
    finally:
        profile.close()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_the_report_lists_who_acted_and_is_audited(
    cli: Cli, tmp_path: Path, artifacts: Path
) -> None:
    person_id = _history(cli)
    target = tmp_path / "acted-for.pdf"
    run = cli(
        "report", "acted-for", "--user", "amira", "--person", str(person_id), "-o", str(target),
        env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )  # fmt: skip
    assert run.code == 0, run.err
    assert str(target) in run.out
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Who acted for you" in text and "For Nia Pritchard" in text
    assert "Sam Okafor" in text and "Northgate Citizens Advice" in text
    assert "Looked at your information" in text
    assert "Ended a permission (mandate)" in text
    assert "Amira Hussain" in text
    assert (target.stat().st_mode & 0o777) == 0o600
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(target),
             str(artifacts / "acted-for-report")],
            check=True, timeout=PATIENCE_S,
        )  # fmt: skip
    # Asking for the report was itself a decision, and the chain is intact.
    profile_run = cli("audit", "verify")
    assert profile_run.code == 0, profile_run.err


def test_someone_who_may_not_see_the_person_gets_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    person_id = _history(cli)
    target = tmp_path / "acted-for.pdf"
    run = cli(
        "report", "acted-for", "--user", "sam", "--person", str(person_id), "-o", str(target),
        env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )  # fmt: skip
    assert_one_line_error(run)
    assert not target.exists()


def test_a_wrong_password_is_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    person_id = _history(cli)
    run = cli(
        "report", "acted-for", "--user", "amira", "--person", str(person_id),
        "-o", str(tmp_path / "x.pdf"), env={"ALONGSIDE_PASSWORD": "wrong-password"},
    )  # fmt: skip
    assert_one_line_error(run)


def test_the_chain_records_the_report_request(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    person_id = _history(cli)
    run = cli(
        "report", "acted-for", "--user", "amira", "--person", str(person_id),
        "-o", str(cli.profile.parent / "r.pdf"), env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )  # fmt: skip
    assert run.code == 0, run.err
    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine).begin() as session:
            last = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.person_id == person_id)
                .order_by(AuditEntry.seq.desc())
                .limit(1)
            ).one()
            assert (last.action, last.outcome, last.kind) == ("print", "allow", "decision")
            assert audit.verify(session).ok
    finally:
        opened.close()


def test_a_missing_folder_is_refused_before_anything_is_printed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id = _history(cli)
    target = tmp_path / "nowhere" / "acted-for.pdf"
    run = cli(
        "report", "acted-for", "--user", "amira", "--person", str(person_id),
        "-o", str(target), env={"ALONGSIDE_PASSWORD": DEMO_PASSWORD},
    )  # fmt: skip
    assert_one_line_error(run)
    assert not target.parent.exists()
    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        with session_factory(opened.engine).begin() as session:
            printed = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.person_id == person_id, AuditEntry.action == "print"
                )
            ).all()
            assert printed == []  # no report was made, so none is claimed in the chain
    finally:
        opened.close()
