"""Files a person names: read them bounded, write them whole.

Every command and dialog that reads a file the worker chose, or writes one,
comes through here, so each refuses the same things the same way.

- ``read_bounded``: only a regular file (a symbolic link is followed to one),
  checked before it is opened, opened without blocking, checked again on the
  open handle, then read to at most its limit plus one byte. A device such
  as ``/dev/zero`` or a named pipe is refused at once, never read.
- ``write_atomically``: never over anything that exists and is not a regular
  file (a device such as ``/dev/null``, a named pipe, a folder, a socket),
  and never through a symbolic link at the last part of the path. The bytes
  go to a temporary file beside the target, are flushed to disk, renamed over
  the target and the folder is flushed too; any failure removes the temporary
  file and leaves the old file as it was. It returns only once the file is
  written, so no caller can say "Wrote" for a file that was not.

Each refusal is a ``FileRefused``: one sentence naming the path and saying
what to do, and its ``reason`` alone for messages that name the file already.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

TEMPORARY_SUFFIX = ".tmp"
_CHUNK = 1 << 20
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)


class FileRefused(AlongsideError):
    """A file that cannot be read or written as asked; nothing was changed.

    ``reason`` is the clause without the path, for a message that names the
    file already (a definition's problem line)."""

    def __init__(self, message: str, path: Path, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class FileTooLarge(FileRefused):
    """A file over its limit; ``size`` is what it held when it was checked."""

    def __init__(self, message: str, path: Path, reason: str, size: int, limit: int) -> None:
        super().__init__(message, path, reason)
        self.size = size
        self.limit = limit


def _not_a_file(mode: int) -> str | None:
    """Why a file of this ``mode`` is not an ordinary file, or None if it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("it is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return _("it is a named pipe, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("it is a device, not a file")
    if stat.S_ISSOCK(mode):
        return _("it is a socket, not a file")
    if stat.S_ISLNK(mode):
        return _("it is a symbolic link; give the file it points to instead")
    return _("it is not an ordinary file")


def _size_words(n: int) -> str:
    if n >= 1_048_576:
        return _("{n} MB").format(n=round(n / 1_048_576, 1))
    return _("{n} KB").format(n=max(1, round(n / 1024)))


# -- reading ---------------------------------------------------------------------------


def _refuse_read(path: Path, reason: str) -> FileRefused:
    return FileRefused(
        _("{path}: {reason}. Nothing was read; give an ordinary file.").format(
            path=path, reason=reason
        ),
        path,
        reason,
    )


def _check_readable(path: Path, st: os.stat_result, limit: int) -> None:
    reason = _not_a_file(st.st_mode)
    if reason is not None:
        raise _refuse_read(path, reason)
    if st.st_size > limit:
        _too_large(path, st.st_size, limit)


def _too_large(path: Path, size: int, limit: int) -> None:
    reason = _("it is larger than the limit of {limit}").format(limit=_size_words(limit))
    raise FileTooLarge(
        _("{path}: {reason}. Nothing was read.").format(path=path, reason=reason),
        path,
        reason,
        size,
        limit,
    )


def _unreadable(path: Path, exc: OSError) -> FileRefused:
    if isinstance(exc, FileNotFoundError):
        return _refuse_read(path, _("there is no such file"))
    return _refuse_read(path, _("it cannot be read ({error})").format(error=exc.strerror or exc))


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the ordinary file ``path``, at most ``limit`` of them.

    Refuses (``FileRefused``; ``FileTooLarge`` for size) anything else before
    reading a byte: a folder, a device, a named pipe, a socket, a missing or
    unreadable file, or one over ``limit`` (checked again as it is read)."""
    try:
        _check_readable(path, os.stat(path), limit)
        # Non-blocking: a named pipe swapped in after the check cannot hang the open.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _NOCTTY)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    try:
        _check_readable(path, os.fstat(fd), limit)  # what was opened, not what was named
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew after the check
        _too_large(path, len(data), limit)
    return data


# -- writing ---------------------------------------------------------------------------


def _refuse_write(path: Path, reason: str) -> FileRefused:
    return FileRefused(
        _("{path}: {reason}. Nothing was written; give the name of an ordinary file.").format(
            path=path, reason=reason
        ),
        path,
        reason,
    )


def check_target(target: Path) -> None:
    """Refuse, with what to do, a target that cannot be written as a file:
    one that exists and is not an ordinary file (a symbolic link included),
    or whose folder does not exist. Looks only; opens and changes nothing."""
    try:
        st = os.lstat(target)  # the last part itself: a link is not followed
    except FileNotFoundError:
        pass
    except OSError as exc:  # a name too long, a folder not ours
        raise _not_written(target, exc) from exc
    else:
        reason = _not_a_file(st.st_mode)
        if reason is not None:
            raise _refuse_write(target, reason)
    folder = target.parent
    if not folder.is_dir():
        raise FileRefused(
            _("The folder {path} does not exist. Nothing was written.").format(path=folder),
            target,
            _("its folder does not exist"),
        )


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk; some systems cannot, and the file is written."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` all at once, readable by its owner only;
    returns ``target``. On any refusal or failure (``FileRefused``) the old
    file, if any, is as it was and no temporary file is left."""
    check_target(target)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise _not_written(target, exc) from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp made it 0600: what is written names a person, so its owner only.
        check_target(target)  # again, just before the rename: nothing swapped in since
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _not_written(target, exc) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return target


def _not_written(target: Path, exc: OSError) -> FileRefused:
    reason = _("it could not be written ({error})").format(error=exc.strerror or exc)
    return FileRefused(
        _("{path}: {reason}. Nothing was changed; choose another place.").format(
            path=target, reason=reason
        ),
        target,
        reason,
    )
