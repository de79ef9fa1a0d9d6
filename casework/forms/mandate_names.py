"""The services' titles that mandate text needs, handed down to delegation.

Delegation cannot read the service definitions, so its plain words
(``delegation.scope_words``) take the titles as ``ScopeNames``. These core
actions ``f(session, actor, catalogue, ...)`` wrap delegation's reads and the
grant with the names from the catalogue the window hands over, so what a
worker or the person reads names "Blue Badge", never ``blue-badge``: the
mandates view, the banner, the audit view and the consent check at grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.forms.definitions import Catalogue
from casework.kernel.i18n import SUPPORTED_LANGUAGES, current_language
from casework.kernel.models import Case
from casework.kernel.records import Actor
from delegation import listing, mandate_actions
from delegation.records import AuditRecord, GrantOutcome, GrantRequest, MandateRecord
from delegation.scope import Scope
from delegation.scope_words import ScopeNames, describe


def catalogue_names(catalogue: Catalogue) -> ScopeNames:
    """Every service's title in every language the app speaks."""
    return ScopeNames(
        {
            s.id: {lang: s.text("title", lang) for lang in SUPPORTED_LANGUAGES}
            for s in catalogue.services
        }
    )


def scope_names(session: Session, catalogue: Catalogue, scopes: Iterable[Scope] = ()) -> ScopeNames:
    """The catalogue's titles, and the service of each case the scopes name."""
    cases = {d.case for scope in scopes for d in scope if d.case is not None}
    found: dict[str, str] = {}
    if cases:
        rows = session.execute(
            select(func.lower(Case.reference), Case.service_id).where(
                func.lower(Case.reference).in_(cases)
            )
        )
        found = {reference: service_id for reference, service_id in rows}
    return catalogue_names(catalogue).with_cases(found)


def named(session: Session, catalogue: Catalogue, record: MandateRecord) -> MandateRecord:
    """The record with its names, and its task list in the worker's language."""
    names = scope_names(session, catalogue, [record.scope])
    text = describe(record.scope, names, current_language()) if record.scope else ""
    return replace(record, names=names, task_list=text)


def person_mandates(
    session: Session, actor: Actor, catalogue: Catalogue, person_id: int
) -> list[MandateRecord]:
    """``listing.person_mandates``, named."""
    found = listing.person_mandates(session, actor, person_id)
    return [named(session, catalogue, m) for m in found]


def acting_mandate(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    person_id: int,
    now: datetime | None = None,
) -> MandateRecord | None:
    """``listing.acting_mandate``, named (for the "Acting for" banner)."""
    found = listing.acting_mandate(session, actor, person_id, now)
    return None if found is None else named(session, catalogue, found)


def person_audit(
    session: Session, actor: Actor, catalogue: Catalogue, person_id: int
) -> list[AuditRecord]:
    """``listing.person_audit``, with the services' titles for each entry's target."""
    names = catalogue_names(catalogue)
    return [replace(e, names=names) for e in listing.person_audit(session, actor, person_id)]


def grant_mandate(
    session: Session, actor: Actor, catalogue: Catalogue, request: GrantRequest
) -> GrantOutcome:
    """``mandate_actions.grant_mandate``, checking the task list shown against
    the scope described with the catalogue's titles."""
    names = scope_names(session, catalogue, [request.scope])
    outcome = mandate_actions.grant_mandate(session, actor, request, names)
    return replace(outcome, mandate=named(session, catalogue, outcome.mandate))
