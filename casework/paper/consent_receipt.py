"""The consent receipt the person keeps: what is shared, with whom, until
when, and how to withdraw, as a PDF in the worker's language.

``consent_receipt_pdf`` is a core action; the window's operation hands over
the catalogue (for the services' titles). What is shared, and for what, is
in the plain words of ``delegation.scope_words``: the words the person heard
at grant, never an identifier, an action value or a category id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from casework.forms.definitions import Catalogue
from casework.forms.mandate_names import scope_names
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _, current_language
from casework.kernel.records import Actor
from casework.paper.documents import (
    ConsentReceipt,
    DocumentOptions,
    SharedItem,
    render_consent_receipt,
)
from delegation import listing, mandate_lookups, policy
from delegation.anchor import audit_record_line, chain_head
from delegation.models import Mandate
from delegation.records import MandateRecord
from delegation.scope_words import (
    ScopeNames,
    action_words,
    capitalised,
    category_words,
    target_words,
)


def consent_receipt_pdf(
    session: Session, actor: Actor, catalogue: Catalogue, mandate_id: int
) -> bytes:
    """The receipt for a mandate the worker may see (a policy decision, audited:
    the person's own team, or the helper while the mandate is live)."""
    mandate = mandate_lookups.find_mandate(session, mandate_id)
    if mandate is None:
        raise NotFound(_("There is no such mandate."))
    policy.require_read(session, actor, mandate.person_id, "receipt", mandate_id=mandate_id)
    record = listing.record(session, mandate)
    consent = mandate_lookups.first_consent(session, mandate_id)
    given_on = (consent.recorded_at if consent else mandate.created_at).date()
    language = current_language()
    names = scope_names(session, catalogue, [record.scope])
    receipt = _receipt(session, mandate, record, given_on, names, language)
    return render_consent_receipt(receipt, DocumentOptions(language=language))


def _receipt(
    session: Session,
    mandate: Mandate,
    record: MandateRecord,
    given_on: date,
    names: ScopeNames,
    language: str,
) -> ConsentReceipt:
    team = mandate_lookups.grantee_team(session, mandate)
    who = f"{record.grantee} ({team.name})" if team else record.grantee
    shared = [
        SharedItem(
            what=capitalised("; ".join(category_words(d.categories, language))),
            with_whom=who,
            purpose=_("{service}: {actions}").format(
                service=capitalised(target_words(d, names, language)),
                actions="; ".join(action_words(d.actions, language)),
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
