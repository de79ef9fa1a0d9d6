"""The database key (app.keys): scrypt from a passphrase and ALONGSIDE_DB_KEY.

The OS keyring is left alone here; tests/integration covers it on a real
Secret Service.
"""

from __future__ import annotations

import pytest

from app.keys import KEY_ENV, key_from_environment, key_from_passphrase, load_key, new_key
from casework.kernel.errors import DatabaseUnavailable

SALT_A = "00112233445566778899aabbccddeeff"
SALT_B = "ffeeddccbbaa99887766554433221100"


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


def test_scrypt_gives_the_same_32_byte_key_for_the_same_salt() -> None:
    first = key_from_passphrase("correct horse battery", SALT_A)
    assert len(first) == 32
    assert key_from_passphrase("correct horse battery", SALT_A) == first
    assert key_from_passphrase("correct horse battery", SALT_B) != first
    assert key_from_passphrase("correct horse batterY", SALT_A) != first


def test_scrypt_matches_the_published_parameters() -> None:
    import hashlib

    expected = hashlib.scrypt(
        "pässwörd".encode(), salt=bytes.fromhex(SALT_A), n=2**15, r=8, p=1, maxmem=2**26, dklen=32
    )
    assert key_from_passphrase("pässwörd", SALT_A) == expected


def test_an_empty_passphrase_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="Enter the profile passphrase"):
        key_from_passphrase("", SALT_A)


def test_new_keys_are_random_256_bit() -> None:
    keys = {new_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(k) == 32 for k in keys)


def test_the_environment_key_is_64_hex_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    assert key_from_environment() is None
    key = bytes(range(32))
    monkeypatch.setenv(KEY_ENV, f"  {key.hex().upper()}\n")
    assert key_from_environment() == key


@pytest.mark.parametrize("value", ["", "abc", "zz" * 32, "00" * 31, "00" * 33, "0x" + "00" * 31])
def test_a_malformed_environment_key_is_explained(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(KEY_ENV, value)
    with pytest.raises(DatabaseUnavailable, match="64 hexadecimal characters") as caught:
        key_from_environment()
    if len(value) > 4:
        assert value not in caught.value.message  # a key is never echoed back


def test_load_key_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "11" * 32)

    def must_not_ask() -> str:
        raise AssertionError("asked for a passphrase although the key was given")

    assert load_key("profile", "passphrase", SALT_A, must_not_ask) == b"\x11" * 32


def test_load_key_derives_from_the_passphrase_asked_for() -> None:
    asked: list[bool] = []

    def ask() -> str:
        asked.append(True)
        return "correct horse battery"

    key = load_key("profile", "passphrase", SALT_A, ask)
    assert asked == [True]
    assert key == key_from_passphrase("correct horse battery", SALT_A)


def test_load_key_without_a_way_to_ask_explains() -> None:
    with pytest.raises(DatabaseUnavailable, match="protected by a passphrase"):
        load_key("profile", "passphrase", SALT_A, None)
