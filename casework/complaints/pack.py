"""The evidence pack: one PDF a person (or their helper) sends to the body
at the next step of a complaint.

``evidence_pack`` takes one ``print`` decision on the case for every kind of
information the pack prints (audited either way; a refusal raises after the
entry is written, and the caller's transaction keeps it), then needs the
person's consent to the pack (a yes with its day, ``steps.record_consent``).
It gathers, in the pack's language: the covering letter with what every
body asks for, the route with its dates and deadlines, the timeline, each
frozen submission with its definition fingerprint (answers only in the
categories the decision discloses), delivery receipts (outbox items the
platform confirmed), the escalation ladder with due and breached days,
payments, and the audit entries the worker may read (``decide_read``, within
the mandate). ``render`` lays it out on the paper's shared pages, outside
the transaction.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.complaints.models import ComplaintStep
from casework.complaints.steps import (
    UK_TIME,
    Complaint,
    RouteStep,
    build,
    consent_day,
    nation_of_case,
)
from casework.escalation.models import Escalation, EscalationLevel
from casework.forms.answers import display_value
from casework.forms.definitions import Catalogue
from casework.kernel import i18n, timeline
from casework.kernel.errors import AccessRefused, NotFound
from casework.kernel.models import Case, Person, Submission, TimelineEvent, Worker, utcnow
from casework.kernel.records import Actor
from casework.paper.acted_for import WHAT_WAS_DONE
from casework.paper.files import safe_file_name
from casework.paper.text import _, speaking
from delegation import policy
from delegation.models import AuditEntry
from delegation.scope import Action
from delegation.scope_words import translator
from offline_sync.models import OutboxItem
from offline_sync.outbox import PLATFORM_NAMES
from offline_sync.payments.words import amount_of, pounds
from offline_sync.records import Connector, OutboxState

# What the covering letter prints of the person: each body asks for these.
LETTER_CATEGORIES = frozenset({"identity", "address", "contact", "care", "health", "other"})


@dataclass(frozen=True)
class Section:
    """One part of the pack after the letter: a heading, a table, and what
    it says when there is nothing to show."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shares: tuple[float, ...]
    empty: str
    note: str = ""


@dataclass(frozen=True)
class EvidencePack:
    """Everything the PDF prints, in its language (plain data, no database)."""

    reference: str
    language: str
    large_print: bool
    addressee: str  # the body the letter goes to
    addressee_contact: str
    letter: tuple[tuple[str, str], ...]  # (what the body asks for, the answer)
    consent: str
    sections: tuple[Section, ...]
    file_name: str


def _case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFound(
            i18n._("There is no case with the reference {ref}. Check it and try again.").format(
                ref=reference
            )
        )
    return case


def _when(moment: datetime, tr: Callable[[str], str], language: str) -> str:
    local = moment.astimezone(UK_TIME)
    return f"{_day(local.date(), tr, language)} {local:%H:%M}"


def _day(value: date | None, tr: Callable[[str], str], language: str) -> str:
    if value is None:
        return "—"
    return timeline.render(timeline.day(value), language, tr)


def _next_step(route: Complaint) -> RouteStep:
    """The step the pack goes to: the first not yet recorded that can be
    taken, else the last recorded."""
    for item in route.steps:
        if item.recorded is None and item.deadline.can_start:
            return item
    recorded = [s for s in route.steps if s.recorded is not None]
    return recorded[-1] if recorded else route.steps[0]


