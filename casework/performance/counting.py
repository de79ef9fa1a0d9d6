"""The counting rules the service page and the open data share (issue 19).

Both ``figures`` (the live service page) and ``open_data`` (the weekly
export) count with these pieces, so the two cannot drift apart:

- A form is abandoned when it was started and not sent and: the worker set
  the case's outcome to abandoned; or, where no outcome was set, the case
  closed or nobody touched the form for ``ABANDONED_AFTER``. A case whose
  worker set another outcome (sent, on paper, escalated) abandoned nothing.
  An abandoned form counts in the period in which it was started.
- A failure-demand reason counts people: each person once per service,
  reason and period, however many times the reason was picked in it (by the
  time of the pick).

``ABANDONED_RULE`` and ``REASONS_RULE`` say the same in words, for the page
and the export's README.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from casework.kernel.i18n import N_
from casework.kernel.models import Case, FormDraft
from casework.kernel.records import CaseStatus
from casework.performance.models import CaseOutcomeRow, DemandReason, DemandRecord
from casework.performance.reasons import CaseOutcome

# A form nobody has touched for this long, and not sent, counts as abandoned
# (where the worker set no outcome on its case).
ABANDONED_AFTER = timedelta(days=28)

ABANDONED_RULE = N_(
    "A form counts as abandoned when it was started in the period and not sent, and the "
    "worker set the case's outcome to abandoned; where no outcome was set, when the case "
    "closed or nobody touched the form for 28 days. A case whose outcome was set to sent, "
    "on paper or escalated has abandoned nothing."
)
REASONS_RULE = N_(
    "Each reason counts the people who gave it: a person counts once for each service, "
    "reason and period, however often the reason was recorded."
)
REASON_PEOPLE = N_("People who gave this reason")


def abandoned(now: datetime) -> ColumnElement[bool]:
    """True for a ``FormDraft`` (joined to its ``Case``) that counts as
    abandoned at ``now``, by the rule above."""
    outcome = (
        select(CaseOutcomeRow.outcome)
        .where(CaseOutcomeRow.case_id == FormDraft.case_id)
        .scalar_subquery()
    )
    left = or_(Case.status == CaseStatus.CLOSED, FormDraft.updated_at < now - ABANDONED_AFTER)
    return and_(
        FormDraft.submitted.is_(False),
        or_(outcome == CaseOutcome.ABANDONED.value, and_(outcome.is_(None), left)),
    )


def reason_picks(team: int, begin: datetime, finish: datetime) -> Select[str, datetime, str, int]:
    """Every reason picked on ``team``'s cases from ``begin`` to before
    ``finish``: the service, when, the reason's key and the person (to count
    once). Never a pick's note."""
    return (
        select(
            DemandRecord.service_id.label("service_id"),
            DemandRecord.recorded_at.label("recorded_at"),
            DemandReason.reason.label("reason"),
            Case.person_id.label("person_id"),
        )
        .select_from(DemandReason)
        .join(DemandRecord, DemandRecord.id == DemandReason.record_id)
        .join(Case, Case.id == DemandRecord.case_id)
        .where(
            Case.team_id == team,
            DemandRecord.recorded_at >= begin,
            DemandRecord.recorded_at < finish,
        )
    )


def reason_people(
    team: int, service_id: str, begin: datetime, finish: datetime
) -> Select[str, int]:
    """(reason key, people who gave it) for one service over one period."""
    picks = reason_picks(team, begin, finish).where(DemandRecord.service_id == service_id)
    each = picks.subquery()
    return select(each.c.reason, func.count(func.distinct(each.c.person_id))).group_by(
        each.c.reason
    )


def people_per_reason(
    picks: list[tuple[Any, str, str, int]],
) -> dict[tuple[Any, str, str], int]:
    """(period, service id, reason key) to people, from (period, service id,
    reason key, person id) picks: each person once per service, reason and period."""
    counts: dict[tuple[Any, str, str], int] = {}
    for period, service_id, reason, _person in set(picks):
        key = (period, service_id, reason)
        counts[key] = counts.get(key, 0) + 1
    return counts
