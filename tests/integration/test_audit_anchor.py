"""The anchored audit trail end to end: a real SQLCipher profile, the signing
key and newest checkpoint in a real Secret Service (scripts/with-keyring.sh),
and ``alongside audit verify`` run as its own process after someone holding
the database key drops the triggers and tampers with the trail."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from sqlalchemy import text

from app import audit_anchor, keys
from app.backend.local import LocalBackend
from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile, open_profile
from casework.kernel.errors import AccessRefused
from delegation import anchor
from tests.audit_support import DROP_GUARDS, append_entries
from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.keyring


@dataclass
class Run:
    code: int
    out: str
    err: str


class Trail:
    """A profile keyed by ALONGSIDE_DB_KEY whose checkpoints live in the real keyring."""

    def __init__(self, tmp_path: Path) -> None:
        self.key = secrets.token_hex(32)
        self.paths = ProfilePaths(tmp_path / "profile")
        self.profile: OpenProfile | None = None
        self.written = 0

    def open(self) -> OpenProfile:
        if self.profile is None:
            os.environ[keys.KEY_ENV] = self.key
            if self.paths.settings.exists():
                self.profile = open_profile(self.paths)
            else:
                self.profile = create_profile(self.paths, key=bytes.fromhex(self.key))
        return self.profile

    def close(self) -> None:
        if self.profile is not None:
            self.profile.close()
            self.profile = None

    def append(self, n: int) -> None:
        with session_factory(self.open().engine, write=True).begin() as session:
            start = self.written
            append_entries(
                session, (T0 + timedelta(minutes=2 * i) for i in range(start, start + n))
            )
            self.written += n

    def checkpoint(self) -> anchor.Checkpoint:
        made = audit_anchor.write_checkpoint(self.open())
        assert made is not None
        return made

    def tamper(self, *statements: str) -> None:
        with self.open().engine.begin() as conn:
            for statement in (*DROP_GUARDS, *statements):
                conn.execute(text(statement))

    def verify(self) -> Run:
        self.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
        env.update(ALONGSIDE_DB_KEY=self.key, PYTHONWARNINGS="error")
        result = subprocess.run(
            [sys.executable, "-m", "app", "audit", "verify", "--profile", str(self.paths.root)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=PATIENCE_S,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        assert self.key not in result.stdout + result.stderr
        return Run(result.returncode, result.stdout.strip(), result.stderr.strip())


@pytest.fixture
def trail(tmp_path: Path) -> Iterator[Trail]:
    made = Trail(tmp_path)
    made.append(8)
    made.checkpoint()
    yield made
    made.close()
    os.environ.pop(keys.KEY_ENV, None)


def _refused(run: Run, sentence: str) -> None:
    assert run.code == 1, run
    assert run.err.startswith("alongside: "), run.err
    assert sentence in run.err, run.err
    assert len(run.err.splitlines()) == 1


def test_the_untouched_trail_exits_0_naming_its_checkpoint(trail: Trail) -> None:
    run = trail.verify()
    assert run.code == 0, run.err
    assert run.out.startswith("Intact: 8 entries, matches the checkpoint of ")


def test_the_signing_key_and_checkpoint_live_in_the_keyring(trail: Trail) -> None:
    profile_id = trail.open().settings.profile_id
    key = keyring.get_password(keys.KEYRING_SERVICE, f"audit-signing-key:{profile_id}")
    stored = keyring.get_password(keys.KEYRING_SERVICE, f"audit-checkpoint:{profile_id}")
    assert key is not None and len(bytes.fromhex(key)) == 32
    assert stored is not None and anchor.Checkpoint.from_json(stored).count == 8
    # Never in the profile folder: not the key, not its hex.
    for path in trail.paths.root.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_an_edited_entry(trail: Trail) -> None:
    trail.tamper("UPDATE audit_entries SET outcome = 'refuse' WHERE seq = 4")
    _refused(trail.verify(), "Audit entry 4 was changed after it was written.")


def test_an_entry_deleted_in_the_middle(trail: Trail) -> None:
    trail.tamper("DELETE FROM audit_entries WHERE seq = 4")
    _refused(trail.verify(), "Audit entry 4 is missing: the next entry is 5.")


def test_two_entries_swapped(trail: Trail) -> None:
    trail.tamper(
        "UPDATE audit_entries SET seq = -1 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = 4",
        "UPDATE audit_entries SET seq = 4 WHERE seq = -1",
    )
    _refused(trail.verify(), "Audit entry 3 does not follow the entry before it")


def test_the_newest_three_cut_off(trail: Trail) -> None:
    trail.tamper("DELETE FROM audit_entries WHERE seq > 5")
    _refused(trail.verify(), "The 3 newest audit entries, written on ")
    assert "are gone (the trail was cut short" in trail.verify().err


def _restore_an_older_copy(trail: Trail) -> None:
    """Copy the database, write 3 entries and a checkpoint, then put the copy back."""
    trail.close()
    older = trail.paths.root / "older-copy.db"
    shutil.copy2(trail.paths.database, older)
    trail.append(3)
    trail.checkpoint()
    trail.close()
    shutil.copy2(older, trail.paths.database)


def test_an_older_copy_of_the_database_restored(trail: Trail) -> None:
    _restore_an_older_copy(trail)
    _refused(trail.verify(), "The 3 newest audit entries, written on ")


def test_an_older_copy_restored_then_written_to(trail: Trail) -> None:
    _restore_an_older_copy(trail)
    trail.written = 40  # different moments, so different entries
    trail.append(4)
    _refused(trail.verify(), "no longer matches the checkpoint of ")
    assert "entry 11 is not the one signed then" in trail.verify().err


def test_a_backup_carries_a_checkpoint_that_outlives_the_keyring_one(trail: Trail) -> None:
    path = audit_anchor.backup(trail.open())
    beside = path.with_name(path.name + audit_anchor.BESIDE_BACKUP)
    assert anchor.Checkpoint.from_json(beside.read_text()).count == 8
    # The keyring's newest is replaced by an older signed one; the backup still tells.
    trail.tamper("DELETE FROM audit_entries WHERE seq > 6")
    trail.checkpoint()
    _refused(trail.verify(), "The 2 newest audit entries")


def test_a_forged_checkpoint_is_refused(trail: Trail) -> None:
    genuine = trail.checkpoint()
    forged = anchor.sign(
        anchor.new_signing_key(), anchor.ChainHead(3, "0" * 64, T0), profile_id=genuine.profile_id
    )
    trail.paths.backups.mkdir(parents=True, exist_ok=True)
    (trail.paths.backups / "x.db.checkpoint.json").write_text(forged.to_json())
    _refused(trail.verify(), "is not signed by this profile's key: it was forged or altered.")


def test_a_checkpoint_altered_in_the_keyring_is_refused(trail: Trail) -> None:
    profile_id = trail.open().settings.profile_id
    entry = f"audit-checkpoint:{profile_id}"
    body = json.loads(keyring.get_password(keys.KEYRING_SERVICE, entry) or "{}")
    body["count"] = 5  # to cover a cut-off end
    keyring.set_password(keys.KEYRING_SERVICE, entry, json.dumps(body))
    _refused(trail.verify(), "kept in this computer's keyring is not signed by this profile's key")


def test_a_profile_with_no_checkpoint_keeps_the_old_check(tmp_path: Path) -> None:
    fresh = Trail(tmp_path)
    try:
        fresh.append(4)
        run = fresh.verify()
    finally:
        fresh.close()
        os.environ.pop(keys.KEY_ENV, None)
    assert run.code == 0, run.err
    assert run.out == (
        "The audit trail is intact: 4 entries. There is no signed checkpoint yet, so entries "
        "cut off the end would not show."
    )


def test_the_backend_signs_after_writes_and_on_sign_out(trail: Trail) -> None:
    backend = LocalBackend(trail.open())
    profile_id = trail.open().settings.profile_id

    def kept() -> int:
        stored = keyring.get_password(keys.KEYRING_SERVICE, f"audit-checkpoint:{profile_id}")
        return anchor.Checkpoint.from_json(stored or "").count

    def add(session: object, actor: object) -> None:
        append_entries(session, [None])  # type: ignore[arg-type]  # one entry, now

    backend._actor = object()  # type: ignore[assignment]  # any signed-in worker
    backend.perform(add, write=True)  # type: ignore[arg-type]
    assert kept() == 9  # the first write after opening signs at once
    backend.perform(add, write=True)  # type: ignore[arg-type]
    assert kept() == 9  # within the throttle: waiting
    backend.perform(lambda s, a: None, write=False)  # type: ignore[arg-type]
    backend.sign_out()
    assert kept() == 10  # signing out signs what was waiting


def test_the_backend_signs_the_head_it_committed_never_one_rolled_back(trail: Trail) -> None:
    """An audited transaction hands the anchor the head it wrote; one that
    failed and was rolled back does not (its entry is not there), so the
    anchor neither signs again for nothing nor names an entry the database
    does not hold. A refusal's entry (kept, decision 0014) is signed."""
    profile = trail.open()
    backend = LocalBackend(profile)
    backend._anchor = audit_anchor.AuditAnchor(profile, throttle=0)
    profile_id = profile.settings.profile_id

    def kept() -> str:
        stored = keyring.get_password(keys.KEYRING_SERVICE, f"audit-checkpoint:{profile_id}")
        return stored or ""

    def head() -> anchor.ChainHead:
        with session_factory(profile.engine)() as session:
            return anchor.chain_head(session)

    def add_then(error: Exception | None) -> object:
        def action(session: object, actor: object) -> None:
            append_entries(session, [None])  # type: ignore[arg-type]
            if error is not None:
                raise error

        return action

    backend._actor = object()  # type: ignore[assignment]  # any signed-in worker
    backend.perform(add_then(None), write=True)  # type: ignore[arg-type]
    signed = kept()
    assert anchor.Checkpoint.from_json(signed).count == head().count == 9
    with pytest.raises(ValueError):
        backend.perform(add_then(ValueError("failed half-way")), write=True)  # type: ignore[arg-type]
    assert head().count == 9  # rolled back: nothing new to sign
    assert kept() == signed
    with pytest.raises(AccessRefused):
        backend.perform(add_then(AccessRefused("refused")), write=True)  # type: ignore[arg-type]
    checkpoint = anchor.Checkpoint.from_json(kept())
    assert head().count == 10  # the refusal's entry is kept, and signed
    assert (checkpoint.count, checkpoint.head_hash) == (10, head().head_hash)
    assert trail.verify().code == 0
