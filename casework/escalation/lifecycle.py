"""Escalating a stuck case to its named facilitator, with an SLA clock.

**Raising.** ``preview`` builds exactly what will go (the email's subject and
text, or the letter PDF) from the case, the reason and the first rung of the
ladder for the service in the person's area; ``raise_escalation`` builds the
same content again and, in one transaction, takes the policy decision
(``escalate``), writes the escalation and its first level, queues the outbox
item (``notify_email``, or ``notify_letter`` with the precompiled letter), and
adds the timeline line; the decision is in the audit chain.

**States.** ``TRANSITIONS`` is the whole state machine: raised ->
acknowledged -> resolved or closed (raised may also go straight to resolved
or closed). Acknowledgement stops the SLA clock: the facilitator has it.

**The SLA check** (re-escalation on breach, reminders before it) is in
``casework.escalation.breaches``.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.escalation import directory, local_directory, sla
from casework.escalation.directory import Facilitator
from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import (
    REASON_WORDS,
    REASONS,
    EscalationPreview,
    EscalationRecord,
    EscalationRequest,
    EscalationSettings,
    EscalationStatus,
    FacilitatorCard,
    ReasonCategory,
    reason_label,
)
from casework.forms.definitions import Catalogue, Service
from casework.forms.place import place_of_case
from casework.kernel import timeline
from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _, current_language
from casework.kernel.models import Case, Person, Submission, Team, Worker, utcnow
from casework.kernel.nations import nation_of_postcode as nation_of_postcode  # re-exported
from casework.kernel.records import Actor
from casework.kernel.validators import require_text
from delegation import audit, policy
from offline_sync import outbox
from offline_sync.records import Connector
from offline_sync.text_updates.send import text_update

log = logging.getLogger("alongside.escalation")

S = EscalationStatus
TRANSITIONS: dict[EscalationStatus, frozenset[EscalationStatus]] = {
    S.RAISED: frozenset({S.ACKNOWLEDGED, S.RESOLVED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset(),
    S.CLOSED: frozenset(),
}
OPEN = frozenset({S.RAISED, S.ACKNOWLEDGED})
# GOV.UK Notify's own example template id: a sandbox default until a real one is set.
DEFAULT_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
MAX_DESCRIPTION = 4000
DUE_SOON_WORKING_DAYS = 1
FILE_RETENTION = "26 weeks"


def check_transition(old: EscalationStatus, new: EscalationStatus) -> None:
    if new not in TRANSITIONS[old]:
        raise InvalidInput(
            {
                "status": _("An escalation that is {old} cannot become {new}.").format(
                    old=_(old.value), new=_(new.value)
                )
            }
        )


# -- what goes out ---------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    case: Case
    person: Person
    worker: Worker
    team: Team
    service: Service
    area: str
    decision: policy.PolicyDecision


def card(person: Facilitator, raised_at: datetime) -> FacilitatorCard:
    clock = sla.clock(raised_at, person.sla_working_days, person.nation)
    return FacilitatorCard(
        level=person.level,
        name=person.name,
        role=person.role,
        organisation=person.organisation,
        email=person.email,
        phone=person.phone,
        hours=person.hours_text(),
        languages=person.languages_text(),
        channel=person.channel,
        postal_address=person.postal_address,
        sla_working_days=person.sla_working_days,
        due_on=clock.due_on,
    )


def _day(value: Any) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def _compose(
    ctx: _Context,
    person: Facilitator,
    reason: str,
    description: str,
    raised_at: datetime,
    escalation_number: int,
    earlier: FacilitatorCard | None,
) -> tuple[str, str]:
    """The subject and exact text of the message (in English: the service's language)."""
    clock = sla.clock(raised_at, person.sla_working_days, person.nation)
    title = ctx.service.text("title", "en")
    subject = f"Escalation {escalation_number}: {title}, case {ctx.case.reference}"
    lines = [
        f"Dear {person.name},",
        "",
        f"I am {ctx.worker.display_name} of {ctx.team.name}. I help "
        f"{ctx.person.given_name} {ctx.person.family_name} with {title} "
        f"(our case {ctx.case.reference}), with their agreement.",
        "",
        f"You are the named {person.role} at {person.organisation} for cases like this, "
        "so I am asking you to help.",
        "",
        f"Why I am asking: {reason_label(reason)}",
        "",
        "What has happened:",
        description,
        "",
    ]
    if earlier is not None:
        lines += [
            f"I asked {earlier.name} ({earlier.role}) on our first request and had no reply "
            f"by {_day(earlier.due_on)}, so this now comes to you.",
            "",
        ]
    lines += [
        f"Please reply within {person.sla_working_days} working days, by "
        f"{_day(clock.due_on)}. If I have not heard by then, this will go to the next "
        "person on the escalation ladder.",
        "",
        f"{ctx.worker.display_name}",
        f"{ctx.team.name}",
    ]
    return subject, "\n".join(lines)


def _letter(
    ctx: _Context,
    person: Facilitator,
    reason: str,
    description: str,
    raised_at: datetime,
    escalation_number: int,
) -> bytes:
    from casework.paper.documents import DocumentOptions, EscalationLetter, render_escalation_letter

    clock = sla.clock(raised_at, person.sla_working_days, person.nation)
    letter = EscalationLetter(
        reference=f"{ctx.case.reference}-E{escalation_number}-L{person.level}",
        facilitator_name=person.name,
        facilitator_organisation=person.organisation,
        service_title=ctx.service.text("title", "en"),
        case_reference=ctx.case.reference,
        person_name=f"{ctx.person.given_name} {ctx.person.family_name}",
        summary=f"{reason_label(reason)}.\n{description}",
        steps_taken=(),
        asked_for="Please look into this case and tell us what will happen next.",
        reply_within_working_days=person.sla_working_days,
        reply_by=clock.due_on,
        sender_name=ctx.worker.display_name,
        sender_organisation=ctx.team.name,
        sender_contact=_("Reply quoting case {case}").format(case=ctx.case.reference),
        sent_on=sla.local_date(raised_at),
    )
    return render_escalation_letter(
        letter, DocumentOptions(letter_address=[person.name, *person.postal_address])
    )


def _form_attachment(session: Session, actor: Actor, ctx: _Context) -> tuple[str, bytes] | None:
    """The latest sent form as a pre-filled PDF, when the mandate allows printing it."""
    from casework.paper.form import PaperOptions, render_form

    submission = session.scalar(
        select(Submission)
        .where(Submission.case_id == ctx.case.id, Submission.service_id == ctx.service.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        .limit(1)
    )
    if submission is None:
        return None
    categories = frozenset(q.category for q in ctx.service.questions())
    decision = policy.decide(
        session, actor, ctx.person.id, "print", categories=categories, case_id=ctx.case.id
    )
    if not decision.allowed:
        return None
    pdf = render_form(
        ctx.service,
        PaperOptions(
            answers=json.loads(submission.answers),
            allowed_categories=decision.disclosed_categories,
            reference=f"{ctx.case.reference}-{submission.id}",
        ),
    )
    return f"{ctx.service.id}-{ctx.case.reference}.pdf", pdf


@dataclass(frozen=True)
class _Content:
    facilitator: Facilitator
    card: FacilitatorCard
    subject: str
    body: str
    attachment: tuple[str, bytes] | None
    letter_pdf: bytes | None
    connector: Connector
    notify_body: dict[str, Any]


def _content(
    session: Session,
    actor: Actor,
    ctx: _Context,
    person: Facilitator,
    reason: str,
    description: str,
    raised_at: datetime,
    escalation_number: int,
    template_id: str,
    earlier: FacilitatorCard | None = None,
) -> _Content:
    subject, body = _compose(
        ctx, person, reason, description, raised_at, escalation_number, earlier
    )
    facilitator_card = card(person, raised_at)
    if person.channel == "paper":
        pdf = _letter(ctx, person, reason, description, raised_at, escalation_number)
        notify_body: dict[str, Any] = {
            "content": base64.b64encode(pdf).decode("ascii"),
            "postage": "first" if reason in ("urgent_hardship", "safeguarding") else "second",
        }
        return _Content(
            person, facilitator_card, subject, body, None, pdf, Connector.NOTIFY_LETTER, notify_body
        )
    attachment = _form_attachment(session, actor, ctx)
    personalisation: dict[str, Any] = {
        "subject": subject,
        "body": body,
        "case_reference": ctx.case.reference,
        "reply_by": _day(facilitator_card.due_on),
    }
    if attachment is not None:
        name, pdf = attachment
        # Notify's prepare_upload shape for a file sent by email.
        personalisation["link_to_file"] = {
            "file": base64.b64encode(pdf).decode("ascii"),
            "filename": name,
            "confirm_email_before_download": True,
            "retention_period": FILE_RETENTION,
        }
    notify_body = {
        "email_address": person.email,
        "template_id": template_id,
        "personalisation": personalisation,
    }
    return _Content(
        person,
        facilitator_card,
        subject,
        body,
        attachment,
        None,
        Connector.NOTIFY_EMAIL,
        notify_body,
    )


def _check_request(request: EscalationRequest) -> str:
    errors: dict[str, str] = {}
    if request.reason not in REASONS:
        errors["reason"] = _("Choose why you are escalating this case.")
    description = request.description.strip()
    if not description:
        errors["description"] = _(
            "Describe what has happened, so the facilitator can act without calling you."
        )
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep the description to {n} characters or fewer.").format(
            n=MAX_DESCRIPTION
        )
    if errors:
        raise InvalidInput(errors)
    return description


def _context(
    session: Session,
    actor: Actor,
    case_id: int,
    service_of: Callable[[str], Service],
    default_area: str,
    now: datetime,
) -> _Context:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("This case is not in your team's caseload."))
    decision = policy.require(
        session,
        actor,
        case.person_id,
        "escalate",
        categories=frozenset({"identity"}),
        now=now,
        case_id=case_id,
    )
    person = session.get(Person, case.person_id)
    worker = session.get(Worker, actor.worker_id)
    team = session.get(Team, actor.team_id)
    assert person is not None and worker is not None and team is not None
    service = service_of(case.service_id)
    # The case's nation, from the one place fees and versions ask too.
    placement = place_of_case(session, person, service)
    area = placement.nation.value if placement is not None else default_area
    return _Context(case, person, worker, team, service, area, decision)


