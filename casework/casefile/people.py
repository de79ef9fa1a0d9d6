"""People: create, edit, list and read, for the people a worker may see.

Who may see a person is ``delegation.visibility.visible_people`` (the team
caseload, or an active mandate); each read or change of one person's record
is decided and audited by the policy decision (``casework.casefile.access``), and
the fields it withholds are blank, named in ``PersonDetail.redacted``.

All of a form's problems are reported together (one message per field), and
an edit made against an old version is refused with ``EditConflict`` so the
worker can compare and nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from casework.casefile.access import (
    PERSON_CATEGORIES,
    PERSON_FIELDS,
    blank,
    person_access,
    withheld_fields,
)
from casework.kernel.bulk import first_column
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput
from casework.kernel.i18n import _
from casework.kernel.models import Case, Person, Worker
from casework.kernel.records import Actor, CaseRow, CaseStatus, PersonDetail, PersonInput, PersonRow
from casework.kernel.validators import (
    check_date_of_birth,
    check_name,
    normalise_email,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_phone,
    normalise_postcode,
    require_text,
)
from delegation.scope import Action
from delegation.visibility import record_listing, viewable_case_ids, visible_people


def validate_person(data: PersonInput, today: date | None = None) -> dict[str, Any]:
    """Check every field; return clean values or raise ``InvalidInput``."""
    require_text(vars(data))
    today = today or date.today()
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}

    def field(name: str, func: Any, value: Any, optional: bool = True) -> None:
        if optional and (value is None or value == ""):
            clean[name] = None
            return
        try:
            clean[name] = func(value)
        except ValueError as exc:
            errors[name] = str(exc)

    field("given_name", check_name, data.given_name, optional=False)
    field("family_name", check_name, data.family_name, optional=False)
    field("date_of_birth", lambda v: check_date_of_birth(v, today), data.date_of_birth)
    field("ni_number", normalise_ni_number, data.ni_number)
    field("nhs_number", normalise_nhs_number, data.nhs_number)
    field("postcode", normalise_postcode, data.postcode)
    field("email", normalise_email, data.email)
    field("phone", normalise_phone, data.phone)
    if data.preferred_language not in ("en", "cy"):
        errors["preferred_language"] = _("Choose English or Welsh.")
    for name in ("address", "communication_needs", "access_needs"):
        value = getattr(data, name).strip()
        if len(value) > 2000:
            errors[name] = _("Keep this to 2,000 characters or fewer.")
        clean[name] = value
    clean["preferred_language"] = data.preferred_language
    if errors:
        raise InvalidInput(errors)
    return clean


def create_person(session: Session, actor: Actor, data: PersonInput) -> int:
    """Add a person to the actor's team caseload; returns the new id."""
    person = Person(team_id=actor.team_id, **validate_person(data))
    session.add(person)
    session.flush()
    return person.id


def update_person(
    session: Session, actor: Actor, person_id: int, expected_version: int, data: PersonInput
) -> int:
    """Save an edit made against ``expected_version``; returns the new version.

    A field the worker may not see arrives blank and is kept as it is; typing
    into it is a change to information they may not see, and is refused."""
    person = session.get(Person, person_id)
    if person is None:
        raise AccessRefused(_("This person is not in your team's caseload."))
    seen = person_access(session, actor, person_id, Action.VIEW, PERSON_CATEGORIES)
    hidden = withheld_fields(seen.redacted_categories)
    clean = validate_person(data)
    for name in hidden:
        if clean.get(name) in (None, ""):
            clean[name] = getattr(person, name)
    changed = {PERSON_FIELDS[k] for k, v in clean.items() if getattr(person, k) != v}
    person_access(session, actor, person_id, Action.DRAFT, frozenset(changed))
    if person.version != expected_version:
        raise EditConflict(
            _(
                "Someone else changed this person's details while you were editing. "
                "Your changes are still on screen: check theirs, then save again."
            ),
            current_version=person.version,
        )
    for key, value in clean.items():
        setattr(person, key, value)
    session.flush()
    return person.version


