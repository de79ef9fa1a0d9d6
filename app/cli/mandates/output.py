"""How ``mandates`` prints a mandate: a line in words for people (who, for
whom, what, until when, the state; no ids), or JSON with the ids for scripts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from casework.kernel.i18n import _

if TYPE_CHECKING:
    from casework.forms.definitions import Catalogue
    from delegation.records import MandateRecord
    from delegation.scope import Scope


def _what(scope: Scope, catalogue: Catalogue) -> str:
    from casework.kernel.i18n import current_language
    from delegation.scope import Action
    from ui.mandates.labels import action_label, category_label

    language = current_language()
    parts = []
    for detail in scope:
        service = catalogue.get(detail.service_id) if detail.service_id else None
        if service is not None:
            target = service.text("title", language) or service.id
        elif detail.service_id:
            target = detail.service_id
        else:
            target = _("case {ref}").format(ref=(detail.case or "").upper())
        parts.append(
            _("{target}: {actions} (information: {categories})").format(
                target=target,
                actions=", ".join(action_label(a) for a in Action if a in detail.actions),
                categories=", ".join(category_label(c) for c in sorted(detail.categories)),
            )
        )
    return "; ".join(parts)


def line(record: MandateRecord, catalogue: Catalogue, helpers: dict[int, str]) -> str:
    """Who, for whom, what, until when, and the state, in words (no ids)."""
    from ui.labels import day
    from ui.mandates.labels import mandate_status_label

    helper = record.grantee
    if record.parent_id is not None and record.parent_id in helpers:
        helper = _("{helper}, passed on by {by}").format(
            helper=helper, by=helpers[record.parent_id]
        )
    return "\t".join(
        [
            record.person_name,
            helper,
            _what(record.scope, catalogue),
            _("until {day}").format(day=day(record.ends_at.astimezone().date())),
            mandate_status_label(record.status),
        ]
    )


def as_json(record: MandateRecord) -> dict[str, Any]:
    """One mandate for scripts: stable keys, ids and codes allowed."""
    return {
        "id": record.id,
        "version": record.version,
        "parent_id": record.parent_id,
        "person_id": record.person_id,
        "person": record.person_name,
        "helper": record.grantee,
        "basis": record.basis.value,
        "status": record.status.value,
        "status_reason": record.status_reason,
        "starts_at": record.starts_at.isoformat(),
        "ends_at": record.ends_at.isoformat(),
        "review_at": record.review_at.isoformat(),
        "may_pass_on": record.sub_delegation_allowed,
        "scope": [detail.to_json() for detail in record.scope],
    }


def print_lines(found: Sequence[MandateRecord], catalogue: Catalogue, prefix: str = "") -> None:
    helpers = {record.id: record.grantee for record in found}
    for record in found:
        print(prefix + line(record, catalogue, helpers))


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))
