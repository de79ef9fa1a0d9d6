"""Where the audit checkpoints (``delegation.anchor``) are signed and kept.

The signing key is an Ed25519 key made once per profile and kept in the OS
keyring as ``audit-signing-key:{profile_id}``, beside the database key and
never in the database. Checkpoints go outside the database: the newest in
the keyring (``audit-checkpoint:{profile_id}``), one beside every backup
(``<backup>.checkpoint.json``), and, for a profile on the shared PostgreSQL
store, a row in the append-only ``audit_checkpoints`` table.

Where there is no keyring (a passphrase profile on a computer without one,
or automation with only ``ALONGSIDE_DB_KEY``) no key is made and nothing is
signed: a key kept in the profile folder would sit beside the database and
prove nothing. ``alongside audit verify`` then says the trail has no
checkpoint, and the chain check alone applies (decision 0026).

``AuditAnchor`` writes a checkpoint after a write transaction that added
audit entries, at most once every ``THROTTLE_SECONDS`` (a keyring write is a
D-Bus round trip), and always on ``flush`` (sign-out, closing the window, a
backup). A transaction that appended knows the head it committed
(``delegation.audit.written_head``) and hands it over, so the check after
every audited read costs no query; otherwise the head is read. The backend
calls it from its worker threads, never the UI thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError

from app import keys, migrate
from app.database import session_factory
from app.paths import write_private
from app.profile import OpenProfile
from delegation.anchor import ChainHead, Checkpoint, Stored, chain_head, public_key_of, sign
from delegation.anchor import new_signing_key as _new_signing_key
from delegation.models import AuditCheckpoint

log = logging.getLogger("alongside.audit")

THROTTLE_SECONDS = 5.0
BESIDE_BACKUP = ".checkpoint.json"
_HEX64 = 64


def _signing_entry(profile_id: str) -> str:
    return f"audit-signing-key:{profile_id}"


def _checkpoint_entry(profile_id: str) -> str:
    return f"audit-checkpoint:{profile_id}"


def signing_key(profile_id: str, *, create: bool) -> bytes | None:
    """The profile's private signing key from the keyring (made when asked and missing).

    None where there is no keyring, or no key and ``create`` is false.
    """
    import keyring
    import keyring.errors

    if not keys.keyring_available():
        return None
    entry = _signing_entry(profile_id)
    try:
        value = keyring.get_password(keys.KEYRING_SERVICE, entry)
        if value is not None and len(value) == _HEX64:
            return bytes.fromhex(value)
        if not create:
            return None
        key = _new_signing_key()
        keyring.set_password(keys.KEYRING_SERVICE, entry, key.hex())
    except (keyring.errors.KeyringError, ValueError):
        log.warning("the audit signing key could not be read or kept in the keyring")
        return None
    return key


def public_key(profile_id: str) -> bytes | None:
    key = signing_key(profile_id, create=False)
    return None if key is None else public_key_of(key)


def forget(profile_id: str) -> None:
    """Remove the signing key and newest checkpoint (when set-up is undone)."""
    import keyring
    import keyring.errors

    for entry in (_signing_entry(profile_id), _checkpoint_entry(profile_id)):
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(keys.KEYRING_SERVICE, entry)


def _has_audit(profile: OpenProfile) -> bool:
    with profile.engine.connect() as conn:
        return bool(inspect(conn).has_table("audit_entries"))


def _has_table(profile: OpenProfile) -> bool:
    with profile.engine.connect() as conn:
        return bool(inspect(conn).has_table("audit_checkpoints"))


def current_head(profile: OpenProfile) -> ChainHead:
    with session_factory(profile.engine)() as session:
        return chain_head(session)


def write_checkpoint(profile: OpenProfile, *, beside: Path | None = None) -> Checkpoint | None:
    """Sign the chain's head now and keep it in every place this profile has.

    Returns None when there is no keyring to keep the key in.
    """
    profile_id = profile.settings.profile_id
    if not _has_audit(profile):
        return None
    key = signing_key(profile_id, create=True)
    if key is None:
        return None
    checkpoint = sign(key, current_head(profile), profile_id=profile_id)
    _keep_in_keyring(profile_id, checkpoint)
    if beside is not None:
        keep_beside(beside, checkpoint)
    if profile.engine.dialect.name == "postgresql" and _has_table(profile):
        _keep_on_shared_store(profile, checkpoint)
    return checkpoint


def _keep_in_keyring(profile_id: str, checkpoint: Checkpoint) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(
            keys.KEYRING_SERVICE, _checkpoint_entry(profile_id), checkpoint.to_json()
        )
    except keyring.errors.KeyringError:
        log.warning("the audit checkpoint could not be kept in the keyring")


def keep_beside(backup: Path, checkpoint: Checkpoint) -> Path:
    """Write ``checkpoint`` next to a backup copy of the database."""
    target = backup.with_name(backup.name + BESIDE_BACKUP)
    write_private(target, checkpoint.to_json() + "\n")
    return target


def _keep_on_shared_store(profile: OpenProfile, checkpoint: Checkpoint) -> None:
    row = AuditCheckpoint(
        count=checkpoint.count,
        head_hash=checkpoint.head_hash,
        signed_at=checkpoint.signed_at,
        body=checkpoint.to_json(),
    )
    try:
        with session_factory(profile.engine, write=True).begin() as session:
            session.add(row)
    except DBAPIError:
        # A terminal whose role may not append (only the office server's may).
        log.warning("the audit checkpoint could not be added to the shared database")


def backup(profile: OpenProfile, reason: str = "manual") -> Path:
    """A backup copy of the database with a signed checkpoint beside it."""
    path = migrate.backup(profile.engine, profile.paths.backups, reason=reason)
    write_checkpoint(profile, beside=path)
    return path


def stored_checkpoints(profile: OpenProfile) -> list[Stored]:
    """Every checkpoint kept for this profile, each with where it was found."""
    import keyring
    import keyring.errors

    from casework.kernel.i18n import _

    profile_id = profile.settings.profile_id
    found: list[Stored] = []
    if keys.keyring_available():
        try:
            text = keyring.get_password(keys.KEYRING_SERVICE, _checkpoint_entry(profile_id))
        except keyring.errors.KeyringError:
            text = None
        if text is not None:
            found.append(Stored(_("this computer's keyring"), text))
    folder = profile.paths.backups
    if folder.is_dir():
        for path in sorted(folder.glob("*" + BESIDE_BACKUP)):
            found.append(
                Stored(
                    _("the backups folder ({name})").format(name=path.name),
                    path.read_text(encoding="utf-8"),
                )
            )
    if profile.engine.dialect.name == "postgresql" and _has_table(profile):
        with session_factory(profile.engine)() as session:
            bodies = session.scalars(
                select(AuditCheckpoint.body).order_by(AuditCheckpoint.id)
            ).all()
        for body in bodies:
            # Each terminal signs with its own key; only this profile's can be checked here.
            try:
                mine = Checkpoint.from_json(body).profile_id == profile_id
            except ValueError:
                mine = True  # unreadable: named by the check, not skipped
            if mine:
                found.append(Stored(_("the shared database"), body))
    return found


class AuditAnchor:
    """Checkpoints after writes, throttled, and on demand; safe from worker threads."""

    def __init__(self, profile: OpenProfile, throttle: float = THROTTLE_SECONDS) -> None:
        self._profile = profile
        self._throttle = throttle
        self._lock = threading.Lock()
        self._last_count: int | None = None
        self._last_time = 0.0
        self._pending = False

    def after_write(self, head: ChainHead | None = None) -> None:
        """Call after a write transaction commits: sign when the chain grew.

        ``head`` is the head that transaction committed, when it appended;
        None reads it from the database."""
        if head is None:
            try:
                head = current_head(self._profile)
            except DBAPIError:
                return
        with self._lock:
            if head.count == self._last_count:
                return
            if time.monotonic() - self._last_time < self._throttle:
                self._pending = True
                return
            self._sign()

    def flush(self) -> None:
        """Sign now if anything was left waiting (sign-out, close, backup)."""
        with self._lock:
            if self._pending or self._last_count is None:
                self._sign()

    def _sign(self) -> None:
        checkpoint = write_checkpoint(self._profile)
        self._pending = False
        self._last_time = time.monotonic()
        if checkpoint is not None:
            self._last_count = checkpoint.count
