"""What mandates and assisted sessions need from the service catalogue: the
data categories a service's questions use, the grant and pass-on dialogs'
choices, an assisted session's task list, and starting the session for a service.

Core actions ``f(session, actor, catalogue, ...)``: the window's operation
hands over the catalogue the app has loaded.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.casefile import assisted
from casework.forms.definitions import Catalogue, Service
from casework.forms.mandate_names import catalogue_names
from casework.kernel.errors import InvalidInput, NotFound
from casework.kernel.i18n import _, current_language
from casework.kernel.models import Case
from casework.kernel.records import Actor, PersonInput
from casework.kernel.validators import require_text
from delegation import mandate_actions
from delegation.records import (
    AssistedStart,
    GrantChoices,
    PassOnChoices,
    ScopeChoice,
    SessionRecord,
    target_key,
)
from delegation.scope import CATEGORIES, case_scope_id


def data_categories(service: Service) -> tuple[str, ...]:
    """The mandate scope's categories among those the service's questions use."""
    return tuple(sorted(service.data_categories() & CATEGORIES))


def scope_choices(catalogue: Catalogue) -> list[ScopeChoice]:
    """Services with the data categories their questions use, titled in the
    worker's language."""
    language = current_language()
    return [
        ScopeChoice(s.id, s.text("title", language), data_categories(s)) for s in catalogue.services
    ]


def grant_choices(session: Session, actor: Actor, catalogue: Catalogue) -> GrantChoices:
    """Everything the grant-mandate dialog offers."""
    return GrantChoices(
        scopes=scope_choices(catalogue),
        grantees=mandate_actions.grantee_choices(session, actor),
        supervisors=mandate_actions.supervisor_choices(session, actor),
        longest_days=mandate_actions.basis_longest_days(),
        names=catalogue_names(catalogue),
    )


def _title(catalogue: Catalogue, service_id: str) -> str:
    service = catalogue.get(service_id)
    return service.text("title", current_language()) if service else service_id


def pass_on_choices(
    session: Session, actor: Actor, catalogue: Catalogue, mandate_id: int
) -> PassOnChoices:
    """What the pass-on dialog offers for a mandate the actor may pass on:
    its services and cases by title, and the colleagues to pass it to."""
    parent = mandate_actions.passable(session, actor, mandate_id)
    titles: dict[str, str] = {}
    cases = {
        case_scope_id(reference): (reference, service_id)
        for reference, service_id in session.execute(
            select(Case.reference, Case.service_id).where(Case.person_id == parent.person_id)
        )
    }
    for detail in parent.scope:
        if detail.service_id is not None:
            titles[target_key(detail.service_id, None)] = _title(catalogue, detail.service_id)
        elif detail.case in cases:
            reference, service_id = cases[detail.case]
            titles[target_key(None, detail.case)] = _("Case {reference}: {title}").format(
                reference=reference, title=_title(catalogue, service_id)
            )
    return PassOnChoices(parent, titles, mandate_actions.colleague_choices(session, actor))


def assisted_task_list(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    service_id: str,
    language: str | None = None,
) -> str:
    """The plain-language task list the person is shown for an assisted session,
    in ``language`` (the worker's when None)."""
    service = catalogue.get(service_id)
    if service is None:
        raise NotFound(_("There is no form for that service."))
    names = catalogue_names(catalogue)
    return assisted.task_list(service_id, data_categories(service), names, language)


def start_assisted_session(
    session: Session, actor: Actor, catalogue: Catalogue, start: AssistedStart
) -> SessionRecord:
    """Start an assisted session for the service the kiosk chose."""
    require_text(
        {
            "given_name": start.given_name,
            "family_name": start.family_name,
            "service": start.service_id,
            "task_list": (start.task_list_shown, start.task_list_language),
            "safeguarding": start.safeguarding_answers,
            "witness": start.witness,
        }
    )
    service = catalogue.get(start.service_id)
    if service is None:
        raise InvalidInput({"service": _("Choose the service to help with.")})
    return assisted.start(
        session,
        actor,
        person=PersonInput(start.given_name, start.family_name),
        service_id=service.id,
        service_title=service.text("title", current_language()),
        categories=data_categories(service),
        task_list_shown=start.task_list_shown,
        safeguarding_answers=start.safeguarding_answers,
        seen_alone=start.seen_alone,
        interpreter_used=start.interpreter_used,
        witness=start.witness,
        minutes=start.minutes,
        names=catalogue_names(catalogue),
        task_list_language=start.task_list_language,
    )
