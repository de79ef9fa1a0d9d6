"""Writing a PDF to a file so that no reader ever sees half of it.

The bytes go to a temporary file beside the target, are flushed to disk, and
the temporary file is renamed over the target (atomic on one file system). A
failure at any point removes the temporary file and leaves the target as it
was, so a cancelled or failed export never leaves a partial form behind.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _

TEMPORARY_SUFFIX = ".tmp"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(stem: str, suffix: str = ".pdf") -> str:
    """``stem`` as a portable file name: ASCII letters, digits, dots and dashes."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip("-.") or "form"
    return cleaned[:120] + suffix


def check_target(target: Path) -> None:
    """Refuse, with what to do, a target that cannot be a file."""
    if target.is_dir():
        raise AlongsideError(
            _("{path} is a folder; give a file name for the PDF.").format(path=target)
        )
    if not target.parent.is_dir():
        raise AlongsideError(
            _("The folder {path} does not exist. Nothing was written.").format(path=target.parent)
        )


def write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` all at once; returns ``target``."""
    check_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=folder
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)  # a pre-filled form names a person: its owner only
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
