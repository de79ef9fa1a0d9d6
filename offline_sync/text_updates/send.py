"""Queue a text update for an event on a case: at most one per event, ever.

``text_update`` is the one door. It queues a ``notify_sms`` outbox item in
the caller's transaction (the event's own), in the person's preferred
language, only when all of these hold: the person agreed to texts on this
case; their record still has the mobile number they agreed to; the policy
decision still lets the worker who recorded the consent contact them (a
revoked, suspended or ended mandate stops texts; the decision is audited);
and the administrator has chosen the Notify template. Otherwise it queues
nothing and answers None; the case's text-updates line says why, once.

The item's id is derived from the case, the event and its key, so the same
event never queues a second text, whoever reports it and however often.
The item carries the mandate it was queued under: if that mandate ends
before the text leaves, the outbox cancels it.

Personalisation for the Notify template (decision 0027): ``first_name``,
``case_reference`` and ``message`` (the whole update, one sentence, in the
person's language). A template of ``((message))`` is enough.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel import i18n, timeline
from casework.kernel.accounts import actor_for
from casework.kernel.i18n import N_
from casework.kernel.models import Case, Submission, Worker, utcnow
from delegation import policy
from delegation.scope_words import translator
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.records import Connector
from offline_sync.text_updates import template
from offline_sync.text_updates.consent import CONTACT, number_problem
from offline_sync.text_updates.models import TextUpdateConsent

# What the person reads, by event; {reference} is their case reference.
EVENTS = {
    "form_delivered": N_("Your form for case {reference} has been delivered to the service."),
    "escalation_answered": N_(
        "There is an answer about your case {reference}. Your helper will tell you more."
    ),
    "payment_received": N_("Your payment for case {reference} has been received. Thank you."),
}
# The outbox items whose delivery can be the person's form arriving: every
# submission-API item is a form; a Notify email or letter is one only when
# it carries a form (its id is then the submission's, see
# casework.forms.actions), not when it is, say, an escalation email.
FORM_CONNECTORS = frozenset({Connector.SUBMISSION_API})
FORM_BY_NOTIFY = frozenset({Connector.NOTIFY_EMAIL, Connector.NOTIFY_LETTER})
_NAMESPACE = uuid.UUID("6b9f3c1e-2d4a-4f0b-9a53-7e1c0d2b8a41")


def item_id_for(case_id: int, event: str, event_key: str) -> str:
    """The outbox id of the text for this event (the same every time it is asked)."""
    return str(uuid.uuid5(_NAMESPACE, f"{case_id}:{event}:{event_key}"))


def text_update(
    session: Session,
    case_id: int,
    event: str,
    event_key: str,
    *,
    now: datetime | None = None,
) -> str | None:
    """Queue the text for ``event`` (keyed by ``event_key``); its outbox id, or None."""
    if event not in EVENTS:
        raise ValueError(f"unknown text update event {event!r}")
    moment = now or utcnow()
    consent = session.get(TextUpdateConsent, case_id)
    if consent is None or not consent.enabled:
        return None  # the common case: one look-up by key, nothing more
    case = session.get(Case, case_id)
    if case is None:
        return None
    person = case.person
    template_id = template.template_id(session)
    if number_problem(person, consent) or template_id is None:
        return None
    item_id = item_id_for(case_id, event, event_key)
    if session.get(OutboxItem, item_id) is not None:
        return None  # this event's text is already queued (or gone)
    worker = session.get(Worker, consent.decided_by_id)
    if worker is None:
        return None
    decision = policy.decide(
        session, actor_for(worker), person.id, "contact", categories=CONTACT, now=moment,
        case_id=case_id,
    )  # fmt: skip
    if not decision.allowed:
        return None
    language = i18n.language_or_english(person.preferred_language)
    message = translator(language)(EVENTS[event]).format(reference=case.reference)
    body = {
        "phone_number": consent.phone,
        "template_id": template_id,
        "personalisation": {
            "first_name": person.given_name,
            "case_reference": case.reference,
            "message": message,
        },
    }
    queued = outbox.enqueue(
        session, Connector.NOTIFY_SMS, body, case_id, item_id=item_id,
        mandate_id=decision.mandate_id, mandate_version=decision.mandate_version, now=moment,
    )  # fmt: skip
    timeline.record(
        session,
        case_id,
        "text_update_queued",
        timeline.line(N_("Text update queued for the person.")),
        None,
    )
    return queued


def after_delivery(
    session: Session, connector: Connector, case_id: int, item_id: str, now: datetime
) -> str | None:
    """The sync engine recorded ``item_id`` delivered: text the person if it was
    their form, or their payment (a ``pay`` item is delivered only when GOV.UK
    Pay says the payment succeeded)."""
    if connector == Connector.PAY:
        return text_update(session, case_id, "payment_received", item_id, now=now)
    if connector in FORM_BY_NOTIFY:
        carries_a_form = session.scalar(select(Submission.id).where(Submission.uuid == item_id))
        if carries_a_form is None:
            return None
    elif connector not in FORM_CONNECTORS:
        return None
    return text_update(session, case_id, "form_delivered", item_id, now=now)