def covering_letter(
    person: Person,
    disclosed: frozenset[str],
    case: Case,
    route: Complaint,
    facts: Sequence[str],
    tr: Callable[[str], str],
    language: str,
) -> tuple[tuple[str, str], ...]:
    """What every body asks for, and the answers: what the decision withholds
    (``disclosed`` lacks its category) is said to be withheld, never printed."""
    withheld = _("Not shown: your permission to act does not cover it.")

    def shown(category: str, value: str | None, missing: str) -> str:
        if category not in disclosed:
            return withheld
        return value.strip() if value and value.strip() else missing

    none = _("Not recorded.")
    contact = "\n".join(v for v in (person.email, person.phone) if v and "contact" in disclosed)
    adjustments = [person.access_needs if "care" in disclosed else ""]
    adjustments.append(person.communication_needs if "health" in disclosed else "")
    language_words = _("Welsh") if person.preferred_language == "cy" else _("English")
    responses = [
        _("{body}: final response dated {day}, enclosed.").format(
            body=s.step.body.name, day=_day(s.recorded.final_response_on, tr, language)
        )
        for s in route.final_responses
        if s.recorded is not None
    ]
    return (
        (_("Name"), f"{person.given_name} {person.family_name}"),
        (_("Address"), shown("address", f"{person.address}\n{person.postcode or ''}", none)),
        (_("National Insurance number"), shown("identity", person.ni_number, none)),
        (
            _("What happened"),
            "\n".join([case.title, *facts]) if "other" in disclosed else case.title,
        ),
        (
            _("How to contact them"),
            (contact or none) + "\n" + _("Language: {language}").format(language=language_words)
            if "contact" in disclosed
            else withheld,
        ),
        (_("Adjustments needed"), "\n".join(a for a in adjustments if a.strip()) or none),
        (
            _("Copy of the final response"),
            "\n".join(responses) or _("No final response has been recorded yet."),
        ),
    )


def _route_section(route: Complaint, tr: Callable[[str], str], language: str) -> Section:
    rows = []
    for item in route.steps:
        rec = item.recorded
        last = item.deadline.last_day
        if last is None:
            limit = item.step.time_limit
        elif item.deadline.from_problem:
            limit = _("{limit} By {day} at the latest.").format(
                limit=item.step.time_limit, day=_day(last, tr, language)
            )
        else:
            limit = _("{limit} By {day}.").format(
                limit=item.step.time_limit, day=_day(last, tr, language)
            )
        rows.append(
            (
                f"{item.step.number}. {item.step.body.name}",
                _day(rec.started_on if rec else None, tr, language),
                _day(rec.final_response_on if rec else None, tr, language),
                _day(rec.closed_on if rec else None, tr, language),
                limit,
            )
        )
    return Section(
        _("The complaint route"),
        (_("Step"), _("Made on"), _("Final response"), _("Closed"), _("Time limit")),
        tuple(rows),
        (0.3, 0.13, 0.13, 0.12, 0.32),
        "",
    )


def _timeline(session: Session, case: Case, tr: Callable[[str], str], language: str) -> Section:
    rows = session.execute(
        select(TimelineEvent, Worker.display_name)
        .outerjoin(Worker, Worker.id == TimelineEvent.worker_id)
        .where(TimelineEvent.case_id == case.id)
        .order_by(TimelineEvent.at, TimelineEvent.id)
    )
    lines = []
    for event, who in rows:
        text = event.summary
        if event.event:
            with contextlib.suppress(ValueError):
                text = timeline.render(json.loads(event.event), language, tr)
        lines.append((_when(event.at, tr, language), who or _("Alongside (automatic)"), text))
    return Section(
        _("What happened, in order"),
        (_("When"), _("Who"), _("What")),
        tuple(lines),
        (0.22, 0.2, 0.58),
        _("Nothing is recorded on this case."),
    )


