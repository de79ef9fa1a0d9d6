"""Sending a form or recording a decision, with the next claims suggested in the same transaction.

The window (``ui.operations.forms``) and ``alongside forms submit`` send
through these wrappers of ``casework.forms``: the form is sent and queued,
and the follow-on claims suggested, together or not at all.
``record_decision`` is the "Record the decision" action on a sent form
(awarded, refused or still waiting, with the day); an award suggests what a
link says it may open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import load_case
from casework.entitlements.links import Trigger
from casework.entitlements.models import FormDecision
from casework.entitlements.records import DecisionRecord, Outcome, outcome_words
from casework.entitlements.suggestions import suggest
from casework.forms import actions as form_actions
from casework.forms import answer_file
from casework.forms.definitions import Catalogue
from casework.forms.drafts import title_words
from casework.forms.routes import FormPaper, Route, RouteSettings
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Submission, Worker, utcnow
from casework.kernel.records import Actor, SubmissionRecord
from delegation.scope import Action


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
    """``casework.forms.actions.submit_form``, then the follow-on claims suggested."""
    record = form_actions.submit_form(
        session, actor, catalogue, draft_id, expected_version, route, settings=settings, paper=paper
    )
    suggest(session, actor, catalogue, record.case_id, record.service_id, Trigger.SENT)
    return record


def submit_answers(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    case_id: int,
    service_id: str,
    answers: Mapping[str, Any],
    route: str | None = None,
    *,
    settings: RouteSettings | None = None,
    paper: FormPaper | None = None,
) -> tuple[SubmissionRecord, Route]:
    """``casework.forms.answer_file.submit_answers``, then the follow-on claims suggested."""
    record, taken = answer_file.submit_answers(
        session,
        actor,
        catalogue,
        case_id,
        service_id,
        answers,
        route,
        settings=settings,
        paper=paper,
    )
    suggest(session, actor, catalogue, record.case_id, record.service_id, Trigger.SENT)
    return record, taken


def record_decision(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    submission_id: int,
    outcome: str,
    decided_on: date,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionRecord:
    """Record what the department decided on a sent form (on the day given,
    not in the future); an award suggests the claims it may open."""
    try:
        what = Outcome(outcome)
    except ValueError:
        raise InvalidInput({"outcome": _("Choose what was decided.")}) from None
    if decided_on > (today or date.today()):
        raise InvalidInput({"decided_on": _("The decision date cannot be in the future.")})
    row = session.get(Submission, submission_id)
    if row is None:
        raise NotFound(_("That sent form no longer exists."))
    load_case(session, actor, row.case_id, Action.DRAFT, frozenset(), now)
    if decided_on < row.submitted_at.date():
        raise InvalidInput(
            {"decided_on": _("The decision date cannot be before the form was sent.")}
        )
    decision = FormDecision(
        submission_id=row.id,
        case_id=row.case_id,
        outcome=what,
        decided_on=decided_on,
        recorded_by_id=actor.worker_id,
        recorded_at=now or utcnow(),
    )
    session.add(decision)
    session.flush()
    service = catalogue.get(row.service_id)
    title = title_words(service) if service is not None else row.service_id
    timeline.record(
        session,
        row.case_id,
        "form_decision",
        timeline.line(
            N_("Decision recorded on {title}: {outcome}"),
            title=title,
            outcome={"m": _OUTCOME_MESSAGES[what]},
        ),
        actor,
    )
    made = (
        suggest(session, actor, catalogue, row.case_id, row.service_id, Trigger.AWARDED, now)
        if what is Outcome.AWARDED
        else []
    )
    who = session.scalar(select(Worker.display_name).where(Worker.id == actor.worker_id))
    return DecisionRecord(
        decision.id, row.id, what, decided_on, who or "", decision.recorded_at, len(made)
    )


def record_decision_on_form(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    outcome: str,
    decided_on: date,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionRecord:
    """``record_decision`` on the sent form of a case's form (as the Forms tab names it)."""
    submission_id = session.scalar(select(Submission.id).where(Submission.draft_id == draft_id))
    if submission_id is None:
        raise InvalidInput({"form": _("Send the form before recording what was decided.")})
    return record_decision(
        session, actor, catalogue, submission_id, outcome, decided_on, today=today, now=now
    )


_OUTCOME_MESSAGES = {
    Outcome.AWARDED: N_("Awarded"),
    Outcome.REFUSED: N_("Refused"),
    Outcome.WAITING: N_("Still waiting"),
}


def latest_decision(
    session: Session, actor: Actor, submission_id: int
) -> tuple[Outcome, date] | None:
    """The newest decision recorded on a sent form (decided as a view of its case)."""
    row = session.get(Submission, submission_id)
    if row is None:
        raise NotFound(_("That sent form no longer exists."))
    load_case(session, actor, row.case_id, Action.VIEW)
    found = session.execute(
        select(FormDecision.outcome, FormDecision.decided_on)
        .where(FormDecision.submission_id == submission_id)
        .order_by(FormDecision.recorded_at.desc(), FormDecision.id.desc())
        .limit(1)
    ).first()
    return None if found is None else (found[0], found[1])


__all__ = [
    "latest_decision",
    "outcome_words",
    "record_decision",
    "record_decision_on_form",
    "submit_answers",
    "submit_form",
]
