"""``alongside db check`` on a damaged encrypted database, run as a real process.

A page changed outside SQLite fails SQLCipher's HMAC: the check names that
page and the newest backup copy to restore, in one line, and exits 1. A file
cut short or replaced by random bytes cannot even be opened: one line, exit 1.
Nothing is written to the damaged file.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest

from tests.e2e.test_cli import Cli, assert_one_line_error
from tests.unit.delegation.sqlcipher_pages import PAGE


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _profile_with_people(cli: Cli) -> Path:
    from app.demo import people as demo_people
    from app.paths import ProfilePaths
    from app.profile import create_profile

    opened = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    demo_people.add_people(opened.engine, 20, seed=3)
    opened.close()
    database = cli.profile / "alongside.db"
    assert not database.with_name("alongside.db-wal").exists()  # all in the main file
    return database


def _flip_page(database: Path, page: int) -> None:
    """Change 32 bytes inside one page (numbered from 1), as a bad disk would."""
    raw = bytearray(database.read_bytes())
    start = (page - 1) * PAGE + 200
    raw[start : start + 32] = bytes(b ^ 0x5A for b in raw[start : start + 32])
    database.write_bytes(bytes(raw))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sound_database_passes(cli: Cli) -> None:
    _profile_with_people(cli)
    run = cli("db", "check")
    assert run.code == 0, run.err
    assert run.out.strip() == "The database is sound and up to date."


def test_one_damaged_page_is_named_with_the_backup_to_restore(cli: Cli) -> None:
    database = _profile_with_people(cli)
    assert cli("db", "backup").code == 0
    assert cli("db", "backup").code == 0
    newest = sorted((cli.profile / "backups").glob("alongside-*.db"))[-1]
    pages = database.stat().st_size // PAGE
    page = pages // 2
    assert page >= 2  # after the header page
    _flip_page(database, page)
    before = _digest(database)

    run = cli("db", "check")

    line = assert_one_line_error(run, f"page {page}.", "Nothing was changed", str(newest))
    assert "HMAC" not in line and "sqlcipher" not in line.lower()
    assert run.out == ""
    assert _digest(database) == before


def test_a_damaged_page_without_backups_says_so(cli: Cli) -> None:
    database = _profile_with_people(cli)
    _flip_page(database, 2)
    run = cli("db", "check")
    assert_one_line_error(run, "page 2.", "There is no backup copy")


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_a_file_that_cannot_be_opened_is_one_line(cli: Cli, how: str) -> None:
    database = _profile_with_people(cli)
    assert cli("db", "backup").code == 0
    newest = sorted((cli.profile / "backups").glob("alongside-*.db"))[-1]
    raw = database.read_bytes()
    if how == "truncated":
        database.write_bytes(raw[: (len(raw) // PAGE // 2) * PAGE])
    else:
        database.write_bytes(secrets.token_bytes(len(raw)))
    before = _digest(database)

    run = cli("db", "check")

    assert_one_line_error(run, "damaged", str(newest))
    assert _digest(database) == before
