"""Every text in English and Welsh, and the Welsh a translation.

A text is an object with ``en`` and ``cy``. Both must be there and hold
words. The Welsh must differ from the English unless the text is made only
of things Welsh writes the same way: numbers, web and email addresses, form
codes and short capitalised abbreviations (HC1, PIP2, ISA, NHS), and the few
words in ``SAME_IN_WELSH``. Letters are compared without case or spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from casework.forms.quality.problem import Problem
from casework.forms.strict_json import pointer_part
from casework.kernel.i18n import _

SAME_IN_WELSH = frozenset(
    {
        "braille",  # a proper name
        "roma",  # a people's name
        "pancreas",  # Welsh uses the same word, as NHS Wales's organ donation form does
        "partner",  # Welsh uses the same word (Welsh Government benefit forms)
        "person",  # the same word in Welsh (plural pobl)
    }
)
"""Words Welsh writes as English does; a text of only these (and of what
``_SAME_TOKEN`` matches) may be the same in both languages. Keep it short:
each entry is a word a Welsh speaker confirmed, not a way to silence a
missing translation."""

_SAME_TOKEN = re.compile(
    r"""^(?:
        [£$€]?\d[\d,.:/%-]*          # numbers, amounts, dates, times
      | https?://\S+ | www\.\S+      # web addresses
      | [^@\s]+@[^@\s]+\.[^@\s]+     # email addresses
      | [A-Z][A-Z0-9.]{0,7}(?:-[A-Z0-9]+)?  # form codes and abbreviations: HC1, PIP2, ISA, GOV.UK
    )$""",
    re.VERBOSE,
)
_EDGES = "()[],;:!?.'\"“”‘’"


def is_text(value: Any) -> bool:
    """Whether a JSON value is a text pair (an object with ``en`` or ``cy``)."""
    return isinstance(value, dict) and ("en" in value or "cy" in value)


def may_be_the_same(text: str) -> bool:
    """Whether ``text`` may read the same in Welsh as in English."""
    tokens = [t.strip(_EDGES) for t in text.split()]
    return bool(tokens) and all(
        not t or _SAME_TOKEN.match(t) or t.lower() in SAME_IN_WELSH for t in tokens
    )


def _texts(value: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every text pair in a definition, with its JSON pointer, in file order."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, where = stack.pop()
        if is_text(node):
            yield where or "/", node
        elif isinstance(node, dict):
            stack.extend((v, f"{where}/{pointer_part(k)}") for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((node[i], f"{where}/{i}") for i in range(len(node) - 1, -1, -1))


def _words(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def welsh_problems(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """A problem for every text without its English or Welsh, and for every
    Welsh text that is the English untranslated."""
    found: list[Problem] = []
    for pointer, text in _texts(raw):
        english, welsh = _words(text.get("en")), _words(text.get("cy"))
        if not english:
            found.append(Problem(file, f"{pointer}/en", _("the English text is missing")))
        if not welsh:
            found.append(Problem(file, f"{pointer}/cy", _("the Welsh text is missing")))
        elif welsh.casefold() == english.casefold() and not may_be_the_same(english):
            found.append(
                Problem(
                    file,
                    f"{pointer}/cy",
                    _(
                        "the Welsh text is the same as the English ({text!r}); translate it "
                        "(only names, numbers, web and email addresses and form codes stay "
                        "as they are)"
                    ).format(text=english),
                )
            )
    return found
