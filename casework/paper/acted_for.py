"""The "who acted for me" report: everything done with a person's data, from
the audit chain, printed for the person.

Every allowed decision and every mandate change about the person is listed
with who did it, for which team, on which grant; refusals are listed too
(someone tried and was stopped), so the person can see an attempt as well as
an act. The report's reference ends with the start of the chain's latest
hash: a printed copy then also witnesses that nothing was cut off the end.
Asking for the report is itself a decision (print), recorded before the
entries are read, so it appears in the next report.

Every line is in the report's language and in plain words: the service's
title (from the catalogue), the kinds of information as
``delegation.scope_words`` names them, and a reason code's meaning, never
an identifier, an action value or a category id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import person_access
from casework.forms.definitions import Catalogue, load_catalogue
from casework.forms.mandate_names import catalogue_names
from casework.kernel.i18n import N_
from casework.kernel.models import Person, Team, Worker, utcnow
from casework.kernel.records import Actor
from casework.paper.documents import (
    ActedForReport,
    ActionTaken,
    DocumentOptions,
    render_acted_for_report,
)
from delegation import policy
from delegation.anchor import audit_record_line, chain_head
from delegation.models import AuditEntry
from delegation.scope import Action, is_identifier
from delegation.scope_words import NO_NAMES, ScopeNames, category_words, translator

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
    ("lifecycle", "renew"): N_("Renewed a permission (mandate)"),
    ("lifecycle", "revoke"): N_("Ended a permission (mandate)"),
    ("lifecycle", "reject"): N_("Turned down a permission (mandate)"),
    ("lifecycle", "expire"): N_("A permission (mandate) reached its end date"),
    ("lifecycle", "lapse"): N_("A permission (mandate) ended because nobody used it"),
}
# A refusal stored as a reason code (a mandate change that was turned down).
REASON_WORDS = {
    "person_withdrew": N_("The person withdrew their consent"),
    "safeguarding_concern": N_("A safeguarding concern"),
    "evidence_no_longer_valid": N_("The evidence is no longer valid"),
    "grantee_left": N_("The helper left or changed role"),
    "end_date_reached": N_("The end date was reached"),
    "parent_revoked": N_("The mandate it came from was revoked"),
    "parent_ended": N_("The mandate it came from ended"),
    "entered_in_error": N_("Entered in error"),
    "other": N_("Another reason"),
}


def _reason(entry: AuditEntry, tr: Callable[[str], str]) -> str:
    code = entry.reason_code or entry.reason
    if code in REASON_WORDS:
        return tr(REASON_WORDS[code])
    return entry.reason.rstrip(".")  # a sentence, in the words of the decision


def _target(target: str, names: ScopeNames, language: str) -> str:
    """The service an entry was for, by its title."""
    return names.title(target, language) if is_identifier(target) else target


def report_entries(
    session: Session, person_id: int, names: ScopeNames = NO_NAMES, language: str = "en"
) -> list[ActionTaken]:
    """The person's audit entries as lines of the report, oldest first, in
    ``language``, services named by ``names``."""
    tr = translator(language)
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
            details.append(tr(N_("Refused: {reason}")).format(reason=_reason(entry, tr)))
        if entry.target:
            target = _target(entry.target, names, language)
            details.append(tr(N_("For: {target}")).format(target=target))
        shown = json.loads(entry.categories_disclosed or "[]")
        if shown and entry.kind == "decision":
            what_shown = "; ".join(category_words(shown, language))
            details.append(tr(N_("Information: {what}")).format(what=what_shown))
        if entry.mandate_id is not None:
            details.append(tr(N_("Under mandate {id}")).format(id=entry.mandate_id))
        actions.append(
            ActionTaken(
                when=entry.at.astimezone(UK_TIME),
                who=who or tr(N_("Alongside (automatic)")),
                organisation=team or "",
                action=tr(what),
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
    catalogue: Catalogue | None = None,
) -> bytes:
    """The PDF for the person, for their own team only (a read decision), after
    a print decision on their identity; both audited.

    ``catalogue`` names the services (the window hands over its own; without
    one the definitions are read)."""
    moment = now or utcnow()
    policy.require_read(session, actor, person_id, "acted_for", moment)
    person_access(session, actor, person_id, Action.PRINT, frozenset({"identity"}), moment)
    person = session.get(Person, person_id)
    assert person is not None
    names = catalogue_names(catalogue or load_catalogue())
    actions = report_entries(session, person_id, names, language)
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
