"""Profile settings (app.settings): typed values, version upgrades, atomic saves."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from app.settings import SETTINGS_VERSION, Settings, load_settings, save_settings
from casework.kernel.errors import AlongsideError


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_missing_file_gives_fresh_defaults(tmp_path: Path) -> None:
    first = load_settings(tmp_path / "settings.json")
    second = load_settings(tmp_path / "settings.json")
    assert first.profile_name == "Alongside"
    assert (first.idle_lock_minutes, first.language, first.key_source) == (5, "en", "keyring")
    assert first.database_url is None and not first.demo
    assert len(bytes.fromhex(first.kdf_salt)) == 16
    # Each new profile gets its own identity and salt.
    assert first.profile_id != second.profile_id
    assert first.kdf_salt != second.kdf_salt


def test_save_then_load_gives_the_same_settings(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "settings.json"
    settings = Settings(profile_name="Riverside", idle_lock_minutes=12, language="cy")
    settings.extra["sync.notify.base_url"] = "http://127.0.0.1:8025"
    save_settings(path, settings)
    assert load_settings(path) == settings
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["settings_version"] == SETTINGS_VERSION == 2


def test_version_1_settings_are_upgraded(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "settings.json",
        {
            "settings_version": 1,
            "profile_id": "abc123",
            "profile_name": "Old Library",
            "kdf_salt": "00" * 16,
            "lock_after_seconds": 600,
            "language": "cy",
        },
    )
    settings = load_settings(path)
    assert settings.idle_lock_minutes == 10
    assert (settings.profile_id, settings.profile_name, settings.language) == (
        "abc123",
        "Old Library",
        "cy",
    )
    assert settings.kdf_salt == "00" * 16
    # Saving writes the new shape, and it loads the same.
    save_settings(path, settings)
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert "lock_after_seconds" not in on_disk and on_disk["idle_lock_minutes"] == 10
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    ("stored", "minutes"),
    [({"lock_after_seconds": 30}, 1), ({"lock_after_seconds": 0}, 1), ({}, 5)],
)
def test_upgrade_keeps_the_idle_lock_sensible(
    tmp_path: Path, stored: dict[str, int], minutes: int
) -> None:
    # No settings_version at all means version 1, the first shape.
    path = _write(tmp_path / "settings.json", {"profile_id": "p", **stored})
    assert load_settings(path).idle_lock_minutes == minutes


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "settings.json",
        {"settings_version": 2, "profile_id": "p", "window_geometry": "800x600"},
    )
    assert load_settings(path).profile_id == "p"


def test_settings_from_a_newer_alongside_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "settings.json", {"settings_version": SETTINGS_VERSION + 1})
    with pytest.raises(AlongsideError, match="newer Alongside"):
        load_settings(path)


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b'{"profile_id": "p"', b"\xff\xfe\x00garbage", b"\x00" * 64],
)
def test_a_corrupt_file_is_explained(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with pytest.raises(AlongsideError) as caught:
        load_settings(path)
    assert str(path) in caught.value.message
    assert "Restore it from a backup" in caught.value.message
    assert path.read_bytes() == content  # never "repaired" behind the worker's back


def test_a_folder_in_place_of_the_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    with pytest.raises(AlongsideError, match=r"cannot be read \(it is a folder, not a file"):
        load_settings(path)


def test_a_pipe_in_place_of_the_file_is_explained_not_waited_on(tmp_path: Path) -> None:
    """Nothing writes to the pipe: reading it would wait for ever."""
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    with pytest.raises(AlongsideError, match=r"cannot be read \(it is a named pipe, not a file"):
        load_settings(path)


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '"settings"',
        "null",
        "42",
        '{"settings_version": "two"}',
        '{"settings_version": 1, "lock_after_seconds": "soon"}',
        '{"settings_version": 2, "idle_lock_minutes": "five"}',
        '{"settings_version": 2, "demo": "yes"}',
        '{"settings_version": 2, "idle_lock_minutes": true}',
    ],
)
def test_valid_json_of_the_wrong_shape_is_explained(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AlongsideError):
        load_settings(path)


# -- atomic saves -----------------------------------------------------------------


def test_a_save_replaces_the_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(profile_name="First"))
    save_settings(path, Settings(profile_name="Second"))
    assert load_settings(path).profile_name == "Second"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_save_keeps_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(profile_name="Good"))
    before = path.read_bytes()
    broken = Settings(profile_name="Half written")
    broken.extra["not.text"] = object()  # type: ignore[assignment]
    with pytest.raises(TypeError):
        save_settings(path, broken)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


# -- reading and changing one setting ---------------------------------------------


def test_get_reads_fields_and_dotted_extras() -> None:
    settings = Settings(idle_lock_minutes=7)
    settings.extra["sync.interval"] = "60"
    assert settings.get("idle_lock_minutes") == "7"
    assert settings.get("database_url") == ""
    assert settings.get("demo") == "False"
    assert settings.get("sync.interval") == "60"
    with pytest.raises(KeyError):
        settings.get("no.such.setting")


def test_set_converts_and_checks_values() -> None:
    settings = Settings()
    settings.set("idle_lock_minutes", "15")
    settings.set("language", "cy")
    settings.set("database_url", "postgresql+psycopg://alongside@db.example/alongside")
    settings.set("profile_name", "  Riverside  ")
    settings.set("sync.notify.base_url", "http://127.0.0.1:8025")
    assert settings.idle_lock_minutes == 15
    assert settings.language == "cy"
    assert settings.database_url == "postgresql+psycopg://alongside@db.example/alongside"
    assert settings.profile_name == "Riverside"
    assert settings.extra == {"sync.notify.base_url": "http://127.0.0.1:8025"}
    settings.set("database_url", "")
    settings.set("profile_name", "   ")
    assert settings.database_url is None
    assert settings.profile_name == "Riverside"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("idle_lock_minutes", "0", "from 1 to 240"),
        ("idle_lock_minutes", "241", "from 1 to 240"),
        ("idle_lock_minutes", "ten", "from 1 to 240"),
        ("language", "fr", "Welsh"),
        ("database_url", "sqlite:///x.db", "postgresql+psycopg://"),
        ("profile_id", "mine", "cannot be changed"),
        ("kdf_salt", "00", "cannot be changed"),
        ("key_source", "passphrase", "cannot be changed"),
        ("demo", "true", "cannot be changed"),
        ("colour", "blue", "no setting called 'colour'"),
    ],
)
def test_set_refuses_bad_values_and_protected_keys(key: str, value: str, words: str) -> None:
    settings = Settings()
    before = Settings(**{**settings.__dict__, "extra": dict(settings.extra)})
    with pytest.raises(AlongsideError, match=re.escape(words)):
        settings.set(key, value)
    assert settings == before


def test_the_text_message_template_must_be_a_notify_template_id() -> None:
    settings = Settings()
    settings.set("notify.sms_template_id", " F33517FF-2A88-4F6E-B855-C550268CE08A ")
    assert settings.get("notify.sms_template_id") == "f33517ff-2a88-4f6e-b855-c550268ce08a"
    with pytest.raises(AlongsideError, match=r"template ID from GOV\.UK Notify"):
        settings.set("notify.sms_template_id", "my texts")
    settings.set("notify.sms_template_id", "")  # empty turns text updates off
    assert settings.get("notify.sms_template_id") == ""
