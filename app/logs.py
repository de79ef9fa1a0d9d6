"""Logging: one named logger per area, rotating files in the profile.

Areas: ``alongside.app``, ``alongside.db``, ``alongside.ui``,
``alongside.sync``, ``alongside.casework``. Nothing secret is ever logged.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(folder: Path, level: int = logging.INFO) -> None:
    """Send ``alongside.*`` loggers to a rotating file (5 x 2 MB)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("alongside")
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_alongside", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        folder / "alongside.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._alongside = True  # type: ignore[attr-defined]
    root.addHandler(handler)
