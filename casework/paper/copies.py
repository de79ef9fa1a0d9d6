"""Printed copies: each printed form is recorded with its own reference, and a
blank one can be given out to a person and expected back.

``record_copy`` allocates a copy (this office's code from ``PaperOffice``, a
random serial retried on the unique constraint) in the caller's transaction,
which is the one that took the ``print`` policy decision (``case_print``).
The copy's reference is printed on the form, so it is allocated before the
pages are laid out; the page count is known only after, so the print
confirms it with ``record_pages``, or takes the copy back with
``discard_copy`` when the rendering failed (``print_recorded`` does the three
steps): a failed print leaves no copy. A copy still at 0 pages was never
printed, and no query here shows it.

``give_out`` links a blank copy to a case and its person, with the date it
is expected back (``DUE_BACK_WORKING_DAYS`` working days in the person's
nation by default): a policy decision, an audit entry and a timeline line.
``copies_out`` (a case's forms waiting to come back) and ``overdue_copies``
(every visible one past its date) read through the visibility wall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.nations import Nation, nation_of_postcode
from casework.kernel.records import Actor
from casework.kernel.working_days import add_working_days, local_date
from casework.paper.models import PaperCopy, PaperOffice
from casework.paper.reference import NO_OFFICE, SERIAL_LENGTH, copy_reference, random_code
from delegation import audit, policy
from delegation.mandate_rows import acting_worker
from delegation.scope import Action
from delegation.visibility import seen_now

if TYPE_CHECKING:
    from casework.kernel.action import Action as CoreAction

T = TypeVar("T")
U = TypeVar("U")

DUE_BACK_WORKING_DAYS = 14
SERIAL_ATTEMPTS = 8  # 32**6 serials: a second clash in a row is already a broken generator
KINDS = ("blank", "draft", "submission")


@dataclass(frozen=True)
class CopyItem:
    """One printed copy, as a plain value the UI holds."""

    id: int
    reference: str
    service_id: str
    kind: str
    language: str
    large_print: bool
    pages: int
    person_id: int | None
    case_id: int | None
    case_reference: str | None
    person_name: str
    printed_at: datetime
    given_out_at: datetime | None
    due_back_on: date | None
    overdue: bool


def new_serial() -> str:
    """A copy's random serial."""
    return random_code(SERIAL_LENGTH)


def office_code(session: Session) -> str:
    """This profile's office code (printed in every reference it records)."""
    code = session.scalar(select(PaperOffice.code).order_by(PaperOffice.id).limit(1))
    return code or NO_OFFICE


def today_here() -> date:
    """Today on the wall in London."""
    return local_date(utcnow())


def _item(session: Session, row: PaperCopy, today: date | None = None) -> CopyItem:
    case_reference = None
    name = ""
    if row.case_id is not None:
        case = session.get(Case, row.case_id)
        case_reference = case.reference if case is not None else None
    if row.person_id is not None:
        person = session.get(Person, row.person_id)
        if person is not None:
            name = f"{person.given_name} {person.family_name}"
    day = today or today_here()
    overdue = (
        row.due_back_on is not None
        and row.returned_at is None
        and row.pages > 0
        and row.due_back_on < day
    )
    return CopyItem(
        id=row.id,
        reference=row.reference,
        service_id=row.service_id,
        kind=row.kind,
        language=row.language,
        large_print=row.large_print,
        pages=row.pages,
        person_id=row.person_id,
        case_id=row.case_id,
        case_reference=case_reference,
        person_name=name,
        printed_at=row.printed_at,
        given_out_at=row.given_out_at,
        due_back_on=row.due_back_on,
        overdue=overdue,
    )


