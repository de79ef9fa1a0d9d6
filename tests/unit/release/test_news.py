"""NEWS.md says what changed in each release, newest first, this one included."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.version import Version

import app

ROOT = Path(__file__).resolve().parents[3]
HEADING = re.compile(r"^## (Unreleased|(\d+\.\d+\.\d+\S*) \((\d{4}-\d{2}(?:-\d{2})?)\))$", re.M)


def _headings() -> list[re.Match[str]]:
    return list(HEADING.finditer((ROOT / "NEWS.md").read_text(encoding="utf-8")))


def test_news_has_a_heading_for_this_version() -> None:
    versions = [m.group(2) for m in _headings() if m.group(2)]
    assert app.__version__ in versions, f"NEWS.md needs '## {app.__version__} (YYYY-MM)'"


def test_releases_are_newest_first_under_unreleased() -> None:
    headings = _headings()
    released = [Version(m.group(2)) for m in headings if m.group(2)]
    assert released == sorted(released, reverse=True)
    unreleased = [i for i, m in enumerate(headings) if m.group(1) == "Unreleased"]
    assert unreleased in ([], [0]), "at most one Unreleased section, at the top"