def _submissions(
    session: Session,
    case: Case,
    catalogue: Catalogue,
    disclosed: frozenset[str],
    tr: Callable[[str], str],
    language: str,
) -> Section:
    rows = []
    for sub in session.scalars(
        select(Submission).where(Submission.case_id == case.id).order_by(Submission.id)
    ):
        service = catalogue.get(sub.service_id)
        title = service.text("title", language) if service else sub.service_id
        answers: dict[str, Any] = json.loads(sub.answers)
        shown = []
        if service is not None:
            for question in service.questions():
                if question.id not in answers or question.category not in disclosed:
                    continue
                label = question.raw.get("label")
                words = label.get(language) or label.get("en") if isinstance(label, dict) else ""
                try:
                    value = display_value(question, answers[question.id], language)
                except (KeyError, TypeError, ValueError):
                    value = str(answers[question.id])
                shown.append(f"{words or question.id}: {value}")
        rows.append(
            (
                f"{title}\n"
                + _("Sent {when}").format(when=_when(sub.submitted_at, tr, language))
                + "\n"
                + _("Form version {version}").format(version=sub.service_version)
                + "\n"
                + _("Definition fingerprint (SHA-256): {sha}").format(sha=sub.definition_sha256),
                "\n".join(shown) or _("No answers may be shown under your permission."),
            )
        )
    return Section(
        _("The forms as they were sent"),
        (_("Form"), _("Answers, exactly as sent")),
        tuple(rows),
        (0.38, 0.62),
        _("No form was sent on this case."),
        _("Answers in kinds of information your permission does not cover are left out."),
    )


def _receipts(session: Session, case: Case, tr: Callable[[str], str], language: str) -> Section:
    rows = []
    for item in session.scalars(
        select(OutboxItem)
        .where(
            OutboxItem.case_id == case.id,
            OutboxItem.state == OutboxState.DELIVERED,
            OutboxItem.connector != Connector.PAY,
        )
        .order_by(OutboxItem.updated_at)
    ):
        rows.append(
            (
                tr(PLATFORM_NAMES.get(item.connector, str(item.connector))),
                _when(item.updated_at, tr, language),
                item.remote_id or "—",
            )
        )
    return Section(
        _("Delivery receipts"),
        (_("What"), _("Confirmed delivered"), _("The platform's reference")),
        tuple(rows),
        (0.4, 0.25, 0.35),
        _("No delivery has been confirmed by a platform."),
        _("Only what the platform confirmed it delivered is listed."),
    )


def _ladder(session: Session, case: Case, tr: Callable[[str], str], language: str) -> Section:
    rows = []
    levels = session.execute(
        select(Escalation, EscalationLevel)
        .join(EscalationLevel, EscalationLevel.escalation_id == Escalation.id)
        .where(Escalation.case_id == case.id)
        .order_by(Escalation.id, EscalationLevel.level)
    )
    for _escalation, level in levels:
        try:
            who = json.loads(level.facilitator)
        except ValueError:
            who = {}
        rows.append(
            (
                _("Level {n}").format(n=level.level),
                f"{who.get('name', '')}\n{who.get('organisation', '')}",
                _when(level.sent_at, tr, language),
                _day(level.due_on, tr, language),
                _when(level.breached_at, tr, language) if level.breached_at else _("No"),
            )
        )
    return Section(
        _("The escalation ladder"),
        (_("Level"), _("Sent to"), _("Sent"), _("Reply due"), _("Missed")),
        tuple(rows),
        (0.12, 0.3, 0.22, 0.16, 0.2),
        _("The case was not escalated."),
    )


def _payments(session: Session, case: Case, tr: Callable[[str], str], language: str) -> Section:
    states = {
        OutboxState.DELIVERED: _("Paid"),
        OutboxState.CANCELLED: _("Cancelled"),
        OutboxState.FAILED: _("Not paid"),
    }
    rows = []
    for item in session.scalars(
        select(OutboxItem)
        .where(OutboxItem.case_id == case.id, OutboxItem.connector == Connector.PAY)
        .order_by(OutboxItem.created_at)
    ):
        pence = amount_of(item.body)
        rows.append(
            (
                _when(item.created_at, tr, language),
                pounds(pence) if pence is not None else "—",
                states.get(item.state, _("Asked for")),
            )
        )
    return Section(
        _("Payments"),
        (_("Asked for"), _("Amount"), _("Outcome")),
        tuple(rows),
        (0.4, 0.25, 0.35),
        _("No payment was asked for on this case."),
    )


