"""The mandate row and who it is for: the few reads every mandate module needs.

``load`` re-reads a mandate (row-locked on PostgreSQL); ``is_grantee`` and
``granted_to`` say whether a mandate names the worker or their team;
``scope_of`` reads its scope, failing closed; ``require_actor`` refuses an
account that is not active. They sit below both ``delegation.mandates`` and
``delegation.policy``, so the lifecycle can ask the policy decision without a
cycle; ``delegation.mandates`` re-exports them under their old names.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import Worker, utcnow
from casework.kernel.records import Actor
from delegation.models import Mandate
from delegation.scope import Scope, ScopeError, scope_from_json


def utc_moment(now: datetime | None) -> datetime:
    """The moment of a change: now, or the given time in UTC (a naive time is refused)."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime: give the time in UTC")
    return now.astimezone(UTC)


def active_worker(session: Session, worker_id: int) -> Worker | None:
    worker = session.get(Worker, worker_id)
    return worker if worker is not None and worker.active else None


def acting_worker(session: Session, actor: Actor) -> Worker | None:
    """The acting worker when their account is active and in the actor's team, else None."""
    worker = active_worker(session, actor.worker_id)
    return worker if worker is not None and worker.team_id == actor.team_id else None


def require_actor(session: Session, actor: Actor) -> Worker:
    """The acting worker, refused unless their account is active and in their team."""
    worker = acting_worker(session, actor)
    if worker is None:
        raise AccessRefused(_("Your account is not active. Ask an administrator."))
    return worker


def load(session: Session, mandate_id: int, *, for_update: bool = True) -> Mandate:
    """The mandate as it is in the database now (re-read, row-locked on PostgreSQL)."""
    stmt = select(Mandate).where(Mandate.id == mandate_id).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    mandate = session.scalar(stmt)
    if mandate is None:
        raise NotFound(_("There is no such mandate."))
    return mandate


def is_grantee(mandate: Mandate, actor: Actor) -> bool:
    """Does the mandate name the actor, or the actor's team?"""
    return mandate.grantee_worker_id == actor.worker_id or (
        mandate.grantee_team_id is not None and mandate.grantee_team_id == actor.team_id
    )


def granted_to(actor: Actor) -> ColumnElement[bool]:
    """The SQL condition that a mandate is to the actor or to the actor's team."""
    return or_(
        Mandate.grantee_worker_id == actor.worker_id,
        Mandate.grantee_team_id == actor.team_id,
    )


def scope_of(mandate: Mandate) -> Scope | None:
    """The mandate's scope, or None when what is stored cannot be read (fail closed)."""
    try:
        return scope_from_json(mandate.scope)
    except ScopeError:
        return None
