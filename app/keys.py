"""The database key: made once per profile, kept in the OS keyring.

Order of sources: ``ALONGSIDE_DB_KEY`` (64 hex characters, for automation),
then the OS keyring (Secret Service, Windows Credential Locker, macOS
Keychain), then, where no keyring exists, a profile passphrase stretched with
scrypt. The key is never written to disk in the clear.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.i18n import _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger("alongside.app")

KEYRING_SERVICE = "Alongside"
KEY_ENV = "ALONGSIDE_DB_KEY"
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
# scrypt cost: about 0.1 s and 32 MiB on an office PC.
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


def _keyring_entry(profile_id: str) -> str:
    return f"database-key:{profile_id}"


def keyring_available() -> bool:
    """True when a real keyring backend is present (not the fail or null one)."""
    import keyring

    backend: KeyringBackend = keyring.get_keyring()
    try:
        priority = float(backend.priority)
    except Exception:  # a backend that cannot say is not usable
        return False
    return priority > 0


def new_key() -> bytes:
    return secrets.token_bytes(32)


def store_key(profile_id: str, key: bytes) -> None:
    """Put a new profile's key in the keyring."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_entry(profile_id), key.hex())
    except keyring.errors.KeyringError as exc:
        raise DatabaseUnavailable(
            _(
                "The key could not be saved in this computer's keyring ({reason}). "
                "Unlock your keyring, or choose a profile passphrase instead."
            ).format(reason=exc)
        ) from exc


def forget_key(profile_id: str) -> None:
    """Remove a profile's key from the keyring (when set-up is undone)."""
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, _keyring_entry(profile_id))
    except keyring.errors.KeyringError:
        log.warning("a key could not be removed from the keyring")


def key_from_environment() -> bytes | None:
    value = os.environ.get(KEY_ENV)
    if value is None:
        return None
    if not _HEX64.match(value.strip()):
        raise DatabaseUnavailable(
            _("{env} must be 64 hexadecimal characters (a raw 256-bit key).").format(env=KEY_ENV)
        )
    return bytes.fromhex(value.strip())


def key_from_keyring(profile_id: str) -> bytes:
    import keyring
    import keyring.errors

    try:
        value = keyring.get_password(KEYRING_SERVICE, _keyring_entry(profile_id))
    except keyring.errors.KeyringError as exc:
        raise DatabaseUnavailable(
            _(
                "This computer's keyring could not be read ({reason}). Unlock it and try again."
            ).format(reason=exc)
        ) from exc
    if value is None or not _HEX64.match(value):
        raise DatabaseUnavailable(
            _(
                "The key for this profile is not in this computer's keyring. If the profile was "
                "copied from another computer, set {env} to its key, or restore the keyring."
            ).format(env=KEY_ENV)
        )
    return bytes.fromhex(value)


def key_from_passphrase(passphrase: str, salt_hex: str) -> bytes:
    if not passphrase:
        raise DatabaseUnavailable(_("Enter the profile passphrase."))
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=bytes.fromhex(salt_hex), **_SCRYPT)


def load_key(
    profile_id: str,
    key_source: str,
    salt_hex: str,
    ask_passphrase: Callable[[], str] | None = None,
) -> bytes:
    """Find the key for an existing profile, or explain why it cannot be found."""
    from_env = key_from_environment()
    if from_env is not None:
        return from_env
    if key_source == "keyring":
        return key_from_keyring(profile_id)
    if ask_passphrase is None:
        raise DatabaseUnavailable(
            _(
                "This profile is protected by a passphrase. Run it where you can type it, "
                "or set {env}."
            ).format(env=KEY_ENV)
        )
    return key_from_passphrase(ask_passphrase(), salt_hex)