def count_people(session: Session, actor: Actor) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Person).where(visible_people(session, actor))
        )
        or 0
    )


def list_person_ids(
    session: Session, actor: Actor, *, audited: bool = True, now: datetime | None = None
) -> list[int]:
    """Everyone the actor may see, in name order (the list fetches rows later).
    One audit entry for the whole list (``audited``)."""
    stmt = (
        select(Person.id)
        .where(visible_people(session, actor, now))
        .order_by(Person.family_name, Person.given_name, Person.id)
    )
    ids = first_column(session, stmt)
    if audited:
        record_listing(session, actor, "list", len(ids), now)
    return ids


def list_people(
    session: Session, actor: Actor, first: int, *, now: datetime | None = None
) -> tuple[list[int], list[PersonRow]]:
    """Everyone the actor may see, in name order, and the rows of the first
    ``first`` of them: what the list shows after sign-in, read in one
    transaction on one decision of who is visible. One audit entry."""
    ids = list_person_ids(session, actor, now=now)
    return ids, _rows(session, ids[:first], None)


def person_rows(session: Session, actor: Actor, ids: Sequence[int]) -> list[PersonRow]:
    """The list rows for ``ids``, in the order given (missing ids are skipped)."""
    if not ids:
        return []
    return _rows(session, ids, visible_people(session, actor))


def _rows(
    session: Session, ids: Sequence[int], visible: ColumnElement[bool] | None
) -> list[PersonRow]:
    """The rows of ``ids`` (in that order) that pass ``visible``; None only
    for ids this transaction has just found visible."""
    if not ids:
        return []
    open_cases = (
        select(func.count())
        .where(Case.person_id == Person.id, Case.status != CaseStatus.CLOSED)
        .correlate(Person)
        .scalar_subquery()
    )
    stmt = select(
        Person.id,
        Person.given_name,
        Person.family_name,
        Person.date_of_birth,
        Person.postcode,
        open_cases,
    ).where(Person.id.in_(list(ids)))
    if visible is not None:
        stmt = stmt.where(visible)
    # Plain columns: Core rows, no ORM loading (a page is read as the list scrolls).
    by_id = {row[0]: PersonRow(*row) for row in session.connection().execute(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def person_detail(
    session: Session, actor: Actor, person_id: int, *, now: datetime | None = None
) -> PersonDetail:
    """The person's record as far as the decision shows it, with the cases the
    actor may see (all of them in the caseload; under a mandate, those in scope)."""
    decision = person_access(session, actor, person_id, Action.VIEW, PERSON_CATEGORIES, now)
    person = session.get(Person, person_id)
    assert person is not None  # decide refuses a missing person
    hidden = withheld_fields(decision.redacted_categories)
    stmt = (
        select(Case, Worker.display_name)
        .outerjoin(Worker, Worker.id == Case.assigned_worker_id)
        .where(Case.person_id == person_id)
        .order_by(Case.opened_at.desc())
    )
    allowed_cases = viewable_case_ids(session, actor, person_id, now)
    if allowed_cases is not None:
        stmt = stmt.where(Case.id.in_(sorted(allowed_cases)))
    cases = tuple(
        CaseRow(
            id=case.id,
            reference=case.reference,
            service_id=case.service_id,
            title=case.title,
            status=case.status,
            opened_at=case.opened_at,
            assigned_to=assignee,
        )
        for case, assignee in session.execute(stmt)
    )
    values: dict[str, Any] = {
        name: blank(name) if name in hidden else getattr(person, name) for name in PERSON_FIELDS
    }
    if "preferred_language" in hidden:
        values["preferred_language"] = "en"  # a valid choice, not the person's
    return PersonDetail(
        id=person.id,
        version=person.version,
        cases=cases,
        redacted=frozenset(decision.redacted_categories),
        **values,
    )
