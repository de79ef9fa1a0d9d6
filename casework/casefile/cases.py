"""Cases: a person's journey through one service, with a status machine.

``TRANSITIONS`` is the whole status machine: a case moves only along it, and
every move lands on the timeline.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy import case as when_
from sqlalchemy.orm import Session

from casework.casefile.access import CASE_CATEGORIES, load_case, require_person_record
from casework.casefile.notes import note_records
from casework.casefile.tasks import task_records
from casework.kernel import timeline
from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, Document, Note, Person, Task, Worker, utcnow
from casework.kernel.records import Actor, CaseDetail, CaseStatus, DocumentRecord, WorkRow
from casework.kernel.validators import require_text
from delegation.policy import require
from delegation.scope import Action
from delegation.visibility import record_listing, visible_people

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset(
        {CaseStatus.WAITING_FOR_PERSON, CaseStatus.WAITING_FOR_SERVICE, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING_FOR_PERSON: frozenset(
        {CaseStatus.OPEN, CaseStatus.WAITING_FOR_SERVICE, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING_FOR_SERVICE: frozenset(
        {CaseStatus.OPEN, CaseStatus.WAITING_FOR_PERSON, CaseStatus.CLOSED}
    ),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}

STATUS_LABELS = {
    CaseStatus.OPEN: N_("Open"),
    CaseStatus.WAITING_FOR_PERSON: N_("Waiting for the person"),
    CaseStatus.WAITING_FOR_SERVICE: N_("Waiting for the service"),
    CaseStatus.CLOSED: N_("Closed"),
}

# Crockford base 32 without I, L, O, U: easy to read out over the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


_REFERENCE_SPACE = 32**7


def new_reference(number: int | None = None) -> str:
    """A short case reference like ``AL-7K3M9QX``, easy to read out.

    Random by default (checked for uniqueness by the caller). Given a
    ``number``, it is a fixed scramble of it instead (a bijection modulo
    32^7), so bulk imports get distinct references without checking.
    """
    if number is None:
        value = secrets.randbelow(_REFERENCE_SPACE)
    else:
        value = (number * 0x5DEECE66D + 0xB) % _REFERENCE_SPACE
    chars = []
    for _position in range(7):
        value, digit = divmod(value, 32)
        chars.append(_REFERENCE_ALPHABET[digit])
    return "AL-" + "".join(reversed(chars))


def open_case(
    session: Session,
    actor: Actor,
    person_id: int,
    service_id: str,
    title: str,
    assigned_worker_id: int | None = None,
) -> int:
    """Open a case for a person the actor may draft for (the caseload, or a
    mandate for this service); returns its id."""
    require_text({"title": title, "service_id": service_id})
    person = session.get(Person, person_id)
    if service_id.strip() and person is not None:
        # A mandate is decided on the exact text given (" blue-badge" is
        # refused, not tidied into a match); the caseload may be tidied.
        in_caseload = person.team_id == actor.team_id
        require(
            session,
            actor,
            person_id,
            Action.DRAFT,
            service_id.strip() if in_caseload else service_id,
        )
    else:
        require_person_record(session, actor, person_id, Action.DRAFT)
    service_id = service_id.strip()
    title = " ".join(title.split())
    errors = {}
    if not title:
        errors["title"] = _("Enter a short title for the case, like 'Blue Badge renewal'.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title to 200 characters or fewer.")
    if not service_id.strip():
        errors["service_id"] = _("Choose the service this case is about.")
    if errors:
        raise InvalidInput(errors)
    reference = new_reference()
    while session.scalar(select(func.count()).where(Case.reference == reference)):
        reference = new_reference()
    case = Case(
        reference=reference,
        person_id=person_id,
        team_id=actor.team_id,
        service_id=service_id,
        title=title,
        assigned_worker_id=assigned_worker_id or actor.worker_id,
        opened_at=utcnow(),
    )
    session.add(case)
    session.flush()
    timeline.record(
        session,
        case.id,
        "case_opened",
        timeline.line(N_("Case opened: {title}"), title=title),
        actor,
    )
    return case.id


def change_status(
    session: Session, actor: Actor, case_id: int, expected_version: int, new_status: str
) -> int:
    """Move a case along ``TRANSITIONS``; returns the new version."""
    require_text({"status": new_status})
    case, _decision = load_case(session, actor, case_id, Action.DRAFT)
    if case.version != expected_version:
        raise EditConflict(
            _("Someone else updated this case. Reload it to see their change, then try again."),
            current_version=case.version,
        )
    try:
        target = CaseStatus(new_status)
    except ValueError:
        raise InvalidInput(
            {
                "status": _("'{status}' is not a case status. Choose one from the list.").format(
                    status=new_status
                )
            }
        ) from None
    if target not in TRANSITIONS[case.status]:
        raise InvalidInput(
            {
                "status": _("A case that is '{old}' cannot become '{new}'.").format(
                    old=_(STATUS_LABELS[case.status]), new=_(STATUS_LABELS[target])
                )
            }
        )
    case.status = target
    case.closed_at = utcnow() if target is CaseStatus.CLOSED else None
    session.flush()
    timeline.record(
        session,
        case.id,
        "status_changed",
        timeline.line(
            N_("Status changed to '{status}'"), status=timeline.line(STATUS_LABELS[target])
        ),
        actor,
    )
    return case.version


def _document_records(session: Session, case_id: int) -> tuple[DocumentRecord, ...]:
    """The case's documents, newest first."""
    return tuple(
        DocumentRecord(
            id=doc.id,
            name=doc.original_name,
            size=doc.size,
            media_type=doc.media_type,
            sha256=doc.sha256,
            uploaded_by=name,
            uploaded_at=doc.uploaded_at,
        )
        for doc, name in session.execute(
            select(Document, Worker.display_name)
            .join(Worker, Worker.id == Document.uploaded_by_id)
            .where(Document.case_id == case_id)
            .order_by(Document.uploaded_at.desc())
        )
    )


