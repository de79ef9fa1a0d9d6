"""Typing up a paper form that came back: the case's returned copies, a draft
of the copy's service with empty answers to type it into, and the record,
once it is sent, that the submission came from paper and from which copy.

``came_back`` lists the case's returned copies (``PaperReturn``), newest
first, each saying whether it has been typed up. ``start_typing`` starts a
draft of the copy's service on the return's case, answers empty, marked with
the return it types up (``PAPER_KEY``, kept in the draft's answers as the
form view keeps its own ``__typed__``; a submission prunes it away), or
opens the one already started. ``record_typed`` is called once the draft is
sent: it sets ``PaperReturn.typed_submission_id`` and adds a timeline line
naming the copy. No migration: the mark travels in the draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.forms import drafts
from casework.forms.definitions import Catalogue
from casework.kernel import timeline
from casework.kernel.errors import NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, FormDraft, Person, Submission
from casework.kernel.records import Actor
from casework.kernel.working_days import local_date
from casework.paper.models import PaperCopy, PaperReturn
from delegation.visibility import seen_now

PAPER_KEY = "__paper_return__"  # in a draft's answers: the return it types up


@dataclass(frozen=True)
class CameBack:
    """One copy that came back to the case, as the window shows it."""

    return_id: int
    reference: str
    service_id: str
    received_on: date
    pages_found: tuple[int, ...]
    pages_missing: tuple[int, ...]
    document_id: int | None
    typed_submission_id: int | None
    typing_draft_id: int | None  # a draft typing it up, not yet sent


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split(",") if n.strip().isdigit())


def _visible_case(session: Session, actor: Actor, case_id: int) -> Case:
    seen = seen_now(session, actor)
    case = session.scalar(
        select(Case)
        .join(Person, Person.id == Case.person_id)
        .where(Case.id == case_id, seen.filter())
    )
    if case is None:
        raise NotFound(_("That case no longer exists, or you may not see it."))
    return case


def paper_return_of(answers: str | dict[str, object]) -> int | None:
    """The return a draft's answers say it types up, if any."""
    found = json.loads(answers) if isinstance(answers, str) else answers
    value = found.get(PAPER_KEY) if isinstance(found, dict) else None
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _typing_drafts(session: Session, case_id: int) -> dict[int, int]:
    """Return id -> the draft typing it up, among the case's drafts not yet sent."""
    found: dict[int, int] = {}
    rows = session.execute(
        select(FormDraft.id, FormDraft.answers).where(
            FormDraft.case_id == case_id, FormDraft.submitted.is_(False)
        )
    )
    for draft_id, answers in rows:
        return_id = paper_return_of(answers)
        if return_id is not None:
            found.setdefault(return_id, int(draft_id))
    return found


def came_back(session: Session, actor: Actor, case_id: int) -> list[CameBack]:
    """The case's paper forms that came back, newest first."""
    _visible_case(session, actor, case_id)
    typing = _typing_drafts(session, case_id)
    rows = session.execute(
        select(PaperReturn, PaperCopy)
        .join(PaperCopy, PaperCopy.id == PaperReturn.copy_id)
        .where(PaperReturn.case_id == case_id)
        .order_by(PaperReturn.received_at.desc(), PaperReturn.id.desc())
    )
    return [
        CameBack(
            back.id,
            copy.reference,
            copy.service_id,
            local_date(back.received_at),
            _numbers(back.pages_found),
            _numbers(back.pages_missing),
            back.document_id,
            back.typed_submission_id,
            typing.get(back.id),
        )
        for back, copy in rows
    ]


def _return(session: Session, return_id: int) -> tuple[PaperReturn, PaperCopy]:
    back = session.get(PaperReturn, return_id)
    if back is None:
        raise NotFound(_("That returned paper form is no longer on the case."))
    copy = session.get(PaperCopy, back.copy_id)
    assert copy is not None
    return back, copy


def start_typing(session: Session, actor: Actor, catalogue: Catalogue, return_id: int) -> int:
    """The draft to type the returned copy into (started, answers empty, or
    the one already started); its id. Starting a draft is the usual policy
    decision on the case, and says so on the timeline."""
    back, copy = _return(session, return_id)
    _visible_case(session, actor, back.case_id)
    if back.typed_submission_id is not None:
        raise NotFound(_("This paper form has already been typed up and sent."))
    already = _typing_drafts(session, back.case_id).get(back.id)
    if already is not None:
        return already
    service = catalogue.get(copy.service_id)
    if service is None:
        raise NotFound(
            _("The form this paper copy is of is not in this profile. Ask your administrator.")
        )
    draft_id = drafts.start_draft(session, actor, back.case_id, service)
    draft = session.get(FormDraft, draft_id)
    assert draft is not None
    draft.answers = json.dumps({PAPER_KEY: str(back.id)})
    timeline.record(
        session,
        back.case_id,
        "paper_typing",
        timeline.line(
            N_("Typing up the paper form that came back ({reference}): {title}"),
            reference=copy.reference,
            title=drafts.title_words(service),
        ),
        actor,
    )
    return draft_id


def record_typed(session: Session, actor: Actor, submission_id: int) -> str | None:
    """Record that a sent form was typed up from a returned paper copy (when
    its draft says so); the copy's reference, or None when it was not."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(_("That sent form no longer exists."))
    _visible_case(session, actor, submission.case_id)
    draft = session.get(FormDraft, submission.draft_id)
    return_id = paper_return_of(draft.answers) if draft is not None else None
    if return_id is None:
        return None
    back = session.get(PaperReturn, return_id)
    if back is None or back.case_id != submission.case_id:
        return None
    copy = session.get(PaperCopy, back.copy_id)
    assert copy is not None
    if back.typed_submission_id == submission.id:
        return copy.reference  # already recorded
    back.typed_submission_id = submission.id
    timeline.record(
        session,
        submission.case_id,
        "paper_typed",
        timeline.line(
            N_("The form sent was typed up from the paper form that came back ({reference})."),
            reference=copy.reference,
        ),
        actor,
    )
    return copy.reference


def typed_from(session: Session, actor: Actor, submission_id: int) -> str | None:
    """The reference of the paper copy a sent form was typed up from, if any."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        return None
    _visible_case(session, actor, submission.case_id)
    reference = session.scalar(
        select(PaperCopy.reference)
        .join(PaperReturn, PaperReturn.copy_id == PaperCopy.id)
        .where(PaperReturn.typed_submission_id == submission_id)
    )
    return str(reference) if reference is not None else None
