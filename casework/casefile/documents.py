"""Documents attached to a case.

The bytes live inside the profile's encrypted database (a row in
``document_contents``), so an attachment is as protected as the case notes
and is written in the same transaction as its timeline line: a document is
either wholly attached or not at all. Names are made safe for any file system
before they are shown or written back out.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import secrets
import unicodedata
from pathlib import Path

from sqlalchemy.orm import Session

from casework.casefile.access import CASE_CATEGORIES, load_case
from casework.kernel import files, timeline
from casework.kernel.errors import AccessRefused, DocumentRejected, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Document, DocumentContent
from casework.kernel.records import Actor
from delegation.scope import Action

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
# File systems allow 255 bytes in a name (ext4, APFS) or 255 UTF-16 units
# (NTFS); keep well inside both, with room for the " (2)" an export may add.
MAX_NAME_BYTES = 200
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_name(name: str) -> str:
    """A file name safe on Windows, macOS and Linux, keeping what it can.

    Drops any folder part, control and reserved characters, trailing dots and
    spaces; renames Windows device names; keeps the extension; at most 120
    characters and ``MAX_NAME_BYTES`` bytes in UTF-8. Never returns an empty
    string.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    base = base.strip().rstrip(". ")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:16].rstrip(" ")
    if ext:
        stem = _clip(stem, 120 - len(ext) - 1, MAX_NAME_BYTES - len(ext.encode("utf-8")) - 1)
    else:
        stem = _clip(stem, 120, MAX_NAME_BYTES)
    result = f"{stem}.{ext}" if ext and stem else (stem or ext)
    # Cutting to length can leave a dot or space at the end again, and a name
    # that was only an extension (". 0", ".\u00a00") can start with a space.
    previous = None
    while result != previous:
        previous = result
        result = result.strip().rstrip(".")
    # Checked last, on what is written: ".con" loses its dot above and would
    # otherwise come out as the device name "con".
    if result.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        result = "_" + result
    return result or "document"


def _clip(text: str, max_chars: int, max_bytes: int) -> str:
    """``text`` cut to at most ``max_chars`` characters and ``max_bytes`` in UTF-8."""
    text = text[: max(max_chars, 0)]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def attach_document(
    session: Session, actor: Actor, case_id: int, source: Path, name: str | None = None
) -> int:
    """Read ``source`` and attach it to a case; returns the document id. Only
    an ordinary file under the limit is read (``files.read_bounded``)."""
    load_case(session, actor, case_id, Action.DRAFT, CASE_CATEGORIES)
    try:
        data = files.read_bounded(source, MAX_DOCUMENT_BYTES)
    except files.FileTooLarge as exc:
        raise DocumentRejected(
            _(
                "This file is {size} MB; the limit is {max} MB. Scan it at a lower resolution "
                "or split it, then attach it again."
            ).format(size=round(exc.size / 1_048_576, 1), max=MAX_DOCUMENT_BYTES // 1_048_576)
        ) from exc
    except files.FileRefused as exc:
        raise DocumentRejected(exc.message) from exc
    return _store(session, actor, case_id, data, name or source.name)


def attach_bytes(session: Session, actor: Actor, case_id: int, data: bytes, name: str) -> int:
    """Attach ``data`` to a case as a document called ``name``; returns its id
    (a returned paper form's scan, made into one PDF, comes this way)."""
    load_case(session, actor, case_id, Action.DRAFT, CASE_CATEGORIES)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRejected(
            _(
                "This file is {size} MB; the limit is {max} MB. Scan it at a lower resolution "
                "or split it, then attach it again."
            ).format(size=round(len(data) / 1_048_576, 1), max=MAX_DOCUMENT_BYTES // 1_048_576)
        )
    return _store(session, actor, case_id, data, name)


def _store(session: Session, actor: Actor, case_id: int, data: bytes, name: str) -> int:
    """The document row, its bytes and its timeline line (access already decided)."""
    if not data:
        raise DocumentRejected(_("This file is empty. Check you chose the right file."))
    display = safe_name(name)
    media_type = mimetypes.guess_type(display)[0] or "application/octet-stream"
    digest = hashlib.sha256(data).hexdigest()
    document = Document(
        case_id=case_id,
        original_name=display,
        stored_name=f"{case_id}-{digest[:16]}-{len(data)}-{_unique_suffix()}",
        sha256=digest,
        size=len(data),
        media_type=media_type,
        uploaded_by_id=actor.worker_id,
    )
    session.add(document)
    session.flush()
    session.add(DocumentContent(document_id=document.id, data=data))
    timeline.record(
        session,
        case_id,
        "document_attached",
        timeline.line(N_("Document attached: {name}"), name=display),
        actor,
    )
    return document.id


def _unique_suffix() -> str:
    return secrets.token_hex(6)


def read_document(session: Session, actor: Actor, document_id: int) -> tuple[str, bytes]:
    """The safe name and bytes of a document, after checking access and integrity."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(_("That document no longer exists."))
    _case, decision = load_case(session, actor, document.case_id, Action.VIEW, CASE_CATEGORIES)
    if decision.redacted_categories:
        # A file cannot be shown partly blank: withheld means not opened.
        raise AccessRefused(_("What you may see for this person does not include documents."))
    content = session.get(DocumentContent, document_id)
    if content is None or hashlib.sha256(content.data).hexdigest() != document.sha256:
        raise DocumentRejected(
            _("This document is damaged and cannot be opened. Ask the person for a new copy.")
        )
    return document.original_name, content.data
