"""Logging: one named logger per area, rotating files in the profile.

Areas: ``alongside.app``, ``alongside.db``, ``alongside.ui``,
``alongside.sync``, ``alongside.casework``. Nothing secret is ever logged,
and the log files are this user's only (0600, like the rest of the profile):
never written through a symbolic link.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from pathlib import Path
from typing import IO

from app.paths import open_private_append

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created 0600 and never through a link;
    rotation renames them, so the older files stay private too."""

    def _open(self) -> IO[str]:  # type: ignore[override]
        return open_private_append(Path(self.baseFilename))


def _make_private(folder: Path) -> None:
    """Logs an older Alongside left readable by others become this user's only."""
    for path in folder.glob("alongside.log*"):
        st = path.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 and os.name == "posix":
            path.chmod(0o600)


def setup_logging(folder: Path, level: int = logging.INFO) -> None:
    """Send ``alongside.*`` loggers to a rotating file (5 x 2 MB)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("alongside")
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_alongside", False):
            root.removeHandler(handler)
            handler.close()
    _make_private(folder)
    handler = PrivateRotatingFileHandler(
        folder / "alongside.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._alongside = True  # type: ignore[attr-defined]
    root.addHandler(handler)