def ladder_for(
    session: Session, service: Service, area: str, *, language: str = "en"
) -> tuple[Facilitator, ...]:
    """The service's ladder in ``area``, the administrator's local entries included."""
    return directory.ladder(
        local_directory.for_service(session, service.id),
        service.id,
        area,
        service.raw.get("facilitator"),
        language=language,
    )


def facilitator_words(
    session: Session, service: Service, area: str, person: Facilitator, field: str
) -> timeline.Line:
    """``person``'s role or organisation as a timeline word, in English and in
    Welsh where the directory has both (a local entry has one: it is kept)."""
    forms: dict[str, str] = {}
    for language in ("en", "cy"):
        for rung in ladder_for(session, service, area, language=language):
            if rung.level == person.level and rung.name == person.name:
                forms[language] = str(getattr(rung, field))
    said = str(getattr(person, field))
    return timeline.both(forms.get("en", said), forms.get("cy", said))


def facilitator_ladder(
    session: Session, actor: Actor, service: Service, area: str
) -> list[Facilitator]:
    """The service's ladder in ``area`` for a signed-in worker, in their language."""
    require_text({"area": area})
    return list(ladder_for(session, service, area, language=current_language()))


def services_in(catalogue: Catalogue) -> Callable[[str], Service]:
    """The catalogue's definition of a case's service; ``NotFound`` saying what to do
    instead when it has none (so no named facilitator)."""

    def service_of(service_id: str) -> Service:
        service = catalogue.get(service_id)
        if service is None:
            raise NotFound(
                _(
                    "Alongside has no definition for '{id}', so it has no named facilitator. "
                    "Contact the service by phone or letter, and note it on the case."
                ).format(id=service_id)
            )
        return service

    return service_of


