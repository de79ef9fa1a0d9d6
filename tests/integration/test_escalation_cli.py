"""Escalations end to end on a real profile: sent once through the outbox to the
Notify fake, listed and checked by ``alongside escalations``, and re-escalated
exactly once even when the checking process is killed mid-transaction and a
second one runs at the same time."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.backend import LocalBackend
from app.cli import main
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD, add_people
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from app.settings import load_settings, save_settings
from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.escalation import breaches, lifecycle
from casework.escalation.models import EscalationLevel
from casework.escalation.records import EscalationRequest
from casework.forms import definitions
from casework.kernel.accounts import actor_for
from casework.kernel.models import Worker, utcnow
from offline_sync.models import OutboxItem
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.unit.factories import person_input
from ui.operations import escalation as escalation_ops

RUNNER = Path(__file__).with_name("escalation_check_runner.py")
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = definitions.load_catalogue()


def _service(service_id: str) -> definitions.Service:
    found = CATALOGUE.get(service_id)
    assert found is not None
    return found


@pytest.fixture
def cli_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenProfile]:
    monkeypatch.setenv("ALONGSIDE_DB_KEY", secrets.token_hex(32))
    opened = create_profile(ProfilePaths(tmp_path / "profile"))
    add_people(opened.engine, 5, seed=3)
    yield opened
    opened.close()


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


def _case(profile: OpenProfile) -> tuple[int, int]:
    with session_factory(profile.engine, write=True).begin() as session:
        worker = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        actor = actor_for(worker)
        person = create_person(session, actor, person_input())
        return open_case(session, actor, person, "blue-badge", "Badge renewal"), worker.id


@pytest.mark.keyring
def test_an_escalation_is_sent_once_through_the_outbox(
    cli_profile: OpenProfile, notify: FakeNotify, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.sync_wiring import store_credential

    case_id, _worker = _case(cli_profile)
    backend = LocalBackend(cli_profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    request = EscalationRequest(case_id, "urgent_hardship", "Badge expired; cannot get to work.")
    shown = escalation_ops.preview_escalation(request).call(backend)
    escalation_id = escalation_ops.raise_escalation(request).call(backend)
    [record] = escalation_ops.case_escalations(case_id).call(backend)
    assert record.id == escalation_id and record.facilitator.name == shown.facilitator.name

    settings = load_settings(cli_profile.paths.settings)
    settings.set("notify.base_url", notify.url)
    settings.set("sync.timeout", "2")
    save_settings(cli_profile.paths.settings, settings)
    store_credential(settings.profile_id, "notify", notify.api_key)
    root = str(cli_profile.paths.root)
    for _ in range(2):  # a second sync finds nothing more to send
        assert main(["sync", "--profile", root, "--once", "--max-wait", "20"]) == 0
    sent = notify.by_reference(record.outbox_item_id)
    assert len(sent) == 1
    capsys.readouterr()
    assert main(["escalations", "--profile", root]) == 0
    listing = capsys.readouterr().out
    assert record.case_reference in listing and shown.facilitator.name in listing
    assert f"due {record.facilitator.due_on.isoformat()}" in listing


@pytest.mark.keyring
def test_an_escalation_to_a_paper_facilitator_is_posted_once_as_a_letter(
    cli_profile: OpenProfile, notify: FakeNotify
) -> None:
    """HC1's first rung in England works on paper: the letter goes to Notify's
    precompiled-letter API exactly once, however often sync runs."""
    from app.sync_wiring import store_credential

    with session_factory(cli_profile.engine, write=True).begin() as session:
        worker = session.scalars(select(Worker).where(Worker.username == "amira")).one()
        actor = actor_for(worker)
        person = create_person(
            session, actor, person_input(postcode="LS1 4AP", address="2 Park Row\nLeeds")
        )
        case_id = open_case(session, actor, person, "hc1-health-costs", "Help with costs")
    backend = LocalBackend(cli_profile)
    backend.sign_in("amira", DEMO_PASSWORD)
    request = EscalationRequest(case_id, "no_decision", "No decision after ten weeks.")
    shown = escalation_ops.preview_escalation(request).call(backend)
    assert shown.facilitator.channel == "paper"
    escalation_ops.raise_escalation(request).call(backend)
    [record] = escalation_ops.case_escalations(case_id).call(backend)

    settings = load_settings(cli_profile.paths.settings)
    settings.set("notify.base_url", notify.url)
    settings.set("sync.timeout", "2")
    save_settings(cli_profile.paths.settings, settings)
    store_credential(settings.profile_id, "notify", notify.api_key)
    root = str(cli_profile.paths.root)
    for _ in range(2):
        assert main(["sync", "--profile", root, "--once", "--max-wait", "20"]) == 0
    [letter] = notify.by_reference(record.outbox_item_id)
    assert letter.type == "letter" and letter.letter_problems == ()


def _breached_escalation(profile: OpenProfile) -> int:
    case_id, worker_id = _case(profile)
    with session_factory(profile.engine, write=True).begin() as session:
        worker = session.get(Worker, worker_id)
        assert worker is not None
        return lifecycle.raise_escalation(
            session,
            actor_for(worker),
            EscalationRequest(case_id, "no_decision", "No decision after 12 weeks."),
            _service,
            now=utcnow() - timedelta(days=40),
        )


def _levels(profile: OpenProfile, escalation_id: int) -> tuple[list[int], int]:
    with session_factory(profile.engine).begin() as session:
        levels = session.scalars(
            select(EscalationLevel.level)
            .where(EscalationLevel.escalation_id == escalation_id)
            .order_by(EscalationLevel.level)
        ).all()
        items = session.scalar(select(func.count()).select_from(OutboxItem)) or 0
    return list(levels), int(items)


def _runner(profile: OpenProfile, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(RUNNER), str(profile.paths.database), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_a_breach_re_escalates_once_even_when_the_checker_is_killed_mid_way(
    cli_profile: OpenProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    escalation_id = _breached_escalation(cli_profile)
    assert _levels(cli_profile, escalation_id) == ([1], 1)

    first = _runner(cli_profile, "--block")
    assert first.stdout is not None
    assert first.stdout.readline().split() == ["ready", str(escalation_id)]
    # A second checker starts while the first holds its transaction open ...
    second = _runner(cli_profile)
    # ... and the first dies before committing (the app killed mid-check).
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=PATIENCE_S)
    assert first.stdin is not None
    first.stdin.close()
    first.stdout.close()
    out, _err = second.communicate(timeout=PATIENCE_S)
    assert second.returncode == 0
    assert json.loads(out.strip().splitlines()[-1])["re_escalated"] == 1
    assert _levels(cli_profile, escalation_id) == ([1, 2], 2)

    # After a restart, the check (the real command) finds nothing more to do.
    root = str(cli_profile.paths.root)
    for _ in range(2):
        assert main(["escalations", "check", "--profile", root]) == 0
    assert "Re-escalated 0" in capsys.readouterr().out
    assert _levels(cli_profile, escalation_id) == ([1, 2], 2)


def test_the_demo_has_escalations_in_each_group(cli_profile: OpenProfile) -> None:
    from app.demo.escalations import add_escalations

    assert add_escalations(cli_profile.engine) == 3
    with session_factory(cli_profile.engine).begin() as session:
        rows = lifecycle.open_escalations(session, None)
    assert sorted(r.urgency for r in rows) == ["acknowledged", "breached", "due_soon"]
    report = breaches.check_due(session_factory(cli_profile.engine, write=True), _service)
    assert report.re_escalated + report.breached_at_top == 1
