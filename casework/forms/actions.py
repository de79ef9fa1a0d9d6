"""The form engine's user actions that need the catalogue of definitions.

Each is ``f(session, actor, catalogue, ...)``, one transaction, as the window
names it in ``ui.operations.forms``: the draft's service is found in the
``Catalogue`` (a missing or damaged definition is ``NotFound`` with words a
worker can act on), then ``drafts`` does the work. Sending a form queues
exactly one delivery for the route it takes (``routes``: the GOV.UK Forms body,
an email with the form as a PDF, or a precompiled letter) in the same
transaction: sent and queued together, or neither. Printing queues nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from casework.forms import answers as answers_rules
from casework.forms import drafts, fees, payload, routes
from casework.forms.definitions import Catalogue, Service
from casework.forms.routes import FormPaper, Route, RouteSettings
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.i18n import N_, _, current_language, language_or_english
from casework.kernel.models import Case, FormDraft
from casework.kernel.records import (
    Actor,
    DraftRecord,
    KnownAnswer,
    ProfileDifference,
    SubmissionRecord,
)
from casework.kernel.validators import require_text
from offline_sync import outbox
from offline_sync.records import Connector


def service_for(catalogue: Catalogue, service_id: str) -> Service:
    """The definition of ``service_id``; ``NotFound`` when it is missing or damaged."""
    service = catalogue.get(service_id)
    if service is None:
        raise NotFound(
            _(
                "The form for '{id}' cannot be opened: its definition is missing or "
                "damaged. Your answers so far are kept; ask your administrator."
            ).format(id=service_id)
        )
    return service


def draft_service(session: Session, actor: Actor, catalogue: Catalogue, draft_id: int) -> Service:
    """The definition of a draft's service (reading the draft is a view decision)."""
    return service_for(catalogue, drafts.draft_record(session, actor, draft_id).service_id)


def titles(catalogue: Catalogue, language: str) -> dict[str, str]:
    """Each service's title in ``language``, by service id."""
    return {s.id: s.text("title", language) for s in catalogue.services}


def start_form(
    session: Session, actor: Actor, catalogue: Catalogue, case_id: int, service_id: str
) -> DraftRecord:
    """A new draft of ``service_id`` on the case, on its first page."""
    service = service_for(catalogue, service_id)
    draft_id = drafts.start_draft(session, actor, case_id, service)
    return drafts.draft_record(session, actor, draft_id, catalogue.get)


def form_routes(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    *,
    settings: RouteSettings | None = None,
    paper: FormPaper | None = None,
) -> list[Route]:
    """The ways the draft can go, each saying whether it is open now (reading
    the draft is a view decision; the letter is checked against Notify's rules)."""
    record = drafts.draft_record(session, actor, draft_id, catalogue.get)
    service = service_for(catalogue, record.service_id)
    return routes.delivery_routes(
        catalogue,
        service.id,
        settings=settings,
        paper=paper,
        form=_on_paper(session, service, record.case_id, ("draft", draft_id), record.answers),
    )


def _on_paper(
    session: Session,
    service: Service,
    case_id: int,
    record: tuple[str, int],
    answers: Mapping[str, Any],
) -> routes.FormOnPaper:
    case = session.get(Case, case_id)
    assert case is not None
    person = case.person
    return routes.FormOnPaper(
        answers=answers_rules.prune(service, answers),
        case_reference=case.reference,
        record=record,
        address=routes.letter_address(
            f"{person.given_name} {person.family_name}", person.address or "", person.postcode
        ),
        language=language_or_english(person.preferred_language),
    )


def submit_form(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    expected_version: int,
    route: str | None = None,
    *,
    settings: RouteSettings | None = None,
    paper: FormPaper | None = None,
) -> SubmissionRecord:
    """Send the draft by ``route`` (a route id or a channel; default: the first
    open route) and queue exactly one delivery for it in the same transaction:
    sent and queued together, or neither. Printing queues nothing and says so.

    A route that is closed is ``InvalidInput`` on "route", with the reason."""
    settings = settings or RouteSettings()
    service = draft_service(session, actor, catalogue, draft_id)
    found = session.get(FormDraft, draft_id)
    assert found is not None  # draft_service has read it
    form = _on_paper(
        session, service, found.case_id, ("draft", draft_id), json.loads(found.answers)
    )
    try:
        # The letter is drawn and checked only if it is the route taken
        # (``_letter``), or the one a default would take (then a letter that
        # fails the rules gives way to the next route).
        chosen = routes.choose(
            routes.delivery_routes(
                catalogue, service.id, settings=settings, paper=paper, form=form, check_letter=False
            ),
            route,
        )
        if chosen.id == routes.PAPER_LETTER and route in (None, "paper"):
            chosen = routes.choose(
                routes.delivery_routes(
                    catalogue, service.id, settings=settings, paper=paper, form=form
                ),
                route,
            )
    except ValueError as exc:
        raise InvalidInput({"route": str(exc)}) from None
    title = drafts.title_words(service)
    if chosen.queues:
        line = timeline.line(
            N_("Form queued to go {route}: {title}"), route=routes.route_line(chosen), title=title
        )
    else:
        line = timeline.line(N_("Printed to send by post: {title}"), title=title)
    record = drafts.submit_draft(
        session, actor, draft_id, expected_version, service, route=chosen.id, timeline_text=line
    )
    _enqueue(session, service, record, chosen, form, settings, paper)
    fees.queue_fee(session, actor, service, record)
    return record