def _first(ctx: _Context, session: Session) -> Facilitator:
    rungs = ladder_for(session, ctx.service, ctx.area)
    if not rungs:
        raise NotFound(
            _(
                "There is no named facilitator for {service} in {area}. Ask your administrator "
                "to add one in Case > Facilitator directory."
            ).format(service=ctx.service.text("title", "en"), area=ctx.area)
        )
    return rungs[0]


def _number(session: Session, case_id: int) -> int:
    count = session.scalar(select(func.count()).where(Escalation.case_id == case_id)) or 0
    return int(count) + 1


def _first_content(
    session: Session,
    actor: Actor,
    request: EscalationRequest,
    service_of: Callable[[str], Service],
    template_id: str,
    default_area: str,
    moment: datetime,
) -> tuple[_Context, str, _Content]:
    """The checked request's context, its clean description and what its first level
    would send: the one build behind ``preview`` and ``raise_escalation``."""
    description = _check_request(request)
    ctx = _context(session, actor, request.case_id, service_of, default_area, moment)
    content = _content(
        session,
        actor,
        ctx,
        _first(ctx, session),
        request.reason,
        description,
        moment,
        _number(session, ctx.case.id),
        template_id,
    )
    return ctx, description, content


def facilitator_for(
    session: Session,
    actor: Actor,
    case_id: int,
    service_of: Callable[[str], Service],
    *,
    default_area: str = "england",
    now: datetime | None = None,
) -> FacilitatorCard:
    """Who an escalation of this case would go to, their hours and the due day."""
    moment = now or utcnow()
    ctx = _context(session, actor, case_id, service_of, default_area, moment)
    return card(_first(ctx, session), moment)


