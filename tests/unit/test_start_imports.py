"""The sign-in window is painted before anything heavy is imported (issue 15).

A fresh interpreter imports what runs before the first paint (``python -m app``
up to the sign-in window: the command's dispatch, ``app.start`` and the
window it shows) and lists which of the heavy packages came with them.
"""

from __future__ import annotations

import os
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
    # Light, but not needed for the first paint: loaded when first used.
    "uuid",  # a new profile's id, a Notify template id
    "platform",
    "platformdirs",  # the default profile folder, when no --profile is given
    "casework.kernel.validators",  # its patterns compile on import
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


# The sign-in window painted, in a fresh interpreter: has the ``Qt`` namespace
# (a hundred-odd Python enums, made the first time it is touched) been touched?
PAINT_PROBE = """
import sys
from app import start
from ui import application
from ui.qt import QtCore
from ui.window.start import StartWindow

app = application.create_application(sys.argv)
window = StartWindow("Office", False)
window.first_painted.connect(app.quit)
QtCore.QTimer.singleShot(60_000, lambda: app.exit(3))
window.show()
code = app.exec()
print(code, "Qt" in vars(QtCore))
"""


def qt_namespace_touched_by_first_paint(extra: str = "") -> bool:
    done = subprocess.run(
        [sys.executable, "-c", extra + PAINT_PROBE],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    code, touched = done.stdout.split()
    assert code == "0"
    return touched == "True"


def test_the_sign_in_window_paints_without_the_qt_namespace() -> None:
    assert not qt_namespace_touched_by_first_paint()


def test_the_paint_probe_sees_the_qt_namespace_touched() -> None:
    assert qt_namespace_touched_by_first_paint("from ui.qt import Qt\n")
