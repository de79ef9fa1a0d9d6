"""Where a profile lives (app.paths): the flag, then ALONGSIDE_PROFILE, then the default."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from app.paths import PROFILE_ENV, ProfilePaths, default_profile_dir, resolve_profile_dir


def test_the_flag_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROFILE_ENV, str(tmp_path / "from-env"))
    assert resolve_profile_dir(tmp_path / "from-flag") == (tmp_path / "from-flag").resolve()
    assert resolve_profile_dir(str(tmp_path / "as-text")) == (tmp_path / "as-text").resolve()


def test_the_environment_is_used_without_a_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROFILE_ENV, str(tmp_path / "from-env"))
    assert resolve_profile_dir() == (tmp_path / "from-env").resolve()
    assert resolve_profile_dir("") == (tmp_path / "from-env").resolve()


def test_the_platform_folder_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert resolve_profile_dir() == default_profile_dir()
    monkeypatch.setenv(PROFILE_ENV, "")
    assert resolve_profile_dir() == default_profile_dir()


def test_the_default_is_per_user_and_named_for_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = default_profile_dir()
    assert default.name == "default"
    assert "Alongside" in default.parts
    if sys.platform.startswith("linux"):
        assert default == tmp_path / "data" / "Alongside" / "default"


def test_relative_and_home_paths_are_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_profile_dir("relative") == tmp_path.resolve() / "relative"
    assert resolve_profile_dir("~/profile") == (tmp_path / "home" / "profile").resolve()
    monkeypatch.setenv(PROFILE_ENV, "~/from-env")
    assert resolve_profile_dir() == (tmp_path / "home" / "from-env").resolve()


def test_profile_files_are_all_inside_the_profile(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "p")
    for path in (paths.database, paths.settings, paths.logs, paths.backups, paths.crashes):
        assert path.parent == paths.root
    assert (paths.database.name, paths.settings.name) == ("alongside.db", "settings.json")
    assert (paths.logs.name, paths.backups.name, paths.crashes.name) == ("logs", "backups", "crash")


def test_ensure_makes_private_folders(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "nested" / "p")
    paths.ensure()
    paths.ensure()  # again: nothing to do, no error
    for folder in (paths.root, paths.logs, paths.backups, paths.crashes):
        assert folder.is_dir()
        if os.name == "posix":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