def _audit(
    session: Session,
    actor: Actor,
    case: Case,
    tr: Callable[[str], str],
    language: str,
    now: datetime,
) -> Section:
    read = policy.decide_read(session, actor, case.person_id, "audit", now)
    rows = []
    if read.allowed:
        entries = session.execute(
            select(AuditEntry, Worker.display_name)
            .outerjoin(Worker, Worker.id == AuditEntry.worker_id)
            .where(AuditEntry.person_id == case.person_id)
            .order_by(AuditEntry.seq)
        )
        for entry, who in entries:
            what = WHAT_WAS_DONE.get((entry.kind, entry.action))
            if what is None or not policy.audit_visible(read, entry):
                continue
            outcome = _("Allowed") if entry.outcome == "allow" else _("Refused")
            rows.append(
                (
                    _when(entry.at, tr, language),
                    who or _("Alongside (automatic)"),
                    tr(what),
                    outcome,
                )
            )
    return Section(
        _("Who looked at or acted on this information"),
        (_("When"), _("Who"), _("What"), _("Outcome")),
        tuple(rows),
        (0.22, 0.22, 0.4, 0.16),
        _("Nothing here that you may see."),
        _("From Alongside's audit trail, as far as your permission lets you see it."),
    )


def evidence_pack(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    case_reference: str,
    *,
    language: str = "en",
    large_print: bool = False,
    now: datetime | None = None,
) -> EvidencePack:
    """Decide, check the consent, and gather the pack (render it with ``render``,
    after the transaction)."""
    moment = now or utcnow()
    tr = translator(language)
    case = _case(session, case_reference)
    categories = LETTER_CATEGORIES
    for sub_service in session.scalars(
        select(Submission.service_id).where(Submission.case_id == case.id)
    ):
        service = catalogue.get(sub_service)
        if service is not None:
            categories |= service.data_categories()
    decision = policy.decide(
        session, actor, case.person_id, Action.PRINT, None, categories, moment, case_id=case.id
    )
    if not decision.allowed:
        raise AccessRefused(
            i18n._("You may not print this evidence pack: {reason}").format(reason=decision.reason)
        )
    rows = {
        row.step: row
        for row in session.scalars(select(ComplaintStep).where(ComplaintStep.case_id == case.id))
    }
    consent_on = consent_day(session, case.id)
    if consent_on is None:
        raise AccessRefused(
            i18n._(
                "Record the person's consent to the evidence pack first: ask them, "
                "then record their yes and the day they gave it."
            )
        )
    person = session.get(Person, case.person_id)
    assert person is not None
    route = build(case, nation_of_case(session, case, decision), rows, consent_on, language)
    disclosed = decision.disclosed_categories
    facts = [
        escalation.description
        for escalation in session.scalars(
            select(Escalation).where(Escalation.case_id == case.id).order_by(Escalation.id)
        )
    ]
    to = _next_step(route).step.body
    name = f"{person.given_name} {person.family_name}"
    with speaking(language):  # the pack's own words in its language
        return EvidencePack(
            reference=f"CP-{case.reference}-{moment.astimezone(UK_TIME):%Y%m%d}",
            language=language,
            large_print=large_print,
            addressee=to.name,
            addressee_contact=f"{to.contact}\n{to.url}",
            letter=covering_letter(person, disclosed, case, route, facts, tr, language),
            consent=_("{name} agreed to this pack being shared on {day}.").format(
                name=name, day=_day(consent_on, tr, language)
            ),
            sections=(
                _route_section(route, tr, language),
                _timeline(session, case, tr, language),
                _submissions(session, case, catalogue, disclosed, tr, language),
                _receipts(session, case, tr, language),
                _ladder(session, case, tr, language),
                _payments(session, case, tr, language),
                _audit(session, actor, case, tr, language, moment),
            ),
            file_name=safe_file_name(
                f"{case.reference}-evidence-pack-{language}{'-large' if large_print else ''}"
            ),
        )