def _enqueue(
    session: Session,
    service: Service,
    record: SubmissionRecord,
    chosen: Route,
    form: routes.FormOnPaper,
    settings: RouteSettings,
    paper: FormPaper | None,
) -> None:
    """Queue the one delivery ``chosen`` makes (none for printing)."""
    if chosen.id == routes.PAPER_PRINT:
        return
    key: str | None = None
    if chosen.id == routes.SUBMISSION_API:
        connector = Connector.SUBMISSION_API
        body = payload.forms_submission(service, record.answers, record.uuid, record.submitted_at)
        key = record.uuid
    elif chosen.id == routes.NOTIFY_EMAIL:
        assert paper is not None and chosen.inbox is not None  # only open with both
        connector = Connector.NOTIFY_EMAIL
        body = _email(service, record, chosen.inbox, form, settings, paper)
    elif chosen.id == routes.PAPER_LETTER:
        assert paper is not None  # only open with a paper maker
        connector = Connector.NOTIFY_LETTER
        body = payload.precompiled_letter(
            _letter(service, record, form, paper), routes.LETTER_POSTAGE
        )
    else:
        raise ValueError(f"unknown route {chosen.id!r}")
    outbox.enqueue(
        session,
        connector,
        body,
        case_id=record.case_id,
        # A Notify item is its own reference: give it the submission's id, so
        # the outbox and a text update can tell it carries this form.
        item_id=None if key else record.uuid,
        idempotency_key=key,
        mandate_id=record.mandate_id,
        mandate_version=record.mandate_version,
    )


def _email(
    service: Service,
    record: SubmissionRecord,
    inbox: str,
    form: routes.FormOnPaper,
    settings: RouteSettings,
    paper: FormPaper,
) -> dict[str, Any]:
    """Notify's email body with the sent form as a PDF to download (send-a-file)."""
    pdf = paper.form_pdf(
        service,
        record.answers,
        case_reference=form.case_reference,
        record=("submission", record.id),
        language="en",
    )
    if len(pdf) >= routes.MAX_FILE_BYTES:
        raise InvalidInput(
            {"route": _("The filled-in form is too large to send by email (over 2 MB).")}
        )
    return payload.email_with_file(
        inbox,
        settings.email_template_id,
        {
            "form_title": title_of(service),
            "case_reference": form.case_reference,
            "submission_reference": record.uuid,
        },
        "link_to_file",
        pdf,
        filename=f"{service.id}-{form.case_reference}.pdf",
        confirm_email_before_download=True,
        retention_period=routes.FILE_RETENTION,
    )


def _letter(
    service: Service, record: SubmissionRecord, form: routes.FormOnPaper, paper: FormPaper
) -> bytes:
    """The sent form as a precompiled letter that passes Notify's rules, else ``InvalidInput``."""
    sent = replace(form, answers=record.answers, record=("submission", record.id))
    try:
        pdf = routes.letter_pdf(service, paper, sent)
    except ValueError as exc:
        raise InvalidInput({"route": str(exc)}) from None
    problems = paper.check_letter(pdf)
    if problems:
        raise InvalidInput(
            {
                "route": _("GOV.UK Notify would refuse this letter: {problems}").format(
                    problems=" ".join(problems)
                )
            }
        )
    return pdf


def title_of(service: Service) -> str:
    """The service's English title (what the department's inbox reads)."""
    return service.text("title", "en")


def profile_differences(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    answers: Mapping[str, object],
) -> list[ProfileDifference]:
    """Answers (as on screen) that differ from the person's record, in the
    worker's language."""
    require_text({str(k): (k, v) for k, v in answers.items()})
    service = draft_service(session, actor, catalogue, draft_id)
    return drafts.profile_differences(
        session, actor, draft_id, service, current_language(), answers
    )


def update_record_from_form(
    session: Session, actor: Actor, catalogue: Catalogue, draft_id: int
) -> int:
    """Copy the form's person facts to the record (once the worker has confirmed)."""
    service = draft_service(session, actor, catalogue, draft_id)
    return drafts.apply_to_profile(session, actor, draft_id, service)


def known_answers(
    session: Session, actor: Actor, catalogue: Catalogue, case_id: int, service_id: str
) -> dict[str, KnownAnswer]:
    """Facts already known for the case's person, to offer, each saying which
    form (by its title in the worker's language) or record it came from."""
    service = service_for(catalogue, service_id)
    return drafts.known_answers(
        session, actor, case_id, service, titles=titles(catalogue, current_language())
    )
