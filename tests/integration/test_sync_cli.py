"""``alongside sync`` and ``alongside outbox`` on a real profile, against the fakes.

Credentials come from a real Secret Service (gnome-keyring under
scripts/with-keyring.sh); afterwards the settings file, the logs, the
database and the command's output are searched for them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD, ensure_workers
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from app.settings import load_settings, save_settings
from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.outbox import Outcome
from offline_sync.records import Connector, OutboxState
from tests.fakes.notify import FakeNotify, running_notify
from tests.fakes.submission import FakeSubmissionAPI, running_submission_api
from tests.unit.offline_sync import samples


@pytest.fixture
def cli_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenProfile]:
    """A profile the command can open (its key in ALONGSIDE_DB_KEY), with the
    demo workers (Amira's password in ALONGSIDE_PASSWORD) and no people."""
    monkeypatch.setenv("ALONGSIDE_DB_KEY", secrets.token_hex(32))
    monkeypatch.setenv("ALONGSIDE_PASSWORD", DEMO_PASSWORD)
    opened = create_profile(ProfilePaths(tmp_path / "profile"))
    ensure_workers(opened.engine)
    yield opened
    opened.close()


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


@pytest.fixture
def submission_api() -> Iterator[FakeSubmissionAPI]:
    with running_submission_api() as fake:
        yield fake


def _fill(profile: OpenProfile) -> dict[str, Connector]:
    sessions = session_factory(profile.engine, write=True)
    with sessions.begin() as session:
        items = {
            outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(n)): (
                Connector.NOTIFY_EMAIL
            )
            for n in range(3)
        }
        items[outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission())] = (
            Connector.SUBMISSION_API
        )
    return items


def test_outbox_lists_items_with_reasons(
    cli_profile: OpenProfile, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _fill(cli_profile)
    sessions = session_factory(cli_profile.engine, write=True)
    (first, *_) = outbox.claim(sessions, "test", utcnow(), 60)
    outbox.record_outcome(
        sessions,
        first.id,
        "test",
        Outcome(
            OutboxState.NEEDS_ATTENTION,
            error_type="ValidationError",
            error_message="email_address Not a valid email address",
        ),
    )
    root = str(cli_profile.paths.root)
    assert main(["outbox", "--profile", root, "--user", "amira", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(items)
    (flagged,) = [item for item in listed if item["id"] == first.id]
    assert (flagged["state"], flagged["state_value"]) == ("Needs attention", "needs_attention")
    assert flagged["attempts"] == 1 and flagged["case"] == "-"
    assert flagged["person"] == "No one: not for a case"
    assert flagged["reason"] == "email_address Not a valid email address"
    assert main(["outbox", "--profile", root, "--user", "amira"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["Person", "Case", "Service", "Route", "State", "Reason"]
    assert len(table) == len(items) + 1
    assert sum("Needs attention  email_address Not a valid" in line for line in table) == 1


def test_sync_without_credentials_says_what_is_missing(
    cli_profile: OpenProfile, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import sync_wiring

    monkeypatch.setattr(sync_wiring, "read_credential", lambda *_: None)
    _fill(cli_profile)
    root = str(cli_profile.paths.root)
    assert main(["sync", "--profile", root, "--once", "--max-wait", "5"]) == 0
    out = capsys.readouterr().out
    assert "Outbox: Waiting to send: 4." in out
    assert "3 waiting for GOV.UK Notify emails: no API key is saved for GOV.UK Notify emails" in out
    assert (
        "1 waiting for Forms to the department: no address is set for Forms to the department"
        in out
    )


def _configure(profile: OpenProfile, notify: FakeNotify, api: FakeSubmissionAPI) -> None:
    from app.sync_wiring import store_credential

    settings = load_settings(profile.paths.settings)
    settings.set("notify.base_url", notify.url)
    settings.set("submission_api.base_url", api.url)
    settings.set("sync.timeout", "2")
    save_settings(profile.paths.settings, settings)
    store_credential(settings.profile_id, "notify", notify.api_key)
    store_credential(settings.profile_id, "submission_api", api.token)


@pytest.mark.keyring
def test_sync_once_delivers_with_keyring_credentials_and_never_writes_them(
    cli_profile: OpenProfile,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    capsys: pytest.CaptureFixture[str],
) -> None:
    items = _fill(cli_profile)
    _configure(cli_profile, notify, submission_api)
    root = str(cli_profile.paths.root)
    assert main(["sync", "--profile", root, "--once", "--max-wait", "20"]) == 0
    captured = capsys.readouterr()
    assert "Sent 4, delivered 1, needing attention 0" in captured.out
    assert all(
        len(notify.by_reference(i)) == 1 for i, c in items.items() if c != Connector.SUBMISSION_API
    )
    assert len(submission_api.by_key) == 1

    assert main(["outbox", "--profile", root, "--user", "amira"]) == 0
    listing = capsys.readouterr().out
    secrets_used = [notify.secret, notify.api_key, submission_api.token]
    # Never in the output, the settings file, the logs or the database.
    for secret in secrets_used:
        assert secret not in captured.out + captured.err + listing
        assert secret not in cli_profile.paths.settings.read_text()
        for log in cli_profile.paths.logs.rglob("*"):
            if log.is_file():
                assert secret.encode() not in log.read_bytes()
    with cli_profile.engine.connect() as conn:
        dump = "\n".join(str(row) for row in conn.execute(text("SELECT * FROM outbox_items")))
    assert dump and not any(secret in dump for secret in secrets_used)


@pytest.mark.keyring
def test_sync_once_with_a_wrong_clock_fails_saying_what_to_check(
    cli_profile: OpenProfile,
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(cli_profile)
    _configure(cli_profile, notify, submission_api)
    notify.advance(-120)
    root = str(cli_profile.paths.root)
    assert main(["sync", "--profile", root, "--once", "--max-wait", "10"]) == 1
    captured = capsys.readouterr()
    stopped = (
        "GOV.UK Notify emails stopped: GOV.UK Notify refused the request because this computer's"
    )
    assert stopped in captured.out
    assert "notify_email" not in captured.out  # words, never the connector id
    assert captured.err.count("\n") == 1 and "within 30 seconds" in captured.err
    assert len(submission_api.by_key) == 1  # the rest of the queue went
