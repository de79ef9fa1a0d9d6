"""The crash path: an uncaught error is logged, written to a report and shown
in the UI's dialog as one friendly line, never lost and never a traceback
on screen."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from app import crash


def test_uncaught_error_writes_a_report_and_calls_the_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Keep pytest's own faulthandler set-up: pretend ours is already enabled.
    monkeypatch.setattr(crash, "_fault_file", io.StringIO())
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(crash, "_show", None)
    shown: list[tuple[str, Path | None]] = []
    crash.install(tmp_path / "crashes")
    crash.set_dialog(lambda summary, report: shown.append((summary, report)))
    assert sys.excepthook is crash._excepthook

    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)

    assert len(shown) == 1
    summary, report = shown[0]
    assert summary == "RuntimeError: the printer caught fire"
    assert report is not None and report.parent == tmp_path / "crashes"
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "the printer caught fire" in text


def test_a_broken_dialog_still_leaves_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(crash, "_fault_file", io.StringIO())
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(crash, "_show", None)
    crash.install(tmp_path / "crashes")

    def broken(summary: str, report: Path | None) -> None:
        raise OSError("no display")

    crash.set_dialog(broken)
    try:
        raise ValueError("bad")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert list((tmp_path / "crashes").glob("crash-*.txt"))
    assert "ValueError: bad" in capsys.readouterr().err
