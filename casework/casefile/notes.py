"""Case notes: add and edit, each landing on the timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import CASE_CATEGORIES, load_case
from casework.kernel import timeline
from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Note, Worker
from casework.kernel.records import Actor, NoteRecord
from casework.kernel.validators import require_text
from delegation.scope import Action

MAX_NOTE_LENGTH = 20_000


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidInput({"body": _("Write something in the note before saving it.")})
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            {
                "body": _(
                    "This note is {n} characters long; the limit is {max}. "
                    "Split it into two notes, or attach it as a document."
                ).format(n=len(text), max=MAX_NOTE_LENGTH)
            }
        )
    return text


def add_note(
    session: Session, actor: Actor, case_id: int, body: str, *, now: datetime | None = None
) -> int:
    require_text({"body": body})
    load_case(session, actor, case_id, Action.DRAFT, CASE_CATEGORIES, now)
    note = Note(case_id=case_id, author_id=actor.worker_id, body=_clean_body(body))
    session.add(note)
    session.flush()
    first_line = note.body.splitlines()[0]
    summary = first_line if len(first_line) <= 80 else first_line[:79] + "…"
    timeline.record(
        session, case_id, "note_added", timeline.line(N_("Note: {text}"), text=summary), actor
    )
    return note.id


def edit_note(
    session: Session, actor: Actor, note_id: int, expected_version: int, body: str
) -> int:
    require_text({"body": body})
    note = session.get(Note, note_id)
    if note is None:
        raise NotFound(_("That note no longer exists."))
    load_case(session, actor, note.case_id, Action.DRAFT, CASE_CATEGORIES)
    clean = _clean_body(body)
    if note.version != expected_version:
        raise EditConflict(
            _(
                "Someone else edited this note while you were. Your text is still on screen: "
                "copy it, reload the note, then save again."
            ),
            current_version=note.version,
        )
    note.body = clean
    session.flush()
    timeline.record(session, note.case_id, "note_edited", timeline.line(N_("Note edited")), actor)
    return note.version


def note_records(session: Session, case_id: int) -> tuple[NoteRecord, ...]:
    stmt = (
        select(Note, Worker.display_name)
        .join(Worker, Worker.id == Note.author_id)
        .where(Note.case_id == case_id)
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    return tuple(
        NoteRecord(
            id=note.id,
            version=note.version,
            body=note.body,
            author=name,
            created_at=note.created_at,
        )
        for note, name in session.execute(stmt)
    )
