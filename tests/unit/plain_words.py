"""What no text a person or worker reads about a mandate may contain: a
service's id, an action's or category's value, a reason code."""

from __future__ import annotations

import re
from collections.abc import Iterable

from casework.forms.definitions import load_catalogue

SERVICE_IDS = frozenset(s.id for s in load_catalogue().services)
# Action and category values that are not also ordinary words in the plain text.
RAW_VALUES = ("view", "draft", "submit", "escalate", "financial", "household")
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # safeguarding_concern, in_person
LIST_OF_VALUES = re.compile(
    r"\b(view|draft|submit|contact|print|escalate)\s*,\s*(view|draft|submit)"
)


def internal_terms(text: str, extra: Iterable[str] = ()) -> list[str]:
    """The ids, enum values and codes found in ``text`` (empty when plain)."""
    found = [i for i in [*SERVICE_IDS, *extra] if i in text]
    words = set(re.findall(r"[A-Za-z]+", text))
    found += [v for v in RAW_VALUES if v in words]
    found += CODE.findall(text) + [m.group(0) for m in LIST_OF_VALUES.finditer(text)]
    return found
