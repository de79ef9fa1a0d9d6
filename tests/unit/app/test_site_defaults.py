"""Site defaults (app.site_defaults): where the file is, what it may hold, and
how each bad file is refused in one line naming it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.paths import ProfilePaths
from app.profile import create_profile
from app.settings import load_settings
from app.site_defaults import SITE_DEFAULTS_ENV, load_site_defaults, site_defaults_path
from casework.kernel.errors import AlongsideError


def _write(path: Path, data: object) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_the_file_is_in_the_site_config_folder_unless_the_environment_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SITE_DEFAULTS_ENV)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    assert site_defaults_path() == tmp_path / "xdg" / "Alongside" / "defaults.json"
    monkeypatch.delenv("XDG_CONFIG_DIRS")
    assert site_defaults_path() == Path("/etc/xdg/Alongside/defaults.json")
    monkeypatch.setenv(SITE_DEFAULTS_ENV, str(tmp_path / "office.json"))
    assert site_defaults_path() == tmp_path / "office.json"


def test_no_file_means_no_site_defaults(tmp_path: Path) -> None:
    assert load_site_defaults(tmp_path / "defaults.json") == {}


def test_the_known_settings_are_read_as_texts(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "defaults.json",
        {
            "database_url": "postgresql+psycopg://alongside@db.office.example/alongside",
            "language": "cy",
            "idle_lock_minutes": 10,
        },
    )
    assert load_site_defaults(path) == {
        "database_url": "postgresql+psycopg://alongside@db.office.example/alongside",
        "language": "cy",
        "idle_lock_minutes": "10",
    }


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "it is not valid JSON"),
        ('["language", "cy"]', "it does not hold a set of settings"),
        ('{"language": "cy", "language": "en"}', "it sets 'language' twice"),
        ({"colour": "blue"}, "it may set only database_url, language and idle_lock_minutes"),
        ({"demo": True}, "not 'demo'"),
        ({"kdf_salt": "00"}, "not 'kdf_salt'"),
        ({"idle_lock_minutes": "10"}, "'idle_lock_minutes' has the wrong kind of value"),
        ({"idle_lock_minutes": True}, "'idle_lock_minutes' has the wrong kind of value"),
        ({"language": None}, "'language' has the wrong kind of value"),
        ({"idle_lock_minutes": 0}, "'idle_lock_minutes' is refused (Enter a number of minutes"),
        ({"language": "fr"}, "'language' is refused (Choose 'en' for English or 'cy'"),
        ({"database_url": "mysql://office/db"}, "'database_url' is refused (The database URL"),
    ],
)
def test_a_bad_file_is_refused_in_one_line_naming_it(
    tmp_path: Path, content: object, fragment: str
) -> None:
    path = _write(tmp_path / "defaults.json", content)
    with pytest.raises(AlongsideError) as refused:
        load_site_defaults(path)
    message = str(refused.value)
    assert message.startswith(f"The site defaults file {path} cannot be used: ")
    assert fragment in message
    assert message.endswith("Correct it, or remove it to use Alongside's own defaults.")
    assert "\n" not in message


def test_what_is_not_a_file_is_refused_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(AlongsideError, match="cannot be used: it is a folder, not a file"):
        load_site_defaults(tmp_path / "folder.json")
    os.mkfifo(tmp_path / "pipe.json")  # a named pipe: refused, never opened to wait on
    with pytest.raises(AlongsideError, match="cannot be used: it is a named pipe"):
        load_site_defaults(tmp_path / "pipe.json")
    _write(tmp_path / "huge.json", '{"language": "cy"' + " " * 70_000 + "}")
    with pytest.raises(AlongsideError, match=r"huge\.json cannot be used"):
        load_site_defaults(tmp_path / "huge.json")


def test_a_new_profile_takes_them_and_the_demo_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_key: bytes
) -> None:
    site = _write(tmp_path / "defaults.json", {"language": "cy", "idle_lock_minutes": 12})
    monkeypatch.setenv(SITE_DEFAULTS_ENV, str(site))
    made = create_profile(ProfilePaths(tmp_path / "office"), key=db_key)
    made.close()
    settings = load_settings(tmp_path / "office" / "settings.json")
    assert (settings.language, settings.idle_lock_minutes) == ("cy", 12)
    demo = create_profile(ProfilePaths(tmp_path / "demo"), key=db_key, demo=True)
    demo.close()
    settings = load_settings(tmp_path / "demo" / "settings.json")
    assert (settings.language, settings.idle_lock_minutes) == ("en", 5)


def test_a_bad_file_leaves_nothing_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_key: bytes
) -> None:
    site = _write(tmp_path / "defaults.json", {"language": "fr"})
    monkeypatch.setenv(SITE_DEFAULTS_ENV, str(site))
    with pytest.raises(AlongsideError, match=r"defaults\.json cannot be used"):
        create_profile(ProfilePaths(tmp_path / "office"), key=db_key)
    assert not (tmp_path / "office").exists()
