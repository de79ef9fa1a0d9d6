"""A service's live figures for this office, over a period: counts only.

``service_figures`` asks the policy decision once (an office-wide read,
audited as one "read service figures" entry), then counts in SQL with
GROUP BY over this office's cases (``cases.team_id``, indexed): forms
started, sent, delivered (only what the platform confirmed) and abandoned,
the median time from starting a form to sending it, where unsent forms
stopped, escalations and their breaches, payments, paper copies out and
back, and why help was needed (the people who gave each failure-demand
reason). Forms abandoned and reasons follow ``counting``, the rules the open
data shares. Nothing in the answer names or points at a person.

A period runs from the start of ``start`` to the end of ``end``, in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from casework.escalation.models import Escalation, EscalationLevel
from casework.forms.definitions import Catalogue, Service
from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _, current_language
from casework.kernel.models import Case, FormDraft, Submission, Worker, utcnow
from casework.kernel.records import Actor
from casework.paper.models import PaperCopy, PaperReturn
from casework.performance.counting import abandoned, reason_people
from casework.performance.reasons import REASONS, reason_words
from delegation.office import require_office_read
from offline_sync.models import OutboxItem
from offline_sync.payments.words import amount_of
from offline_sync.records import Connector, OutboxState

LONGEST_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class Count:
    """One bar of a chart: what it counts, in words, and how many."""

    key: str
    words: str
    count: int


@dataclass(frozen=True)
class ServiceFigures:
    """This office's figures for one service over a period; counts only."""

    service_id: str
    start: date
    end: date
    started: int  # forms started in the period
    sent: int  # forms sent in the period
    delivered: int  # of those sent, how many the platform confirmed
    abandoned: int  # started in the period and abandoned (counting.abandoned)
    median_minutes: float | None  # starting a form to sending it, for those sent
    drop_off: tuple[Count, ...]  # unsent forms started in the period, by the last page reached
    escalations: int  # raised in the period
    breaches: int  # reply times missed in the period
    re_escalations: int  # passed up a level in the period
    reasons: tuple[Count, ...]  # people who gave each reason, most first
    payments_requested: int
    payments_paid: int  # only those GOV.UK Pay confirmed
    payments_not_paid: int  # declined, expired, cancelled or given up
    paid_pence: int
    paper_out: int  # copies printed in the period
    paper_back: int  # copies that came back in the period


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first moment and the moment after its last, in UTC; a
    reversed or over-long period is refused with words."""
    if end < start:
        raise InvalidInput({"period": _("The period ends before it starts. Check the dates.")})
    if end - start > LONGEST_PERIOD:
        raise InvalidInput({"period": _("Choose a period of a year or less.")})
    first = datetime.combine(start, time(), UTC)
    return first, datetime.combine(end + timedelta(days=1), time(), UTC)


def _seconds(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)


def _page_words(service: Service | None, language: str) -> dict[str | None, tuple[str, str]]:
    """Each page's id to (key, words); a form not yet past its first page has none."""
    if service is None or not service.pages:
        return {}
    words: dict[str | None, tuple[str, str]] = {
        p.id: (p.id, p.text("title", language) or p.id) for p in service.pages
    }
    words[None] = words[service.pages[0].id]
    return words


def _drafts(
    session: Session, team: int, service_id: str, first: datetime, after: datetime, now: datetime
) -> dict[str, Any]:
    """Forms started in the period, in one pass: by last page and sent or not,
    with how many of the unsent were abandoned (``counting.abandoned``)."""
    left = abandoned(now)
    rows = session.execute(
        select(
            FormDraft.current_page,
            FormDraft.submitted,
            func.count(),
            func.sum(case((left, 1), else_=0)),
        )
        .join(Case, Case.id == FormDraft.case_id)
        .where(
            FormDraft.service_id == service_id,
            FormDraft.created_at >= first,
            FormDraft.created_at < after,
            Case.team_id == team,
        )
        .group_by(FormDraft.current_page, FormDraft.submitted)
    ).all()
    unsent = [(page, int(n), int(gone or 0)) for page, sent, n, gone in rows if not sent]
    return {
        "started": sum(int(n) for *_k, n, _g in rows),
        "abandoned": sum(gone for *_k, gone in unsent),
        "drop_rows": [(page, n) for page, n, _g in unsent],
    }