def record_copy(
    session: Session,
    actor: Actor,
    *,
    service_id: str,
    version: str,
    language: str,
    large_print: bool = False,
    kind: str = "blank",
    draft_id: int | None = None,
    submission_id: int | None = None,
    person_id: int | None = None,
    case_id: int | None = None,
    pages: int = 0,
    serial: Callable[[], str] = new_serial,
) -> CopyItem:
    """Allocate one copy with its own reference, in the caller's transaction
    (the one that took the print decision). ``serial`` makes a serial; one
    already taken is drawn again."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of copy {kind!r}")
    if (kind == "draft") != (draft_id is not None) or (kind == "submission") != (
        submission_id is not None
    ):
        raise ValueError("a draft copy names its draft, a submission copy its submission")
    office = office_code(session)
    for _attempt in range(SERIAL_ATTEMPTS):
        drawn = serial()
        row = PaperCopy(
            reference=copy_reference(service_id, version, language, office, drawn),
            office=office,
            serial=drawn,
            service_id=service_id,
            version=version,
            language=language,
            large_print=large_print,
            kind=kind,
            pages=pages,
            draft_id=draft_id,
            submission_id=submission_id,
            person_id=person_id,
            case_id=case_id,
            printed_by_id=actor.worker_id,
            printed_at=utcnow(),
        )
        try:
            with session.begin_nested():  # a clash undoes this row only
                session.add(row)
                session.flush()
        except IntegrityError:
            continue
        return _item(session, row)
    raise RuntimeError("no free copy serial after several draws")


def blank_decision(session: Session, actor: Actor, service_id: str) -> str | None:
    """The print decision for a blank copy given to nobody yet: the worker's
    account must be active. Audited either way; the reason when refused."""
    reason = None
    if acting_worker(session, actor) is None:
        reason = _("Your account is not active. Ask an administrator.")
    audit.append(
        session,
        kind="decision",
        action=Action.PRINT.value,
        outcome="refuse" if reason else "allow",
        reason=reason or "a blank paper form",
        worker_id=actor.worker_id,
        person_id=None,
        target=service_id[:80],
    )
    return reason


def _own_unprinted(session: Session, actor: Actor, copy_id: int) -> PaperCopy:
    row = session.get(PaperCopy, copy_id)
    if row is None or row.printed_by_id != actor.worker_id or row.pages != 0:
        raise NotFound(_("That paper copy is not one you are printing."))
    return row


def record_pages(session: Session, actor: Actor, /, copy_id: int, pages: int) -> CopyItem:
    """The copy is printed: how many pages it has (its own printer confirms it, once)."""
    if pages < 1:
        raise ValueError("a printed copy has at least one page")
    row = _own_unprinted(session, actor, copy_id)
    row.pages = pages
    session.flush()
    return _item(session, row)


def discard_copy(session: Session, actor: Actor, /, copy_id: int) -> None:
    """Take back a copy whose printing failed (never one already printed)."""
    row = _own_unprinted(session, actor, copy_id)
    session.delete(row)
    session.flush()


def page_count(pdf: bytes) -> int:
    """The pages of a PDF."""
    import io

    from pypdf import PdfReader  # loads with the first print

    return len(PdfReader(io.BytesIO(pdf)).pages)


class Performer(Protocol):
    """What runs an action in a transaction (the backend)."""

    def perform(self, action: CoreAction[U], *, write: bool) -> U: ...


def print_recorded(
    backend: Performer,
    reserve: CoreAction[T],
    copy_of: Callable[[T], int | None],
    render: Callable[[T], bytes],
) -> bytes:
    """Take the print decision and allocate the copy (``reserve``, one write
    transaction), lay the pages out outside it, then confirm the page count;
    if the rendering fails the copy is taken back."""
    from casework.kernel.action import act

    def perform(action: CoreAction[U]) -> U:
        return backend.perform(action, write=True)

    job = perform(reserve)
    copy_id = copy_of(job)
    try:
        pdf = render(job)
    except BaseException:
        if copy_id is not None:
            perform(act(discard_copy, copy_id))
        raise
    if copy_id is not None:
        perform(act(record_pages, copy_id, page_count(pdf)))
    return pdf


def nation_of(person: Person) -> Nation:
    """The person's nation for counting working days (England when unknown)."""
    return nation_of_postcode(person.postcode) or Nation.ENGLAND


