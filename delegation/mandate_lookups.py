"""Small reads about mandates that the screens need beyond ``listing``.

``second_approvers`` lists who may be the second approver an emergency
mandate needs; ``colleagues`` whom a mandate may be passed on to;
``find_mandate``, ``first_consent`` and ``grantee_team`` give the consent
receipt its mandate, the date consent was given and the team of the worker
it was given to. They read only: deciding who may see a mandate
stays with the policy decision (``policy.decide_read``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.models import Team, Worker
from casework.kernel.records import Actor, Role
from delegation.models import ConsentRecord, Mandate


def second_approvers(session: Session, actor: Actor) -> list[Worker]:
    """Active supervisors in the actor's team, other than the actor, by name."""
    return list(
        session.scalars(
            select(Worker)
            .where(
                Worker.team_id == actor.team_id,
                Worker.role == Role.SUPERVISOR,
                Worker.active.is_(True),
                Worker.id != actor.worker_id,
            )
            .order_by(Worker.display_name)
        )
    )


def colleagues(session: Session, actor: Actor) -> list[tuple[Worker, Team]]:
    """Active workers other than the actor, with their teams: the actor's own
    team first, then by team and name."""
    rows = session.execute(
        select(Worker, Team)
        .join(Team, Team.id == Worker.team_id)
        .where(Worker.active.is_(True), Worker.id != actor.worker_id)
        .order_by(Worker.team_id != actor.team_id, Team.name, Worker.display_name)
    )
    return [(worker, team) for worker, team in rows]


def find_mandate(session: Session, mandate_id: int) -> Mandate | None:
    """The mandate, or None when there is no such mandate (no lock, no access check)."""
    return session.get(Mandate, mandate_id)


def first_consent(session: Session, mandate_id: int) -> ConsentRecord | None:
    """The consent first recorded for the mandate, or None before any is recorded."""
    return session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.mandate_id == mandate_id)
        .order_by(ConsentRecord.id)
        .limit(1)
    )


def grantee_team(session: Session, mandate: Mandate) -> Team | None:
    """The team of the worker the mandate was granted to; None when it was
    granted to a team, or the worker or their team is gone."""
    if mandate.grantee_worker_id is None:
        return None
    worker = session.get(Worker, mandate.grantee_worker_id)
    return session.get(Team, worker.team_id) if worker else None
