"""The encrypted SQLite file, read as raw bytes and opened the wrong ways.

Nothing a worker types may reach the disk in the clear (not in the database
file, not in its write-ahead log), and every way of failing to open it says
what is wrong in plain English without changing a byte.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backend import LocalBackend
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile, open_profile
from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.records import PersonInput
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops

SURNAME = "Quillfeatherstone"
NOTE_WORDS = "housing-benefit-appeal-marmalade"


def _fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every database file in the profile (the logs may change)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name.startswith("alongside.db")
    }


def _assert_plain(message: str) -> None:
    """One readable sentence or two: no traceback, no driver jargon, no key."""
    assert "Traceback" not in message
    assert "sqlite3" not in message.lower() and "sqlcipher" not in message.lower()
    assert "\n" not in message
    assert 20 < len(message) < 400


@pytest.fixture
def keyed_env(monkeypatch: pytest.MonkeyPatch) -> str:
    """A raw key in ALONGSIDE_DB_KEY, as automation would give it."""
    key = secrets.token_hex(32)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", key)
    return key


@pytest.fixture
def closed_profile(tmp_path: Path, keyed_env: str) -> Iterator[ProfilePaths]:
    """A profile keyed by ALONGSIDE_DB_KEY with one person in it, then closed."""
    paths = ProfilePaths(tmp_path / "profile")
    opened = create_profile(paths)
    from app.demo import people as demo_people

    demo_people.add_people(opened.engine, 5, seed=2)
    opened.close()
    yield paths


def test_names_never_reach_the_disk_in_the_clear(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    profile = demo_profile  # the one ``backend`` is signed in to
    person_id = people_ops.create_person(
        PersonInput(given_name="Branwen", family_name=SURNAME, email="branwen@example.org")
    ).call(backend)
    case_id = cases_ops.open_case(person_id, "pip", "PIP claim").call(backend)
    cases_ops.add_note(case_id, f"Called about the {NOTE_WORDS}.").call(backend)
    assert people_ops.search(SURNAME).call(backend).hits  # it is really there

    database = profile.paths.database
    wal = database.with_name(database.name + "-wal")
    # The profile is still open, so the newest pages are in the write-ahead log.
    assert wal.exists() and wal.stat().st_size > 0
    secrets_typed = [
        SURNAME.encode(),
        SURNAME.lower().encode(),
        SURNAME.encode("utf-16-le"),
        NOTE_WORDS.encode(),
        b"branwen@example.org",
        b"Amira Hussain",  # a demo worker's name
        b"CREATE TABLE",
        b"search_index",
    ]
    for path in (database, wal):
        raw = path.read_bytes()
        for needle in secrets_typed:
            assert needle not in raw, f"{needle!r} is readable in {path.name}"
    assert not database.read_bytes().startswith(b"SQLite format 3\x00")

    # And still not after the log is folded back into the file.
    profile.close()
    raw = database.read_bytes()
    assert not raw.startswith(b"SQLite format 3\x00")
    assert SURNAME.encode() not in raw and NOTE_WORDS.encode() not in raw


def test_database_files_are_private(tmp_path: Path, db_key: bytes) -> None:
    opened = create_profile(ProfilePaths(tmp_path / "profile"), key=db_key)
    try:
        from app.demo import people as demo_people

        demo_people.add_people(opened.engine, 3, seed=1)
        database = opened.paths.database
        owner_only = {"alongside.db", "alongside.db-wal", "alongside.db-shm"}
        present = {p.name for p in database.parent.iterdir()} & owner_only
        assert "alongside.db" in present and "alongside.db-wal" in present
        for name in present:
            mode = stat.S_IMODE((database.parent / name).stat().st_mode)
            assert mode == 0o600, f"{name} is {oct(mode)}"
        assert stat.S_IMODE(opened.paths.root.stat().st_mode) == 0o700
        assert stat.S_IMODE(opened.paths.settings.stat().st_mode) == 0o600
    finally:
        opened.close()


def test_a_wrong_key_changes_nothing(
    closed_profile: ProfilePaths, monkeypatch: pytest.MonkeyPatch, keyed_env: str
) -> None:
    before = _fingerprint(closed_profile.root)
    assert set(before) == {"alongside.db"}
    wrong = secrets.token_hex(32)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", wrong)
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(closed_profile)
    message = refused.value.message
    _assert_plain(message)
    assert "key is wrong" in message and "Nothing was changed" in message
    assert wrong not in message and keyed_env not in message
    assert _fingerprint(closed_profile.root) == before

    # The right key still opens it, with everything in place.
    monkeypatch.setenv("ALONGSIDE_DB_KEY", keyed_env)
    reopened = open_profile(closed_profile)
    reopened.close()


def test_the_right_key_in_the_environment_opens_it(
    closed_profile: ProfilePaths, keyed_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.demo.people import DEMO_PASSWORD

    monkeypatch.setenv("ALONGSIDE_DB_KEY", keyed_env.upper())  # hex in either case
    opened = open_profile(closed_profile)
    try:
        live = LocalBackend(opened)
        live.sign_in("amira", DEMO_PASSWORD)
        assert people_ops.list_person_ids().call(live)
    finally:
        opened.close()


@pytest.mark.parametrize(
    "value",
    ["", "abc", "0" * 63, "0" * 65, "g" * 64, "x'" + "0" * 62 + "'"],
    ids=["empty", "short", "63", "65", "not-hex", "sql-literal"],
)
def test_a_malformed_environment_key_is_explained(
    closed_profile: ProfilePaths, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    before = _fingerprint(closed_profile.root)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", value)
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(closed_profile)
    _assert_plain(refused.value.message)
    assert "ALONGSIDE_DB_KEY must be 64 hexadecimal characters" in refused.value.message
    assert _fingerprint(closed_profile.root) == before


def test_a_missing_environment_key_is_explained(
    closed_profile: ProfilePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALONGSIDE_DB_KEY")
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(closed_profile)
    _assert_plain(refused.value.message)
    assert "ALONGSIDE_DB_KEY" in refused.value.message and "not set" in refused.value.message


def test_a_missing_database_is_explained(closed_profile: ProfilePaths) -> None:
    closed_profile.database.unlink()
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(closed_profile)
    message = refused.value.message
    _assert_plain(message)
    assert "missing" in message and "backups" in message
    # Opening did not quietly make a new, empty database in its place.
    assert not closed_profile.database.exists()


def test_a_missing_profile_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(ProfilePaths(tmp_path / "nowhere"))
    _assert_plain(refused.value.message)
    assert "no Alongside profile" in refused.value.message
    assert not (tmp_path / "nowhere").exists()


def _damage(database: Path, how: str) -> None:
    raw = database.read_bytes()
    if how == "empty":
        database.write_bytes(b"")
    elif how == "truncated-header":
        database.write_bytes(raw[:100])
    elif how == "truncated-half":
        database.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        database.write_bytes(secrets.token_bytes(len(raw)))
    elif how == "plain-sqlite-header":
        database.write_bytes(b"SQLite format 3\x00" + raw[16:])
    elif how == "text":
        database.write_text("This is not a database.\n" * 200)
    else:  # pragma: no cover
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "empty",
        "truncated-header",
        "truncated-half",
        "garbage",
        "plain-sqlite-header",
        "text",
    ],
)
def test_a_damaged_database_is_explained_and_left_alone(
    closed_profile: ProfilePaths, how: str
) -> None:
    _damage(closed_profile.database, how)
    before = _fingerprint(closed_profile.root)
    with pytest.raises(DatabaseUnavailable) as refused:
        open_profile(closed_profile)
    message = refused.value.message
    _assert_plain(message)
    assert "damaged" in message
    assert "backups" in message
    assert _fingerprint(closed_profile.root) == before


def test_open_engine_without_a_key_is_refused(tmp_path: Path) -> None:
    from app.database import open_engine

    with pytest.raises(DatabaseUnavailable) as refused:
        open_engine(None, tmp_path / "alongside.db", None)
    _assert_plain(refused.value.message)
    assert not (tmp_path / "alongside.db").exists()


def test_a_failed_creation_leaves_no_half_made_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALONGSIDE_DB_KEY", "not-a-key")
    paths = ProfilePaths(tmp_path / "profile")
    with pytest.raises(DatabaseUnavailable):
        create_profile(paths)
    assert not paths.settings.exists()
    assert not paths.database.exists()
    # Once the key is right, the same folder can be set up.
    monkeypatch.setenv("ALONGSIDE_DB_KEY", secrets.token_hex(32))
    create_profile(paths).close()
    assert paths.database.exists()


def test_umask_does_not_widen_permissions(tmp_path: Path, db_key: bytes) -> None:
    old = os.umask(0)
    try:
        opened = create_profile(ProfilePaths(tmp_path / "profile"), key=db_key)
    finally:
        os.umask(old)
    try:
        mode = stat.S_IMODE(opened.paths.database.stat().st_mode)
        assert mode == 0o600
    finally:
        opened.close()
