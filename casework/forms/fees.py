"""A service's fee: what the person pays in their nation, and its GOV.UK Pay payment.

A definition's ``fee`` gives its amount (``amount_pence``) and, where
nations differ, ``by_nation`` (Blue Badge: £10 in England, free in Wales, £20
in Scotland). The person's nation comes from the place every
nation rule asks (``casework.forms.place``); without one, the definition's
amount stands.

Sending a form with a fee above nothing queues one ``pay`` outbox item in the
same transaction (``queue_fee``): sent and asked to pay together, or neither.
The sync engine creates the payment once (the item's key is the
``Idempotency-Key``), keeps its payment page and follows it until Pay says it
is final. ``case_fees`` says where each fee on a case stands, in words, and
``make_new_payment`` asks again after a payment failed, expired or was
cancelled: a new item with a new key, never while one is still open.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms.definitions import Service
from casework.forms.place import place_of_case
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.i18n import N_, _, language_or_english
from casework.kernel.models import Case, Person
from casework.kernel.nations import Nation, nation_of_postcode
from casework.kernel.records import Actor, SubmissionRecord
from delegation.caseload import require_case
from delegation.scope_words import translator
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.payments import links
from offline_sync.payments.words import pounds, reason
from offline_sync.records import Connector, OutboxState

# Where Pay sends the person once they have paid (or given up): GOV.UK's page
# for the service, which needs no server of ours. Pay asks for https.
FALLBACK_RETURN_URL = "https://www.gov.uk/"
MAX_DESCRIPTION = 255
# A payment still on its way or open: no new one while any is.
OPEN = frozenset({OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT})
# Nothing more to ask for: paid, or a person has to look first.
SETTLED = frozenset({OutboxState.DELIVERED, OutboxState.NEEDS_ATTENTION})


def fee_pence(service: Service, postcode: str | None) -> int:
    """What the service charges someone living at ``postcode``, in pence (0: no fee)."""
    return fee_for_nation(service, nation_of_postcode(postcode))


def fee_for_nation(service: Service, nation: Nation | None) -> int:
    """The fee in ``nation``, in pence: its own amount where the definition gives
    one, else the definition's amount (also when the nation is not known)."""
    fee = service.raw.get("fee")
    if not isinstance(fee, dict):
        return 0
    by_nation = fee.get("by_nation")
    if isinstance(by_nation, dict) and nation is not None and nation.value in by_nation:
        return max(int(by_nation[nation.value]), 0)
    return max(int(fee.get("amount_pence", 0)), 0)


NATION_NAMES = {
    Nation.ENGLAND: N_("England"),
    Nation.WALES: N_("Wales"),
    Nation.SCOTLAND: N_("Scotland"),
    Nation.NORTHERN_IRELAND: N_("Northern Ireland"),
}


NATION_AMOUNT = N_("{nation}: {amount}")
# The payment's description on GOV.UK Pay's pages ("Apply for a Blue Badge: fee").
FEE_DESCRIPTION = N_("{title}: fee")
FREE = N_("free")


def fee_words(service: Service, translate: Callable[[str], str] = _) -> str:
    """The fee as a reader sees it: "£10.00", or each nation's amount where they
    differ. ``translate`` is the reader's ``_`` (the paper form's own language)."""
    fee = service.raw.get("fee")
    if not isinstance(fee, dict):
        return ""
    by_nation = fee.get("by_nation")
    if not isinstance(by_nation, dict):
        return pounds(int(fee.get("amount_pence", 0)))
    parts = []
    for nation in Nation:
        if nation.value in by_nation:
            amount = int(by_nation[nation.value])
            parts.append(
                translate(NATION_AMOUNT).format(
                    nation=translate(NATION_NAMES[nation]),
                    amount=pounds(amount) if amount else translate(FREE),
                )
            )
    return "; ".join(parts)


