"""Form drafts and submissions on a case.

A draft is saved on every change (the window calls ``save_draft`` after each
answer), with optimistic locking so two workers never overwrite each other
silently. Submitting checks every page of the route, then freezes the
answers (only those the route shows) with the definition's id, version and
a SHA-256 of its text as an immutable ``Submission``; the draft is marked
sent and the case timeline says so. Delivery to the platform is the
outbox's work (the sync capability); until then a submission waits there.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import forms, people, timeline
from casework.errors import EditConflict, InvalidInput, NotFound
from casework.i18n import _
from casework.models import Case, FormDraft, Person, Submission, Worker, utcnow
from casework.records import (
    Actor,
    DraftRecord,
    KnownAnswer,
    PersonInput,
    ProfileDifference,
    SubmissionRecord,
)
from casework.services import Service
from delegation.caseload import require_case

MAX_ANSWERS_BYTES = 2_000_000

# Facts on the person's own record, by the definitions' shared reuse names.
PROFILE_FACTS = {
    "person.given_name": "given_name",
    "person.family_name": "family_name",
    "person.date_of_birth": "date_of_birth",
    "person.ni_number": "ni_number",
    "person.nhs_number": "nhs_number",
    "person.phone": "phone",
    "person.email": "email",
    "person.address": "address",
}


def _dump(answers: Mapping[str, Any]) -> str:
    text = json.dumps(answers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if len(text.encode("utf-8")) > MAX_ANSWERS_BYTES:
        raise InvalidInput(
            {"answers": _("These answers are too long to save. Shorten the longest.")}
        )
    return text


def definition_fingerprint(service: Service) -> str:
    canonical = json.dumps(service.raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _draft(session: Session, actor: Actor, draft_id: int) -> FormDraft:
    draft = session.get(FormDraft, draft_id)
    if draft is None:
        raise NotFound(_("That form no longer exists."))
    require_case(session, actor, draft.case_id)
    return draft


def _records(session: Session, where: Any) -> list[DraftRecord]:
    """Drafts matching ``where`` with their person and last editor, in one
    query (newest change first)."""
    rows = session.execute(
        select(FormDraft, Case.person_id, Worker.display_name)
        .join(Case, Case.id == FormDraft.case_id)
        .join(Worker, Worker.id == FormDraft.updated_by_id)
        .where(where)
        .order_by(FormDraft.updated_at.desc(), FormDraft.id.desc())
    )
    return [
        DraftRecord(
            id=draft.id,
            version=draft.version,
            case_id=draft.case_id,
            person_id=person_id,
            service_id=draft.service_id,
            service_version=draft.service_version,
            answers=json.loads(draft.answers),
            current_page=draft.current_page,
            submitted=draft.submitted,
            updated_at=draft.updated_at,
            updated_by=who,
        )
        for draft, person_id, who in rows
    ]


def _submission_record(session: Session, row: Submission) -> SubmissionRecord:
    who = session.scalar(select(Worker.display_name).where(Worker.id == row.submitted_by_id))
    return SubmissionRecord(
        id=row.id,
        uuid=row.uuid,
        case_id=row.case_id,
        service_id=row.service_id,
        service_version=row.service_version,
        submitted_at=row.submitted_at,
        submitted_by=who or "",
        answers=json.loads(row.answers),
    )


def start_draft(session: Session, actor: Actor, case_id: int, service: Service) -> int:
    require_case(session, actor, case_id)
    first = forms.next_page(service, {}, None)
    draft = FormDraft(
        case_id=case_id,
        service_id=service.id,
        service_version=service.version,
        answers="{}",
        current_page=first.id if first else None,
        submitted=False,
        created_by_id=actor.worker_id,
        updated_by_id=actor.worker_id,
    )
    session.add(draft)
    session.flush()
    timeline.record(
        session,
        case_id,
        "form_started",
        _("Form started: {title}").format(title=service.text("title", "en")),
        actor,
    )
    return draft.id


def draft_record(session: Session, actor: Actor, draft_id: int) -> DraftRecord:
    draft = _draft(session, actor, draft_id)
    session.flush()  # so the query below sees this session's latest change
    return _records(session, FormDraft.id == draft.id)[0]


def case_drafts(session: Session, actor: Actor, case_id: int) -> list[DraftRecord]:
    """Every form on the case, newest change first."""
    require_case(session, actor, case_id)
    return _records(session, FormDraft.case_id == case_id)


def save_draft(
    session: Session,
    actor: Actor,
    draft_id: int,
    expected_version: int,
    answers: Mapping[str, Any],
    current_page: str | None,
) -> int:
    """Store every answer so far; returns the new version."""
    draft = _draft(session, actor, draft_id)
    if draft.submitted:
        raise EditConflict(_("This form has been sent, so it cannot be changed."))
    if draft.version != expected_version:
        raise EditConflict(
            _(
                "Someone else changed this form while you were working on it. Your answers "
                "are still on screen: reload the form to see theirs, then carry on."
            ),
            current_version=draft.version,
        )
    draft.answers = _dump(answers)
    draft.current_page = current_page
    draft.updated_by_id = actor.worker_id
    draft.updated_at = utcnow()
    session.flush()
    return draft.version


def submit_draft(
    session: Session,
    actor: Actor,
    draft_id: int,
    expected_version: int,
    service: Service,
    today: date | None = None,
) -> SubmissionRecord:
    """Check the whole route, then freeze it as a submission."""
    draft = _draft(session, actor, draft_id)
    if draft.submitted:
        raise EditConflict(_("This form has already been sent."))
    if draft.version != expected_version:
        raise EditConflict(
            _("Someone else changed this form. Reload it and check the answers before sending."),
            current_version=draft.version,
        )
    if draft.service_id != service.id:
        raise InvalidInput({"service": _("This form belongs to another service.")})
    answers = json.loads(draft.answers)
    problems = forms.check_all(service, answers, today=today)
    if problems:
        first = problems[0]
        raise InvalidInput(
            {
                f"{first.page_id}/{qid}": message
                for page in problems
                for qid, message in page.errors.items()
            }
        )
    kept = forms.prune(service, answers)
    facts = {
        q.raw["reuse"]: kept[q.id] for q in service.questions() if "reuse" in q.raw and q.id in kept
    }
    case = session.get(Case, draft.case_id)
    assert case is not None
    submission = Submission(
        uuid=str(uuid.uuid4()),
        case_id=draft.case_id,
        person_id=case.person_id,
        draft_id=draft.id,
        service_id=service.id,
        service_version=service.version,
        definition_sha256=definition_fingerprint(service),
        answers=_dump(kept),
        facts=_dump(facts),
        submitted_by_id=actor.worker_id,
    )
    session.add(submission)
    draft.submitted = True
    draft.updated_by_id = actor.worker_id
    session.flush()
    timeline.record(
        session,
        draft.case_id,
        "form_submitted",
        _("Form sent: {title} (waiting to be delivered)").format(title=service.text("title", "en")),
        actor,
    )
    return _submission_record(session, submission)


def _profile_value(person: Person, reuse: str) -> Any:
    value = getattr(person, PROFILE_FACTS[reuse])
    if value in (None, ""):
        return None
    if reuse == "person.date_of_birth":
        return {"date": value.isoformat(), "approximate": False}
    if reuse == "person.address":
        lines = [
            line.strip() for line in str(value).replace(",", "\n").splitlines() if line.strip()
        ]
        if not lines or not person.postcode:
            return None
        return {"lines": lines, "town": "", "postcode": person.postcode}
    return value


def known_answers(
    session: Session,
    actor: Actor,
    case_id: int,
    service: Service,
    allowed_categories: frozenset[str] | None = None,
    titles: Mapping[str, str] | None = None,
) -> dict[str, KnownAnswer]:
    """Answers already known for the case's person, by question id, with
    where each came from: their record, or the newest earlier submission
    that gave the same fact. Only for the categories allowed (all when None)."""
    case = require_case(session, actor, case_id)
    person = case.person
    submissions = list(
        session.execute(
            select(Submission.service_id, Submission.facts, Submission.submitted_at)
            .where(Submission.person_id == person.id)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        )
    )
    found: dict[str, KnownAnswer] = {}
    for question in service.questions():
        reuse = question.raw.get("reuse")
        if not reuse or (
            allowed_categories is not None and question.category not in allowed_categories
        ):
            continue
        for service_id, facts_text, at in submissions:
            facts = json.loads(facts_text)
            if reuse in facts:
                found[question.id] = KnownAnswer(
                    question.id,
                    facts[reuse],
                    _("from {service}, sent {date}").format(
                        service=(titles or {}).get(service_id, service_id),
                        date=at.astimezone(UTC).strftime("%d/%m/%Y"),
                    ),
                    at,
                )
                break
        else:
            if reuse in PROFILE_FACTS and question.type != "group":
                value = _profile_value(person, reuse)
                if value is not None:
                    found[question.id] = KnownAnswer(
                        question.id,
                        value,
                        _("from {name}'s record").format(name=person.given_name),
                        None,
                    )
    return found


def submission_for_draft(session: Session, actor: Actor, draft_id: int) -> SubmissionRecord | None:
    draft = _draft(session, actor, draft_id)
    row = session.scalar(select(Submission).where(Submission.draft_id == draft.id))
    return None if row is None else _submission_record(session, row)


def _form_facts(
    session: Session,
    actor: Actor,
    draft_id: int,
    service: Service,
    answers: Mapping[str, Any] | None = None,
) -> tuple[Person, dict[str, tuple[Any, Any]]]:
    """For each person.* fact the form answered: (question, answer)."""
    draft = _draft(session, actor, draft_id)
    case = require_case(session, actor, draft.case_id)
    answers = forms.prune(service, json.loads(draft.answers) if answers is None else answers)
    found: dict[str, tuple[Any, Any]] = {}
    for question in service.questions():
        reuse = question.raw.get("reuse")
        if reuse in PROFILE_FACTS and answers.get(question.id) is not None:
            found[reuse] = (question, answers[question.id])
    return case.person, found


def profile_differences(
    session: Session,
    actor: Actor,
    draft_id: int,
    service: Service,
    language: str = "en",
    answers: Mapping[str, Any] | None = None,
) -> list[ProfileDifference]:
    """Answers (the draft's, or those on screen) that differ from the person's
    record, as people would read them; offered, never applied silently."""
    person, facts = _form_facts(session, actor, draft_id, service, answers)
    differences = []
    for reuse, (question, value) in facts.items():
        current = _profile_value(person, reuse)
        on_record = forms.display_value(question, current, language) if current is not None else ""
        in_form = forms.display_value(question, value, language)
        if on_record != in_form:
            differences.append(
                ProfileDifference(question.id, question.text("label", language), on_record, in_form)
            )
    return differences


def apply_to_profile(session: Session, actor: Actor, draft_id: int, service: Service) -> int:
    """Copy the form's person facts to the record, once the worker has confirmed."""
    person, facts = _form_facts(session, actor, draft_id, service)
    data: dict[str, Any] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "ni_number": person.ni_number or "",
        "nhs_number": person.nhs_number or "",
        "address": person.address,
        "postcode": person.postcode or "",
        "email": person.email or "",
        "phone": person.phone or "",
        "preferred_language": person.preferred_language,
        "communication_needs": person.communication_needs,
        "access_needs": person.access_needs,
    }
    for reuse, (_question, value) in facts.items():
        field_name = PROFILE_FACTS[reuse]
        if reuse == "person.date_of_birth":
            data[field_name] = date.fromisoformat(value["date"])
        elif reuse == "person.address":
            data["address"] = "\n".join([*value["lines"], value.get("town", "")]).strip()
            data["postcode"] = value["postcode"]
        else:
            data[field_name] = value
    version = people.update_person(session, actor, person.id, person.version, PersonInput(**data))
    timeline.record(
        session,
        require_case(session, actor, _draft(session, actor, draft_id).case_id).id,
        "record_updated",
        _("{name}'s record updated from the {title} form").format(
            name=person.given_name, title=service.text("title", "en")
        ),
        actor,
    )
    return version
