"""``alongside demo-data --queued N``: work left waiting in the outbox, then delivered.

The real command in separate processes, as a demo or a benchmark runs it:
demo-data queues forms sent through casework, ``outbox`` lists them,
``sync --once`` delivers them to the fakes on loopback (the key saved with
``credentials set`` into a real keyring), and the fakes hold exactly one
submission or message per item.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from app.demo.people import DEMO_PASSWORD
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.fakes.submission import FakeSubmissionAPI, running_submission_api

ROOT = Path(__file__).resolve().parents[2]
OUTBOX = ("--user", "amira", "--json")
V1 = ROOT / "resources" / "contracts" / "forms" / "json_submission_schema_v1.json"


class Alongside:
    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.env = {**os.environ, "ALONGSIDE_DB_KEY": secrets.token_hex(32)}
        self.env.setdefault("ALONGSIDE_PASSWORD", DEMO_PASSWORD)  # ``outbox`` signs in

    def __call__(self, *args: str, stdin: str = "", code: int = 0) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "app", *args, "--profile", str(self.profile)],
            input=stdin, capture_output=True, text=True, env=self.env, cwd=ROOT, timeout=PATIENCE_S,
        )  # fmt: skip
        assert run.returncode == code, run.stderr
        if code:
            assert run.stderr.startswith("alongside: ") and "Traceback" not in run.stderr
            return run.stderr
        return run.stdout


@pytest.fixture
def cli(tmp_path: Path) -> Alongside:
    return Alongside(tmp_path / "profile")


@pytest.fixture
def submission_api() -> Iterator[FakeSubmissionAPI]:
    with running_submission_api() as fake:
        yield fake


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


def _queued(listing: str, connector: str) -> list[str]:
    rows = json.loads(listing)
    return [r["id"] for r in rows if r["connector"] == connector and r["state_value"] == "queued"]


@pytest.mark.keyring
def test_five_queued_forms_are_listed_then_delivered_exactly_once(
    cli: Alongside, submission_api: FakeSubmissionAPI
) -> None:
    out = cli("demo-data", "--people", "12", "--seed", "3", "--queued", "5")
    assert "Left 5 items waiting in the outbox for submission_api." in out
    listing = cli("outbox", *OUTBOX)
    queued = _queued(listing, "submission_api")
    fees = _queued(listing, "pay")  # a form with a fee in the person's nation asks for it
    assert len(queued) == 5 and len(json.loads(listing)) == 5 + len(fees)

    cli("settings", "set", "submission_api.base_url", submission_api.url)
    cli("credentials", "set", "submission_api", stdin=submission_api.token)
    out = cli("sync", "--once", "--max-wait", "60")
    assert "Sent 5, delivered 5" in out, out
    assert submission_api.requests_received == 5
    stored = list(submission_api.by_key.values())
    assert sorted(s.key for s in stored) == sorted(submission_api.by_key)
    assert len(stored) == 5
    # Real forms from the catalogue, each a valid GOV.UK Forms v1 submission.
    validator = Draft202012Validator(json.loads(V1.read_text(encoding="utf-8")))
    for s in stored:
        validator.validate(s.body)
        assert len(s.body["answers"]) >= 3
    assert len({s.body["form_name"] for s in stored}) == 5
    assert _queued(cli("outbox", *OUTBOX), "submission_api") == []


@pytest.mark.keyring
def test_queued_emails_go_to_notify_with_their_reference(
    cli: Alongside, notify: FakeNotify
) -> None:
    cli("demo-data", "--people", "4", "--queued", "3", "--queued-connector", "notify_email")
    queued = _queued(cli("outbox", *OUTBOX), "notify_email")
    assert len(queued) == 3
    cli("settings", "set", "notify.base_url", notify.url)
    cli("credentials", "set", "notify", stdin=notify.api_key)
    cli("sync", "--once", "--max-wait", "60")
    assert all(len(notify.by_reference(item)) == 1 for item in queued)


def test_an_unknown_connector_is_refused_before_anything_is_written(cli: Alongside) -> None:
    err = cli("demo-data", "--people", "2", "--queued", "1", "--queued-connector", "fax", code=1)
    assert "cannot queue work for 'fax'" in err and "submission_api, notify_email" in err
    assert not cli.profile.exists()


def test_a_queued_demo_letter_passes_notifys_layout_check() -> None:
    import base64
    from types import SimpleNamespace

    from app.demo.queued import _message
    from casework.paper.letter import check_letter
    from offline_sync.records import Connector

    person = SimpleNamespace(
        given_name="Olwen", family_name="Rhys", address="12 Heol y Frenhines\nCardiff",
        postcode="CF10 2AB", email=None, phone=None,
    )  # fmt: skip
    body = _message(Connector.NOTIFY_LETTER, person, "ALG-000123", 1)
    assert body["postage"] == "second"
    assert check_letter(base64.b64decode(body["content"])) == []
