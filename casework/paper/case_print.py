"""Pre-filled paper forms from a case: which record, whether it may be
printed, and what may be printed on it.

``prepare`` picks the record (a named draft or submission, or the case's
newest form in progress), asks the policy decision for ``print`` on the
case with every data category the form touches, and returns what to render:
the answers, with only the categories the decision discloses allowed, and
the form reference of that record. The decision is audited in the caller's
transaction; a refusal is returned, not raised, so the caller can commit
the refusal's audit entry before telling the worker (see
``delegation.policy``). Rendering is left to the caller, outside the
transaction, so the database is not held while pages are laid out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms import actions, drafts
from casework.forms.definitions import Catalogue, Service
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import Case, FormDraft, Person, Submission
from casework.kernel.records import Actor
from casework.paper.files import safe_file_name
from casework.paper.items import PaperItem
from casework.paper.reference import Kind, form_reference
from delegation import policy
from delegation.scope import Action
from delegation.session_wall import caseload

if TYPE_CHECKING:
    # The renderer imports reportlab: it loads when a form is first rendered.
    from casework.paper.copies import CopyItem
    from casework.paper.form import PaperOptions


@dataclass(frozen=True)
class PaperJob:
    """A form ready to render: the definition and the options to render it with."""

    service: Service
    options: PaperOptions
    file_name: str  # a suggested file name, e.g. AL-7K3M9QX-blue-badge-D12.pdf
    copy: CopyItem | None = None  # the printed copy recorded with the decision


@dataclass(frozen=True)
class Prepared:
    """Either a job, or the reason printing was refused (already audited)."""

    job: PaperJob | None
    refused: str | None = None


def file_name(stem: str, language: str, large_print: bool) -> str:
    """A form's file name: ``stem``, its language, and "-large" for large print
    (one rule for a single form and a bulk export, so the two never differ)."""
    size = "-large" if large_print else ""
    return safe_file_name(f"{stem}-{language}{size}")


def _service(catalogue: Catalogue, service_id: str) -> Service:
    service = catalogue.get(service_id)
    if service is None:
        raise NotFound(
            _(
                "The paper form for '{id}' cannot be made: its definition is missing or "
                "damaged. Ask your administrator."
            ).format(id=service_id)
        )
    return service


def _case_by_reference(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFound(
            _("There is no case with the reference {ref}. Check it and try again.").format(
                ref=reference
            )
        )
    return case


def _record(
    session: Session,
    case: Case,
    *,
    draft_id: int | None,
    submission_id: int | None,
) -> tuple[Kind, int, str, Mapping[str, Any]]:
    """(kind, record id, service id, answers) of the record to print."""
    if submission_id is not None:
        row = session.get(Submission, submission_id)
        if row is None or row.case_id != case.id:
            raise NotFound(
                _("Case {ref} has no sent form {id}.").format(ref=case.reference, id=submission_id)
            )
        return "submission", row.id, row.service_id, json.loads(row.answers)
    if draft_id is not None:
        draft = session.get(FormDraft, draft_id)
        if draft is None or draft.case_id != case.id:
            raise NotFound(_("That form no longer exists."))
    else:
        draft = session.scalar(
            select(FormDraft)
            .where(FormDraft.case_id == case.id, FormDraft.submitted.is_(False))
            .order_by(FormDraft.updated_at.desc(), FormDraft.id.desc())
            .limit(1)
        )
        if draft is None:
            sent = session.scalars(
                select(Submission.id).where(Submission.case_id == case.id).order_by(Submission.id)
            ).all()
            if sent:
                raise NotFound(
                    _(
                        "Case {ref} has no form in progress. To print a sent form, "
                        "name it with --submission (this case's: {ids})."
                    ).format(ref=case.reference, ids=", ".join(str(i) for i in sent))
                )
            raise NotFound(_("Case {ref} has no forms to print.").format(ref=case.reference))
    if draft.submitted:
        # A sent draft prints as what was sent: the frozen, pruned answers.
        row = session.scalar(select(Submission).where(Submission.draft_id == draft.id))
        if row is not None:
            return "submission", row.id, row.service_id, json.loads(row.answers)
    return "draft", draft.id, draft.service_id, json.loads(draft.answers)


def prepare(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    *,
    case_reference: str | None = None,
    draft_id: int | None = None,
    submission_id: int | None = None,
    language: str = "en",
    large_print: bool = False,
    record: bool = True,
) -> Prepared:
    """Choose the record, take the print decision, and say what to render.

    ``record``: the copy to print is recorded with the decision and carries
    its own reference (``copies``); a preview (False) records none and shows
    the record's reference."""
    if case_reference is not None:
        case = _case_by_reference(session, case_reference)
    elif draft_id is not None:
        draft = session.get(FormDraft, draft_id)
        if draft is None:
            raise NotFound(_("That form no longer exists."))
        found = session.get(Case, draft.case_id)
        assert found is not None
        case = found
    else:
        raise ValueError("name a case reference or a draft")
    kind, record_id, service_id, answers = _record(
        session, case, draft_id=draft_id, submission_id=submission_id
    )
    service = _service(catalogue, service_id)
    decision = policy.decide(
        session,
        actor,
        case.person_id,
        Action.PRINT,
        categories=service.data_categories(),
        case_id=case.id,
    )
    if not decision.allowed:
        return Prepared(None, decision.reason)
    copy = None
    if record:
        from casework.paper import copies  # with the first print: not at start-up

        copy = copies.record_copy(
            session,
            actor,
            service_id=service.id,
            version=service.version,
            language=language,
            large_print=large_print,
            kind=kind,
            draft_id=record_id if kind == "draft" else None,
            submission_id=record_id if kind == "submission" else None,
            person_id=case.person_id,
            case_id=case.id,
        )
        reference = copy.reference
    else:
        reference = form_reference(case.reference, kind, record_id, service.version)
    from casework.paper.form import PaperOptions

    options = PaperOptions(
        language=language,
        large_print=large_print,
        answers=answers,
        allowed_categories=decision.disclosed_categories,
        reference=reference,
    )
    code = "D" if kind == "draft" else "S"
    name = file_name(f"{case.reference}-{service.id}-{code}{record_id}", language, large_print)
    return Prepared(PaperJob(service, options, name, copy))


