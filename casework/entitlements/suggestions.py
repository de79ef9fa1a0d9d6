"""Suggestions of the next claim on a case: made, read, dismissed and started.

``suggest`` runs inside the transaction that sent a form or recorded an
award (``casework.entitlements.actions``): each link from that service for
that trigger, where it applies in the person's nation, becomes an open
suggestion, unless one for the same claim is already open or started on the
case, was dismissed after the same trigger, or the claim's form is already
on the case; nor is a service whose definition does not serve the person's
nation. Nothing is ever suggested twice while open.

Every read and write is a policy decision on the case, audited in the same
transaction. Under a mandate a worker sees (and may act on) only the
suggestions for services a mandate covers (a decision on the service
suggested, or on the award an outside scheme follows). In the team's caseload they see all.
Starting one is also decided on the suggested service itself, then starts a
draft on the same case and offers what is already known, with where it came
from, exactly as ask-once does (``casework.forms.actions.known_answers``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile.access import load_case
from casework.entitlements.links import Link, Trigger, link_of, load_links
from casework.entitlements.models import Suggestion
from casework.entitlements.records import (
    DismissReason,
    StartedSuggestion,
    SuggestionRecord,
    SuggestionStatus,
    dismiss_words,
)
from casework.forms import actions as form_actions
from casework.forms.definitions import Catalogue
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _, current_language
from casework.kernel.models import Case, FormDraft, Person, Worker, utcnow
from casework.kernel.nations import Nation, nation_of_postcode
from casework.kernel.records import Actor
from casework.kernel.validators import require_text
from delegation.policy import PolicyDecision, decide, require
from delegation.scope import Action
from delegation.visibility import visible_people

MAX_NOTE = 500
LIVE = (SuggestionStatus.OPEN, SuggestionStatus.STARTED)


def suggest(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    case_id: int,
    service_id: str,
    trigger: Trigger,
    now: datetime | None = None,
) -> list[int]:
    """Suggest on the case the claims a ``service_id`` form sent (or award
    recorded) may open; the new suggestions' ids (none already open are made again)."""
    case, _decision = load_case(session, actor, case_id, Action.DRAFT, frozenset(), now)
    nation = nation_of_postcode(case.person.postcode)
    earlier = list(session.scalars(select(Suggestion).where(Suggestion.case_id == case_id)))
    on_case = set(session.scalars(select(FormDraft.service_id).where(FormDraft.case_id == case_id)))
    made: list[int] = []
    for link in load_links(catalogue):
        if link.from_service != service_id or trigger not in link.when:
            continue
        if not link.applies_in(nation) or link.target in on_case:
            continue
        if not _serves(catalogue, link.to_service, nation):
            continue
        if any(
            s.target == link.target
            and (
                s.status in LIVE
                or (s.status is SuggestionStatus.DISMISSED and s.trigger == trigger)
            )
            for s in earlier
        ):
            continue
        row = Suggestion(
            case_id=case_id,
            person_id=case.person_id,
            link_id=link.id,
            from_service=link.from_service,
            target=link.target,
            trigger=str(trigger),
            status=SuggestionStatus.OPEN,
            created_at=now or utcnow(),
            created_by_id=actor.worker_id,
            dismiss_note="",
        )
        session.add(row)
        session.flush()
        earlier.append(row)
        made.append(row.id)
    return made


def _serves(catalogue: Catalogue, service_id: str | None, nation: Nation | None) -> bool:
    """Whether the suggested service's definition serves the person's nation
    (one that names its nations; an outside scheme, or no nation known: yes)."""
    service = catalogue.get(service_id) if service_id is not None else None
    nations = service.raw.get("nations") if service is not None else None
    return nation is None or not isinstance(nations, list) or str(nation) in nations