def preview(
    session: Session,
    actor: Actor,
    request: EscalationRequest,
    service_of: Callable[[str], Service],
    *,
    template_id: str = DEFAULT_TEMPLATE_ID,
    default_area: str = "england",
    now: datetime | None = None,
) -> EscalationPreview:
    """Exactly what ``raise_escalation`` would send now (nothing is written but the audit)."""
    require_text({"reason": request.reason, "description": request.description})
    moment = now or utcnow()
    _ctx, _description, content = _first_content(
        session, actor, request, service_of, template_id, default_area, moment
    )
    return EscalationPreview(
        facilitator=content.card,
        channel=content.facilitator.channel,
        subject=content.subject,
        body=content.body,
        attachment_name=content.attachment[0] if content.attachment else None,
        letter_pdf=content.letter_pdf,
        notify_body=content.notify_body,
    )


def recipient(
    session: Session,
    actor: Actor,
    case_id: int,
    catalogue: Catalogue,
    settings: EscalationSettings,
    now: datetime | None = None,
) -> FacilitatorCard:
    """``facilitator_for`` with the catalogue's services and the profile's settings."""
    return facilitator_for(
        session,
        actor,
        case_id,
        services_in(catalogue),
        default_area=settings.default_area,
        now=now,
    )


def preview_with(
    session: Session,
    actor: Actor,
    request: EscalationRequest,
    catalogue: Catalogue,
    settings: EscalationSettings,
    now: datetime | None = None,
) -> EscalationPreview:
    """``preview`` with the catalogue's services and the profile's settings."""
    return preview(
        session,
        actor,
        request,
        services_in(catalogue),
        template_id=settings.template_id,
        default_area=settings.default_area,
        now=now,
    )


