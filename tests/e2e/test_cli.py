"""The real ``alongside`` command, run as a separate process.

Each run is ``python -m app ...`` with a profile in a temporary folder and
the raw key in ALONGSIDE_DB_KEY, as a script or an administrator would run
it. Failures must exit 1 with one plain line starting "alongside: " on
standard error, never a traceback, and no run may print a secret.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import __version__, migrate
from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "a-long-admin-passw0rd"


@dataclass
class Run:
    code: int
    out: str
    err: str


class Cli:
    """Runs the command with a fixed key and profile, and checks no secret leaks."""

    def __init__(self, tmp_path: Path) -> None:
        self.key = secrets.token_hex(32)
        self.profile = tmp_path / "profile"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
        self.env.update(
            ALONGSIDE_DB_KEY=self.key,
            HOME=str(tmp_path / "home"),  # never a developer's own profile or keyring
            XDG_DATA_HOME=str(tmp_path / "home" / "data"),
            XDG_CONFIG_DIRS=str(tmp_path / "etc-xdg"),  # no site defaults unless a test writes them
            PYTHONWARNINGS="error",
        )
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)

    def __call__(self, *args: str, env: dict[str, str] | None = None, profile: bool = True) -> Run:
        argv = [sys.executable, "-m", "app", *args]
        if profile:
            argv += ["--profile", str(self.profile)]
        result = subprocess.run(
            argv,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=PATIENCE_S,
            check=False,
        )
        run = Run(result.returncode, result.stdout, result.stderr)
        for secret in (self.key, self.key.upper(), ADMIN_PASSWORD):
            assert secret not in run.out + run.err, "a secret was printed"
        assert "Traceback" not in run.err, run.err
        return run

    def make_profile(self) -> None:
        """A profile keyed by this run's ALONGSIDE_DB_KEY, made in-process (quick)."""
        from app.paths import ProfilePaths
        from app.profile import create_profile

        create_profile(ProfilePaths(self.profile), key=bytes.fromhex(self.key)).close()

    def setup(self) -> Run:
        run = self("setup", "--admin", "root", env={"ALONGSIDE_PASSWORD": ADMIN_PASSWORD})
        assert run.code == 0, run.err
        return run


