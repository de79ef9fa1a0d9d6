"""The wall around an assisted session, in the domain rather than the screens.

- **The person.** Someone who exists only through an assisted session that
  has not ended (not yet kept, not wiped) is in nobody's team caseload: not
  in the people list, not found by search, not readable as a record. Only
  the session's own mandate reaches them, so only its one service.
- **The worker.** While a worker's session is running (open and before its
  end), their access reaches only the session's person and service: every
  other read or write is refused by ``decide`` (and so audited), and lists
  show only the session's person.

``caseload`` is the team-caseload filter the lists use (``caseload_now``
the same, read for one transaction); ``in_caseload`` is the same test for
one person; ``running_session`` is the worker's session
in progress, if any.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from casework.kernel.i18n import _
from casework.kernel.models import Person, utcnow
from casework.kernel.records import Actor
from delegation.records import Outcome
from delegation.session_models import AssistedSession


def in_open_sessions() -> Select[int]:
    """The ids of people in an assisted session that has not ended."""
    return select(AssistedSession.person_id).where(AssistedSession.outcome == Outcome.OPEN.value)


def caseload(actor: Actor) -> ColumnElement[bool]:
    """A filter on ``Person``: the actor's team caseload, without people who
    exist only through an assisted session."""
    return and_(Person.team_id == actor.team_id, Person.id.not_in(in_open_sessions()))


def caseload_now(session: Session, actor: Actor) -> ColumnElement[bool]:
    """``caseload`` for one transaction: the people in a session that has not
    ended (a handful, usually none) are read first, so a filter over the
    whole caseload checks no subquery per person."""
    walled = list(session.scalars(in_open_sessions()))
    in_team = Person.team_id == actor.team_id
    return and_(in_team, Person.id.not_in(walled)) if walled else in_team


def session_only(session: Session, person_id: int) -> bool:
    """True while the person exists only through an assisted session."""
    found = session.scalar(in_open_sessions().where(AssistedSession.person_id == person_id))
    return found is not None


def in_caseload(session: Session, actor: Actor, person: Person) -> bool:
    """Is ``person`` in the actor's team caseload (sessions walled off)?"""
    return person.team_id == actor.team_id and not session_only(session, person.id)


def running_session(
    session: Session, actor: Actor, now: datetime | None = None
) -> AssistedSession | None:
    """The actor's assisted session in progress at ``now``, if any."""
    moment = now or utcnow()
    return session.scalar(
        select(AssistedSession)
        .where(
            AssistedSession.worker_id == actor.worker_id,
            AssistedSession.outcome == Outcome.OPEN.value,
            AssistedSession.ends_at > moment,
        )
        .order_by(AssistedSession.id.desc())
        .limit(1)
    )


def outside_session(running: AssistedSession, person_id: int, service_id: str | None) -> str | None:
    """Why a request is outside the running session (None when it is inside)."""
    if person_id != running.person_id or (
        service_id is not None and service_id != running.service_id
    ):
        return _(
            "You are helping someone in an assisted session. Only their form can be "
            "opened until the session ends."
        )
    return None
