"""The case timeline: one line for everything that happens on a case."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.models import TimelineEvent, Worker, utcnow
from casework.kernel.records import Actor, TimelineEntry


def record(session: Session, case_id: int, kind: str, summary: str, actor: Actor | None) -> None:
    """Add a timeline line in the caller's transaction."""
    session.add(
        TimelineEvent(
            case_id=case_id,
            at=utcnow(),
            kind=kind,
            summary=summary,
            worker_id=actor.worker_id if actor else None,
        )
    )


def entries(session: Session, case_id: int, limit: int = 500) -> tuple[TimelineEntry, ...]:
    """The newest ``limit`` lines, newest first."""
    stmt = (
        select(TimelineEvent, Worker.display_name)
        .outerjoin(Worker, Worker.id == TimelineEvent.worker_id)
        .where(TimelineEvent.case_id == case_id)
        .order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())
        .limit(limit)
    )
    return tuple(
        TimelineEntry(at=event.at, kind=event.kind, summary=event.summary, worker=name)
        for event, name in session.execute(stmt)
    )
