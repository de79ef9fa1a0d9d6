"""The layout tests again at 200% scale: Qt's scale is read once, when the
application starts, so ``test_layout.py`` runs in its own pytest process with
``QT_SCALE_FACTOR=2``, on an offscreen screen of 2560×1440 pixels: a
1280×720 laptop screen at 200% (the PNGs are ``artifacts/layout-*-x2-*.png``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(os.environ.get("QT_SCALE_FACTOR") == "2", reason="already scaled")
def test_nothing_is_cut_off_at_200_percent(tmp_path: Path) -> None:
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 2560, "height": 1440}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "2",
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/ui/test_layout.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
