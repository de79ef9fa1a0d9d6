"""What a mandate lets a helper do: a scope, in the shape of RFC 9396's
authorization details.

A ``Scope`` is a non-empty tuple of ``ScopeDetail``; each detail names one
service (``blue-badge``) or one case, the actions allowed on it and the data
categories (from the service definitions) the helper may see or write.

The rules that make smuggling hard:

- **Exact matches only.** A request is covered only when one single detail
  names its service (or case), lists its action and lists every category it
  touches. ``submit`` does not imply ``view``, two details are never added
  together, and nothing is inferred from a narrower or wider grant.
- **Canonical identifiers, refused otherwise.** An identifier is normalised
  (NFKC, casefold, strip) and must then match ``IDENTIFIER``. If the text given
  is not already in that form (``Blue-Badge``, `` blue-badge``, full-width
  letters) it is refused with a message naming the canonical form, rather
  than silently normalised into a match; look-alike letters (Cyrillic ``е``),
  wildcards (``*``) and empty strings fail the grammar outright.
- **No empty lists**, and only the known actions and categories.

Queries are held to the same standard: ``covers`` answers False for an
identifier that is not canonical, so a case-changed or padded request never
matches.
"""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from casework.kernel.i18n import _

IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
MAX_IDENTIFIER_LENGTH = 64


class Action(enum.StrEnum):
    """What a helper may do for a person within one service or case."""

    VIEW = "view"
    DRAFT = "draft"
    SUBMIT = "submit"
    CONTACT = "contact"
    PRINT = "print"
    ESCALATE = "escalate"


ACTIONS = frozenset(Action)
# The data categories of resources/schemas/service.schema.json.
CATEGORIES = frozenset(
    {"identity", "contact", "address", "health", "financial", "household", "care", "other"}
)
# Redacted unless a mandate grants them by name.
SENSITIVE_CATEGORIES = frozenset({"health", "financial"})


class ScopeError(ValueError):
    """A scope that cannot be granted; ``str(err)`` says why in plain English."""


