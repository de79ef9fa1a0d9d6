"""A complete, valid set of answers for any service: one route through its form.

``sample_answers`` walks the definition in order, as a worker would: every
question that shows on the answers so far gets the first value of its type
that the definition's own rules accept (``answers.check_answer``), read
through ``answers.read_answer`` as a typed answer is (for a text with a
pattern, at last one the pattern builds, ``patterns.example``). Choices take their
first option (a multiple choice its first option that is not exclusive),
yes/no questions "no" where that is accepted, a repeating group its fewest
items. For administrators and scripts (``alongside services sample``) and
for tests of every route.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from casework.forms import answers as rules
from casework.forms import patterns
from casework.forms.definitions import Question, Service

_TEXT = {"en": "Sample answer", "cy": "Ateb enghreifftiol"}
# Typed answers to try, in order, for text that has a pattern to match.
_TEXT_TRIES = ("12345678", "12-34-56", "AB", "AB12 3CD", "A")
_TYPED = {
    "ni_number": "AB123456C",
    "nhs_number": "9434765919",
    "phone": "07700900123",
    "email": "person@example.com",
}


class SampleError(ValueError):
    """A question the sampler found no acceptable answer for (a definition to fix)."""


def sample_answers(
    service: Service, language: str = "en", today: date | None = None
) -> dict[str, Any]:
    """Answers ``answers.check_all`` accepts for ``service``, in ``language``."""
    today = today or date.today()
    found: dict[str, Any] = {}
    for page in service.pages:
        for question in page.questions:
            kept = rules.prune(service, found)
            if not rules.condition_holds(page.raw.get("condition"), kept):
                break
            if not rules.question_shows(question, kept):
                continue
            found[question.id] = _answer(question, language, today)
    return rules.prune(service, found)


def acceptable_answer(question: Question, language: str = "en", today: date | None = None) -> Any:
    """The first answer to ``question`` its own rules accept (None when it may
    be left blank and nothing else is found); ``SampleError`` when there is none."""
    return _answer(question, language, today or date.today())


def _answer(question: Question, language: str, today: date) -> Any:
    if question.type == "group":
        items = max(int(question.raw.get("min_items", 0)), 1)
        return [_item(question, language, today) for _ in range(items)]
    for raw in _tries(question, language, today):
        try:
            value = rules.read_answer(question, raw, language)
        except rules.AnswerError:
            continue
        if value is not None and rules.check_answer(question, value, language, today) is None:
            return value
    if not question.required:
        return None
    raise SampleError(f"no acceptable sample answer for question {question.id!r}")


def _item(group: Question, language: str, today: date) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for child in group.children:
        if rules.question_shows(child, item):
            value = _answer(child, language, today)
            if value is not None:
                item[child.id] = value
    return item


def _tries(question: Question, language: str, today: date) -> Iterator[Any]:
    kind = question.type
    checks = question.raw.get("validation", {})
    if kind in ("text", "long_text"):
        yield _TEXT.get(language, _TEXT["en"])
        yield from _TEXT_TRIES
        built = patterns.example(checks["pattern"]) if "pattern" in checks else None
        if built is not None:
            yield built
    elif kind in ("number", "money"):
        low = int(checks.get("min", 1 if kind == "number" else 1000))
        high = int(checks.get("max", low + 100))
        for value in (low, min(max(low, 1), high), high):
            yield str(value) if kind == "number" else value
    elif kind == "date":
        if checks.get("not_in_past"):
            yield (today + timedelta(days=30)).isoformat()
        yield date(today.year - 40, 3, 27).isoformat()
        yield (today - timedelta(days=60)).isoformat()
        yield today.isoformat()
    elif kind == "yes_no":
        yield False
        yield True
    elif kind == "choice":
        yield from question.options
    elif kind == "multi_choice":
        exclusive = {o["value"] for o in question.raw["options"] if o.get("exclusive")}
        yield from ([v] for v in question.options if v not in exclusive)
        yield from ([v] for v in exclusive)
    elif kind == "address":
        yield {"lines": ["1 High Street"], "town": "Cardiff", "postcode": "CF10 1AA"}
    elif kind in _TYPED:
        yield _TYPED[kind]
