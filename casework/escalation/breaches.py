"""The SLA check: re-escalate breached escalations once, and remind before a breach.

``check_due`` runs at sign-in and on a timer (and as ``alongside escalations
check``). It re-escalates an escalation still waiting for acknowledgement
once its level's clock is breached, to the next rung of the ladder. Each
re-escalation is one transaction: the new level row, its outbox item, the
timeline line and the audit entry commit together or not at all. Inside that
transaction (a write lock on SQLite) the breach is checked again, and the
unique constraint on (escalation, level) refuses a second copy, so a restart
or a second process mid-check can never send twice. Before a breach it adds
a reminder task for the worker who raised it, once per level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from casework.escalation.lifecycle import (
    DEFAULT_TEMPLATE_ID,
    _audit,
    _card_from_level,
    _content,
    _context,
    _day,
    _latest_level,
    _send_level,
    facilitator_words,
    ladder_for,
)
from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import CheckReport, EscalationStatus
from casework.forms.definitions import Service
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Task, Worker, utcnow
from casework.kernel.records import Actor

log = logging.getLogger("alongside.escalation")


def _actor_of(session: Session, worker_id: int) -> Actor | None:
    from casework.kernel.accounts import actor_for

    worker = session.get(Worker, worker_id)
    if worker is None or not worker.active:
        return None
    return actor_for(worker)


def _remind(
    session: Session, escalation: Escalation, level: EscalationLevel, now: datetime
) -> None:
    level.reminded_at = now
    card_ = _card_from_level(level)
    title = _("Chase escalation: {name} should reply by {due}").format(
        name=card_.name, due=_day(level.due_on)
    )
    session.add(
        Task(
            case_id=escalation.case_id,
            title=title[:200],
            due_on=level.due_on,
            assigned_worker_id=escalation.raised_by_id,
            created_by_id=escalation.raised_by_id,
        )
    )
    said = timeline.line(
        N_("Chase escalation: {name} should reply by {due}"),
        name=card_.name,
        due=timeline.day(level.due_on),
    )
    timeline.record(session, escalation.case_id, "escalation_reminder", said, None)
    _audit(session, None, escalation, "sla_reminder", title, now)


def _re_escalate(
    session: Session,
    escalation: Escalation,
    level: EscalationLevel,
    service_of: Callable[[str], Service],
    template_id: str,
    now: datetime,
) -> str:
    """One breach, handled in the caller's transaction: 're', 'top' or 'refused'."""
    rungs = ladder_for(session, service_of(escalation.service_id), escalation.area)
    following = [r for r in rungs if r.level > level.level]
    level.breached_at = now
    earlier = _card_from_level(level)
    if not following:
        timeline.record(
            session,
            escalation.case_id,
            "escalation_breached",
            timeline.line(
                N_(
                    "{name} did not reply by {due}, and there is no one further up the ladder. "
                    "Ring them on {phone}."
                ),
                name=earlier.name,
                due=timeline.day(level.due_on),
                phone=earlier.phone,
            ),
            None,
        )
        _audit(session, None, escalation, "sla_breach", _("SLA breached at the top level."), now)
        return "top"
    actor = _actor_of(session, escalation.raised_by_id)
    try:
        if actor is None:
            raise AccessRefused(_("The worker who raised it can no longer sign in."))
        ctx = _context(session, actor, escalation.case_id, service_of, escalation.area, now)
    except AccessRefused as exc:
        timeline.record(
            session,
            escalation.case_id,
            "escalation_breached",
            timeline.line(
                N_("{name} did not reply by {due}. Not passed on: {reason}"),
                name=earlier.name,
                due=timeline.day(level.due_on),
                reason=exc.message,
            ),
            None,
        )
        return "refused"
    ctx = replace(ctx, area=escalation.area)
    person = following[0]
    number = int(
        session.scalar(
            select(func.count()).where(
                Escalation.case_id == escalation.case_id, Escalation.id <= escalation.id
            )
        )
        or 1
    )
    content = _content(
        session,
        actor,
        ctx,
        person,
        escalation.reason.value,
        escalation.description,
        now,
        number,
        template_id,
        earlier,
    )
    _send_level(session, escalation, content, now, ctx.decision, ctx.service)
    escalation.current_level = person.level
    timeline.record(
        session,
        escalation.case_id,
        "re_escalated",
        timeline.line(
            N_(
                "{old} did not reply by {due}. Passed on to {name} ({role}); "
                "reply due by {new_due}."
            ),
            old=earlier.name,
            due=timeline.day(level.due_on),
            name=person.name,
            role=facilitator_words(session, ctx.service, escalation.area, person, "role"),
            new_due=timeline.day(content.card.due_on),
        ),
        None,
    )
    _audit(
        session,
        actor,
        escalation,
        "re_escalate",
        _("SLA breached; re-escalated to level {n}.").format(n=person.level),
        now,
    )
    return "re"


