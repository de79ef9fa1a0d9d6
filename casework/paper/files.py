"""File names for paper: a PDF's name that is safe on any system.

Writing the PDF itself is ``casework.kernel.files.write_atomically``, the one
writer of every file a worker names: the whole file or nothing.
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(stem: str, suffix: str = ".pdf") -> str:
    """``stem`` as a portable file name: ASCII letters, digits, dots and dashes."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_stem).strip("-.") or "form"
    return cleaned[:120] + suffix
