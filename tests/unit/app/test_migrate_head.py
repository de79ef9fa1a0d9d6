"""Start-up reads the schema version without Alembic; keep that honest."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from app import migrate
from app.database import sqlcipher_engine
from app.paths import ProfilePaths
from app.profile import create_profile
from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[3]
# Opens the profile at argv[1] as start-up does, then reports its revision and
# whether Alembic was imported on the way.
OPEN = """
import sys
from pathlib import Path
from app.paths import ProfilePaths
from app.profile import open_profile
from app import migrate
opened = open_profile(ProfilePaths(Path(sys.argv[1])))
print(migrate.current_revision(opened.engine), 'alembic' in sys.modules)
opened.close()
"""


def test_the_recorded_head_is_the_migrations_head() -> None:
    assert migrate.head_revision() == migrate.HEAD_REVISION, (
        "a migration was added: set app.migrate.HEAD_REVISION to its revision"
    )


def test_importing_the_start_up_modules_does_not_import_alembic() -> None:
    code = "import sys, app.profile, app.backend; print('alembic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=PATIENCE_S
    )
    assert done.stdout.strip() == "False"


def _open_in_a_fresh_interpreter(root: Path, key: bytes) -> list[str]:
    env = {**os.environ, "ALONGSIDE_DB_KEY": key.hex(), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", OPEN, str(root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=PATIENCE_S,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.fixture
def profile_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ProfilePaths, bytes]:
    """A new (current) profile whose key is given by the environment."""
    key = secrets.token_bytes(32)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", key.hex())
    paths = ProfilePaths(tmp_path / "profile")
    create_profile(paths).close()
    return paths, key


def test_opening_a_current_profile_does_not_import_alembic(
    profile_key: tuple[ProfilePaths, bytes],
) -> None:
    paths, key = profile_key
    assert _open_in_a_fresh_interpreter(paths.root, key) == [migrate.HEAD_REVISION, "False"]


def test_a_profile_one_migration_behind_is_still_upgraded(
    profile_key: tuple[ProfilePaths, bytes],
) -> None:
    paths, key = profile_key
    engine = sqlcipher_engine(paths.database, key)
    migrate.downgrade(engine, "-1")
    behind = migrate.current_revision(engine)
    engine.dispose()
    assert behind != migrate.HEAD_REVISION
    assert _open_in_a_fresh_interpreter(paths.root, key) == [migrate.HEAD_REVISION, "True"]
