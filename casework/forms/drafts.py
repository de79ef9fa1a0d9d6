"""Form drafts and submissions on a case.

A draft is saved on every change (the window calls ``save_draft`` after each
answer), with optimistic locking so two workers never overwrite each other
silently. Submitting checks every page of the route, then freezes the
answers (only those the route shows) with the definition's id, version and
a SHA-256 of its text as an immutable ``Submission``; the draft is marked
sent and the case timeline says so. Delivery to the platform is the
outbox's work (the sync capability); until then a submission waits there.

Each step is a policy decision on the case (draft, submit, view), audited in
the same transaction. A draft remembers the mandate (and its version) its
answers were last saved under: when that mandate ends the draft freezes
(readable and printable for the person, never saved or sent again), and
``submit_draft`` re-checks the version (``recheck``) so a revocation while
the form was open wins.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile import people
from casework.casefile.access import PERSON_CATEGORIES, PERSON_FIELDS, load_case, person_access
from casework.forms import answers as forms
from casework.forms.definitions import Service
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _, current_language
from casework.kernel.models import Case, FormDraft, Person, Submission, Worker, utcnow
from casework.kernel.records import (
    Actor,
    DraftRecord,
    KnownAnswer,
    PersonInput,
    ProfileDifference,
    SubmissionRecord,
)
from casework.kernel.validators import require_text
from delegation.models import Mandate
from delegation.policy import CASELOAD_CATEGORIES, PolicyDecision, in_force, recheck
from delegation.scope import SENSITIVE_CATEGORIES, Action
from delegation.session_wall import in_caseload as in_team_caseload
from delegation.visibility import best_target

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


def _draft(
    session: Session,
    actor: Actor,
    draft_id: int,
    action: str = Action.VIEW,
    categories: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> tuple[FormDraft, PolicyDecision]:
    draft = session.get(FormDraft, draft_id)
    if draft is None:
        raise NotFound(_("That form no longer exists."))
    _case, decision = load_case(session, actor, draft.case_id, action, categories, now)
    return draft, decision


def answer_categories(service: Service, answers: Mapping[str, Any]) -> frozenset[str]:
    """The data categories of the questions answered."""
    return frozenset(q.category for q in service.questions() if q.id in answers)


def form_categories(
    session: Session, actor: Actor, case_id: int, wanted: frozenset[str]
) -> frozenset[str]:
    """What a form write is decided on. Under a mandate for the case's service
    (or the case) every category answered must be in its scope. With no such
    mandate, the work rests on the team caseload: a person filling in their own
    form with their own advice team discloses their health and money answers
    themselves, so those are not asked of the caseload (which withholds them
    only when reading the stored record or re-using answers)."""
    case = session.get(Case, case_id)
    if case is None:
        return wanted
    target = best_target(session, actor, case.person_id, Action.DRAFT, wanted)
    if target.service_id is None and target.case_id is None:
        return wanted - SENSITIVE_CATEGORIES
    return wanted


def frozen_reason(session: Session, draft: FormDraft, now: datetime | None = None) -> str:
    """Why the draft is frozen (its mandate has ended), or "" when it is not."""
    if draft.mandate_id is None or draft.submitted:
        return ""
    mandate = session.get(Mandate, draft.mandate_id)
    moment = now or utcnow()
    if mandate is None or in_force(session, mandate, moment) is not None:
        return _(
            "This form is frozen: the mandate it was filled in under has ended. "
            "The answers are kept, and you can print them for the person."
        )
    return ""


def _refuse_if_frozen(session: Session, draft: FormDraft, now: datetime | None) -> None:
    reason = frozen_reason(session, draft, now)
    if reason:
        raise AccessRefused(reason)


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
            frozen=frozen_reason(session, draft),
        )
        for draft, person_id, who in rows
    ]


def _submission_record(
    session: Session, row: Submission, decision: PolicyDecision | None = None
) -> SubmissionRecord:
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
        mandate_id=decision.mandate_id if decision else None,
        mandate_version=decision.mandate_version if decision else None,
        route=row.route,
    )


def start_draft(
    session: Session, actor: Actor, case_id: int, service: Service, *, now: datetime | None = None
) -> int:
    _case, decision = load_case(session, actor, case_id, Action.DRAFT, frozenset(), now)
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
        mandate_id=decision.mandate_id,
        mandate_version=decision.mandate_version,
    )
    session.add(draft)
    session.flush()
    timeline.record(
        session,
        case_id,
        "form_started",
        timeline.line(N_("Form started: {title}"), title=title_words(service)),
        actor,
    )
    return draft.id


ServiceLookup = Callable[[str], "Service | None"]


def title_words(service: Service) -> timeline.Line:
    """The service's title as a timeline word: read in the reader's language."""
    return timeline.both(service.text("title", "en"), service.text("title", "cy"), key=service.id)


def withheld_questions(
    session: Session,
    actor: Actor,
    person_id: int,
    decision: PolicyDecision,
    service: Service | None,
) -> frozenset[str] | None:
    """The questions a decision does not show: none under the caseload (the
    person's own form work with their team), those outside the matched scope
    detail's categories under a mandate, and every one (``None``) when the
    definition is not to hand to say which are which (fail closed)."""
    if decision.mandate_id is None:
        return frozenset()
    if service is None or decision.scope_detail is None:
        return None
    allowed = set(decision.scope_detail.categories)
    person = session.get(Person, person_id)
    if person is not None and in_team_caseload(session, actor, person):
        allowed |= CASELOAD_CATEGORIES
    return frozenset(q.id for q in service.questions() if q.category not in allowed)


def _shown(
    session: Session,
    actor: Actor,
    record: DraftRecord,
    decision: PolicyDecision,
    services: ServiceLookup | None,
) -> DraftRecord:
    service = services(record.service_id) if services is not None else None
    hidden = withheld_questions(session, actor, record.person_id, decision, service)
    if hidden is None:
        return replace(record, answers={})
    if not hidden:
        return record
    return replace(record, answers={k: v for k, v in record.answers.items() if k not in hidden})


def draft_record(
    session: Session, actor: Actor, draft_id: int, services: ServiceLookup | None = None
) -> DraftRecord:
    """The draft, with only the answers the decision shows (``services`` finds
    the definition that says which question is in which category)."""
    draft, decision = _draft(session, actor, draft_id)
    session.flush()  # so the query below sees this session's latest change
    return _shown(
        session, actor, _records(session, FormDraft.id == draft.id)[0], decision, services
    )


def case_drafts(
    session: Session, actor: Actor, case_id: int, services: ServiceLookup | None = None
) -> list[DraftRecord]:
    """Every form on the case, newest change first, showing what the decision shows."""
    _case, decision = load_case(session, actor, case_id, Action.VIEW)
    return [
        _shown(session, actor, record, decision, services)
        for record in _records(session, FormDraft.case_id == case_id)
    ]


def save_draft(
    session: Session,
    actor: Actor,
    draft_id: int,
    expected_version: int,
    answers: Mapping[str, Any],
    current_page: str | None,
    service: Service | None = None,
    now: datetime | None = None,
    services: ServiceLookup | None = None,
) -> int:
    """Store every answer so far; returns the new version. With ``service``
    (or ``services`` to find it), the decision covers the categories of the
    questions answered, and answers the worker may not see are kept as stored
    (their screen never had them)."""
    require_text({**{str(k): (k, v) for k, v in answers.items()}, "current_page": current_page})
    found = session.get(FormDraft, draft_id)
    if found is not None:
        _refuse_if_frozen(session, found, now)
        if service is None and services is not None:
            service = services(found.service_id)
    wanted = answer_categories(service, answers) if service is not None else frozenset()
    if found is not None:
        wanted = form_categories(session, actor, found.case_id, wanted)
    draft, decision = _draft(session, actor, draft_id, Action.DRAFT, wanted, now)
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
    person_id = session.scalar(select(Case.person_id).where(Case.id == draft.case_id))
    assert person_id is not None
    hidden = withheld_questions(session, actor, person_id, decision, service)
    if hidden is None:
        raise AccessRefused(
            _("This form's definition cannot be read, so it cannot be saved under a mandate.")
        )
    if hidden:
        stored = json.loads(draft.answers)
        answers = {
            **{k: v for k, v in answers.items() if k not in hidden},
            **{k: stored[k] for k in hidden if k in stored},
        }
    draft.answers = _dump(answers)
    draft.current_page = current_page
    draft.updated_by_id = actor.worker_id
    draft.updated_at = utcnow()
    if decision.mandate_id is not None:
        draft.mandate_id, draft.mandate_version = decision.mandate_id, decision.mandate_version
    session.flush()
    return draft.version


def submit_draft(
    session: Session,
    actor: Actor,
    draft_id: int,
    expected_version: int,
    service: Service,
    today: date | None = None,
    now: datetime | None = None,
    *,
    route: str | None = None,
    timeline_text: timeline.Line | None = None,
) -> SubmissionRecord:
    """Check the whole route, re-check the mandate the answers were saved
    under, then freeze them as a submission.

    ``route`` is recorded on the submission and ``timeline_text`` written to
    the case timeline (the caller says what really happens to the form;
    ``casework.forms.actions.submit_form`` queues it)."""
    found = session.get(FormDraft, draft_id)
    if found is not None:
        _refuse_if_frozen(session, found, now)
    wanted = (
        form_categories(
            session,
            actor,
            found.case_id,
            answer_categories(service, forms.prune(service, json.loads(found.answers))),
        )
        if found is not None
        else frozenset()
    )
    draft, decision = _draft(session, actor, draft_id, Action.SUBMIT, wanted, now)
    if draft.mandate_id is not None:
        # The form was filled in under this mandate at this version: if it was
        # revoked or changed since, the submission is refused (and audited).
        opened = replace(
            decision, mandate_id=draft.mandate_id, mandate_version=draft.mandate_version
        )
        decision = recheck(session, opened, now)
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
    # In the reader's language, as the page's own check is (the service's Welsh errors).
    problems = forms.check_all(service, answers, current_language(), today=today)
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
        route=route,
    )
    session.add(submission)
    draft.submitted = True
    draft.updated_by_id = actor.worker_id
    session.flush()
    timeline.record(
        session,
        draft.case_id,
        "form_submitted",
        timeline_text or timeline.line(N_("Form completed: {title}"), title=title_words(service)),
        actor,
    )
    return _submission_record(session, submission, decision)


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
    that gave the same fact. Only for the categories allowed (all when None)
    and, whatever is asked, only for those the policy decision discloses."""
    asked = frozenset(q.category for q in service.questions() if q.raw.get("reuse"))
    case, decision = load_case(session, actor, case_id, Action.VIEW, asked)
    disclosed = decision.disclosed_categories
    allowed_categories = disclosed if allowed_categories is None else allowed_categories & disclosed
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
    draft, _decision = _draft(session, actor, draft_id)
    row = session.scalar(select(Submission).where(Submission.draft_id == draft.id))
    return None if row is None else _submission_record(session, row)


def _form_facts(
    session: Session,
    actor: Actor,
    draft_id: int,
    service: Service,
    answers: Mapping[str, Any] | None = None,
) -> tuple[Case, dict[str, tuple[Any, Any]]]:
    """The draft's case and, for each person.* fact the form answered that the
    actor may see on the record: (question, answer)."""
    draft, _decision = _draft(session, actor, draft_id)
    case = session.get(Case, draft.case_id)
    assert case is not None
    seen = person_access(session, actor, case.person_id, Action.VIEW, PERSON_CATEGORIES)
    answers = forms.prune(service, json.loads(draft.answers) if answers is None else answers)
    found: dict[str, tuple[Any, Any]] = {}
    for question in service.questions():
        reuse = question.raw.get("reuse")
        if (
            reuse in PROFILE_FACTS
            and answers.get(question.id) is not None
            and PERSON_FIELDS[PROFILE_FACTS[reuse]] not in seen.redacted_categories
        ):
            found[reuse] = (question, answers[question.id])
    return case, found


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
    case, facts = _form_facts(session, actor, draft_id, service, answers)
    person = case.person
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
    case, facts = _form_facts(session, actor, draft_id, service)
    person = case.person
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
        case.id,
        "record_updated",
        timeline.line(
            N_("{name}'s record updated from the {title} form"),
            name=person.given_name,
            title=title_words(service),
        ),
        actor,
    )
    return version


def print_decision(
    session: Session,
    actor: Actor,
    draft_id: int,
    service: Service,
    now: datetime | None = None,
) -> tuple[FormDraft, frozenset[str]]:
    """Take (and audit) the print decision on a draft's case: the draft and
    the categories of its answers that may be printed. A frozen draft may
    still be printed for the person, to sign and post themselves."""
    found = session.get(FormDraft, draft_id)
    if found is None:
        raise NotFound(_("That form no longer exists."))
    answered = answer_categories(service, forms.prune(service, json.loads(found.answers)))
    asked = form_categories(session, actor, found.case_id, answered)
    draft, decision = _draft(session, actor, draft_id, Action.PRINT, asked, now)
    return draft, frozenset(decision.disclosed_categories | (answered - asked))
