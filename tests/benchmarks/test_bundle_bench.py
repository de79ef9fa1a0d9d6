"""Cold start of the bundle: the bundled ``alongside`` to its first painted
window, against the same bundle's bare Qt window (``qt-baseline``), beside
the same comparison in the virtual environment (test_startup_bench's).

Builds nothing: build the bundle with its yardstick first,
``ALONGSIDE_BUNDLE_BASELINE=1 make bundle`` (``ALONGSIDE_BUNDLE`` picks
another folder than dist/alongside). The bundle runs with a clean
environment, as an installed program does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.profile import OpenProfile
from tests.benchmarks.conftest import BENCH_KEY, report, summary
from tests.benchmarks.test_startup_bench import BARE, REPEAT, _run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundle() -> tuple[Path, Path]:
    """The bundle's two executables; checked before the large profile is built."""
    folder = Path(os.environ.get("ALONGSIDE_BUNDLE") or ROOT / "dist" / "alongside").resolve()
    exe, baseline = folder / "alongside", folder / "qt-baseline"
    if not exe.is_file():
        pytest.fail(f"no bundle at {folder}: run `ALONGSIDE_BUNDLE_BASELINE=1 make bundle` first")
    if not baseline.is_file():
        pytest.fail(
            f"the bundle at {folder} has no qt-baseline (the bare window to measure against): "
            "rebuild it with `ALONGSIDE_BUNDLE_BASELINE=1 make bundle`"
        )
    return exe, baseline


def _interleaved(
    commands: list[tuple[str, list[str], dict[str, str]]],
) -> list[tuple[str, float, float]]:
    """p50/p95 per command, taking one sample of each in turn, so a busy
    moment on a shared machine falls on the bundle and the venv alike."""
    for _name, args, env in commands:
        _run(args, env)  # warm the OS file cache
    samples: dict[str, list[float]] = {name: [] for name, _args, _env in commands}
    for _ in range(REPEAT):
        for name, args, env in commands:
            samples[name].append(_run(args, env))
    return [(name, *summary(samples[name])) for name, _args, _env in commands]


def test_bundle_cold_start_against_its_bare_qt_window(
    bundle: tuple[Path, Path], big_profile: OpenProfile, tmp_path: Path
) -> None:
    exe, baseline = bundle
    common = {
        "QT_QPA_PLATFORM": "offscreen",
        "ALONGSIDE_EXIT_AFTER_FIRST_PAINT": "1",
        "ALONGSIDE_DB_KEY": BENCH_KEY.hex(),
    }
    home = tmp_path / "home"
    home.mkdir()
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **common}
    profile = str(big_profile.paths.root)
    venv_env = {**os.environ, **common}
    name = big_profile.paths.root.name
    rows = _interleaved(
        [
            ("bundle: bare Qt window (qt-baseline)", [str(baseline)], clean),
            (f"bundle: Alongside, {name}", [str(exe), "--profile", profile], clean),
            ("bundle: Alongside --demo", [str(exe), "--demo"], clean),
            ("venv: bare PySide6 window", [sys.executable, "-c", BARE], venv_env),
            (
                f"venv: Alongside, {name}",
                [sys.executable, "-m", "app", "--profile", profile],
                venv_env,
            ),
            ("venv: Alongside --demo", [sys.executable, "-m", "app", "--demo"], venv_env),
        ]
    )
    bundled, venv = rows[:3], rows[3:]
    report("bundle cold start to first painted window (new process each time)", bundled)
    report("venv cold start to first painted window (as test_startup_bench)", venv)
    print("\n[bench] ratio to the bare window, bundle against venv (p50; 1.00 = the same)")
    for (label, p50, _p95), (_venv_label, venv_p50, _venv_p95) in zip(
        bundled[1:], venv[1:], strict=True
    ):
        ours, theirs = p50 / bundled[0][1], venv_p50 / venv[0][1]
        print(f"  {label:40} bundle {ours:5.2f}x  venv {theirs:5.2f}x  ({ours / theirs:4.2f})")
