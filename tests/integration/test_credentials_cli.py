"""``alongside credentials set CONNECTOR --profile DIR`` against a real keyring.

The secret comes from standard input and goes to gnome-keyring (under
scripts/with-keyring.sh) and nowhere else: not the output, the settings
file, the database, the logs or any other file in the profile folder. A run
in a separate process proves the same for the installed command, and a sync
afterwards uses the key.
"""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app import sync_wiring
from app.cli import credentials, main
from app.database import session_factory
from app.keys import KEYRING_SERVICE
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from app.settings import load_settings, save_settings
from offline_sync import outbox
from offline_sync.records import Connector
from tests.conftest import PATIENCE_S
from tests.fakes.notify import FakeNotify, running_notify
from tests.unit.offline_sync import samples

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.keyring


@pytest.fixture
def cli_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenProfile]:
    monkeypatch.setenv("ALONGSIDE_DB_KEY", secrets.token_hex(32))
    opened = create_profile(ProfilePaths(tmp_path / "profile"))
    yield opened
    opened.close()


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        yield fake


def _stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input from a pipe: text over bytes, as the command gets it."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def _nowhere_on_disk(root: Path, secret: str) -> None:
    """The secret is in no file under the profile folder (settings, logs, database, WAL)."""
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files, "the profile folder is empty?"
    for path in files:
        assert secret.encode() not in path.read_bytes(), f"the secret is in {path}"


def test_the_names_match_the_wiring() -> None:
    assert credentials.CREDENTIAL_NAMES == sync_wiring.CREDENTIAL_NAMES


def test_a_key_from_standard_input_goes_to_the_keyring_only_and_sync_uses_it(
    cli_profile: OpenProfile,
    notify: FakeNotify,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = cli_profile.paths.root
    settings = load_settings(cli_profile.paths.settings)
    settings.set("notify.base_url", notify.url)
    save_settings(cli_profile.paths.settings, settings)
    monkeypatch.setattr(sys, "stdin", _stdin((notify.api_key + "\n").encode()))
    assert main(["credentials", "set", "notify", "--profile", str(root)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Saved the secret for notify in this computer's keyring.\n"
    entry = sync_wiring.credential_entry(settings.profile_id, "notify")
    assert keyring.get_password(KEYRING_SERVICE, entry) == notify.api_key

    with session_factory(cli_profile.engine, write=True).begin() as session:
        item_id = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email())
    assert main(["sync", "--profile", str(root), "--once", "--max-wait", "10"]) == 0
    out = capsys.readouterr()
    assert len(notify.by_reference(item_id)) == 1
    for secret in (notify.api_key, notify.secret):
        assert secret not in captured.out + captured.err + out.out + out.err
        _nowhere_on_disk(root, secret)


def test_the_installed_command_reads_the_secret_and_never_echoes_it(
    cli_profile: OpenProfile,
) -> None:
    secret = f"api_test_{secrets.token_hex(20)}"
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "credentials", "set", "pay",
         "--profile", str(cli_profile.paths.root)],
        cwd=ROOT, env=env, input=secret + "\n", capture_output=True, text=True, timeout=PATIENCE_S,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    settings = load_settings(cli_profile.paths.settings)
    assert sync_wiring.read_credential(settings.profile_id, Connector.PAY) == secret
    _nowhere_on_disk(cli_profile.paths.root, secret)


@pytest.mark.parametrize(
    ("name", "typed", "words"),
    [
        ("notify", "", "Nothing was read from standard input"),
        ("notify", "not-a-key", "not a GOV.UK Notify API key"),
        ("notify", f"k-{uuid.uuid4()} {uuid.uuid4()}", "a space or line break inside"),
        ("pay", "sk_live_123", "Pay keys start api_test_ or api_live_"),
        ("pay", "api_test_" + "a" * 4096, "too long to be a key"),
        ("pay", "api_test_\x1b[31mred", "a control character"),
        ("pay", "api_test_\u200bhidden", "a control character"),
    ],
)
def test_a_wrong_secret_is_refused_saying_what_to_paste(
    cli_profile: OpenProfile,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    typed: str,
    words: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", _stdin(typed.encode()))
    assert main(["credentials", "set", name, "--profile", str(cli_profile.paths.root)]) == 1
    captured = capsys.readouterr()
    assert words in captured.err and captured.out == ""
    if typed:
        assert typed not in captured.err
    settings = load_settings(cli_profile.paths.settings)
    assert keyring.get_password(KEYRING_SERVICE, sync_wiring.credential_entry(
        settings.profile_id, name)) is None  # fmt: skip


def test_no_profile_no_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["credentials", "set", "pay", "--profile", str(missing)]) == 1
    assert "There is no profile at" in capsys.readouterr().err


HOSTILE = [
    (b"api_test_\xff\xfe\x80abc\n", "not UTF-8 text (byte 9"),
    (b"api_test_" + b"a" * 50_000_000, "too long to be a key: a key is at most 4,096 bytes"),
    # 4,097 bytes end inside a two-byte letter: still too long, not "not UTF-8"
    (b"api_test_x" + "é".encode() * 25_000_000, "too long to be a key"),
    (b"api_test_abc\x00def\n", "a control character"),
    (b"api_test_abc\x1b[2Jdef", "a control character"),
    (b"api_test_\x7f", "a control character"),
]


@pytest.mark.parametrize(
    ("data", "words"),
    HOSTILE,
    ids=["invalid utf-8", "50 MB", "50 MB of two-byte letters", "null", "escape", "delete"],
)
def test_hostile_standard_input_is_refused_in_one_line_and_the_keyring_is_unchanged(
    cli_profile: OpenProfile, data: bytes, words: str
) -> None:
    settings = load_settings(cli_profile.paths.settings)
    entry = sync_wiring.credential_entry(settings.profile_id, "pay")
    keyring.set_password(KEYRING_SERVICE, entry, "api_test_the-old-key")
    result = subprocess.run(
        [sys.executable, "-m", "app", "credentials", "set", "pay",
         "--profile", str(cli_profile.paths.root)],
        cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "error"}, input=data,
        capture_output=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("alongside: ") and words in err, err
    assert "Traceback" not in err
    assert keyring.get_password(KEYRING_SERVICE, entry) == "api_test_the-old-key"


def test_standard_input_is_read_no_further_than_a_key_can_be(cli_profile: OpenProfile) -> None:
    """The writer keeps the pipe open: the command answers once it has read
    one byte more than a key may be, without waiting for the end."""
    with subprocess.Popen(
        [sys.executable, "-m", "app", "credentials", "set", "pay",
         "--profile", str(cli_profile.paths.root)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as process:  # fmt: skip
        assert process.stdin is not None and process.stderr is not None
        process.stdin.write(b"api_test_" + b"a" * 5000)
        process.stdin.flush()
        err = process.stderr.read().decode()  # returns when the command exits
        assert process.wait() == 1
    assert "too long to be a key" in err and err.count("\n") == 1
