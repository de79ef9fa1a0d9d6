"""The "who acted for me" report: everything done with a person's data, from
the audit chain, printed for the person.

Every allowed decision and every mandate change about the person is listed
with who did it, for which team, on which grant; refusals are listed too
(someone tried and was stopped), so the person can see an attempt as well as
an act. The report's reference ends with the start of the chain's latest
hash: a printed copy then also witnesses that nothing was cut off the end.
Asking for the report is itself a decision (print), recorded before the
entries are read, so it appears in the next report.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import person_access
from casework.kernel.i18n import N_, _
from casework.kernel.models import Person, Team, Worker, utcnow
from casework.kernel.records import Actor
from casework.paper.documents import (
    ActedForReport,
    ActionTaken,
    DocumentOptions,
    render_acted_for_report,
)
from delegation.anchor import audit_record_line, chain_head
from delegation.models import AuditEntry
from delegation.scope import Action

UK_TIME = ZoneInfo("Europe/London")  # stored in UTC, printed as the person's clock reads
WHAT_WAS_DONE = {
    ("decision", "view"): N_("Looked at your information"),
    ("decision", "draft"): N_("Worked on your record or a form"),
    ("decision", "submit"): N_("Sent a form for you"),
    ("decision", "contact"): N_("Contacted a service for you"),
    ("decision", "print"): N_("Printed your information"),
    ("decision", "escalate"): N_("Escalated your case"),
    ("lifecycle", "grant"): N_("Recorded a permission (mandate) for someone to act for you"),
    ("lifecycle", "activate"): N_("Started a permission (mandate)"),
    ("lifecycle", "suspend"): N_("Paused a permission (mandate)"),
    ("lifecycle", "revoke"): N_("Ended a permission (mandate)"),
    ("lifecycle", "reject"): N_("Turned down a permission (mandate)"),
    ("lifecycle", "expire"): N_("A permission (mandate) reached its end date"),
    ("lifecycle", "lapse"): N_("A permission (mandate) ended because nobody used it"),
}


def report_entries(session: Session, person_id: int) -> list[ActionTaken]:
    """The person's audit entries as lines of the report, oldest first."""
    rows = session.execute(
        select(AuditEntry, Worker.display_name, Team.name)
        .outerjoin(Worker, Worker.id == AuditEntry.worker_id)
        .outerjoin(Team, Team.id == Worker.team_id)
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.seq)
    )
    actions = []
    for entry, who, team in rows:
        what = WHAT_WAS_DONE.get((entry.kind, entry.action))
        if what is None:
            continue
        details = []
        if entry.outcome != "allow":
            details.append(_("Refused: {reason}").format(reason=entry.reason))
        if entry.target:
            details.append(_("For: {target}").format(target=entry.target))
        shown = json.loads(entry.categories_disclosed or "[]")
        if shown and entry.kind == "decision":
            details.append(_("Information: {what}").format(what=", ".join(_(c) for c in shown)))
        if entry.mandate_id is not None:
            details.append(_("Under mandate {id}").format(id=entry.mandate_id))
        actions.append(
            ActionTaken(
                when=entry.at.astimezone(UK_TIME),
                who=who or _("Alongside (automatic)"),
                organisation=team or "",
                action=_(what),
                detail="; ".join(details),
            )
        )
    return actions


def acted_for_report(
    session: Session,
    actor: Actor,
    person_id: int,
    *,
    language: str = "en",
    large_print: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The PDF for the person, after a print decision on their identity."""
    moment = now or utcnow()
    person_access(session, actor, person_id, Action.PRINT, frozenset({"identity"}), moment)
    person = session.get(Person, person_id)
    assert person is not None
    actions = report_entries(session, person_id)
    latest = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    first = actions[0].when.date() if actions else moment.date()
    report = ActedForReport(
        reference=f"AF-{person_id}-{(latest or '0' * 8)[:8].upper()}",
        person_name=f"{person.given_name} {person.family_name}",
        period_from=first,
        period_to=moment.date(),
        actions=actions,
        audit_record=audit_record_line(chain_head(session)),
    )
    return render_acted_for_report(report, DocumentOptions(language, large_print))