def _sent(
    session: Session, team: int, service_id: str, first: datetime, after: datetime
) -> dict[str, Any]:
    """Forms sent in the period, in one pass: how many, how many the platform
    confirmed, and the median minutes from starting to sending (the middle
    one or two of them in order, by window functions)."""
    # A form's delivery is the outbox item named by its uuid: a Notify item's
    # id, or the submission API's idempotency key (casework.forms.actions).
    by_id = aliased(OutboxItem)
    by_key = aliased(OutboxItem)
    dialect = session.get_bind().dialect.name
    minutes = _seconds(Submission.submitted_at, FormDraft.created_at, dialect) / 60.0
    delivered = case(
        (or_(by_id.id.is_not(None), by_key.id.is_not(None)), 1),
        else_=0,
    )
    each = (
        select(
            minutes.label("minutes"),
            delivered.label("delivered"),
            func.row_number().over(order_by=minutes).label("place"),
            func.count().over().label("total"),
        )
        .select_from(Submission)
        .join(Case, Case.id == Submission.case_id)
        .join(FormDraft, FormDraft.id == Submission.draft_id)
        .outerjoin(by_id, and_(by_id.id == Submission.uuid, by_id.state == OutboxState.DELIVERED))
        .outerjoin(
            by_key,
            and_(
                by_key.connector == Connector.SUBMISSION_API,
                by_key.idempotency_key == Submission.uuid,
                by_key.state == OutboxState.DELIVERED,
            ),
        )
        .where(
            Submission.service_id == service_id,
            Submission.submitted_at >= first,
            Submission.submitted_at < after,
            Case.team_id == team,
        )
        .subquery()
    )
    middle = or_(
        each.c.place == (each.c.total + 1) // 2,
        each.c.place == (each.c.total + 2) // 2,
    )
    sent, confirmed, median = session.execute(
        select(
            func.count(),
            func.sum(each.c.delivered),
            func.avg(case((middle, each.c.minutes))),
        )
    ).one()
    return {
        "sent": int(sent or 0),
        "delivered": int(confirmed or 0),
        "median_minutes": float(median) if median is not None else None,
    }


def _escalations(
    session: Session, team: int, service_id: str, first: datetime, after: datetime
) -> dict[str, int]:
    mine = and_(Escalation.service_id == service_id, Case.team_id == team)
    raised = _count(
        session,
        select(func.count())
        .select_from(Escalation)
        .join(Case, Case.id == Escalation.case_id)
        .where(mine, Escalation.raised_at >= first, Escalation.raised_at < after),
    )
    levels = (
        select(func.count())
        .select_from(EscalationLevel)
        .join(Escalation, Escalation.id == EscalationLevel.escalation_id)
        .join(Case, Case.id == Escalation.case_id)
        .where(mine)
    )
    breaches = _count(
        session,
        levels.where(EscalationLevel.breached_at >= first, EscalationLevel.breached_at < after),
    )
    again = _count(
        session,
        levels.where(
            EscalationLevel.level > 1,
            EscalationLevel.sent_at >= first,
            EscalationLevel.sent_at < after,
        ),
    )
    return {"escalations": raised, "breaches": breaches, "re_escalations": again}


