"""`alongside export-pdf` as a separate process: blank forms to files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from casework.forms.definitions import definition_files, load_catalogue
from tests.conftest import PATIENCE_S

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "export-pdf", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not definition_files(), reason="no shipped definitions yet")
def test_a_blank_welsh_large_print_form(tmp_path: Path) -> None:
    service = load_catalogue().services[0]
    target = tmp_path / "form.pdf"
    done = _run("--service", service.id, "--lang", "cy", "--large-print", "-o", str(target))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(target)
    text = "".join(page.extract_text() for page in reader.pages)
    assert service.text("title", "cy").split()[0] in text
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, not left


def test_an_unknown_service_is_one_line(tmp_path: Path) -> None:
    done = _run("--service", "no-such-service", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 1
    assert done.stderr.startswith("alongside: There is no service called 'no-such-service'")
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(not definition_files(), reason="no shipped definitions yet")
def test_an_unwritable_file_is_one_line_and_nothing_is_left(tmp_path: Path) -> None:
    service_id = definition_files()[0].stem
    missing = _run("--service", service_id, "-o", str(tmp_path / "nowhere" / "x.pdf"))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    assert "does not exist" in missing.stderr
    folder = _run("--service", service_id, "-o", str(tmp_path))
    assert folder.returncode == 1 and "is a folder" in folder.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        done = _run("--service", service_id, "-o", str(locked / "x.pdf"))
    finally:
        locked.chmod(0o700)
    if done.returncode == 0:
        pytest.skip("running as root: a read-only folder is still writable")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("alongside: ")
    assert list(locked.iterdir()) == []
