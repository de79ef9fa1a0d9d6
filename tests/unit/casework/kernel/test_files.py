"""The one way to read and to write a file a person names.

Every hostile target here is real: named pipes from ``os.mkfifo``, folders,
sockets and symbolic links made in ``tmp_path``, a device node made there
when the tests run as root. ``/dev/null`` itself is only ever looked at: the
test that names it makes any open or rename fail loudly first, so a missing
guard fails the test instead of replacing the device. A named pipe read runs
in a thread whose join timeout only detects a hang (a missing guard); a
passing run never waits on it.
"""

from __future__ import annotations

import os
import socket
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casework.kernel.errors import AlongsideError
from casework.kernel.files import FileRefused, FileTooLarge, read_bounded, write_atomically

HANG = 30.0  # seconds; only reached when a guard is missing and a call blocks


def _listing(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Each entry's kind and, for a file, its bytes: 'nothing changed' made checkable."""
    out: dict[str, tuple[int, bytes | None]] = {}
    for path in folder.iterdir():
        st = path.lstat()
        body = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        out[path.name] = (stat.S_IFMT(st.st_mode), body)
    return out


def _in_thread(call: Callable[[], object], unblock: Path | None = None) -> object:
    """``call()``'s result or exception; a hang is a failure, after unblocking
    a named pipe (opening its other end) so the thread can end."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as exc:  # handed back to the test
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG)
    if worker.is_alive():
        if unblock is not None:
            os.close(os.open(unblock, os.O_RDWR))
        worker.join(HANG)
        pytest.fail("the call blocked on a file that is not an ordinary file")
    return result[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    yield path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


# -- writing ---------------------------------------------------------------------------


def test_a_file_is_replaced_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    assert write_atomically(target, b"%PDF-new") == target
    assert target.read_bytes() == b"%PDF-new"
    assert (target.stat().st_mode & 0o777) == 0o600  # names a person: its owner only
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "form.pdf"
    target.write_bytes(b"old")

    def disk_gone(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", disk_gone)  # the rename is where it fails
    with pytest.raises(FileRefused, match=r"could not be written \(Input/output error"):
        write_atomically(target, b"%PDF-new")
    assert _listing(tmp_path) == {"form.pdf": (stat.S_IFREG, b"old")}


def test_the_rename_is_flushed_to_disk_with_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[str] = []
    real_fsync = os.fsync

    def record(fd: int) -> None:
        flushed.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", record)
    write_atomically(tmp_path / "form.pdf", b"%PDF")
    assert flushed == ["file", "folder"]


def test_a_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(AlongsideError, match="does not exist"):
        write_atomically(tmp_path / "nowhere" / "x.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        ("folder", "is a folder"),
        ("fifo", "is a named pipe"),
        ("socket", "is a socket"),
        ("link", "is a symbolic link"),
        ("dangling", "is a symbolic link"),
    ],
)
def test_what_is_not_an_ordinary_file_is_never_written(
    tmp_path: Path, make: str, kind: str
) -> None:
    """Each refusal is one sentence naming the path and what to do, and
    leaves the folder exactly as it was: no temporary file, the link still a
    link, the file it points to unchanged."""
    target = tmp_path / "out.pdf"
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"the worker's own file")
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    elif make == "link":
        target.symlink_to(kept)
    else:
        target.symlink_to(tmp_path / "not-there.pdf")
    before = _listing(tmp_path)
    refused = _in_thread(lambda: write_atomically(target, b"%PDF-new"), unblock=target)
    assert isinstance(refused, FileRefused), refused
    assert str(target) in refused.message and kind in refused.message
    assert "Nothing was written" in refused.message and "\n" not in refused.message
    assert _listing(tmp_path) == before
    if make == "socket":
        server.close()


def test_dev_null_is_refused_before_anything_is_opened_or_renamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real device is only looked at: were the guard missing, the first
    open or rename would fail this test, not replace the device."""

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the writer went past its check")

    monkeypatch.setattr(tempfile, "mkstemp", never)
    monkeypatch.setattr(os, "replace", never)
    with pytest.raises(FileRefused, match="/dev/null: it is a device, not a file"):
        write_atomically(Path("/dev/null"), b"%PDF")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_never_replaced(tmp_path: Path) -> None:
    """A copy of /dev/null's node, made in tmp_path: replacing it would harm nothing."""
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    with pytest.raises(FileRefused, match="is a device"):
        write_atomically(node, b"%PDF")
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_pipe_put_in_place_during_the_write_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked again just before the rename: a pipe made while the bytes were
    being written survives, and the temporary file goes."""
    target = tmp_path / "form.pdf"
    real_fsync = os.fsync

    def fsync_then_swap(fd: int) -> None:
        real_fsync(fd)
        if not os.path.lexists(target):
            os.mkfifo(target)

    monkeypatch.setattr(os, "fsync", fsync_then_swap)
    with pytest.raises(FileRefused, match="is a named pipe"):
        write_atomically(target, b"%PDF")
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_a_name_the_system_refuses_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match=r"could not be written \(File name too long"):
        write_atomically(tmp_path / ("r" * 300 + ".pdf"), b"%PDF")
    assert list(tmp_path.iterdir()) == []


# -- reading ---------------------------------------------------------------------------


def test_an_ordinary_file_is_read(tmp_path: Path) -> None:
    source = tmp_path / "letter.txt"
    source.write_bytes(b"x" * 10)
    assert read_bounded(source, 10) == b"x" * 10
    link = tmp_path / "link.txt"
    link.symlink_to(source)  # a link to an ordinary file is read through
    assert read_bounded(link, 10) == b"x" * 10


def test_a_named_pipe_is_refused_before_it_is_opened(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = os.open

    def watch(path: object, *args: int) -> int:
        opened.append(str(path))
        return real_open(path, *args)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(os, "open", watch)
    refused = _in_thread(lambda: read_bounded(fifo, 1000), unblock=fifo)
    assert isinstance(refused, FileRefused), refused
    assert refused.message == (
        f"{fifo}: it is a named pipe, not a file. Nothing was read; give an ordinary file."
    )
    assert str(fifo) not in opened


def test_a_pipe_swapped_in_after_the_check_neither_hangs_nor_is_read(
    fifo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first check is made to see an ordinary file (as if the pipe were
    swapped in a moment later): the open must not block, and what was opened
    is checked again."""
    plain = tmp_path / "ordinary"
    plain.touch()
    ordinary = plain.stat()
    real_stat = os.stat

    def stale(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return ordinary if Path(str(path)) == fifo else real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stale)
    refused = _in_thread(lambda: read_bounded(fifo, 1000), unblock=fifo)
    assert isinstance(refused, FileRefused), refused
    assert "is a named pipe" in refused.message


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "is a device"), ("/dev/urandom", "is a device")]
)
def test_devices_are_refused_not_read(path: str, kind: str) -> None:
    refused = _in_thread(lambda: read_bounded(Path(path), 1000))
    assert isinstance(refused, FileRefused) and kind in refused.message, refused