def caseload_drafts(session: Session, actor: Actor) -> list[tuple[int, str, str]]:
    """(draft id, case reference, service id) of every form in progress in the
    worker's team caseload, oldest case first. Each is still decided one by
    one when printed."""
    rows = session.execute(
        select(FormDraft.id, Case.reference, FormDraft.service_id)
        .join(Case, Case.id == FormDraft.case_id)
        .join(Person, Person.id == Case.person_id)
        .where(caseload(actor), FormDraft.submitted.is_(False))
        .order_by(Case.id, FormDraft.id)
    )
    return [(int(i), str(ref), str(sid)) for i, ref, sid in rows]


def draft_paper(
    session: Session,
    actor: Actor,
    draft_id: int,
    service: Service,
    language: str = "en",
    now: datetime | None = None,
) -> bytes:
    """The form pre-filled with the draft's answers, as a PDF for the person
    (a frozen draft's way out: they can sign and post it themselves). A print
    decision on the case; answers the decision withholds are left blank."""
    draft, allowed = drafts.print_decision(session, actor, draft_id, service, now)
    case = session.get(Case, draft.case_id)
    assert case is not None
    from casework.paper import copies

    copy = copies.record_copy(
        session,
        actor,
        service_id=service.id,
        version=service.version,
        language=language,
        kind="draft",
        draft_id=draft.id,
        person_id=case.person_id,
        case_id=case.id,
    )
    from casework.paper.form import PaperOptions, render_form

    pdf = render_form(
        service,
        PaperOptions(
            language=language,
            answers=json.loads(draft.answers),
            allowed_categories=allowed,
            reference=copy.reference,
        ),
    )
    # Laid out in the decision's transaction: a failure rolls the copy back with it.
    copies.record_pages(session, actor, copy.id, copies.page_count(pdf))
    return pdf


