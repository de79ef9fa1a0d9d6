"""Mandates coming to an end: the 30-day reminder list, and lapsing those
nobody has used for six months.

"Used" means a decision was allowed under the mandate (``decide`` stamps
``last_used_at``); a mandate never used counts from when it became active.
Lapsing is a status change (``expired``, reason ``lapsed_unused``) written to
the audit chain like any other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework.kernel.models import Person, utcnow
from casework.kernel.records import Actor
from delegation.mandates import LIVE, lapse
from delegation.models import Mandate
from delegation.records import EndingSoon, MandateStatus

REMIND_BEFORE = timedelta(days=30)
LAPSE_AFTER = timedelta(days=183)  # six months


def mandates_ending_soon(
    session: Session, actor: Actor, now: datetime | None = None
) -> list[EndingSoon]:
    """Active mandates to the actor or their team ending in the next 30 days,
    soonest first, so they can be renewed with the person in time."""
    moment = now or utcnow()
    rows = session.execute(
        select(
            Mandate.id, Mandate.person_id, Person.given_name, Person.family_name, Mandate.ends_at
        )
        .join(Person, Person.id == Mandate.person_id)
        .where(
            Mandate.status == MandateStatus.ACTIVE,
            Mandate.ends_at > moment,
            Mandate.ends_at <= moment + REMIND_BEFORE,
            or_(
                Mandate.grantee_worker_id == actor.worker_id,
                Mandate.grantee_team_id == actor.team_id,
            ),
        )
        .order_by(Mandate.ends_at, Mandate.id)
    )
    return [
        EndingSoon(mid, pid, f"{given} {family}", ends, (ends - moment).days)
        for mid, pid, given, family, ends in rows
    ]


def lapse_unused(session: Session, now: datetime | None = None) -> list[int]:
    """End every live mandate unused for six months; returns their ids."""
    moment = now or utcnow()
    used = func.coalesce(Mandate.last_used_at, Mandate.status_changed_at)
    due = session.scalars(
        select(Mandate)
        .where(Mandate.status.in_(LIVE), Mandate.ends_at > moment, used <= moment - LAPSE_AFTER)
        .order_by(Mandate.id)
    ).all()
    for mandate in due:
        lapse(session, mandate, moment)
    return [mandate.id for mandate in due]
