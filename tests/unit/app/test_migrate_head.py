"""Start-up reads the schema version without Alembic; keep that honest."""

from __future__ import annotations

import subprocess
import sys

from app import migrate
from tests.conftest import PATIENCE_S


def test_the_recorded_head_is_the_migrations_head() -> None:
    assert migrate.head_revision() == migrate.HEAD_REVISION, (
        "a migration was added: set app.migrate.HEAD_REVISION to its revision"
    )


def test_opening_a_profile_does_not_import_alembic() -> None:
    code = "import sys, app.profile, app.backend; print('alembic' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=PATIENCE_S
    )
    assert done.stdout.strip() == "False"