def default_due_back(person: Person, today: date | None = None) -> date:
    """``DUE_BACK_WORKING_DAYS`` working days after today, in the person's nation."""
    return add_working_days(today or today_here(), DUE_BACK_WORKING_DAYS, nation_of(person))


def _visible_case(session: Session, actor: Actor, case_id: int) -> Case:
    seen = seen_now(session, actor)
    case = session.scalar(
        select(Case)
        .join(Person, Person.id == Case.person_id)
        .where(Case.id == case_id, seen.filter())
    )
    if case is None:
        raise NotFound(_("That case no longer exists, or you may not see it."))
    return case


def due_back_for_case(session: Session, actor: Actor, case_id: int) -> date:
    """The default "expect it back by" date for a copy given out on the case."""
    return default_due_back(_visible_case(session, actor, case_id).person)


def give_out(
    session: Session,
    actor: Actor,
    copy_id: int,
    case_id: int,
    due_back_on: date | None = None,
    *,
    today: date | None = None,
) -> CopyItem:
    """Link a blank copy to the case and its person, expected back by
    ``due_back_on`` (default: ``default_due_back``). A print decision on the
    case, audited; a timeline line on the case."""
    row = session.get(PaperCopy, copy_id)
    if row is None:
        raise NotFound(_("That paper copy is not recorded here."))
    if row.kind != "blank":
        raise InvalidInput({"copy": _("Only a blank form can be given out.")})
    if row.returned_at is not None:
        raise InvalidInput({"copy": _("That paper form has already come back.")})
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("That case no longer exists."))
    if row.case_id is not None and row.case_id != case.id:
        raise InvalidInput({"copy": _("That paper form was given out for another case.")})
    # On the case (its service decides): a form of another service may be given out on it.
    decision = policy.decide(session, actor, case.person_id, Action.PRINT, case_id=case.id)
    if not decision.allowed:
        raise AccessRefused(
            _("You may not give out this form: {reason}").format(reason=decision.reason)
        )
    day = today or today_here()
    due = due_back_on or default_due_back(case.person, day)
    if due <= day:
        raise InvalidInput({"due_back_on": _("The date it is expected back must be after today.")})
    row.case_id, row.person_id = case.id, case.person_id
    row.given_out_at = utcnow()
    row.due_back_on = due
    session.flush()
    timeline.record(
        session,
        case.id,
        "paper",
        timeline.line(
            N_("Paper form given out: {reference}, expected back by {due}"),
            reference=row.reference,
            due=timeline.day(due),
        ),
        actor,
    )
    return _item(session, row, day)


def _waiting(session: Session, actor: Actor) -> Select[PaperCopy, Person, Case]:
    seen = seen_now(session, actor)
    # The case and person come in the same query (``_item`` then finds them loaded).
    return (
        select(PaperCopy, Person, Case)
        .join(Person, Person.id == PaperCopy.person_id)
        .join(Case, Case.id == PaperCopy.case_id)
        .where(
            seen.filter(),
            PaperCopy.given_out_at.is_not(None),
            PaperCopy.returned_at.is_(None),
            PaperCopy.pages > 0,
        )
    )


def copies_out(
    session: Session, actor: Actor, case_id: int, *, today: date | None = None
) -> list[CopyItem]:
    """The case's paper forms given out and not yet back, soonest due first."""
    rows = session.execute(
        _waiting(session, actor)
        .where(PaperCopy.case_id == case_id)
        .order_by(PaperCopy.due_back_on, PaperCopy.id)
    )
    return [_item(session, row, today) for row, _person, _case in rows]


def overdue_copies(
    session: Session, actor: Actor, *, today: date | None = None, limit: int = 500
) -> list[CopyItem]:
    """Every paper form the worker may see that is past its "expect it back by"
    date and not back, most overdue first."""
    day = today or today_here()
    rows = session.execute(
        _waiting(session, actor)
        .where(PaperCopy.due_back_on < day)
        .order_by(PaperCopy.due_back_on, PaperCopy.id)
        .limit(limit)
    )
    return [_item(session, row, day) for row, _person, _case in rows]
