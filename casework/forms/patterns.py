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
``example`` writes one short answer a pattern matches, so the sampler and
``services validate`` can tell a strict pattern from one nothing matches.
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


_CLASS_CHAR = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}


def example(pattern: str) -> str | None:
    """A short answer ``pattern`` matches, built from its first alternative,
    each repeat at its fewest and each class's first character; None when the
    pattern uses something this does not follow (a negated class, a lookaround)
    or the answer it builds does not match after all."""
    parser: Any = importlib.import_module("re._parser")
    try:
        tree = parser.parse(pattern)
    except Exception:  # re.error, or RE2-only syntax such as \z
        return None

    def write(sub: Any, depth: int) -> str | None:
        if depth > 50:
            return None
        out: list[str] = []
        for op, arg in sub.data:
            name = str(op)
            part: str | None
            if name == "LITERAL":
                part = chr(arg)
            elif name == "NOT_LITERAL":
                part = "a" if chr(arg) != "a" else "b"
            elif name == "ANY":
                part = "a"
            elif name == "AT":
                part = ""
            elif name == "CATEGORY":
                part = _CLASS_CHAR.get(str(arg))
            elif name == "IN":
                part = _first_in(arg)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, _high, inner = arg
                once = write(inner, depth + 1)
                part = None if once is None else once * low
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                part = write(arg[-1], depth + 1)
            elif name == "BRANCH":
                part = write(arg[1][0], depth + 1)
            else:
                part = None
            if part is None:
                return None
            out.append(part)
        return "".join(out)

    found = write(tree, 0)
    return found if found is not None and matches(pattern, found) else None


def _first_in(items: Any) -> str | None:
    """The first character a character class holds (None for a negated one)."""
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            return None
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return _CLASS_CHAR.get(str(arg))
    return None