def print_job(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    *,
    case_reference: str | None = None,
    draft_id: int | None = None,
    submission_id: int | None = None,
    language: str = "en",
    large_print: bool = False,
    record: bool = True,
) -> PaperJob:
    """``prepare`` as one action: what to render, or ``AccessRefused`` with the
    reason (raised after the decision is audited; the transaction that runs an
    action keeps a refusal's audit entry). Render the job with ``render``,
    after the transaction, then confirm its copy's pages (``copies.print_recorded``)."""
    prepared = prepare(
        session,
        actor,
        catalogue,
        case_reference=case_reference,
        draft_id=draft_id,
        submission_id=submission_id,
        language=language,
        large_print=large_print,
        record=record,
    )
    if prepared.job is None:
        raise AccessRefused(
            _("You may not print this form: {reason}").format(reason=prepared.refused)
        )
    return prepared.job


def copy_id(job: PaperJob) -> int | None:
    """The id of the copy a job prints (None for an unrecorded preview)."""
    return job.copy.id if job.copy is not None else None


def render(job: PaperJob) -> bytes:
    """The job's form as PDF bytes (may take seconds: outside any transaction)."""
    from casework.paper.form import render_form

    return render_form(job.service, job.options)


def blank_form(catalogue: Catalogue, service_id: str, language: str, large_print: bool) -> bytes:
    """A service's blank paper form as PDF bytes, recorded nowhere and with no
    decision (a preview; its reference is this render's own, office ``0000``)."""
    service = actions.service_for(catalogue, service_id)
    from casework.paper.form import PaperOptions, render_form

    return render_form(service, PaperOptions(language=language, large_print=large_print))


def print_blank(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    service_id: str,
    language: str = "en",
    large_print: bool = False,
    *,
    case_reference: str | None = None,
    case_id: int | None = None,
    due_back_on: date | None = None,
) -> PaperJob:
    """A blank copy to print, recorded with its print decision: given out for
    a case (by reference or id) and its person when one is named, with the
    date it is expected back (``copies.give_out``). ``AccessRefused`` with the
    reason after a refusal is audited. Render the job after the transaction."""
    from casework.paper import copies

    service = _service(catalogue, service_id)
    case: Case | None = None
    if case_reference is not None:
        case = _case_by_reference(session, case_reference)
    elif case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(_("That case no longer exists."))
    if case is not None:  # on the case: a form of another service may be given out on it
        decision = policy.decide(session, actor, case.person_id, Action.PRINT, case_id=case.id)
        refused = None if decision.allowed else decision.reason
    else:
        refused = copies.blank_decision(session, actor, service.id)
    if refused is not None:
        raise AccessRefused(_("You may not print this form: {reason}").format(reason=refused))
    copy = copies.record_copy(
        session,
        actor,
        service_id=service.id,
        version=service.version,
        language=language,
        large_print=large_print,
    )
    if case is not None:
        copy = copies.give_out(session, actor, copy.id, case.id, due_back_on)
    from casework.paper.form import PaperOptions

    options = PaperOptions(language=language, large_print=large_print, reference=copy.reference)
    name = file_name(f"{service.id}-blank-{copy.reference[-9:-3]}", language, large_print)
    return PaperJob(service, options, name, copy)


def frozen_draft_pdf(
    session: Session, actor: Actor, catalogue: Catalogue, draft_id: int, language: str = "en"
) -> bytes:
    """A draft pre-filled for the person (a frozen draft's way out): ``draft_paper``
    with the draft's definition found in the catalogue."""
    service = actions.draft_service(session, actor, catalogue, draft_id)
    return draft_paper(session, actor, draft_id, service, language)


def paper_batch(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    what: str,
    languages: tuple[str, ...],
    large_print: bool,
) -> list[PaperItem]:
    """What a bulk export will write: ``what`` is "blank" (every service) or
    "drafts" (every form in progress in the worker's caseload), in each language."""
    if not languages:
        raise InvalidInput({"languages": _("Choose at least one language.")})
    # (file name stem, service id, draft id or None for a blank form)
    forms: list[tuple[str, str, int | None]]
    if what == "blank":
        forms = [(f"{s.id}-blank", s.id, None) for s in catalogue.services]
    elif what == "drafts":
        rows = caseload_drafts(session, actor)
        forms = [(f"{ref}-{sid}-D{draft_id}", sid, draft_id) for draft_id, ref, sid in rows]
    else:
        raise ValueError(f"unknown batch {what!r}")
    return [
        PaperItem(
            file_name(stem, language, large_print), service_id, draft_id, language, large_print
        )
        for stem, service_id, draft_id in forms
        for language in languages
    ]
