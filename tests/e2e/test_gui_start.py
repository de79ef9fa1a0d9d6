"""The real program started as a separate process, as ``make run`` does,
until its window has painted (offscreen)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ALONGSIDE_") and k != "DBUS_SESSION_BUS_ADDRESS"
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ALONGSIDE_EXIT_AFTER_FIRST_PAINT="1",
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "home" / "data"),
        **extra,
    )
    return env


def _start(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
    )


def test_demo_starts_to_a_painted_window(tmp_path: Path) -> None:
    done = _start(["--demo"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_real_profile_starts_after_command_line_setup(tmp_path: Path) -> None:
    env = _env(tmp_path, ALONGSIDE_DB_KEY=secrets.token_hex(32))
    profile = tmp_path / "profile"
    setup = subprocess.run(
        [sys.executable, "-m", "app", "--profile", str(profile), "setup", "--admin", "jo"],
        cwd=ROOT,
        env={**env, "ALONGSIDE_PASSWORD": "a-long-admin-passw0rd"},
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
    )
    assert setup.returncode == 0, setup.stderr
    done = _start(["--profile", str(profile)], env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (profile / "logs").is_dir()
    assert not list(profile.glob("crash/crash-*.txt"))
