"""Password hashing for worker accounts (Argon2id, via argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casework.kernel.i18n import _

MIN_LENGTH = 10

# Moderate cost: a front-line sign-in must feel instant on an old PC.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified against when the username is unknown, so timing tells nothing.
_DUMMY_HASH = _hasher.hash("not a real password, used for timing only")


def hash_password(password: str) -> str:
    """Hash a new password after checking it is long enough."""
    check_new_password(password)
    return _hasher.hash(password)


def check_new_password(password: str) -> None:
    """Refuse passwords a colleague could guess over the worker's shoulder."""
    if len(password) < MIN_LENGTH:
        raise ValueError(_("Choose a password of at least {n} characters.").format(n=MIN_LENGTH))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always costs one hash verification."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