def case_detail(
    session: Session, actor: Actor, case_id: int, *, now: datetime | None = None
) -> CaseDetail:
    """Read a case with its notes, tasks, documents and timeline; notes and
    documents are left out (``redacted``) when the decision withholds them."""
    case, decision = load_case(session, actor, case_id, Action.VIEW, CASE_CATEGORIES, now)
    hidden = decision.redacted_categories
    assignee = (
        session.scalar(select(Worker.display_name).where(Worker.id == case.assigned_worker_id))
        if case.assigned_worker_id
        else None
    )
    return CaseDetail(
        id=case.id,
        version=case.version,
        reference=case.reference,
        person_id=case.person_id,
        person_name=f"{case.person.given_name} {case.person.family_name}",
        service_id=case.service_id,
        title=case.title,
        status=case.status,
        allowed_statuses=tuple(sorted(TRANSITIONS[case.status])),
        assigned_to=assignee,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        notes=() if hidden else note_records(session, case_id),
        tasks=task_records(session, case_id),
        documents=() if hidden else _document_records(session, case_id),
        timeline=timeline.entries(session, case_id),
        redacted=frozenset(hidden),
    )


def case_id_for_reference(session: Session, actor: Actor, reference: str) -> int:
    """Find a case by its reference (as printed on paper), within the caseload."""
    case_id = session.scalar(select(Case.id).where(Case.reference == reference.strip().upper()))
    if case_id is None:
        raise NotFound(_("There is no case with reference {ref}.").format(ref=reference))
    load_case(session, actor, case_id, Action.VIEW)
    return case_id


__all__ = ["STATUS_LABELS", "TRANSITIONS", "Note", "Task", "case_detail", "open_case"]


def my_open_cases(session: Session, actor: Actor, today: date | None = None) -> list[WorkRow]:
    """The actor's own open cases in their caseload: overdue work first, then
    by what is due soonest, then the oldest."""
    today = today or date.today()
    pending = and_(Task.case_id == Case.id, Task.done.is_(False))
    next_due = select(func.min(Task.due_on)).where(pending).correlate(Case).scalar_subquery()
    overdue = (
        select(func.count()).where(pending, Task.due_on < today).correlate(Case).scalar_subquery()
    )
    stmt = (
        select(
            Case.id,
            Case.reference,
            Case.person_id,
            Person.given_name,
            Person.family_name,
            Case.title,
            Case.status,
            Case.opened_at,
            next_due.label("next_due"),
            overdue.label("overdue"),
        )
        .join(Person, Person.id == Case.person_id)
        .where(
            Case.assigned_worker_id == actor.worker_id,
            visible_people(session, actor),
            Case.status != CaseStatus.CLOSED,
        )
        .order_by(
            overdue.desc(),
            when_((next_due.is_(None), 1), else_=0),
            next_due,
            Case.opened_at,
        )
    )
    rows = [
        WorkRow(
            case_id=row.id,
            reference=row.reference,
            person_id=row.person_id,
            person_name=f"{row.given_name} {row.family_name}",
            title=row.title,
            status=row.status.value,
            opened_at=row.opened_at,
            next_due=row.next_due,
            overdue_tasks=row.overdue,
        )
        for row in session.execute(stmt)
    ]
    record_listing(session, actor, "my-cases", len({r.person_id for r in rows}))
    return rows
