"""Crash handling, installed before any window exists.

faulthandler writes a native traceback to the profile's crash folder (for
hard crashes in Qt or the database driver); ``sys.excepthook`` logs every
uncaught Python error and hands a short, friendly message to the UI's crash
dialog, if one has been registered.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from app.paths import open_private_append, write_private

log = logging.getLogger("alongside.app")
_fault_file: IO[str] | None = None
_show: Callable[[str, Path | None], None] | None = None
_crash_folder: Path | None = None


def install(crash_folder: Path) -> None:
    """Start faulthandler and the excepthook for this process."""
    global _fault_file, _crash_folder
    crash_folder.mkdir(parents=True, exist_ok=True)
    _crash_folder = crash_folder
    if _fault_file is None:
        _fault_file = open_private_append(crash_folder / "faulthandler.log")
        faulthandler.enable(_fault_file, all_threads=True)
    sys.excepthook = _excepthook


def set_dialog(show: Callable[[str, Path | None], None]) -> None:
    """Register the UI's crash dialog: ``show(summary, report_path)``."""
    global _show
    _show = show


def write_report(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> Path | None:
    if _crash_folder is None:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = _crash_folder / f"crash-{stamp}.txt"
    try:  # a traceback may name a person's data: this user's only, never through a link
        write_private(path, "".join(traceback.format_exception(kind, value, tb)))
    except OSError:
        return None
    return path


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.critical("uncaught error", exc_info=(kind, value, tb))
    report = write_report(kind, value, tb)
    if _show is not None:
        try:
            _show(f"{kind.__name__}: {value}", report)
            return
        except Exception:
            log.exception("crash dialog failed")
    sys.__excepthook__(kind, value, tb)
