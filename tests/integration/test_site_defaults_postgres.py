"""A shared office pre-sets its PostgreSQL database for every new profile.

IT writes ``database_url`` in the site defaults file; ``alongside setup`` on
that computer then makes a profile on the office database, with no encrypted
file and no key of its own. A URL given at set-up wins over the site's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PATIENCE_S

pytestmark = pytest.mark.postgres


def _alongside(site: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(ALONGSIDE_SITE_DEFAULTS=str(site), ALONGSIDE_PASSWORD="office-admin-password")
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--profile", str(profile)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        check=False,
    )


def test_a_new_profile_uses_the_office_database(postgres_url: str, tmp_path: Path) -> None:
    site = tmp_path / "defaults.json"
    site.write_text(json.dumps({"database_url": postgres_url}), encoding="utf-8")
    first = tmp_path / "first-user"
    setup = _alongside(site, first, "setup", "--admin", "office")
    assert setup.returncode == 0, setup.stderr
    assert not (first / "alongside.db").exists()
    settings = json.loads((first / "settings.json").read_text(encoding="utf-8"))
    assert settings["database_url"] == postgres_url
    check = _alongside(site, first, "db", "check")
    assert check.returncode == 0, check.stderr


def test_a_url_given_at_set_up_wins(postgres_url: str, tmp_path: Path) -> None:
    site = tmp_path / "defaults.json"
    nowhere = postgres_url.replace("host=", "host=/nonexistent")
    site.write_text(json.dumps({"database_url": nowhere, "language": "cy"}), encoding="utf-8")
    profile = tmp_path / "profile"
    setup = _alongside(site, profile, "setup", "--admin", "office", "--database-url", postgres_url)
    assert setup.returncode == 0, setup.stderr
    settings = json.loads((profile / "settings.json").read_text(encoding="utf-8"))
    assert (settings["database_url"], settings["language"]) == (postgres_url, "cy")
