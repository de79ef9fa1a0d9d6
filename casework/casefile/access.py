"""Casework's side of the policy decision: what each record touches, and
the one call every casework function makes before reading or writing.

Every read and write of a person's data asks ``delegation.policy.decide``
(through ``person_access`` / ``case_access``) in the caller's transaction,
so the decision is audited with the work it allowed. A person's fields and a
case's parts are put in the data categories of the service definitions
(``PERSON_FIELDS``); reading blanks what the decision withholds and names it
in ``redacted``, writing refuses.

The person's name is never blanked: whoever may see a person at all must
know whom they are acting for (the mandate and the consent receipt name them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused
from casework.kernel.i18n import _
from casework.kernel.models import Case, Person
from casework.kernel.records import Actor
from delegation.policy import PolicyDecision, require
from delegation.visibility import best_target

# The data category of each field of a person's record (as the service
# definitions class the same facts: person.nhs_number and
# person.communication_needs are health).
PERSON_FIELDS: dict[str, str] = {
    "given_name": "identity",
    "family_name": "identity",
    "date_of_birth": "identity",
    "ni_number": "identity",
    "nhs_number": "health",
    "address": "address",
    "postcode": "address",
    "email": "contact",
    "phone": "contact",
    "preferred_language": "contact",
    "communication_needs": "health",
    "access_needs": "care",
}
PERSON_CATEGORIES = frozenset(PERSON_FIELDS.values())
ALWAYS_SHOWN = frozenset({"given_name", "family_name"})
# A case's notes and documents are free text and files: "other" in the
# definitions' terms. The case's header, tasks and timeline need no category.
CASE_CONTENT = "other"
CASE_CATEGORIES = frozenset({CASE_CONTENT})


# Fields that may hold "nothing" (None); the rest are text, blanked to "".
OPTIONAL_FIELDS = frozenset(
    {"date_of_birth", "ni_number", "nhs_number", "postcode", "email", "phone"}
)


def blank(name: str) -> object:
    """What a withheld field shows: nothing (no value, or empty text)."""
    return None if name in OPTIONAL_FIELDS else ""


def withheld_fields(redacted: Iterable[str]) -> frozenset[str]:
    hidden = frozenset(redacted)
    return frozenset(
        name for name, cat in PERSON_FIELDS.items() if cat in hidden and name not in ALWAYS_SHOWN
    )


def person_access(
    session: Session,
    actor: Actor,
    person_id: int,
    action: str,
    categories: frozenset[str],
    now: datetime | None = None,
) -> PolicyDecision:
    """Decide (and audit) an action on a person's own record, on the grant that
    shows the most; ``AccessRefused`` when refused."""
    target = best_target(session, actor, person_id, action, categories, now)
    return require(
        session,
        actor,
        person_id,
        action,
        target.service_id,
        categories,
        now,
        case_id=target.case_id,
    )


def case_access(
    session: Session,
    actor: Actor,
    case: Case,
    action: str,
    categories: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> PolicyDecision:
    """Decide (and audit) an action on one case; ``AccessRefused`` when refused."""
    return require(session, actor, case.person_id, action, None, categories, now, case_id=case.id)


def load_case(
    session: Session,
    actor: Actor,
    case_id: int,
    action: str,
    categories: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> tuple[Case, PolicyDecision]:
    """The case and the decision to ``action`` on it; a missing case is
    refused with the same words as a hidden one, giving nothing away."""
    case = session.get(Case, case_id)
    if case is None:
        raise AccessRefused(_("This case is not in your team's caseload."))
    return case, case_access(session, actor, case, action, categories, now)


def require_person_record(
    session: Session, actor: Actor, person_id: int, action: str, now: datetime | None = None
) -> PolicyDecision:
    """Decide an action about a person that touches no category (opening a case)."""
    if session.get(Person, person_id) is None:
        raise AccessRefused(_("This person is not in your team's caseload."))
    return person_access(session, actor, person_id, action, frozenset(), now)