def test_folders_sockets_and_missing_files_are_refused(tmp_path: Path, unix_socket: Path) -> None:
    for path, kind in (
        (tmp_path, "is a folder"),
        (unix_socket, "is a socket"),
        (tmp_path / "gone.txt", "there is no such file"),
    ):
        with pytest.raises(FileRefused, match=kind):
            read_bounded(path, 1000)


def test_a_file_over_the_limit_is_refused_by_its_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as out:
        out.truncate(5 * 1024**3)  # 5 GB, sparse: reading it would take a while
    with pytest.raises(FileTooLarge) as refused:
        read_bounded(big, 1_048_576)
    assert refused.value.size == 5 * 1024**3 and refused.value.limit == 1_048_576
    assert "larger than the limit of 1.0 MB" in refused.value.message


@pytest.mark.skipif(not Path("/proc/self/mountinfo").exists(), reason="Linux /proc only")
def test_a_file_larger_than_it_says_is_read_only_to_the_limit() -> None:
    """Files in /proc report size 0 and hold more: reading stops at limit + 1."""
    source = Path("/proc/self/mountinfo")
    assert source.stat().st_size == 0 and len(source.read_bytes()) > 11
    with pytest.raises(FileTooLarge) as refused:
        read_bounded(source, 10)
    assert refused.value.size == 11


def test_refusals_carry_a_reason_without_the_path(fifo: Path) -> None:
    with pytest.raises(FileRefused) as refused:
        read_bounded(fifo, 10)
    assert refused.value.reason == "it is a named pipe, not a file"
    assert refused.value.path == fifo
