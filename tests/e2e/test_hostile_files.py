"""The real command given files that are not ordinary files.

``export-pdf -o``, ``report acted-for -o`` and ``services validate`` each
get a named pipe, a folder, a symbolic link (to a file and to nowhere), a
socket and, when run as root, a device node made in ``tmp_path`` (never
``/dev/null`` itself). Each must print one line on standard error, exit 1
and leave the folder exactly as it was. Nothing ever opens the pipes' other
end: a command that opened one would block, and the subprocess timeout
would fail the test (it is a hang detector, never waited on when it passes).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.forms.definitions import definition_files

ROOT = Path(__file__).resolve().parents[2]
HANG = 120  # seconds; only a blocked command reaches it


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALONGSIDE_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), PYTHONWARNINGS="error")
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _listing(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    out: dict[str, tuple[int, bytes | str | None]] = {}
    for path in folder.iterdir():
        st = path.lstat()
        body: bytes | str | None = None
        if stat.S_ISREG(st.st_mode):
            body = path.read_bytes()
        elif stat.S_ISLNK(st.st_mode):
            body = os.readlink(path)
        out[path.name] = (stat.S_IFMT(st.st_mode), body)
    return out


KINDS = ["fifo", "folder", "link", "dangling", "socket", "device"]


@pytest.fixture(params=KINDS)
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A target that is not an ordinary file, in a folder of its own, and the
    words its refusal must contain."""
    folder = tmp_path / "chosen"
    folder.mkdir()
    (folder / "kept.pdf").write_bytes(b"the worker's own file")
    target = folder / "out.pdf"
    server = None
    kind: str = request.param
    if kind == "fifo":
        os.mkfifo(target)
        words = "is a named pipe"
    elif kind == "folder":
        target.mkdir()
        words = "is a folder"
    elif kind == "link":
        target.symlink_to(folder / "kept.pdf")
        words = "is a symbolic link"
    elif kind == "dangling":
        target.symlink_to(folder / "nothing.pdf")
        words = "is a symbolic link"
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        words = "is a socket"
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a null device, here
        words = "is a device"
    yield target, words
    if server is not None:
        server.close()


def _refused_once(done: subprocess.CompletedProcess[str], target: Path, words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("alongside: ") and words in done.stderr
    assert str(target) in done.stderr
    assert "Wrote" not in done.stdout


@pytest.mark.skipif(not definition_files(), reason="no shipped definitions yet")
def test_export_pdf_writes_over_nothing_that_is_not_a_file(
    hostile: tuple[Path, str], tmp_path: Path
) -> None:
    target, words = hostile
    before = _listing(target.parent)
    service_id = definition_files()[0].stem
    done = _run("export-pdf", "--service", service_id, "-o", str(target), home=tmp_path / "home")
    _refused_once(done, target, words)
    assert _listing(target.parent) == before


def test_report_acted_for_writes_over_nothing_that_is_not_a_file(
    hostile: tuple[Path, str], tmp_path: Path
) -> None:
    """Refused before any profile is opened or any password asked for."""
    target, words = hostile
    before = _listing(target.parent)
    done = _run(
        "report",
        "acted-for",
        "--profile",
        str(tmp_path / "no-profile"),
        "--user",
        "someone",
        "--person",
        "1",
        "-o",
        str(target),
        home=tmp_path / "home",
    )
    _refused_once(done, target, words)
    assert _listing(target.parent) == before
    assert not (tmp_path / "no-profile").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder", "socket", "zero"])
def test_services_validate_reads_only_ordinary_files(tmp_path: Path, kind: str) -> None:
    """``/dev/zero`` and a pipe with no writer answer at once, without reading."""
    server = None
    if kind == "zero":
        path, words = Path("/dev/zero"), "it is a device, not a file"
    else:
        path = tmp_path / "definition.json"
        if kind == "fifo":
            os.mkfifo(path)
            words = "it is a named pipe, not a file"
        elif kind == "folder":
            path.mkdir()
            words = "it is a folder, not a file"
        else:
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
            words = "it is a socket, not a file"
    try:
        done = _run("services", "validate", str(path), home=tmp_path / "home")
    finally:
        if server is not None:
            server.close()
    assert done.returncode == 1
    assert done.stderr == f"alongside: {path}: /: {words}\n"


def test_services_validate_refuses_a_file_over_the_limit_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(4 * 1024**3)  # sparse: reading it all would take a while
    done = _run("services", "validate", str(big), home=tmp_path / "home")
    assert done.returncode == 1
    assert done.stderr == (
        f"alongside: {big}: /: the file is 4,294,967,296 bytes; "
        "a definition may be at most 1,000,000\n"
    )