def assert_one_line_error(run: Run, *fragments: str) -> str:
    """Exit 1 and exactly one line on standard error, "alongside: ..."."""
    assert run.code == 1, (run.code, run.out, run.err)
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("alongside: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_version(cli: Cli) -> None:
    run = cli("--version", profile=False)
    assert run.code == 0
    assert run.out.strip() == f"Alongside {__version__}"


def test_help_lists_the_commands(cli: Cli) -> None:
    run = cli("--help", profile=False)
    assert run.code == 0
    for command in ("db", "demo-data", "settings", "setup"):
        assert command in run.out


def test_setup_creates_a_profile_and_its_administrator(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli.setup()
    assert run.out.strip() == f"Profile created at {cli.profile}."
    assert (cli.profile / "alongside.db").exists()
    assert stat.S_IMODE((cli.profile / "alongside.db").stat().st_mode) == 0o600
    settings = json.loads((cli.profile / "settings.json").read_text(encoding="utf-8"))
    assert settings["key_source"] == "environment"
    assert cli.key not in json.dumps(settings)

    # The administrator can sign in to the profile the command made.
    from app.backend import LocalBackend
    from app.paths import ProfilePaths
    from app.profile import open_profile

    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)
    opened = open_profile(ProfilePaths(cli.profile))
    try:
        actor = LocalBackend(opened).sign_in("root", ADMIN_PASSWORD)
        assert actor.role == "admin" and actor.team_name == "Administrators"
    finally:
        opened.close()

    again = cli("setup", "--admin", "other", env={"ALONGSIDE_PASSWORD": ADMIN_PASSWORD})
    assert_one_line_error(again, "already a profile")


def test_setup_with_bad_details_leaves_nothing_behind(cli: Cli) -> None:
    run = cli("setup", "--admin", "no spaces allowed", env={"ALONGSIDE_PASSWORD": "short"})
    assert_one_line_error(run, "username", "password")
    assert not (cli.profile / "settings.json").exists()
    assert not (cli.profile / "alongside.db").exists()
    # So setting up again with good details just works.
    cli.setup()


def test_setup_without_a_password_or_terminal(cli: Cli) -> None:
    run = cli("setup", "--admin", "root")
    assert_one_line_error(run, "ALONGSIDE_PASSWORD")
    assert not (cli.profile / "settings.json").exists()


def test_db_check_upgrade_and_backup(cli: Cli) -> None:
    cli.make_profile()
    check = cli("db", "check")
    assert check.code == 0, check.err
    assert check.out.strip() == "The database is sound and up to date."

    upgrade = cli("db", "upgrade")
    assert upgrade.code == 0, upgrade.err
    assert upgrade.out.strip() == f"Database is at {migrate.HEAD_REVISION}."

    backup = cli("db", "backup")
    assert backup.code == 0, backup.err
    match = re.match(r"Backup written to (.+\.db) \(encrypted", backup.out)
    assert match, backup.out
    copy = Path(match.group(1))
    assert copy.parent == cli.profile / "backups"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not copy.read_bytes().startswith(b"SQLite format 3")


def test_db_check_and_upgrade_an_old_schema(cli: Cli) -> None:
    cli.make_profile()
    from app.database import sqlcipher_engine

    engine = sqlcipher_engine(cli.profile / "alongside.db", bytes.fromhex(cli.key))
    migrate.downgrade(engine, "0001")
    engine.dispose()

    check = cli("db", "check")
    assert check.code == 1
    assert "run 'alongside db upgrade'" in check.err
    assert check.out == ""

    upgrade = cli("db", "upgrade")
    assert upgrade.code == 0, upgrade.err
    lines = upgrade.out.splitlines()
    assert lines[0] == f"Database is at {migrate.HEAD_REVISION}."
    assert lines[1].startswith("A copy from before the upgrade is at ")
    assert "before-upgrade-0001" in lines[1]
    assert cli("db", "check").code == 0


def test_demo_data_does_not_claim_a_worker_it_did_not_make(cli: Cli) -> None:
    made = cli("setup", "--admin", "admin", env={"ALONGSIDE_PASSWORD": ADMIN_PASSWORD})
    assert made.code == 0, made.err
    run = cli("demo-data", "--people", "3", "--seed", "4")
    assert run.code == 0, run.err
    admin = next(line for line in run.out.splitlines() if line.strip().startswith("admin "))
    assert "was already in this profile" in admin and "Riverside" not in admin
    assert "Amira Hussain (adviser, Riverside Library)" in run.out


def test_demo_data_is_seeded(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = cli("demo-data", "--people", "12", "--seed", "4")
    assert run.code == 0, run.err
    assert f"Added 12 people to {cli.profile}." in run.out
    assert "amira" in run.out and "alongside-demo" in run.out  # the demo password is public

    other = Cli(tmp_path / "again")
    other.key = cli.key
    other.env["ALONGSIDE_DB_KEY"] = cli.key
    assert other("demo-data", "--people", "12", "--seed", "4").code == 0
    more = cli("demo-data", "--people", "3", "--seed", "5")
    assert more.code == 0, more.err

    from sqlalchemy import text

    from app.paths import ProfilePaths
    from app.profile import open_profile

    monkeypatch.setenv("ALONGSIDE_DB_KEY", cli.key)

    def names(folder: Path) -> list[str]:
        opened = open_profile(ProfilePaths(folder))
        try:
            with opened.engine.connect() as conn:
                query = text("SELECT given_name || ' ' || family_name FROM people ORDER BY id")
                return list(conn.execute(query).scalars())
        finally:
            opened.close()

    first, second = names(cli.profile), names(other.profile)
    assert len(first) == 15 and len(second) == 12
    assert first[:12] == second  # the same seed makes the same people

    bad = cli("demo-data", "--people", "-3")
    assert bad.code == 2 and "--people" in bad.err


def test_settings_set_and_get(cli: Cli) -> None:
    cli.make_profile()
    assert cli("settings", "get", "idle_lock_minutes").out.strip() == "5"
    run = cli("settings", "set", "idle_lock_minutes", "12")
    assert run.code == 0, run.err
    assert run.out.strip() == "idle_lock_minutes is now 12."
    assert cli("settings", "get", "idle_lock_minutes").out.strip() == "12"
    assert cli("settings", "set", "language", "cy").code == 0
    assert cli("settings", "get", "language").out.strip() == "cy"
    assert cli("settings", "set", "sync.interval", "30").code == 0
    assert cli("settings", "get", "sync.interval").out.strip() == "30"
    saved = json.loads((cli.profile / "settings.json").read_text(encoding="utf-8"))
    assert saved["idle_lock_minutes"] == 12 and saved["language"] == "cy"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("set", "idle_lock_minutes", "0"), "1 to 240"),
        (("set", "idle_lock_minutes", "soon"), "1 to 240"),
        (("set", "language", "fr"), "'cy'"),
        (("set", "database_url", "mysql://x/y"), "postgresql+psycopg://"),
        (("set", "profile_id", "abc"), "cannot be changed"),
        (("set", "kdf_salt", "00"), "cannot be changed"),
        (("set", "colour", "blue"), "no setting called 'colour'"),
        (("get", "colour"), "no setting called 'colour'"),
    ],
)
def test_bad_settings_are_refused_in_one_line(
    cli: Cli, args: tuple[str, ...], fragment: str
) -> None:
    cli.make_profile()
    before = (cli.profile / "settings.json").read_bytes()
    assert_one_line_error(cli("settings", *args), fragment)
    assert (cli.profile / "settings.json").read_bytes() == before