def normalise(text: str) -> str:
    """NFKC, casefold, strip: the form an identifier is compared in."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def is_identifier(text: str) -> bool:
    """True when ``text`` is already a canonical identifier (nothing to normalise)."""
    return (
        len(text) <= MAX_IDENTIFIER_LENGTH
        and normalise(text) == text
        and IDENTIFIER.fullmatch(text) is not None
    )


def check_identifier(text: str, what: str) -> str:
    """``text`` if it is a canonical identifier, else ``ScopeError`` saying why."""
    if not isinstance(text, str):
        raise ScopeError(_("The {what} must be text.").format(what=what))
    folded = normalise(text)
    if not folded:
        raise ScopeError(_("The {what} is empty. Name one service or case.").format(what=what))
    if "*" in folded or "?" in folded:
        raise ScopeError(
            _("The {what} '{text}' is a wildcard. Name each service or case exactly.").format(
                what=what, text=text
            )
        )
    if len(folded) > MAX_IDENTIFIER_LENGTH or IDENTIFIER.fullmatch(folded) is None:
        raise ScopeError(
            _(
                "The {what} '{text}' is not a valid name: use lower-case letters a to z, "
                "digits and single hyphens."
            ).format(what=what, text=text)
        )
    if folded != text:
        raise ScopeError(
            _("The {what} '{text}' must be written exactly as '{canonical}'.").format(
                what=what, text=text, canonical=folded
            )
        )
    return text


def case_scope_id(reference: str) -> str:
    """The scope identifier of a case reference as printed (``AL-7K3M9QX``)."""
    return check_identifier(reference.lower(), _("case reference"))


def _members(values: Iterable[str], allowed: frozenset[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise ScopeError(_("The {what} must be a list.").format(what=what))
    chosen: set[str] = set()
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise ScopeError(
                _("'{value}' is not one of the {what}: {allowed}.").format(
                    value=value, what=what, allowed=", ".join(sorted(allowed))
                )
            )
        chosen.add(value)
    if not chosen:
        raise ScopeError(_("Choose at least one of the {what}.").format(what=what))
    return frozenset(chosen)


@dataclass(frozen=True, init=False)
class ScopeDetail:
    """One service or one case, the actions allowed on it and the data categories.

    Exactly one of ``service_id`` and ``case`` is set. Validated on creation:
    an invalid detail cannot exist.
    """

    service_id: str | None
    case: str | None
    actions: frozenset[str]
    categories: frozenset[str]

    def __init__(
        self,
        *,
        actions: Iterable[str],
        categories: Iterable[str],
        service_id: str | None = None,
        case: str | None = None,
    ) -> None:
        if (service_id is None) == (case is None):
            raise ScopeError(_("Each part of a scope names one service or one case."))
        if service_id is not None:
            check_identifier(service_id, _("service"))
        if case is not None:
            check_identifier(case, _("case reference"))
        object.__setattr__(self, "service_id", service_id)
        object.__setattr__(self, "case", case)
        object.__setattr__(self, "actions", _members(actions, ACTIONS, _("actions")))
        object.__setattr__(self, "categories", _members(categories, CATEGORIES, _("categories")))

    def to_json(self) -> dict[str, Any]:
        target = {"service": self.service_id} if self.service_id else {"case": self.case}
        return target | {
            "actions": sorted(self.actions),
            "categories": sorted(self.categories),
        }

    @classmethod
    def from_json(cls, data: Any) -> ScopeDetail:
        if not isinstance(data, dict) or set(data) - {"service", "case", "actions", "categories"}:
            raise ScopeError(_("A part of the scope could not be read."))
        return cls(
            service_id=data.get("service"),
            case=data.get("case"),
            actions=data.get("actions", ()),
            categories=data.get("categories", ()),
        )

    def covers(
        self, target_kind: str, target: str, action: str, categories: frozenset[str]
    ) -> bool:
        """This single detail allows ``action`` on ``target`` for every category."""
        mine = self.service_id if target_kind == "service" else self.case
        return (
            mine is not None
            and is_identifier(target)
            and mine == target
            and action in self.actions
            and categories <= self.categories
        )


Scope = tuple[ScopeDetail, ...]


def make_scope(details: Sequence[ScopeDetail]) -> Scope:
    """A scope from its details: at least one, no two for the same target."""
    scope = tuple(details)
    if not scope:
        raise ScopeError(_("A scope needs at least one service or case."))
    targets = [(d.service_id, d.case) for d in scope]
    if len(set(targets)) != len(targets):
        raise ScopeError(_("Name each service or case once in a scope."))
    return scope


def scope_to_json(scope: Scope) -> str:
    return json.dumps([d.to_json() for d in scope], sort_keys=True, separators=(",", ":"))


def scope_from_json(text: str) -> Scope:
    """Read a stored scope, checking it as strictly as a new one."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ScopeError(_("The scope could not be read.")) from exc
    if not isinstance(data, list):
        raise ScopeError(_("The scope could not be read."))
    return make_scope([ScopeDetail.from_json(item) for item in data])


def match(
    scope: Scope,
    action: str,
    categories: frozenset[str] = frozenset(),
    *,
    service_id: str | None = None,
    case: str | None = None,
) -> ScopeDetail | None:
    """The first single detail covering the whole request, or None."""
    for detail in scope:
        if service_id is not None and detail.covers("service", service_id, action, categories):
            return detail
        if case is not None and detail.covers("case", case, action, categories):
            return detail
    return None


def covers(scope: Scope, service_id: str, action: str, categories: frozenset[str]) -> bool:
    """Does one detail of ``scope`` allow ``action`` on ``service_id`` for all ``categories``?"""
    return match(scope, action, frozenset(categories), service_id=service_id) is not None


def narrows(child: Scope, parent: Scope) -> bool:
    """Is every detail of ``child`` inside one detail of ``parent`` (same target,
    no new action, no new category)? A sub-mandate's scope must narrow."""
    for detail in child:
        if not any(
            (detail.service_id, detail.case) == (p.service_id, p.case)
            and detail.actions <= p.actions
            and detail.categories <= p.categories
            for p in parent
        ):
            return False
    return bool(child)