def _payments(
    session: Session, team: int, service_id: str, first: datetime, after: datetime
) -> dict[str, int]:
    rows = dict(
        session.execute(
            select(OutboxItem.state, func.count())
            .join(Case, Case.id == OutboxItem.case_id)
            .where(
                OutboxItem.connector == Connector.PAY,
                OutboxItem.created_at >= first,
                OutboxItem.created_at < after,
                Case.team_id == team,
                Case.service_id == service_id,
            )
            .group_by(OutboxItem.state)
        ).all()
    )
    bodies = session.scalars(
        select(OutboxItem.body)
        .join(Case, Case.id == OutboxItem.case_id)
        .where(
            OutboxItem.connector == Connector.PAY,
            OutboxItem.state == OutboxState.DELIVERED,
            OutboxItem.created_at >= first,
            OutboxItem.created_at < after,
            Case.team_id == team,
            Case.service_id == service_id,
        )
    )
    return {
        "payments_requested": sum(rows.values()),
        "payments_paid": rows.get(OutboxState.DELIVERED, 0),
        "payments_not_paid": rows.get(OutboxState.FAILED, 0) + rows.get(OutboxState.CANCELLED, 0),
        "paid_pence": sum(amount_of(b) or 0 for b in bodies),
    }


def _paper(
    session: Session, team: int, service_id: str, first: datetime, after: datetime
) -> dict[str, int]:
    # A blank copy has no case until it is given out: it is this office's when
    # one of its workers printed it.
    office = func.coalesce(Case.team_id, Worker.team_id) == team
    out = _count(
        session,
        select(func.count())
        .select_from(PaperCopy)
        .outerjoin(Case, Case.id == PaperCopy.case_id)
        .outerjoin(Worker, Worker.id == PaperCopy.printed_by_id)
        .where(
            PaperCopy.service_id == service_id,
            PaperCopy.printed_at >= first,
            PaperCopy.printed_at < after,
            office,
        ),
    )
    back = _count(
        session,
        select(func.count(func.distinct(PaperReturn.copy_id)))
        .select_from(PaperReturn)
        .join(PaperCopy, PaperCopy.id == PaperReturn.copy_id)
        .join(Case, Case.id == PaperReturn.case_id)
        .where(
            PaperCopy.service_id == service_id,
            PaperReturn.received_at >= first,
            PaperReturn.received_at < after,
            Case.team_id == team,
        ),
    )
    return {"paper_out": out, "paper_back": back}


def _reasons(
    session: Session, team: int, service_id: str, first: datetime, after: datetime
) -> tuple[Count, ...]:
    """Why help was needed: the people who gave each reason in the period, most first."""
    rows = session.execute(reason_people(team, service_id, first, after)).all()
    counts = {str(reason): int(n) for reason, n in rows}
    found = [Count(r.value, reason_words(r), counts[r.value]) for r in REASONS if r in counts]
    return tuple(sorted(found, key=lambda c: -c.count))  # stable: ties keep the list's order


def service_figures(
    session: Session,
    actor: Actor,
    service_id: str,
    start: date,
    end: date,
    *,
    catalogue: Catalogue | None = None,
    now: datetime | None = None,
) -> ServiceFigures:
    """This office's figures for ``service_id`` from ``start`` to ``end``
    (whole days); ``catalogue`` names the pages in the worker's language."""
    detail = {"service": service_id, "from": start.isoformat(), "to": end.isoformat()}
    require_office_read(session, actor, "service_figures", detail, now=now)
    first, after = period_bounds(start, end)
    moment = now or utcnow()
    team = actor.team_id
    forms = _drafts(session, team, service_id, first, after, moment)
    service = catalogue.get(service_id) if catalogue is not None else None
    pages = _page_words(service, current_language())
    gone = _("A page no longer on the form")
    drops: dict[str, Count] = {}
    for page, n in forms.pop("drop_rows"):
        key, words = pages.get(page, (page or "", gone))
        old = drops.get(key)
        drops[key] = Count(key, words, n + (old.count if old else 0))
    order = {p.id: i for i, p in enumerate(service.pages)} if service is not None else {}
    drop_off = tuple(sorted(drops.values(), key=lambda c: (order.get(c.key, len(order)), c.key)))
    return ServiceFigures(
        service_id=service_id,
        start=start,
        end=end,
        drop_off=drop_off,
        reasons=_reasons(session, team, service_id, first, after),
        **forms,
        **_sent(session, team, service_id, first, after),
        **_escalations(session, team, service_id, first, after),
        **_payments(session, team, service_id, first, after),
        **_paper(session, team, service_id, first, after),
    )