def test_settings_need_a_profile(cli: Cli) -> None:
    assert_one_line_error(cli("settings", "get", "language"), "no Alongside profile")
    assert not cli.profile.exists()


def test_a_wrong_key_is_one_clear_line(cli: Cli) -> None:
    cli.make_profile()
    database = cli.profile / "alongside.db"
    before = database.read_bytes()
    wrong = secrets.token_hex(32)
    for command in (("db", "check"), ("db", "upgrade"), ("db", "backup")):
        run = cli(*command, env={"ALONGSIDE_DB_KEY": wrong})
        line = assert_one_line_error(run, "key is wrong", "Nothing was changed")
        assert wrong not in line
        assert run.out == ""
    assert database.read_bytes() == before
    assert list((cli.profile / "backups").iterdir()) == []


@pytest.mark.parametrize("value", ["1234", "z" * 64, ""])
def test_a_malformed_key_is_one_clear_line(cli: Cli, value: str) -> None:
    cli.make_profile()
    run = cli("db", "check", env={"ALONGSIDE_DB_KEY": value})
    assert_one_line_error(run, "ALONGSIDE_DB_KEY must be 64 hexadecimal characters")


def test_a_missing_profile_is_one_clear_line(cli: Cli) -> None:
    assert_one_line_error(cli("db", "check"), "no Alongside profile", str(cli.profile))
    assert not cli.profile.exists()


def test_a_damaged_database_is_one_clear_line(cli: Cli) -> None:
    cli.make_profile()
    database = cli.profile / "alongside.db"
    database.write_bytes(database.read_bytes()[: 4096 * 3])
    assert_one_line_error(cli("db", "check"), "damaged", "backups")


def test_a_profile_path_that_is_a_file(cli: Cli) -> None:
    cli.profile.write_text("not a folder")
    run = cli("setup", "--admin", "root", env={"ALONGSIDE_PASSWORD": ADMIN_PASSWORD})
    assert_one_line_error(run, str(cli.profile))
    assert cli.profile.read_text() == "not a folder"
