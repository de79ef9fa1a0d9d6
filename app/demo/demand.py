"""Demo failure demand: why each demo case needed help, the time spent and
the outcome, so the service page and the open data have something to show.

Deterministic from the seed (the same seed, the same rows), written in bulk
as ``people`` writes its rows, for cases that have none yet. No notes: the
demo's reasons are keys only.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, insert, select

from app.database import session_factory
from casework.kernel.models import Case, utcnow
from casework.kernel.records import CaseStatus
from casework.performance.models import CaseOutcomeRow, CaseTime, DemandReason, DemandRecord
from casework.performance.reasons import CaseOutcome, Moment, Reason

# How often each reason comes up at a front desk (relative weights).
REASON_WEIGHTS = {
    Reason.ONLINE_SERVICE: 30,
    Reason.NO_DEVICE: 18,
    Reason.NOT_UNDERSTOOD: 25,
    Reason.CHASING: 20,
    Reason.EVIDENCE_LOST: 10,
    Reason.WRONG_DECISION: 7,
    Reason.LANGUAGE: 6,
    Reason.ACCESS_NEEDS: 12,
}
CLOSED_OUTCOMES = {
    CaseOutcome.SENT: 55,
    CaseOutcome.PAPER: 20,
    CaseOutcome.ESCALATED: 10,
    CaseOutcome.ABANDONED: 15,
}
CHUNK = 5000


def _reasons(rng: random.Random) -> list[Reason]:
    how_many = rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
    keys, weights = list(REASON_WEIGHTS), list(REASON_WEIGHTS.values())
    picked: list[Reason] = []
    while len(picked) < how_many:
        reason = rng.choices(keys, weights=weights)[0]
        if reason not in picked:
            picked.append(reason)
    return picked


def add_demand(engine: Engine, *, seed: int = 1, now: datetime | None = None) -> int:
    """Reasons, time and outcomes on the cases that have no reasons yet; returns
    how many cases gained them."""
    rng = random.Random(seed * 7919 + 19)
    moment = now or utcnow()
    today = moment.date()
    with session_factory(engine).begin() as session:
        done = set(session.scalars(select(DemandRecord.case_id).distinct()))
        cases = [
            (row.id, row.service_id, row.status, row.opened_at, row.assigned_worker_id)
            for row in session.execute(
                select(
                    Case.id, Case.service_id, Case.status, Case.opened_at, Case.assigned_worker_id
                ).order_by(Case.id)
            )
            if row.id not in done and row.assigned_worker_id is not None
        ]
        next_id = (
            session.scalar(select(DemandRecord.id).order_by(DemandRecord.id.desc())) or 0
        ) + 1
    added = 0
    for start in range(0, len(cases), CHUNK):
        records: list[dict[str, object]] = []
        reasons: list[dict[str, object]] = []
        times: list[dict[str, object]] = []
        outcomes: list[dict[str, object]] = []
        for case_id, service_id, status, opened_at, worker in cases[start : start + CHUNK]:
            if rng.random() < 0.12:
                continue  # skipped at the desk: no reasons recorded
            records.append(
                {
                    "id": next_id,
                    "case_id": case_id,
                    "service_id": service_id,
                    "moment": Moment.CASE_OPENED.value,
                    "note": "",
                    "recorded_by_id": worker,
                    "recorded_at": opened_at,
                }
            )
            reasons.extend({"record_id": next_id, "reason": r.value} for r in _reasons(rng))
            next_id += 1
            added += 1
            for visit in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
                times.append(
                    {
                        "case_id": case_id,
                        "minutes": rng.choice((10, 15, 20, 25, 30, 40, 45, 60, 90)),
                        "added_by_id": worker,
                        "added_at": min(moment, opened_at + timedelta(days=visit * 3)),
                    }
                )
            closed = status == CaseStatus.CLOSED
            if closed or rng.random() < 0.2:
                outcome = rng.choices(
                    list(CLOSED_OUTCOMES), weights=list(CLOSED_OUTCOMES.values())
                )[0]
                on: date = min(today, opened_at.date() + timedelta(days=rng.randrange(1, 31)))
                outcomes.append(
                    {
                        "case_id": case_id,
                        "outcome": outcome.value,
                        "outcome_on": on,
                        "set_by_id": worker,
                        "set_at": min(moment, datetime.combine(on, opened_at.timetz())),
                    }
                )
        with session_factory(engine, write=True).begin() as session:
            if records:
                session.execute(insert(DemandRecord), records)
                session.execute(insert(DemandReason), reasons)
            if times:
                session.execute(insert(CaseTime), times)
            if outcomes:
                session.execute(insert(CaseOutcomeRow), outcomes)
    return added
