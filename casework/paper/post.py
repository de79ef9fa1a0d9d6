"""Post it to them: a pre-filled form sent to the person as a GOV.UK Notify
precompiled letter, through the outbox.

``letter_job`` takes the print decision (as printing the form does) and adds
the person's address for Notify's address block; ``letter_offer`` lays the
letter out and checks it against Notify's rules outside any transaction, and
says in plain words why it cannot go when it cannot ("This form is 31 pages;
a posted letter can be at most 10. Print it and post it yourself.").
``post_letter`` checks the letter again, takes the decision to contact the
person, and queues it with a timeline line in one transaction. Nothing says
the form was posted: the outbox and the timeline say so only once GOV.UK
Notify has confirmed it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy.orm import Session

from casework.forms import drafts, payload, routes
from casework.forms.definitions import Catalogue
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, FormDraft
from casework.kernel.records import Actor
from casework.paper import case_print, copies
from casework.paper.case_print import PaperJob, print_job, render
from casework.paper.layout import MAX_LETTER_BYTES, MAX_LETTER_PAGES
from delegation import policy
from delegation.scope import Action
from offline_sync import outbox
from offline_sync.records import Connector

PRINT_IT = N_("Print it and post it yourself.")


@dataclass(frozen=True)
class LetterOffer:
    """A pre-filled form as a letter: its PDF when it can be posted, else why not."""

    pdf: bytes | None
    reason: str  # plain words, empty when it can go
    address: tuple[str, ...]  # the person's address as it will be printed


@dataclass(frozen=True)
class Queued:
    """A letter queued in the outbox, on its case."""

    item_id: str
    case_id: int


def _draft_case(session: Session, draft_id: int) -> tuple[FormDraft, Case]:
    draft = session.get(FormDraft, draft_id)
    if draft is None:
        raise NotFound(_("That form no longer exists."))
    case = session.get(Case, draft.case_id)
    assert case is not None
    return draft, case


def person_address(case: Case) -> tuple[str, ...]:
    """The case's person's address as letter lines; empty without a postcode."""
    person = case.person
    return tuple(
        routes.letter_address(
            f"{person.given_name} {person.family_name}", person.address or "", person.postcode
        )
    )


def letter_job(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    language: str = "en",
    large_print: bool = False,
    *,
    record: bool = False,
) -> PaperJob:
    """What to lay out to post the draft's form to its person: the print
    decision's job with the person's address in the letter's address block,
    as a copy with its own reference when ``record`` (the letter that goes;
    a check records none). ``InvalidInput`` on "address" when the record has
    no address to post to."""
    job = print_job(
        session,
        actor,
        catalogue,
        draft_id=draft_id,
        language=language,
        large_print=large_print,
        record=record,
    )
    _draft, case = _draft_case(session, draft_id)
    address = person_address(case)
    if not address:
        raise InvalidInput(
            {
                "address": _(
                    "The person's record has no postal address with a postcode, so it cannot "
                    "be posted to them. Add their address, or print it and post it yourself."
                )
            }
        )
    return replace(job, options=replace(job.options, letter_address=list(address)))


def plain_reasons(pdf: bytes, problems: list[str]) -> str:
    """Why a letter cannot go, in words a worker can act on (``problems`` are
    the letter check's, kept in brackets when they are about the layout)."""
    if not problems:
        return ""
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PdfReadError, ValueError, OSError):
        pages = 0
    if pages > MAX_LETTER_PAGES:
        said = _(
            "As a letter, this form is {n} pages; a posted letter can be at most {limit}."
        ).format(n=pages, limit=MAX_LETTER_PAGES)
    elif len(pdf) > MAX_LETTER_BYTES:
        said = _("This form is too big a file for a posted letter ({mb} MB; at most {limit} MB).")
        said = said.format(
            mb=f"{len(pdf) / 1_048_576:.1f}", limit=f"{MAX_LETTER_BYTES / 1_048_576:.0f}"
        )
    else:
        said = _("This form does not fit the rules for a posted letter ({problems}).").format(
            problems=" ".join(p.rstrip(".") + "." for p in problems).rstrip(".")
        )
    return f"{said} {_(PRINT_IT)}"


def letter_offer(job: PaperJob) -> LetterOffer:
    """Lay the letter out and check it (seconds: outside any transaction)."""
    from casework.paper import letter
    from casework.paper.form import PaperError

    address = tuple(job.options.letter_address or ())
    try:
        pdf = render(job)
    except PaperError as exc:
        return LetterOffer(None, f"{exc} {_(PRINT_IT)}", address)
    problems = letter.check_letter(pdf)
    if problems:
        return LetterOffer(None, plain_reasons(pdf, problems), address)
    return LetterOffer(pdf, "", address)


def post_letter(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    pdf: bytes,
    postage: str = routes.LETTER_POSTAGE,
    *,
    copy_id: int | None = None,
) -> Queued:
    """Queue ``pdf`` (the draft's form as a letter, from ``letter_offer``) to
    go by post to the person through GOV.UK Notify. The letter is checked
    again, and the print decision is taken again with the address; a letter
    that would be refused is ``InvalidInput`` and nothing is queued.
    ``copy_id`` is the letter's printed copy, confirmed in the same transaction."""
    from casework.paper import letter

    draft, case = _draft_case(session, draft_id)
    service = catalogue.get(draft.service_id)
    if service is None:
        raise NotFound(_("That form's definition is missing. Ask your administrator."))
    problems = letter.check_letter(pdf)
    if problems:
        raise InvalidInput({"letter": plain_reasons(pdf, problems)})
    address = person_address(case)
    if not address:
        raise InvalidInput(
            {"address": _("The person's record has no postal address with a postcode.")}
        )
    # Notify's printer prints what printing here would: the same decision, and the address.
    decision = policy.decide(
        session,
        actor,
        case.person_id,
        Action.PRINT,
        categories=service.data_categories() | {"address"},
        case_id=case.id,
    )
    if not decision.allowed:
        raise AccessRefused(
            _("You may not post this form to them: {reason}").format(reason=decision.reason)
        )
    if copy_id is not None:
        copies.record_pages(session, actor, copy_id, copies.page_count(pdf))
    item_id = outbox.enqueue(
        session,
        Connector.NOTIFY_LETTER,
        payload.precompiled_letter(pdf, postage),
        case_id=case.id,
        mandate_id=decision.mandate_id,
        mandate_version=decision.mandate_version,
    )
    timeline.record(
        session,
        case.id,
        "form_letter_queued",
        timeline.line(
            N_(
                "Form pre-filled to post to the person, waiting to go to GOV.UK Notify "
                "(to {address}): {title}"
            ),
            address=", ".join(address),
            title=drafts.title_words(service),
        ),
        actor,
    )
    return Queued(item_id, case.id)


def post_recorded(
    backend: copies.Performer, catalogue: Catalogue, draft_id: int, language: str, large_print: bool
) -> Queued:
    """Post the draft's form to its person as a recorded copy: take the print
    decision and allocate the copy (one transaction), lay the letter out
    outside it, then check it, confirm the copy and queue the letter (one
    transaction). If anything fails, the copy is taken back and nothing is queued."""
    from casework.kernel.action import act

    job = backend.perform(
        act(letter_job, catalogue, draft_id, language, large_print, record=True), write=True
    )
    copy_id = case_print.copy_id(job)
    try:
        pdf = render(job)
        return backend.perform(
            act(post_letter, catalogue, draft_id, pdf, copy_id=copy_id), write=True
        )
    except BaseException:
        if copy_id is not None:
            backend.perform(act(copies.discard_copy, copy_id), write=True)
        raise
