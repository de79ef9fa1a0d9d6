"""The caseload rule: a worker sees only people in their own team's caseload.

This is the first wall of the policy decision. It fails closed: a person who
does not exist and a person in another team's caseload get the same answer,
so the refusal gives nothing away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused
from casework.kernel.i18n import _
from casework.kernel.models import Case, Person
from casework.kernel.records import Actor
from delegation.session_wall import caseload, session_only


@dataclass(frozen=True)
class Decision:
    """The answer to "may this worker do this?", with the reason."""

    allowed: bool
    reason: str


def in_caseload(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Person`` that keeps only the actor's caseload (people
    who exist only through an assisted session are in nobody's)."""
    return caseload(actor)


def caseload_case_ids(session: Session, actor: Actor, case_ids: Iterable[int | None]) -> set[int]:
    """Which of these cases are in the actor's caseload (``None``s are skipped):
    one query for a list, where ``decide_case`` answers for one case."""
    wanted = [c for c in case_ids if c is not None]
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Case.id)
            .join(Person, Person.id == Case.person_id)
            .where(Case.id.in_(wanted), in_caseload(actor))
        )
    )


def decide_person(session: Session, actor: Actor, person_id: int) -> Decision:
    """May ``actor`` see or change this person's records?"""
    team_id = session.scalar(select(Person.team_id).where(Person.id == person_id))
    if team_id is None or team_id != actor.team_id or session_only(session, person_id):
        return Decision(False, _("This person is not in your team's caseload."))
    return Decision(True, _("In your team's caseload."))


def require_person(session: Session, actor: Actor, person_id: int) -> Person:
    """Load a person the actor may work with, or refuse."""
    decision = decide_person(session, actor, person_id)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    person = session.get(Person, person_id)
    assert person is not None
    return person


def decide_case(session: Session, actor: Actor, case_id: int) -> Decision:
    """May ``actor`` see or change this case (it follows its person's caseload)?"""
    team_id = session.scalar(
        select(Person.team_id).join(Case, Case.person_id == Person.id).where(Case.id == case_id)
    )
    if team_id is None or team_id != actor.team_id:
        # One answer for a missing case and a hidden one, as for people.
        return Decision(False, _("This case is not in your team's caseload."))
    return Decision(True, _("In your team's caseload."))


def require_case(session: Session, actor: Actor, case_id: int) -> Case:
    """Load a case whose person the actor may work with, or refuse."""
    decision = decide_case(session, actor, case_id)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    case = session.get(Case, case_id)
    assert case is not None
    return case
