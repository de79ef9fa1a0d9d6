"""The consent receipt the person keeps: what is shared, with whom, until
when, and how to withdraw, as a PDF in the worker's language.

``consent_receipt_pdf`` is a core action; the window's operation hands over
the catalogue (for the services' titles).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from casework.forms.definitions import Catalogue
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _, current_language
from casework.kernel.records import Actor
from casework.paper.documents import (
    ConsentReceipt,
    DocumentOptions,
    SharedItem,
    render_consent_receipt,
)
from delegation import listing, mandate_lookups
from delegation.anchor import audit_record_line, chain_head
from delegation.models import Mandate
from delegation.records import MandateRecord
from delegation.scope import Action


def consent_receipt_pdf(
    session: Session, actor: Actor, catalogue: Catalogue, mandate_id: int
) -> bytes:
    """The receipt for a mandate the worker may see (as the mandates view lists it)."""
    mandate = mandate_lookups.find_mandate(session, mandate_id)
    if mandate is None:
        raise NotFound(_("There is no such mandate."))
    shown = listing.person_mandates(session, actor, mandate.person_id)
    record = next(m for m in shown if m.id == mandate_id)
    consent = mandate_lookups.first_consent(session, mandate_id)
    given_on = (consent.recorded_at if consent else mandate.created_at).date()
    language = current_language()
    titles = {s.id: s.text("title", language) for s in catalogue.services}
    receipt = _receipt(session, mandate, record, given_on, titles)
    return render_consent_receipt(receipt, DocumentOptions(language=language))


def _receipt(
    session: Session,
    mandate: Mandate,
    record: MandateRecord,
    given_on: date,
    titles: dict[str, str],
) -> ConsentReceipt:
    team = mandate_lookups.grantee_team(session, mandate)
    who = f"{record.grantee} ({team.name})" if team else record.grantee
    shared = [
        SharedItem(
            what=", ".join(_category(c) for c in sorted(d.categories)),
            with_whom=who,
            purpose=_("{service}: {actions}").format(
                service=titles.get(d.service_id or "", d.service_id)
                if d.service_id
                else (d.case or "").upper(),
                actions=", ".join(_action(a) for a in Action if a in d.actions),
            ),
        )
        for d in record.scope
    ]
    return ConsentReceipt(
        reference=f"M{mandate.id:06d}",
        person_name=record.person_name,
        given_to=who,
        given_on=given_on,
        until=mandate.ends_at.date(),
        shared=shared,
        how_to_withdraw=_(
            "Tell {who}, in person, by phone or in writing, that you want to stop. "
            "You can do this at any time and you do not have to give a reason."
        ).format(who=who),
        audit_record=audit_record_line(chain_head(session)),
    )


def _category(name: str) -> str:
    labels = {
        "identity": _("your name, date of birth and identity numbers"),
        "contact": _("your phone number and email"),
        "address": _("your address"),
        "health": _("your health"),
        "financial": _("your money and benefits"),
        "household": _("the people you live with"),
        "care": _("the care and support you get"),
        "other": _("other answers on the form"),
    }
    return labels.get(name, name)


def _action(action: Action) -> str:
    labels = {
        Action.VIEW: _("look at"),
        Action.DRAFT: _("fill in"),
        Action.SUBMIT: _("send"),
        Action.CONTACT: _("contact the service"),
        Action.PRINT: _("print"),
        Action.ESCALATE: _("escalate"),
    }
    return labels[action]
