"""Log files, crash reports and checkpoints beside backups are this user's
only (0600, like the rest of the profile), and never written through a link."""

from __future__ import annotations

import io
import logging
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import crash
from app.logs import setup_logging
from app.paths import open_private_append, write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    yield folder
    root = logging.getLogger("alongside")
    for handler in list(root.handlers):
        if getattr(handler, "_alongside", False):
            root.removeHandler(handler)
            handler.close()


def test_the_log_and_its_rotated_files_are_private(logs: Path) -> None:
    setup_logging(logs)
    log = logging.getLogger("alongside.app")
    log.info("started")
    assert _mode(logs / "alongside.log") == 0o600
    (handler,) = [h for h in logging.getLogger("alongside").handlers if hasattr(h, "_alongside")]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    log.info("after the rotation")
    assert sorted(p.name for p in logs.iterdir()) == ["alongside.log", "alongside.log.1"]
    assert {_mode(p) for p in logs.iterdir()} == {0o600}


def test_logs_an_older_version_left_readable_are_made_private(logs: Path) -> None:
    logs.mkdir()
    for name in ("alongside.log", "alongside.log.3"):
        (logs / name).write_text("old line\n", encoding="utf-8")
        (logs / name).chmod(0o644)
    setup_logging(logs)
    assert {_mode(p) for p in logs.iterdir()} == {0o600}
    assert (logs / "alongside.log").read_text(encoding="utf-8") == "old line\n"


def test_a_link_in_place_of_the_log_is_refused_not_followed(logs: Path, tmp_path: Path) -> None:
    logs.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    (logs / "alongside.log").symlink_to(elsewhere)
    with pytest.raises(OSError):
        setup_logging(logs)
    assert not elsewhere.exists()


def test_private_writers_refuse_links(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    with pytest.raises(OSError):
        write_private(link, "checkpoint")
    with pytest.raises(OSError):
        open_private_append(link)
    assert not elsewhere.exists()
    write_private(tmp_path / "new", "checkpoint")
    assert _mode(tmp_path / "new") == 0o600


def test_a_crash_report_and_the_fault_log_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(crash, "_show", None)
    monkeypatch.setattr(crash, "_fault_file", None)
    enabled: list[object] = []
    monkeypatch.setattr(crash.faulthandler, "enable", lambda f, **_k: enabled.append(f))
    crash.install(tmp_path / "crashes")
    fault = enabled[0]
    assert isinstance(fault, io.TextIOWrapper)
    fault.close()
    assert _mode(tmp_path / "crashes" / "faulthandler.log") == 0o600
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report = crash.write_report(type(exc), exc, exc.__traceback__)
    assert report is not None and _mode(report) == 0o600