def _snapshot(person: Facilitator, words: Mapping[str, timeline.Line]) -> str:
    """The facilitator as asked; ``words`` (role, organisation) and the raw hours
    and languages let it be read in the reader's language later."""
    return json.dumps(
        {
            "words": dict(words),
            "days": list(person.days),
            "opens": person.opens,
            "closes": person.closes,
            "language_codes": list(person.languages),
            "name": person.name,
            "role": person.role,
            "organisation": person.organisation,
            "email": person.email,
            "phone": person.phone,
            "hours": person.hours_text(),
            "languages": person.languages_text(),
            "channel": person.channel,
            "postal_address": list(person.postal_address),
            "source": person.source,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _send_level(
    session: Session,
    escalation: Escalation,
    content: _Content,
    moment: datetime,
    decision: policy.PolicyDecision,
    service: Service,
) -> EscalationLevel:
    person = content.facilitator
    words = {
        field: facilitator_words(session, service, escalation.area, person, field)
        for field in ("role", "organisation")
    }
    item_id = outbox.enqueue(
        session,
        content.connector,
        content.notify_body,
        case_id=escalation.case_id,
        mandate_id=decision.mandate_id,
        mandate_version=decision.mandate_version,
        now=moment,
    )
    clock = sla.clock(moment, person.sla_working_days, person.nation)
    level = EscalationLevel(
        escalation_id=escalation.id,
        level=person.level,
        facilitator=_snapshot(person, words),
        channel=person.channel,
        nation=person.nation.value,
        sla_working_days=person.sla_working_days,
        sent_at=moment,
        due_on=clock.due_on,
        breach_at=clock.breach_at,
        reminder_at=clock.reminder_at,
        outbox_item_id=item_id,
        subject=content.subject,
        body=content.body,
        letter_pdf=content.letter_pdf,
    )
    session.add(level)
    session.flush()  # the unique (escalation, level) constraint is checked here
    return level


def _audit(
    session: Session,
    actor: Actor | None,
    escalation: Escalation,
    action: str,
    reason: str,
    moment: datetime,
) -> None:
    audit.append(
        session,
        kind="escalation",
        action=action,
        outcome="allow",
        reason=reason,
        worker_id=actor.worker_id if actor else None,
        person_id=escalation.person_id,
        mandate_id=escalation.mandate_id,
        mandate_version=escalation.mandate_version,
        target=escalation.service_id,
        at=moment,
    )


def raise_escalation(
    session: Session,
    actor: Actor,
    request: EscalationRequest,
    service_of: Callable[[str], Service],
    *,
    template_id: str = DEFAULT_TEMPLATE_ID,
    default_area: str = "england",
    now: datetime | None = None,
) -> int:
    """Raise and send, in the caller's transaction; returns the escalation id."""
    require_text({"reason": request.reason, "description": request.description})
    moment = now or utcnow()
    ctx, description, content = _first_content(
        session, actor, request, service_of, template_id, default_area, moment
    )
    person = content.facilitator
    escalation = Escalation(
        case_id=ctx.case.id,
        person_id=ctx.person.id,
        service_id=ctx.service.id,
        area=ctx.area,
        reason=ReasonCategory(request.reason),
        description=description,
        status=EscalationStatus.RAISED,
        current_level=person.level,
        raised_by_id=actor.worker_id,
        raised_at=moment,
        outcome="",
        mandate_id=ctx.decision.mandate_id,
        mandate_version=ctx.decision.mandate_version,
    )
    session.add(escalation)
    session.flush()
    _send_level(session, escalation, content, moment, ctx.decision, ctx.service)
    how = N_("by email") if person.channel == "email" else N_("by post")
    timeline.record(
        session,
        ctx.case.id,
        "escalated",
        timeline.line(
            N_("Escalated to {name} ({organisation}) {how}: {reason}. Reply due by {due}."),
            name=person.name,
            organisation=facilitator_words(session, ctx.service, ctx.area, person, "organisation"),
            how=timeline.line(how),
            reason=timeline.line(REASON_WORDS.get(request.reason, N_("Something else"))),
            due=timeline.day(content.card.due_on),
        ),
        actor,
    )
    _audit(session, actor, escalation, "escalate", _("Escalation raised, level 1."), moment)
    return escalation.id


def raise_with(
    session: Session,
    actor: Actor,
    request: EscalationRequest,
    catalogue: Catalogue,
    settings: EscalationSettings,
    now: datetime | None = None,
) -> int:
    """``raise_escalation`` with the catalogue's services and the profile's settings."""
    return raise_escalation(
        session,
        actor,
        request,
        services_in(catalogue),
        template_id=settings.template_id,
        default_area=settings.default_area,
        now=now,
    )


# -- acknowledgement and outcome ------------------------------------------------------


def _existing(session: Session, escalation_id: int) -> Escalation:
    """The escalation with this id; ``NotFound`` when it is gone."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise NotFound(_("This escalation no longer exists."))
    return escalation


def _move(
    session: Session,
    actor: Actor,
    escalation_id: int,
    expected_version: int,
    new: EscalationStatus,
    note: str,
    now: datetime | None,
) -> int:
    moment = now or utcnow()
    escalation = _existing(session, escalation_id)
    policy.require(
        session, actor, escalation.person_id, "escalate", now=moment, case_id=escalation.case_id
    )
    if escalation.version != expected_version:
        raise EditConflict(_("Someone else changed this escalation. Reload it, then try again."))
    check_transition(escalation.status, new)
    clean = note.strip()
    if new in (S.RESOLVED, S.CLOSED) and not clean:
        raise InvalidInput({"outcome": _("Say what the outcome was, in a sentence or two.")})
    escalation.status = new
    if new is S.ACKNOWLEDGED:
        escalation.acknowledged_at = moment
    else:
        escalation.finished_at = moment
    if clean:
        escalation.outcome = clean
    session.flush()
    said = {
        S.ACKNOWLEDGED: N_("Escalation acknowledged by the facilitator."),
        S.RESOLVED: N_("Escalation resolved: {note}"),
        S.CLOSED: N_("Escalation closed: {note}"),
    }[new]
    if new is S.ACKNOWLEDGED and clean:
        said = N_("Escalation acknowledged by the facilitator. {note}")
    event = timeline.line(said, note=clean) if "{note}" in said else timeline.line(said)
    summary = timeline.render(event)
    timeline.record(session, escalation.case_id, f"escalation_{new.value}", event, actor)
    _audit(session, actor, escalation, new.value, summary, moment)
    if new is S.RESOLVED:  # the facilitator's answer: text the person, if they asked
        text_update(
            session, escalation.case_id, "escalation_answered", str(escalation.id), now=moment
        )
    return escalation.version


def acknowledge(
    session: Session,
    actor: Actor,
    escalation_id: int,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> int:
    require_text({"note": note})
    return _move(session, actor, escalation_id, expected_version, S.ACKNOWLEDGED, note, now)


def resolve(
    session: Session,
    actor: Actor,
    escalation_id: int,
    expected_version: int,
    outcome: str,
    now: datetime | None = None,
) -> int:
    require_text({"outcome": outcome})
    return _move(session, actor, escalation_id, expected_version, S.RESOLVED, outcome, now)


def close(
    session: Session,
    actor: Actor,
    escalation_id: int,
    expected_version: int,
    outcome: str,
    now: datetime | None = None,
) -> int:
    require_text({"outcome": outcome})
    return _move(session, actor, escalation_id, expected_version, S.CLOSED, outcome, now)


# -- reading ---------------------------------------------------------------------------


def _latest_level(session: Session, escalation_id: int) -> EscalationLevel:
    level = session.scalar(
        select(EscalationLevel)
        .where(EscalationLevel.escalation_id == escalation_id)
        .order_by(EscalationLevel.level.desc())
        .limit(1)
    )
    assert level is not None
    return level


def _card_from_level(level: EscalationLevel) -> FacilitatorCard:
    data = json.loads(level.facilitator)
    words = data.get("words") or {}
    hours, languages = data["hours"], data["languages"]
    if "days" in data:  # stored raw: read in the reader's language
        hours = directory.hours_words(data["days"], data["opens"], data["closes"])
        languages = directory.languages_words(data["language_codes"])
    return FacilitatorCard(
        level=level.level,
        name=data["name"],
        role=timeline.render(words["role"]) if "role" in words else data["role"],
        organisation=(
            timeline.render(words["organisation"])
            if "organisation" in words
            else data["organisation"]
        ),
        email=data["email"],
        phone=data["phone"],
        hours=hours,
        languages=languages,
        channel=data["channel"],
        postal_address=tuple(data["postal_address"]),
        sla_working_days=level.sla_working_days,
        due_on=level.due_on,
    )


def _working_days_left(level: EscalationLevel, now: datetime) -> int:
    """Working days from today to the level's due day, in the facilitator's nation."""
    return sla.working_days_between(sla.local_date(now), level.due_on, sla.Nation(level.nation))


def urgency(status: EscalationStatus, level: EscalationLevel, now: datetime) -> str:
    if status is S.ACKNOWLEDGED:
        return "acknowledged"
    if now >= level.breach_at:
        return "breached"
    return "due_soon" if _working_days_left(level, now) <= DUE_SOON_WORKING_DAYS else "waiting"


def _record(session: Session, escalation: Escalation, now: datetime) -> EscalationRecord:
    level = _latest_level(session, escalation.id)
    case = session.get(Case, escalation.case_id)
    person = session.get(Person, escalation.person_id)
    assert case is not None and person is not None
    return EscalationRecord(
        id=escalation.id,
        version=escalation.version,
        case_id=case.id,
        case_reference=case.reference,
        person_name=f"{person.given_name} {person.family_name}",
        service_id=escalation.service_id,
        reason=escalation.reason.value,
        description=escalation.description,
        status=escalation.status,
        urgency=urgency(escalation.status, level, now)
        if escalation.status in OPEN
        else escalation.status.value,
        level=level.level,
        facilitator=_card_from_level(level),
        raised_at=escalation.raised_at,
        breach_at=level.breach_at,
        working_days_left=_working_days_left(level, now),
        outcome=escalation.outcome,
        outbox_item_id=level.outbox_item_id,
        allowed_statuses=tuple(sorted(TRANSITIONS[escalation.status])),
    )


def case_escalations(
    session: Session, actor: Actor, case_id: int, now: datetime | None = None
) -> list[EscalationRecord]:
    """Every escalation of a case, newest first (the case must be in the caseload)."""
    from delegation.caseload import require_case

    require_case(session, actor, case_id)
    moment = now or utcnow()
    rows = session.scalars(
        select(Escalation).where(Escalation.case_id == case_id).order_by(Escalation.id.desc())
    )
    return [_record(session, e, moment) for e in rows]


def open_escalations(
    session: Session, actor: Actor | None, now: datetime | None = None
) -> list[EscalationRecord]:
    """The team's open escalations (every team's for the command line: ``actor``
    None), most urgent first."""
    from casework.escalation.records import URGENCY

    moment = now or utcnow()
    stmt = (
        select(Escalation)
        .join(Person, Person.id == Escalation.person_id)
        .where(Escalation.status.in_(OPEN))
    )
    if actor is not None:
        stmt = stmt.where(Person.team_id == actor.team_id)
    rows = session.scalars(stmt)
    records = [_record(session, e, moment) for e in rows]
    records.sort(key=lambda r: (URGENCY.index(r.urgency), r.breach_at, r.id))
    return records


def letter_pdf(session: Session, actor: Actor, escalation_id: int) -> bytes | None:
    """The printed letter of the latest level, for paper facilitators."""
    from delegation.caseload import require_case

    escalation = _existing(session, escalation_id)
    require_case(session, actor, escalation.case_id)
    return _latest_level(session, escalation_id).letter_pdf