def _covers(
    session: Session,
    actor: Actor,
    decision: PolicyDecision,
    case: Case,
    links: Iterable[Link],
    now: datetime | None,
) -> Callable[[Suggestion], bool]:
    """Whether the worker may see a suggestion: in the team's caseload, all of
    them; under a mandate, a decision (audited) on the service suggested, or
    for an outside scheme on the award it follows."""
    if decision.mandate_id is None:
        return lambda _s: True
    schemes = {k.id for k in links if k.scheme is not None}

    def covered(s: Suggestion) -> bool:
        service_id = s.from_service if s.link_id in schemes else s.target
        return decide(session, actor, case.person_id, Action.VIEW, service_id, now=now).allowed

    return covered


def _record(
    session: Session, catalogue: Catalogue, row: Suggestion, case: Case, links: Iterable[Link]
) -> SuggestionRecord:
    language = current_language()
    link = next((k for k in links if k.id == row.link_id), None)

    def title_of(service_id: str) -> str:
        service = catalogue.get(service_id)
        return service.text("title", language) if service is not None else service_id

    if link is None:  # the link was removed from the data since: say so, plainly
        title, reason, source, service_id, can_start = (
            title_of(row.target),
            _("The reason for this suggestion is no longer in Alongside's list."),
            "",
            None,
            False,
        )
    else:
        service_id = link.to_service
        title = link.scheme.title(language) if link.scheme is not None else title_of(row.target)
        reason, source = link.reason(language), link.source
        can_start = service_id is not None and not link.for_carer
        if link.for_carer:  # someone else's claim: say so where the claim is named
            title = _("{title} (for their carer)").format(title=title)
    dismissal = ""
    if row.dismiss_reason is not None:
        dismissal = dismiss_words(row.dismiss_reason)
        if row.dismiss_note:
            dismissal = f"{dismissal}: {row.dismiss_note}"
    who = (
        session.scalar(select(Worker.display_name).where(Worker.id == row.acted_by_id))
        if row.acted_by_id is not None
        else None
    )
    person = case.person
    return SuggestionRecord(
        id=row.id,
        version=row.version,
        case_id=row.case_id,
        case_reference=case.reference,
        person_name=f"{person.given_name} {person.family_name}",
        from_title=title_of(row.from_service),
        title=title,
        reason=reason,
        source=source,
        service_id=service_id,
        can_start=can_start and row.status is SuggestionStatus.OPEN,
        status=row.status,
        created_at=row.created_at,
        dismissal=dismissal,
        acted_by=who or "",
        acted_at=row.acted_at,
        draft_id=row.draft_id,
    )


def case_suggestions(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    case_id: int,
    *,
    open_only: bool = True,
    now: datetime | None = None,
) -> list[SuggestionRecord]:
    """The case's suggestions the worker may see (open ones only, unless
    ``open_only`` is False), oldest first."""
    case, decision = load_case(session, actor, case_id, Action.VIEW, frozenset(), now)
    links = load_links(catalogue)
    covered = _covers(session, actor, decision, case, links, now)
    stmt = select(Suggestion).where(Suggestion.case_id == case_id)
    if open_only:
        stmt = stmt.where(Suggestion.status == SuggestionStatus.OPEN)
    rows = session.scalars(stmt.order_by(Suggestion.created_at, Suggestion.id))
    return [_record(session, catalogue, row, case, links) for row in rows if covered(row)]


def my_suggestions(
    session: Session, actor: Actor, catalogue: Catalogue, now: datetime | None = None
) -> list[SuggestionRecord]:
    """Open suggestions on the worker's own open cases (each case decided and
    audited as it is read), oldest first."""
    case_ids = list(
        session.scalars(
            select(Suggestion.case_id)
            .join(Case, Case.id == Suggestion.case_id)
            .join(Person, Person.id == Case.person_id)
            .where(
                Suggestion.status == SuggestionStatus.OPEN,
                Case.assigned_worker_id == actor.worker_id,
                visible_people(session, actor),
            )
            .distinct()
        )
    )
    found: list[SuggestionRecord] = []
    for case_id in sorted(case_ids):
        try:
            found += case_suggestions(session, actor, catalogue, case_id, now=now)
        except AccessRefused:
            continue  # the decision refused (and audited it): nothing to show
    return sorted(found, key=lambda r: (r.created_at, r.id))


