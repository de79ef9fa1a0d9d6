"""A few escalations for the demo profile: one breached, one due soon, one acknowledged.

Raised through ``casework.escalation.lifecycle`` as the case's own worker, back-dated,
so the demo shows the escalations view's three groups and the start-up check
passing the breached one up the ladder.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from app.database import session_factory
from casework.escalation import directory, lifecycle, sla
from casework.escalation.records import EscalationRequest
from casework.forms import definitions
from casework.kernel.accounts import actor_for
from casework.kernel.models import Case, Person, Worker, utcnow
from casework.kernel.records import CaseStatus

DEMO_ESCALATIONS = (
    # (days ago raised, or None for "due tomorrow"; reason; description; acknowledged?)
    (45, "no_decision", "Applied 14 weeks ago. No decision and no reply to two calls.", False),
    (None, "urgent_hardship", "Payments stopped; rent is due. Needs a decision now.", False),
    (3, "lost_evidence", "The service says it never got the medical evidence we posted.", True),
)  # fmt: skip


def _due_tomorrow(working_days: int, nation: sla.Nation) -> datetime:
    """A raising time whose reply is due on the next working day."""
    now = utcnow()
    today = sla.local_date(now)
    for back in range(1, 120):
        moment = now - timedelta(days=back)
        due = sla.clock(moment, working_days, nation).due_on
        if sla.working_days_between(today, due, nation) <= 1:
            return moment
    return now


def add_escalations(engine: Engine) -> int:
    """Raise the demo escalations on open cases that have a facilitator; returns how many."""
    catalogue = definitions.load_catalogue(route_check=directory.route_problem)
    service_of = catalogue.service_of
    raised = 0
    with session_factory(engine, write=True).begin() as session:
        cases = session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.OPEN,
                Case.assigned_worker_id.is_not(None),
                Case.service_id.in_([s.id for s in catalogue.services]),
            )
            .order_by(Case.id)
            .limit(len(DEMO_ESCALATIONS))
        ).all()
        for case, (days, reason, text, acknowledged) in zip(cases, DEMO_ESCALATIONS, strict=False):
            worker = session.get(Worker, case.assigned_worker_id)
            if worker is None or worker.team_id != case.team_id:
                continue
            actor = actor_for(worker)
            if days is None:
                card = lifecycle.facilitator_for(session, actor, case.id, service_of)
                person = session.get(Person, case.person_id)
                nation = lifecycle.nation_of_postcode(person.postcode if person else None)
                raised_at = _due_tomorrow(card.sla_working_days, nation or sla.Nation.ENGLAND)
            else:
                raised_at = utcnow() - timedelta(days=days)
            escalation_id = lifecycle.raise_escalation(
                session,
                actor,
                EscalationRequest(case.id, reason, text),
                service_of,
                now=raised_at,
            )
            if acknowledged:
                lifecycle.acknowledge(session, actor, escalation_id, 1, "Acknowledged by phone.")
            raised += 1
    return raised
