"""The window and the backend import without the packages only later screens use.

PDF making and reading (reportlab, pypdf, PDFium), the HTTP and Notify stack
(requests, the Notify client and its JWT), the schema checker, the holiday
tables, Babel and Alembic each load when something first needs them, not
with ``app.backend`` or ``ui.window.main`` (issue 15: paint first). Each check
runs a fresh interpreter, and a failure names the chain of imports that
pulled the package in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[3]
HEAVY = (
    "reportlab",
    "pypdf",
    "pypdfium2",
    "requests",
    "urllib3",
    "notifications_python_client",
    "jwt",
    "jsonschema",
    "holidays",
    "babel",
    "alembic",
)


def _chain(importtime: str, package: str) -> str:
    """Who imported ``package`` first, read from ``-X importtime`` output."""
    rows: list[tuple[int, str]] = []
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[0].startswith("import time:") or "self" in parts[0]:
            continue
        name = parts[2].rstrip()
        rows.append(((len(name) - len(name.lstrip())) // 2, name.strip()))
    for i, (level, name) in enumerate(rows):
        if name.split(".")[0] == package:
            chain = [name]
            for outer, importer in rows[i + 1 :]:
                if outer < level:
                    level = outer
                    chain.append(importer)
            return " <- ".join(chain)
    return package


def heavy_imports_of(module: str) -> list[str]:
    """The heavy packages a fresh ``import module`` loads, each with its import chain."""
    code = (
        f"import sys, {module}\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=PATIENCE_S,
    )
    return [_chain(done.stderr, name) for name in done.stdout.split()]


@pytest.mark.parametrize("module", ["app.backend", "ui.window.main", "app.profile"])
def test_start_up_modules_leave_the_heavy_packages_for_later(module: str) -> None:
    assert heavy_imports_of(module) == []


def test_the_check_names_a_heavy_import_and_who_made_it() -> None:
    # The check itself: a module that does import one is caught, with its importer.
    found = heavy_imports_of("casework.paper.layout")
    chains = [c for c in found if c.startswith("reportlab")]
    assert chains and "casework.paper.layout" in chains[0]