def _due_ids(session: Session, now: datetime) -> tuple[list[int], list[int]]:
    latest = (
        select(EscalationLevel.escalation_id, func.max(EscalationLevel.level).label("top"))
        .group_by(EscalationLevel.escalation_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Escalation.id,
            EscalationLevel.breach_at,
            EscalationLevel.reminder_at,
            EscalationLevel.reminded_at,
            EscalationLevel.breached_at,
        )
        .join(latest, latest.c.escalation_id == Escalation.id)
        .join(
            EscalationLevel,
            (EscalationLevel.escalation_id == Escalation.id)
            & (EscalationLevel.level == latest.c.top),
        )
        .where(Escalation.status == EscalationStatus.RAISED)
    ).all()
    breached = [r[0] for r in rows if r[4] is None and now >= r[1]]
    remind = [r[0] for r in rows if r[3] is None and now >= r[2] and now < r[1]]
    return breached, remind


def check_due(
    sessions: sessionmaker[Session],
    service_of: Callable[[str], Service],
    *,
    template_id: str = DEFAULT_TEMPLATE_ID,
    now: datetime | None = None,
    before_commit: Callable[[int], None] | None = None,
) -> CheckReport:
    """Re-escalate breached escalations and remind before a breach; one transaction each.

    ``before_commit`` (tests) runs inside each re-escalation's transaction, just
    before it commits, so a test can kill the process at the worst moment.
    """
    moment = now or utcnow()
    with sessions.begin() as session:
        breached, remind = _due_ids(session, moment)
    counts = {"re": 0, "top": 0, "refused": 0, "reminded": 0}
    for escalation_id in breached:
        try:
            with sessions.begin() as session:
                escalation = session.get(Escalation, escalation_id, populate_existing=True)
                if escalation is None or escalation.status is not EscalationStatus.RAISED:
                    continue
                level = _latest_level(session, escalation_id)
                # Another process may have got here first: check again inside the lock.
                if level.breached_at is not None or moment < level.breach_at:
                    continue
                outcome = _re_escalate(session, escalation, level, service_of, template_id, moment)
                if before_commit is not None:
                    before_commit(escalation_id)
            counts[outcome] += 1
        except IntegrityError:
            log.info("escalation %s was re-escalated by another process", escalation_id)
        except (LookupError, NotFound) as exc:
            # Its service's definition is gone or broken: leave it (rolled back, so the
            # next check tries again) and go on with the others and the reminders.
            log.warning("escalation %s not re-escalated: no service (%s)", escalation_id, exc)
            counts["refused"] += 1
    for escalation_id in remind:
        with sessions.begin() as session:
            escalation = session.get(Escalation, escalation_id)
            if escalation is None or escalation.status is not EscalationStatus.RAISED:
                continue
            level = _latest_level(session, escalation_id)
            if level.reminded_at is None and level.reminder_at <= moment < level.breach_at:
                _remind(session, escalation, level, moment)
                counts["reminded"] += 1
    return CheckReport(
        re_escalated=counts["re"],
        reminded=counts["reminded"],
        breached_at_top=counts["top"],
        refused=counts["refused"],
    )
