r"""Answer patterns from definitions, run on a linear-time engine.

A definition may give a text question a ``validation.pattern``. Python's
``re`` backtracks, so a pattern such as ``(a+)+$`` takes seconds on a short
answer and doubles with every character. Patterns are therefore compiled and
matched with RE2 (``google-re2``), whose matching time grows with the length
of the answer only. RE2 has no backreferences or lookaround: a pattern that
uses them is refused when the definition is read, with a plain reason.
Answers longer than ``MAX_CHECKED`` characters are never matched.

``check_pattern`` is what a definition must pass: RE2 can run it, and it
does not repeat something that itself repeats without bound (``(a+)+``,
``(\w+\s?)*``). RE2 would run such a pattern safely, but a definition is
also read by people and other systems, where the same pattern hangs.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

import re2

from casework.kernel.i18n import _

MAX_PATTERN = 1000
"""The longest pattern a definition may give (characters)."""
MAX_CHECKED = 20000
"""The longest answer a pattern is ever run on (characters); the same as the
longest text answer."""


class PatternError(ValueError):
    """A pattern RE2 cannot run; ``str()`` is a plain reason."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its complaint on standard error
    options.max_mem = 1 << 20  # a pattern whose program needs more is refused
    return options


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """The compiled RE2 program for ``pattern``; ``PatternError`` saying why not."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            _("the pattern is {n:,} characters long; a pattern may be at most {limit:,}").format(
                n=len(pattern), limit=MAX_PATTERN
            )
        )
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        detail = exc.args[0] if exc.args else ""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(
            _(
                "the pattern is not a regular expression that can be checked safely ({detail}); "
                "backreferences and lookaround cannot be used"
            ).format(detail=detail)
        ) from None


def matches(pattern: str, text: str) -> bool:
    """Whether all of ``text`` matches ``pattern`` (False for an unusable pattern
    or an answer longer than ``MAX_CHECKED``)."""
    if len(text) > MAX_CHECKED:
        return False
    try:
        compiled = compile_pattern(pattern)
    except PatternError:
        return False
    return compiled.fullmatch(text) is not None


def _repeats_a_repeat(pattern: str) -> bool:
    """Whether the pattern repeats (more than once) a part that holds an
    unbounded repeat. Read with Python's own pattern parser; a pattern it
    cannot read is left to RE2."""
    parser: Any = importlib.import_module("re._parser")  # typeshed has no stub for it
    try:
        tree = parser.parse(pattern)
    except Exception:  # re.error, or RE2-only syntax such as \z
        return False
    unbounded = parser.MAXREPEAT
    repeats = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}

    def inner(node: Any) -> list[Any]:
        """The sub-patterns directly inside one (op, argument) item."""
        found: list[Any] = []
        for part in node[1] if isinstance(node[1], tuple) else (node[1],):
            if hasattr(part, "data"):
                found.append(part)
            elif isinstance(part, list):
                found.extend(p for p in part if hasattr(p, "data"))
        return found

    # Depth first without recursion (a pattern may nest hundreds of groups),
    # carrying whether this part sits inside a repeat of more than once.
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        sub, repeated = stack.pop()
        for node in sub.data:
            inside = repeated
            if str(node[0]) in repeats:
                if repeated and node[1][1] == unbounded:
                    return True
                inside = repeated or node[1][1] > 1
            stack.extend((s, inside) for s in inner(node))
    return False


def check_pattern(pattern: str) -> None:
    """Raise ``PatternError`` unless a definition may use ``pattern``."""
    compile_pattern(pattern)
    if _repeats_a_repeat(pattern):
        raise PatternError(
            _(
                "the pattern repeats a part that itself repeats, like (a+)+; checking an answer "
                "against it can take minutes. Write it without the nested repeat"
            )
        )
