"""The person's consent to text updates on a case: read it, turn it on or off.

Turning texts on is a ``contact`` decision on the case, asking for the
``contact`` category (the phone number): the policy decision audits it and,
when it rests on a mandate, its id and version are kept with the consent.
Turning them off needs only ``view``: a worker who can see the case can
always record that the person changed their mind. The person's mobile number
at the time is kept, and texts go to that number only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.kernel import timeline
from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.records import Actor
from casework.kernel.validators import normalise_mobile, show_mobile
from delegation import policy
from delegation.policy import PolicyDecision
from offline_sync.text_updates import template
from offline_sync.text_updates.models import TextUpdateConsent
from offline_sync.text_updates.records import TextUpdates

CONTACT = frozenset({"contact"})


def mobile_of(person: Person) -> str | None:
    """The person's number if it is a UK mobile, else None."""
    try:
        return normalise_mobile(person.phone or "")
    except ValueError:
        return None


def number_problem(person: Person, consent: TextUpdateConsent | None) -> str:
    """Why texts cannot go to the person's number (empty when they can)."""
    if not (person.phone or "").strip():
        return _("The person has not given a mobile number. Add one to their record first.")
    mobile = mobile_of(person)
    if mobile is None:
        return _("The number on the person's record is not a UK mobile, so texts cannot go to it.")
    if consent is not None and consent.enabled and consent.phone != mobile:
        return _(
            "The person's mobile number changed after they agreed to texts. "
            "Ask them again, then turn text updates off and on."
        )
    return ""


def setup_problem(session: Session) -> str:
    if template.template_id(session) is None:
        return _(
            "Text messages are not set up on this computer yet: ask an administrator "
            "to choose the GOV.UK Notify text message template."
        )
    return ""


def _case(session: Session, case_id: int) -> tuple[Case, Person]:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(_("This case no longer exists."))
    return case, case.person


def _contact(session: Session, actor: Actor, case: Case, now: datetime) -> PolicyDecision:
    return policy.decide(
        session, actor, case.person_id, "contact", categories=CONTACT, now=now, case_id=case.id
    )


def text_updates(
    session: Session, actor: Actor, case_id: int, now: datetime | None = None
) -> TextUpdates:
    """The case's text updates as the window shows them (an audited read)."""
    moment = now or utcnow()
    case, person = _case(session, case_id)
    policy.require(session, actor, case.person_id, "view", now=moment, case_id=case_id)
    consent = session.get(TextUpdateConsent, case_id)
    enabled = consent is not None and consent.enabled
    decision = _contact(session, actor, case, moment)
    numbers = number_problem(person, consent)
    allowed = (
        ""
        if decision.allowed
        else _(
            "Your mandate does not let you contact this person about this case: {reason}"
        ).format(reason=decision.reason)
    )
    problem = numbers or allowed or (setup_problem(session) if enabled else "")
    mobile = consent.phone if enabled and consent else mobile_of(person)
    return TextUpdates(
        case_id=case_id,
        enabled=enabled,
        phone=show_mobile(mobile) if mobile else "",
        can_turn_on=not enabled and not numbers and decision.allowed,
        problem=problem,
        version=consent.version if consent else 0,
    )


def set_text_updates(
    session: Session,
    actor: Actor,
    case_id: int,
    enabled: bool,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Record that the person agreed to (or stopped) text updates; the new version."""
    moment = now or utcnow()
    case, person = _case(session, case_id)
    action = "contact" if enabled else "view"
    wanted = CONTACT if enabled else frozenset()
    decision = policy.require(
        session, actor, case.person_id, action, categories=wanted, now=moment, case_id=case_id
    )
    consent = session.get(TextUpdateConsent, case_id)
    if (consent.version if consent else 0) != expected_version:
        raise EditConflict(_("Someone else changed text updates on this case. Look again."))
    mobile = ""
    if enabled:
        try:
            mobile = normalise_mobile(person.phone or "")
        except ValueError as exc:
            raise InvalidInput({"phone": str(exc)}) from None
    if consent is None:
        consent = TextUpdateConsent(case_id=case_id, decided_by_id=actor.worker_id)
        session.add(consent)
    consent.enabled = enabled
    consent.phone = mobile
    consent.decided_by_id = actor.worker_id
    consent.mandate_id = decision.mandate_id if enabled else None
    consent.mandate_version = decision.mandate_version if enabled else None
    consent.changed_at = moment
    session.flush()
    summary = (
        timeline.line(
            N_("Text updates turned on: the person agreed to texts to {phone}."),
            phone=show_mobile(mobile),
        )
        if enabled
        else timeline.line(N_("Text updates turned off."))
    )
    timeline.record(session, case_id, "text_updates", summary, actor)
    return consent.version
