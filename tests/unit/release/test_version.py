"""The version has one source, ``app.__version__``; pyproject.toml reads it."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

from packaging.version import Version

import app

ROOT = Path(__file__).resolve().parents[3]


def _project() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def test_the_installed_metadata_agrees_with_app_version() -> None:
    assert importlib.metadata.version("alongside") == app.__version__


def test_the_version_is_a_release_number() -> None:
    version = Version(app.__version__)
    assert str(version) == app.__version__  # normalised: what the .deb and NEWS name
    assert not version.is_devrelease and not version.local


def test_pyproject_writes_no_version_of_its_own() -> None:
    data = _project()
    project = data["project"]
    assert isinstance(project, dict)
    assert "version" not in project, "the version lives only in app/__init__.py"
    assert "version" in project["dynamic"]
    tool = data["tool"]
    assert isinstance(tool, dict)
    assert tool["setuptools"]["dynamic"]["version"] == {"attr": "app.__version__"}
