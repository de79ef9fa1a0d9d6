"""Who a worker may see at all, and on which grant: the list-sized half of
the policy decision.

A worker sees a person when the person is in their team's caseload or under
an active, in-date mandate to them (or their team), whose parents are in
force too. Lists and search need that as one SQL filter over 100,000 people,
not a ``decide`` per row: ``visible_people`` is that filter. The mandates to
one worker are few, so their people are found in Python with the same
``in_force`` test ``decide`` uses, and put in the filter as a list of ids.

``best_target`` chooses which scope detail a per-person read or write
should be decided on (the one that shows the most of what is asked), so
that ``decide`` itself, the one door, makes and audits the decision.

``record_listing`` writes one audit entry for a list or a search: what was
asked and how many people it showed, never the names or the search text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from casework.kernel.models import Case, Person, utcnow
from casework.kernel.records import Actor
from delegation import audit
from delegation.mandates import acting_worker, granted_to, scope_of
from delegation.models import Mandate
from delegation.policy import CASELOAD_CATEGORIES, in_force
from delegation.records import MandateStatus
from delegation.scope import case_scope_id
from delegation.session_wall import caseload_now, running_session
from delegation.session_wall import in_caseload as wall_caseload


@dataclass(frozen=True)
class Target:
    """What a decision is asked about: one service, or one case by id."""

    service_id: str | None = None
    case_id: int | None = None


def mandates_in_force(
    session: Session, actor: Actor, now: datetime | None = None, person_id: int | None = None
) -> list[Mandate]:
    """The active mandates to the actor (or their team) in force at ``now``."""
    moment = now or utcnow()
    stmt = select(Mandate).where(
        Mandate.status == MandateStatus.ACTIVE,
        Mandate.starts_at <= moment,
        Mandate.ends_at > moment,
        granted_to(actor),
    )
    if person_id is not None:
        stmt = stmt.where(Mandate.person_id == person_id)
    return [
        m
        for m in session.scalars(stmt.order_by(Mandate.id))
        if in_force(session, m, moment) is None
    ]


def _mandated_ids(session: Session, actor: Actor, now: datetime | None) -> list[int]:
    """People under a mandate in force to the actor. A mandate with no parent
    is checked wholly in SQL (the same tests as ``in_force``: active, started,
    not ended, review and evidence check not due), so a list page costs one
    small query; only passed-on mandates (found by the same query) walk their
    parents in Python."""
    if acting_worker(session, actor) is None:
        return []
    moment = now or utcnow()
    live = (
        Mandate.status == MandateStatus.ACTIVE,
        Mandate.starts_at <= moment,
        Mandate.ends_at > moment,
        Mandate.review_at > moment,
        or_(Mandate.evidence_next_check.is_(None), Mandate.evidence_next_check > moment),
        granted_to(actor),
    )
    rows = session.execute(select(Mandate.id, Mandate.person_id, Mandate.parent_id).where(*live))
    people: set[int] = set()
    passed_on: list[int] = []
    for mandate_id, person_id, parent_id in rows:
        if parent_id is None:
            people.add(person_id)
        else:
            passed_on.append(mandate_id)
    if passed_on:
        for m in session.scalars(select(Mandate).where(Mandate.id.in_(passed_on))):
            if in_force(session, m, moment) is None:
                people.add(m.person_id)
    return sorted(people)


def visible_people(
    session: Session, actor: Actor, now: datetime | None = None
) -> ColumnElement[bool]:
    """A filter on ``Person``: the actor's caseload, or under a mandate in force to them."""
    if acting_worker(session, actor) is None:
        return false()
    mandated = _mandated_ids(session, actor, now)
    running = running_session(session, actor, now)
    if running is not None:  # during an assisted session: its person, through its mandate
        return Person.id == running.person_id if running.person_id in mandated else false()
    in_caseload = caseload_now(session, actor)
    if not mandated:
        return in_caseload
    return or_(in_caseload, Person.id.in_(mandated))


def mandated_person_ids(session: Session, actor: Actor, now: datetime | None = None) -> list[int]:
    """People the actor may see under a mandate (whatever their caseload)."""
    return _mandated_ids(session, actor, now)


def best_target(
    session: Session,
    actor: Actor,
    person_id: int,
    action: str,
    categories: frozenset[str],
    now: datetime | None = None,
) -> Target:
    """The service or case whose scope detail lets ``action`` show the most of
    ``categories``; no target (the caseload) when no detail does better."""
    person = session.get(Person, person_id)
    in_caseload = person is not None and wall_caseload(session, actor, person)
    best = len(categories & CASELOAD_CATEGORIES) if in_caseload else -1
    chosen = Target()
    references: dict[str, int] | None = None
    for mandate in mandates_in_force(session, actor, now, person_id):
        for detail in scope_of(mandate) or ():
            if action not in detail.actions:
                continue
            granted = detail.categories | (CASELOAD_CATEGORIES if in_caseload else frozenset())
            score = len(categories & granted)
            if score <= best:
                continue
            if detail.service_id is not None:
                best, chosen = score, Target(service_id=detail.service_id)
                continue
            if references is None:
                references = {
                    case_scope_id(ref): cid
                    for cid, ref in session.execute(
                        select(Case.id, Case.reference).where(Case.person_id == person_id)
                    )
                }
            if detail.case in references:
                best, chosen = score, Target(case_id=references[detail.case])
    return chosen


def viewable_case_ids(
    session: Session, actor: Actor, person_id: int, now: datetime | None = None
) -> set[int] | None:
    """The person's cases the actor may view under mandates; None means all
    of them (the person is in the actor's caseload)."""
    person = session.get(Person, person_id)
    if person is not None and wall_caseload(session, actor, person):
        return None
    services: set[str] = set()
    refs: set[str] = set()
    for mandate in mandates_in_force(session, actor, now, person_id):
        for detail in scope_of(mandate) or ():
            if "view" in detail.actions:
                if detail.service_id:
                    services.add(detail.service_id)
                elif detail.case:
                    refs.add(detail.case)
    return {
        cid
        for cid, ref, service in session.execute(
            select(Case.id, Case.reference, Case.service_id).where(Case.person_id == person_id)
        )
        if service in services or case_scope_id(ref) in refs
    }


def record_listing(
    session: Session, actor: Actor, action: str, shown: int, now: datetime | None = None
) -> None:
    """One audit entry for a list or a search (no names, no search text)."""
    audit.append(
        session,
        kind="listing",
        action=action,
        outcome="allow",
        reason=f"{shown} people shown",
        worker_id=actor.worker_id,
        person_id=None,
        categories_disclosed=("identity",),
        at=now,
    )
