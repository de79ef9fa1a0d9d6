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

``seen_now`` reads all of that (the worker, the mandates to them, the
sessions not yet ended) in one round trip, once per list or search: the
fixed cost every audited read pays before its own query (issue 15).

``record_listing`` writes one audit entry for a list or a search: what was
asked and how many people it showed, never the names or the search text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    case,
    cast,
    false,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from casework.kernel.models import Case, Person, Worker, utcnow
from casework.kernel.records import Actor
from delegation import audit
from delegation.mandates import acting_worker, granted_to, scope_of
from delegation.models import Mandate
from delegation.policy import CASELOAD_CATEGORIES, in_force
from delegation.records import MandateStatus, Outcome
from delegation.scope import case_scope_id
from delegation.session_models import AssistedSession
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


@dataclass(frozen=True)
class Seen:
    """Who the actor may see at one moment, as ``seen_now`` read it.

    ``team_id`` is the caseload's team, None when the caseload is shut (the
    account is not active or not in the team, or a session is running);
    ``mandated`` the people under a mandate in force to the actor (during a
    session, only its person, if its mandate is in force); ``walled`` the
    people in a session that has not ended, in nobody's caseload."""

    team_id: int | None
    mandated: tuple[int, ...]
    walled: tuple[int, ...]
    running_person_id: int | None

    def filter(self) -> ColumnElement[bool]:
        """The same as a filter on ``Person``."""
        caseload: ColumnElement[bool] = false()
        if self.team_id is not None:
            caseload = Person.team_id == self.team_id
            if self.walled:
                caseload = caseload & Person.id.not_in(self.walled)
        if not self.mandated:
            return caseload
        if self.team_id is None:
            return Person.id.in_(self.mandated)
        return or_(caseload, Person.id.in_(self.mandated))


_NOW = bindparam("now", type_=Mandate.starts_at.type)
_WORKER = bindparam("worker", type_=Integer)
_TEAM = bindparam("team", type_=Integer)


def _int(value: Any) -> ColumnElement[int]:
    return cast(value, Integer)


# One round trip: the acting worker ("w": team, active), the live mandates to
# them or their team ("m": id, person, parent; the same tests as ``in_force``
# for a mandate with no parent: active, started, not ended, review and
# evidence check not due), and every session not ended ("s": id, person,
# whether it is the actor's own and running now). Built once, so SQLAlchemy
# compiles it once.
_SEEN = union_all(
    select(
        literal_column("'w'"), _int(Worker.team_id), case((Worker.active, 1), else_=0), _int(null())
    ).where(Worker.id == _WORKER),
    select(literal_column("'m'"), Mandate.id, Mandate.person_id, Mandate.parent_id).where(
        Mandate.status == MandateStatus.ACTIVE,
        Mandate.starts_at <= _NOW,
        Mandate.ends_at > _NOW,
        Mandate.review_at > _NOW,
        or_(Mandate.evidence_next_check.is_(None), Mandate.evidence_next_check > _NOW),
        or_(Mandate.grantee_worker_id == _WORKER, Mandate.grantee_team_id == _TEAM),
    ),
    select(
        literal_column("'s'"),
        AssistedSession.id,
        AssistedSession.person_id,
        case(
            ((AssistedSession.worker_id == _WORKER) & (AssistedSession.ends_at > _NOW), 1), else_=0
        ),
    ).where(AssistedSession.outcome == Outcome.OPEN.value),
)


def seen_now(session: Session, actor: Actor, now: datetime | None = None) -> Seen:
    """Whom the actor may see now (``visible_people``), read in one query.

    Passed-on mandates (found by the same query) walk their parents with
    ``in_force``, as ``decide`` does; a mandate with no parent is settled in
    SQL."""
    moment = now or utcnow()
    # Plain rows through the Core connection: the ORM's execute costs as much
    # as the query on every list and search (issue 15). Flushed first, as the
    # ORM's execute would, so what the caller added is seen.
    session.flush()
    rows = (
        session.connection()
        .execute(_SEEN, {"now": moment, "worker": actor.worker_id, "team": actor.team_id})
        .all()
    )
    acting = any(k == "w" and a == actor.team_id and b == 1 for k, a, b, _c in rows)
    if not acting:
        return Seen(None, (), (), None)
    people: set[int] = set()
    passed_on: list[int] = []
    walled: set[int] = set()
    running: tuple[int, int] | None = None  # (session id, person): the newest running
    for kind, first, person_id, last in rows:
        if kind == "m":
            if last is None:
                people.add(person_id)
            else:
                passed_on.append(first)
        elif kind == "s":
            walled.add(person_id)
            if last == 1 and (running is None or first > running[0]):
                running = (first, person_id)
    if passed_on:
        for m in session.scalars(select(Mandate).where(Mandate.id.in_(passed_on))):
            if in_force(session, m, moment) is None:
                people.add(m.person_id)
    if running is not None:  # during an assisted session: its person, through its mandate
        only = (running[1],) if running[1] in people else ()
        return Seen(None, only, tuple(sorted(walled)), running[1])
    return Seen(actor.team_id, tuple(sorted(people)), tuple(sorted(walled)), None)


def visible_people(
    session: Session, actor: Actor, now: datetime | None = None
) -> ColumnElement[bool]:
    """A filter on ``Person``: the actor's caseload, or under a mandate in force to them."""
    return seen_now(session, actor, now).filter()


def mandated_person_ids(session: Session, actor: Actor, now: datetime | None = None) -> list[int]:
    """People the actor may see under a mandate (whatever their caseload)."""
    if acting_worker(session, actor) is None:
        return []
    moment = now or utcnow()
    found = mandates_in_force(session, actor, moment)
    return sorted({m.person_id for m in found})


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