def return_url(service: Service) -> str:
    """GOV.UK's page for the service (its first https source), else GOV.UK."""
    sources = service.raw.get("sources")
    for source in sources if isinstance(sources, list) else []:
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str) and url.startswith("https://www.gov.uk/") and links.usable(url):
            return url
    return FALLBACK_RETURN_URL


def payment_body(
    service: Service, record: SubmissionRecord, amount: int, language: str
) -> dict[str, object]:
    """The ``POST /v1/payments`` body (Pay's CreateCardPaymentRequest)."""
    language = language_or_english(language)
    title = service.text("title", language) or service.id
    # What the person reads on Pay's pages, in their own language.
    description = translator(language)(FEE_DESCRIPTION).format(title=title)
    return {
        "amount": amount,
        "description": description[:MAX_DESCRIPTION],
        "reference": record.uuid,
        "return_url": return_url(service),
        "language": language,
    }


def queue_fee(
    session: Session, actor: Actor, service: Service, record: SubmissionRecord
) -> str | None:
    """Queue the fee for a form just sent (the caller's transaction); the item's id,
    or None when the person pays nothing in their nation."""
    person = session.scalar(
        select(Person).join(Case, Case.person_id == Person.id).where(Case.id == record.case_id)
    )
    placement = place_of_case(session, person, service)
    amount = fee_for_nation(service, placement.nation if placement is not None else None)
    if amount <= 0:
        return None
    language = language_or_english(person.preferred_language if person else None)
    item_id = outbox.enqueue(
        session,
        Connector.PAY,
        payment_body(service, record, amount, language),
        case_id=record.case_id,
        mandate_id=record.mandate_id,
        mandate_version=record.mandate_version,
    )
    timeline.record(
        session,
        record.case_id,
        "fee_queued",
        timeline.line(
            N_("Fee of {amount} to pay: the payment page will be made at the next sync."),
            amount=pounds(amount),
        ),
        actor,
    )
    return item_id


class FeeState(enum.StrEnum):
    """Where a fee stands, as the Fee panel says it."""

    WAITING = "waiting"  # queued: the payment is made when online
    OPEN = "open"  # Pay has the payment; the person can pay on its page
    PAID = "paid"  # Pay said success
    NOT_PAID = "not_paid"  # failed, expired or cancelled: a new payment can be made
    NEEDS_ATTENTION = "needs_attention"  # Pay refused the request: see the outbox
    CANCELLED = "cancelled"  # stopped before it went


@dataclass(frozen=True)
class FeePayment:
    """One fee on a case, as its newest payment stands."""

    item_id: str  # the newest payment's outbox item
    case_id: int
    reference: str  # the submission it is for
    description: str
    amount_pence: int
    state: FeeState
    words: str  # the state, in a sentence the worker reads
    link: str | None  # the payment page, while the payment is open
    can_make_new: bool
    updated_at: datetime
    attempts: int  # payments made for this fee so far


def _state(item: OutboxItem) -> FeeState:
    if item.state in (OutboxState.QUEUED, OutboxState.SENDING):
        return FeeState.WAITING
    if item.state == OutboxState.SENT:
        return FeeState.OPEN
    if item.state == OutboxState.DELIVERED and item.remote_status == "success":
        return FeeState.PAID
    if item.state == OutboxState.NEEDS_ATTENTION:
        return FeeState.NEEDS_ATTENTION
    if item.state == OutboxState.CANCELLED:
        return FeeState.CANCELLED
    return FeeState.NOT_PAID


