"""The database key in a real OS keyring, and the passphrase where there is none.

The ``keyring`` tests talk to a real Secret Service (gnome-keyring in a
private D-Bus session, started by scripts/with-keyring.sh) and read the
stored item back through ``secretstorage``, not through the app. The
no-keyring tests force keyring's fail backend, as on a machine without one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from app import keys
from app.paths import ProfilePaths
from app.profile import create_profile, open_profile
from casework.kernel.errors import DatabaseUnavailable

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALONGSIDE_DB_KEY", raising=False)


def _never_asked() -> str:
    raise AssertionError("the passphrase was asked for")


def _files_holding(folder: Path, key: bytes) -> list[Path]:
    """Every file under ``folder`` that contains the key in any usual spelling."""
    spellings = [key, key.hex().encode(), key.hex().upper().encode()]
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(s in path.read_bytes() for s in spellings)
    ]


def _secret_service_items(entry: str) -> list[bytes]:
    """The secrets stored under service "Alongside" and ``entry``, read directly."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        if collection.is_locked():
            collection.unlock()
        items = collection.search_items({"service": keys.KEYRING_SERVICE, "username": entry})
        return [item.get_secret() for item in items]
    finally:
        connection.close()


@pytest.mark.keyring
def test_the_key_lives_in_the_secret_service(tmp_path: Path) -> None:
    assert keys.keyring_available(), keyring.get_keyring()
    assert "SecretService" in type(keyring.get_keyring()).__module__
    paths = ProfilePaths(tmp_path / "profile")
    created = create_profile(paths)
    settings = created.settings
    created.close()
    assert settings.key_source == "keyring"

    entry = f"database-key:{settings.profile_id}"
    stored = _secret_service_items(entry)
    assert len(stored) == 1
    key = bytes.fromhex(stored[0].decode())
    assert len(key) == 32

    # It opens again without asking anyone anything.
    reopened = open_profile(paths, _never_asked)
    reopened.close()

    # The key is in no file of the profile, in any form.
    assert _files_holding(paths.root, key) == []
    saved = json.loads(paths.settings.read_text(encoding="utf-8"))
    assert saved["key_source"] == "keyring"
    assert key.hex() not in json.dumps(saved)

    # Each profile gets its own key.
    other = create_profile(ProfilePaths(tmp_path / "other"))
    other_entry = f"database-key:{other.settings.profile_id}"
    other.close()
    assert _secret_service_items(other_entry) != stored

    keyring.delete_password(keys.KEYRING_SERVICE, entry)
    keyring.delete_password(keys.KEYRING_SERVICE, other_entry)


@pytest.mark.keyring
def test_a_key_missing_from_the_keyring_is_explained(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    created = create_profile(paths)
    created.close()
    entry = f"database-key:{created.settings.profile_id}"
    keyring.delete_password(keys.KEYRING_SERVICE, entry)
    before = paths.database.read_bytes()
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(paths, _never_asked)
    assert "not in this computer's keyring" in refused.value.message
    assert "ALONGSIDE_DB_KEY" in refused.value.message
    assert paths.database.read_bytes() == before


@pytest.mark.keyring
def test_the_environment_key_overrides_the_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    created = create_profile(paths)
    created.close()
    entry = f"database-key:{created.settings.profile_id}"
    (stored,) = _secret_service_items(entry)
    # An administrator moving the profile to another computer sets the key by hand.
    keyring.delete_password(keys.KEYRING_SERVICE, entry)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", stored.decode())
    open_profile(paths, _never_asked).close()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A machine with no keyring: keyring's own fail backend."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_without_a_keyring_creation_needs_a_passphrase(no_keyring: None, tmp_path: Path) -> None:
    assert not keys.keyring_available()
    paths = ProfilePaths(tmp_path / "profile")
    with pytest.raises(DatabaseUnavailable) as refused:
        create_profile(paths)
    assert "no keyring" in refused.value.message
    assert "passphrase" in refused.value.message
    assert not paths.settings.exists()
    assert not paths.database.exists()


def test_a_passphrase_profile_keeps_the_salt_not_the_key(no_keyring: None, tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "profile")
    created = create_profile(paths, passphrase=PASSPHRASE)
    created.close()
    saved = json.loads(paths.settings.read_text(encoding="utf-8"))
    assert saved["key_source"] == "passphrase"
    salt = bytes.fromhex(saved["kdf_salt"])
    assert len(salt) == 16

    key = keys.key_from_passphrase(PASSPHRASE, saved["kdf_salt"])
    assert _files_holding(paths.root, key) == []
    assert not any(
        PASSPHRASE.encode() in p.read_bytes() for p in paths.root.rglob("*") if p.is_file()
    )

    # The right passphrase opens it; the keyring is never consulted.
    asked: list[bool] = []

    def ask() -> str:
        asked.append(True)
        return PASSPHRASE

    open_profile(paths, ask).close()
    assert asked == [True]

    # A wrong passphrase is a wrong key: explained, and nothing changed.
    before = paths.database.read_bytes()
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(paths, lambda: "incorrect horse battery staple")
    assert "key is wrong" in refused.value.message
    assert "Nothing was changed" in refused.value.message
    assert paths.database.read_bytes() == before

    # No passphrase typed, and nowhere to type one.
    with pytest.raises(DatabaseUnavailable) as empty:
        open_profile(paths, lambda: "")
    assert empty.value.message == "Enter the profile passphrase."
    with pytest.raises(DatabaseUnavailable) as nowhere:
        open_profile(paths, None)
    assert "protected by a passphrase" in nowhere.value.message


def test_the_same_passphrase_makes_a_different_key_per_profile(
    no_keyring: None, tmp_path: Path
) -> None:
    first = create_profile(ProfilePaths(tmp_path / "one"), passphrase=PASSPHRASE)
    second = create_profile(ProfilePaths(tmp_path / "two"), passphrase=PASSPHRASE)
    first.close()
    second.close()
    assert first.settings.kdf_salt != second.settings.kdf_salt
    assert keys.key_from_passphrase(
        PASSPHRASE, first.settings.kdf_salt
    ) != keys.key_from_passphrase(PASSPHRASE, second.settings.kdf_salt)
    # One profile's passphrase-derived key does not open the other.
    (tmp_path / "two" / "alongside.db").write_bytes(
        (tmp_path / "one" / "alongside.db").read_bytes()
    )
    with pytest.raises(DatabaseUnavailable):
        open_profile(ProfilePaths(tmp_path / "two"), lambda: PASSPHRASE)
