"""The sign-in window is painted before anything heavy is imported (issue 15).

A fresh interpreter imports what runs before the first paint (``python -m app``
up to the sign-in window: the command's dispatch, ``app.start`` and the
window it shows) and lists which of the heavy packages came with them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Loaded after the first paint, on the start-up worker thread, or never at start.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "sqlcipher3",
    "reportlab",
    "pypdfium2",
    "requests",
    "urllib3",
    "notifications_python_client",
    "jwt",
    "cryptography",
    "keyring",
    "casework.forms",
    "casework.casefile",
    "offline_sync",
    "delegation",
    "jsonschema",
    "babel",
    "app.gui",
    "ui.window.main",
)

# What ``python -m app [--profile DIR] [--demo]`` runs before the sign-in paint.
SIGN_IN_PATH = ("app.cli", "app.start", "ui.window.start")

PROBE = """
import importlib, sys
for name in sys.argv[2:]:
    importlib.import_module(name)
heavy = sys.argv[1].split(",")
found = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)]
print(",".join(sorted(found)))
"""


def heavy_modules_after_importing(*modules: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [m for m in done.stdout.strip().split(",") if m]


def test_the_sign_in_path_imports_nothing_heavy() -> None:
    assert heavy_modules_after_importing(*SIGN_IN_PATH) == []


@pytest.mark.parametrize("heavy", ["sqlalchemy", "casework.forms", "ui.window.main"])
def test_the_probe_sees_a_heavy_import(heavy: str) -> None:
    # The check is real: the same probe, given one heavy module, names it.
    assert heavy in heavy_modules_after_importing(*SIGN_IN_PATH, heavy)