def _load(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    suggestion_id: int,
    expected_version: int,
    now: datetime | None,
) -> tuple[Suggestion, Case, tuple[Link, ...]]:
    """The open suggestion, decided (a write on its case) and covered; else refused."""
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFound(_("That suggestion no longer exists."))
    case, decision = load_case(session, actor, row.case_id, Action.DRAFT, frozenset(), now)
    links = load_links(catalogue)
    if not _covers(session, actor, decision, case, links, now)(row):
        raise AccessRefused(_("Your mandate does not cover this service."))
    if row.status is not SuggestionStatus.OPEN:
        raise EditConflict(_("Someone has already acted on this suggestion."))
    if row.version != expected_version:
        raise EditConflict(
            _("Someone else changed this suggestion. Reload the case and look again."),
            current_version=row.version,
        )
    return row, case, links


def dismiss(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    suggestion_id: int,
    expected_version: int,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> SuggestionRecord:
    """Put a suggestion aside with a reason from the list (and an optional note)."""
    require_text({"note": ("note", note)})
    try:
        why = DismissReason(reason)
    except ValueError:
        raise InvalidInput({"reason": _("Choose why you are putting this aside.")}) from None
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            {"note": _("Keep the note to {n} characters or fewer.").format(n=MAX_NOTE)}
        )
    if why is DismissReason.OTHER and not note:
        raise InvalidInput({"note": _("Say in a few words why you are putting this aside.")})
    row, case, links = _load(session, actor, catalogue, suggestion_id, expected_version, now)
    row.status = SuggestionStatus.DISMISSED
    row.dismiss_reason = why
    row.dismiss_note = note
    row.acted_by_id = actor.worker_id
    row.acted_at = now or utcnow()
    session.flush()
    record = _record(session, catalogue, row, case, links)
    timeline.record(
        session,
        case.id,
        "suggestion_dismissed",
        timeline.line(
            N_("Suggestion put aside: {title}"), title=_title_words(catalogue, row, links)
        ),
        actor,
    )
    return record


def _title_words(catalogue: Catalogue, row: Suggestion, links: Iterable[Link]) -> timeline.Line:
    link = next((k for k in links if k.id == row.link_id), None)
    if link is not None and link.scheme is not None:
        return timeline.both(link.scheme.title_en, link.scheme.title_cy, key=link.scheme.id)
    service = catalogue.get(row.target)
    if service is None:
        return timeline.both(row.target, row.target, key=row.target)
    return timeline.both(service.text("title", "en"), service.text("title", "cy"), key=service.id)


def start(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    suggestion_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> StartedSuggestion:
    """Start a draft of the suggested service on the same case, and offer what
    is already known (with where it came from) as ask-once does."""
    row, case, links = _load(session, actor, catalogue, suggestion_id, expected_version, now)
    link = link_of(links, row.link_id)
    if link.to_service is None:
        raise InvalidInput(
            {"suggestion": _("This is claimed outside Alongside: follow the link to its page.")}
        )
    if link.for_carer:
        raise InvalidInput(
            {
                "suggestion": _(
                    "This would be the carer's own claim, not {name}'s: open a case for the "
                    "carer to start it."
                ).format(name=case.person.given_name)
            }
        )
    # The wall for the new service: under a mandate it must name that service.
    require(session, actor, case.person_id, Action.DRAFT, link.to_service, frozenset(), now)
    draft = form_actions.start_form(session, actor, catalogue, case.id, link.to_service)
    known = form_actions.known_answers(session, actor, catalogue, case.id, link.to_service)
    row.status = SuggestionStatus.STARTED
    row.draft_id = draft.id
    row.acted_by_id = actor.worker_id
    row.acted_at = now or utcnow()
    session.flush()
    return StartedSuggestion(_record(session, catalogue, row, case, links), draft, known)
