"""An IT team's site defaults, through the real ``alongside`` command.

The file is where an installed Alongside looks for it (the site config
folder, here a temporary XDG_CONFIG_DIRS) or where ALONGSIDE_SITE_DEFAULTS
says. A new profile takes it; a profile that exists keeps its own; a bad file
stops set-up in one line and leaves nothing made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import Cli, assert_one_line_error


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _site_file(cli: Cli, data: object) -> Path:
    """Write the defaults where the installed app looks: <XDG_CONFIG_DIRS>/Alongside."""
    path = Path(cli.env["XDG_CONFIG_DIRS"]) / "Alongside" / "defaults.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_set_up_takes_the_site_defaults(cli: Cli) -> None:
    _site_file(cli, {"language": "cy", "idle_lock_minutes": 15})
    cli.setup()
    assert cli("settings", "get", "language").out.strip() == "cy"
    assert cli("settings", "get", "idle_lock_minutes").out.strip() == "15"


def test_the_environment_names_another_file(cli: Cli, tmp_path: Path) -> None:
    _site_file(cli, {"language": "cy"})
    other = tmp_path / "office-defaults.json"
    other.write_text(json.dumps({"idle_lock_minutes": 30}), encoding="utf-8")
    cli.env["ALONGSIDE_SITE_DEFAULTS"] = str(other)
    cli.setup()
    assert cli("settings", "get", "idle_lock_minutes").out.strip() == "30"
    assert cli("settings", "get", "language").out.strip() == "en"


def test_an_existing_profile_keeps_its_own_settings(cli: Cli) -> None:
    cli.setup()
    assert cli("settings", "set", "idle_lock_minutes", "7").code == 0
    before = (cli.profile / "settings.json").read_bytes()
    _site_file(cli, {"language": "cy", "idle_lock_minutes": 15})
    assert cli("settings", "get", "language").out.strip() == "en"
    assert cli("settings", "get", "idle_lock_minutes").out.strip() == "7"
    assert cli("db", "check").code == 0  # opening it does not touch its settings
    assert (cli.profile / "settings.json").read_bytes() == before
    # Setting one by hand afterwards wins over the site's, as always.
    assert cli("settings", "set", "language", "en").code == 0
    assert cli("settings", "get", "language").out.strip() == "en"


def test_a_bad_file_stops_set_up_in_one_line_and_makes_nothing(cli: Cli) -> None:
    path = _site_file(cli, {"language": "cy", "database_ur1": "postgresql+psycopg://x@y/z"})
    run = cli("setup", "--admin", "root", env={"ALONGSIDE_PASSWORD": "a-long-admin-passw0rd"})
    assert_one_line_error(
        run, f"The site defaults file {path} cannot be used", "not 'database_ur1'", "Correct it"
    )
    assert not cli.profile.exists()

    _site_file(cli, '{"language": "cy",}')
    run = cli("setup", "--admin", "root", env={"ALONGSIDE_PASSWORD": "a-long-admin-passw0rd"})
    assert_one_line_error(run, str(path), "it is not valid JSON")
    assert not cli.profile.exists()

    # Fixed, set-up simply runs.
    _site_file(cli, {"language": "cy"})
    cli.setup()
    assert cli("settings", "get", "language").out.strip() == "cy"