def _words(state: FeeState, amount: str, item: OutboxItem, link: str | None) -> str:
    if state == FeeState.WAITING:
        return _(
            "A fee of {amount} is waiting: the payment page will be made when this computer "
            "is online. Nothing else waits for it."
        ).format(amount=amount)
    if state == FeeState.OPEN and link:
        return _(
            "A fee of {amount} is ready to pay. Open the payment page here, or show the QR "
            "code so the person can pay on their own phone."
        ).format(amount=amount)
    if state == FeeState.OPEN:
        return _("A fee of {amount} has been asked for; waiting for the payment page.").format(
            amount=amount
        )
    if state == FeeState.PAID:
        return _("The fee of {amount} has been paid.").format(amount=amount)
    if state == FeeState.NEEDS_ATTENTION:
        return _("The request for a fee of {amount} needs attention: see the Outbox tab.").format(
            amount=amount
        )
    if state == FeeState.CANCELLED:
        return _("The request for a fee of {amount} was cancelled.").format(amount=amount)
    if item.remote_status == "expired":
        why = _("the payment page expired before the person paid")
    elif item.remote_status == "cancelled":
        why = reason("P0030") or ""
    else:
        why = _("the payment did not go through")
    return _("The fee of {amount} was not paid: {reason}. You can make a new payment.").format(
        amount=amount, reason=why
    )


def _pay_items(session: Session, case_id: int) -> list[tuple[OutboxItem, dict[str, object]]]:
    items = session.scalars(
        select(OutboxItem)
        .where(OutboxItem.case_id == case_id, OutboxItem.connector == Connector.PAY)
        .order_by(OutboxItem.created_at.desc(), OutboxItem.id)
    ).all()
    out = []
    for item in items:
        try:
            body = json.loads(item.body)
        except ValueError:
            continue
        if isinstance(body, dict):
            out.append((item, body))
    return out


def case_fees(session: Session, actor: Actor, case_id: int) -> list[FeePayment]:
    """Each fee on the case (one per form sent with a fee), newest first."""
    require_case(session, actor, case_id)
    items = _pay_items(session, case_id)
    kept = links.links_of(session, [item.id for item, _body in items])
    by_reference: dict[str, list[tuple[OutboxItem, dict[str, object]]]] = {}
    for item, body in items:
        by_reference.setdefault(str(body.get("reference", "")), []).append((item, body))
    fees = []
    for reference, group in by_reference.items():
        newest, body = group[0]
        amount = body.get("amount")
        pence = amount if isinstance(amount, int) else 0
        state = _state(newest)
        link = kept.get(newest.id) if state == FeeState.OPEN else None
        fees.append(
            FeePayment(
                item_id=newest.id,
                case_id=case_id,
                reference=reference,
                description=str(body.get("description", "")),
                amount_pence=pence,
                state=state,
                words=_words(state, pounds(pence), newest, link),
                link=link,
                can_make_new=_can_make_new(group),
                updated_at=newest.updated_at,
                attempts=len(group),
            )
        )
    return fees


def _can_make_new(group: list[tuple[OutboxItem, dict[str, object]]]) -> bool:
    """Only after failure, expiry or cancelling: never while one is open or paid."""
    return not any(item.state in OPEN | SETTLED for item, _body in group)


def make_new_payment(session: Session, actor: Actor, item_id: str) -> str:
    """Ask again for the fee of ``item_id`` (one that failed, expired or was
    cancelled): a new item with a new Idempotency-Key; answers its id."""
    item = session.get(OutboxItem, item_id)
    if item is None or item.connector != Connector.PAY or item.case_id is None:
        raise NotFound(_("That payment was not found."))
    require_case(session, actor, item.case_id)
    body = json.loads(item.body)
    reference = body.get("reference")
    group = [
        (i, b) for i, b in _pay_items(session, item.case_id) if b.get("reference") == reference
    ]
    if not _can_make_new(group):
        raise InvalidInput(
            {
                "payment": _(
                    "A payment for this fee is still open or has been paid, so a new one "
                    "cannot be made. Wait until it has finished."
                )
            }
        )
    new_id = outbox.enqueue(
        session,
        Connector.PAY,
        body,
        case_id=item.case_id,
        mandate_id=item.mandate_id,
        mandate_version=item.mandate_version,
    )
    amount = body.get("amount")
    timeline.record(
        session,
        item.case_id,
        "fee_queued",
        timeline.line(
            N_(
                "New payment of {amount} asked for: the payment page will be made at the next sync."
            ),
            amount=pounds(amount if isinstance(amount, int) else 0),
        ),
        actor,
    )
    return new_id
