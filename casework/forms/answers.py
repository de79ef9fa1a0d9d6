"""The form engine: which questions show, what an answer means, and whether
it is acceptable, for any service definition.

Answers are plain JSON values keyed by question id: text and identifiers as
normalised strings, numbers as ints, money as whole pence (never floats),
dates as ``{"date": "YYYY-MM-DD", "approximate": bool}``, yes/no as bools,
choices as option values (a list for multiple choice), addresses as
``{"lines": [...], "town": str, "postcode": str}`` and repeating groups as a
list of such dicts. ``read_answer`` turns what a worker typed into that
value; ``check_answer`` applies the definition's own rules, with its own
words for the error where it has them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from casework.forms import patterns
from casework.forms.definitions import Page, Question, Service
from casework.kernel.i18n import _
from casework.kernel.validators import (
    normalise_email,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_phone,
    normalise_postcode,
)

Answers = dict[str, Any]
_MONEY = re.compile(r"^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")
_DATE = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_TEXT = 20000


class AnswerError(ValueError):
    """An answer that cannot be accepted; the message is ready to show."""


@dataclass(frozen=True)
class PageErrors:
    """Errors on one page, by question id (``item:index:child`` inside groups)."""

    page_id: str
    errors: dict[str, str]


# -- visibility ------------------------------------------------------------------


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Evaluate a definition's condition against the answers so far."""
    if condition is None:
        return True
    if "all" in condition:
        return all(condition_holds(c, answers) for c in condition["all"])
    if "any" in condition:
        return any(condition_holds(c, answers) for c in condition["any"])
    if "not" in condition:
        return not condition_holds(condition["not"], answers)
    value = answers.get(condition["question"])
    if "includes" in condition:
        return isinstance(value, list) and condition["includes"] in value
    if "in" in condition:
        return value in condition["in"]
    return bool(value == condition["equals"] and type(value) is type(condition["equals"]))


def question_shows(question: Question, answers: Mapping[str, Any]) -> bool:
    return condition_holds(question.raw.get("condition"), answers)


def visible_questions(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    if not condition_holds(page.raw.get("condition"), answers):
        return []
    return [q for q in page.questions if question_shows(q, answers)]


def visible_pages(service: Service, answers: Mapping[str, Any]) -> list[Page]:
    """The pages this person's answers lead through, in order (judged on the
    answers still on the route, never on leftovers from another branch)."""
    on_route = prune(service, answers)
    return [p for p in service.pages if visible_questions(p, on_route)]


def next_page(service: Service, answers: Mapping[str, Any], current: str | None) -> Page | None:
    """The page after ``current`` on this person's route (the first if None)."""
    pages = visible_pages(service, answers)
    if current is None:
        return pages[0] if pages else None
    ids = [p.id for p in pages]
    if current in ids:
        index = ids.index(current) + 1
        return pages[index] if index < len(pages) else None
    # The current page was hidden by a changed answer: go to the first
    # visible page after it in the definition's order.
    order = [p.id for p in service.pages]
    after = order.index(current) if current in order else -1
    return next((p for p in pages if order.index(p.id) > after), None)


def previous_page(service: Service, answers: Mapping[str, Any], current: str) -> Page | None:
    pages = visible_pages(service, answers)
    ids = [p.id for p in pages]
    if current not in ids:
        return pages[-1] if pages else None
    index = ids.index(current)
    return pages[index - 1] if index > 0 else None


def prune(service: Service, answers: Mapping[str, Any]) -> Answers:
    """Only the answers to questions this route shows (stale branches dropped).

    Conditions only look back, so walking the form in order and judging each
    condition against the answers kept so far is exact: an answer left over
    from a branch no longer taken cannot keep its own follow-ups alive.
    """
    kept: Answers = {}
    for page in service.pages:
        if not condition_holds(page.raw.get("condition"), kept):
            continue
        for q in page.questions:
            if q.id not in answers or not question_shows(q, kept):
                continue
            value = answers[q.id]
            if q.type == "group" and isinstance(value, list):
                value = [
                    {
                        c.id: item[c.id]
                        for c in q.children
                        if c.id in item and question_shows(c, item)
                    }
                    for item in value
                    if isinstance(item, dict)
                ]
            kept[q.id] = value
    return kept


# -- reading what was typed --------------------------------------------------------


def _own_error(question: Question, kind: str, language: str) -> str | None:
    errors = question.raw.get("errors", {})
    text = errors.get(kind)
    return str(text[language]) if isinstance(text, dict) else None


def _invalid(question: Question, language: str, default: str) -> AnswerError:
    return AnswerError(_own_error(question, "invalid", language) or default)


def read_date(text: str) -> date:
    match = _DATE.match(text) or None
    if match:
        day, month, year = (int(x) for x in match.groups())
        return date(year, month, day)
    iso = _ISO.match(text.strip())
    if iso:
        year, month, day = (int(x) for x in iso.groups())
        return date(year, month, day)
    raise ValueError(text)


def read_money(text: str) -> int:
    """'£1,234.5' -> 123450 pence; no floats on the way."""
    match = _MONEY.match(text.strip())
    if not match:
        raise ValueError(text)
    pounds = int(match.group(1).replace(",", ""))
    pence = (match.group(2) or "0").ljust(2, "0")
    return pounds * 100 + int(pence)


def format_money(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def read_answer(question: Question, raw: Any, language: str = "en") -> Any:
    """What a worker entered, as the value the engine stores.

    ``raw`` is text for typed answers, a bool for yes/no, an option value (or
    list of them) for choices, ``{"date": text, "approximate": bool}`` or text
    for dates, ``{"lines": [...], "town": ..., "postcode": ...}`` for
    addresses. Empty input gives None (the required check says what to do).
    """
    kind = question.type
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        if kind in ("text", "long_text"):
            return " ".join(str(raw).split()) if kind == "text" else str(raw).strip()
        if kind == "number":
            return int(str(raw).strip().replace(",", ""))
        if kind == "money":
            return raw if isinstance(raw, int) else read_money(str(raw))
        if kind == "date":
            text, approximate = (
                (raw.get("date", ""), bool(raw.get("approximate")))
                if isinstance(raw, dict)
                else (str(raw), False)
            )
            if not str(text).strip():
                return None
            if approximate and not question.raw.get("approximate_allowed"):
                approximate = False
            return {"date": read_date(str(text)).isoformat(), "approximate": approximate}
        if kind == "yes_no":
            if isinstance(raw, bool):
                return raw
            raise ValueError(raw)
        if kind == "choice":
            if raw not in question.options:
                raise ValueError(raw)
            return raw
        if kind == "multi_choice":
            chosen = [v for v in question.options if v in set(raw)]
            if len(chosen) != len(set(raw)):
                raise ValueError(raw)
            return chosen or None
        if kind == "address":
            return _read_address(raw)
        if kind == "ni_number":
            return normalise_ni_number(str(raw))
        if kind == "nhs_number":
            return normalise_nhs_number(str(raw))
        if kind == "phone":
            return normalise_phone(str(raw))
        if kind == "email":
            return normalise_email(str(raw))
    except AnswerError:
        raise
    except (ValueError, TypeError) as exc:
        raise _invalid(question, language, _default_invalid(question, exc)) from exc
    raise AnswerError(_("This question cannot be answered here."))


def _read_address(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        raise ValueError(raw)
    lines = [" ".join(str(x).split()) for x in raw.get("lines", []) if str(x).strip()]
    town = " ".join(str(raw.get("town", "")).split())
    postcode = str(raw.get("postcode", "")).strip()
    if not lines and not town and not postcode:
        return None
    if not lines:
        raise AnswerError(_("Enter the first line of the address."))
    if not postcode:
        raise AnswerError(_("Enter the postcode."))
    return {"lines": lines, "town": town, "postcode": normalise_postcode(postcode)}


def _default_invalid(question: Question, exc: Exception) -> str:
    kind = question.type
    if kind in ("ni_number", "nhs_number", "phone", "email") and str(exc):
        return str(exc)  # the validators' own plain-English messages
    return {
        "number": _("Enter a whole number, like 3."),
        "money": _("Enter an amount in pounds and pence, like £12.50."),
        "date": _("Enter a real date as day, month and year, like 27/03/1950."),
        "yes_no": _("Select yes or no."),
        "choice": _("Select one of the options."),
        "multi_choice": _("Select from the options."),
        "address": _("Enter the address with its postcode."),
    }.get(kind, _("Check this answer."))


# -- checking against the definition's rules --------------------------------------------


def check_answer(
    question: Question, value: Any, language: str = "en", today: date | None = None
) -> str | None:
    """The problem with a stored value, or None if the definition accepts it."""
    empty = value is None or value == [] or value == ""
    if empty:
        if question.required:
            return _own_error(question, "required", language) or _("Answer this question.")
        return None
    rules = question.raw.get("validation", {})
    kind = question.type
    if kind == "group":
        items = value if isinstance(value, list) else []
        low, high = question.raw.get("min_items", 0), question.raw["max_items"]
        if len(items) < max(low, 1 if question.required else 0):
            return _own_error(question, "too_small", language) or _("Add at least {n}.").format(
                n=max(low, 1)
            )
        if len(items) > high:
            return _own_error(question, "too_large", language) or _(
                "You can add up to {n}."
            ).format(n=high)
        return None
    if kind in ("text", "long_text"):
        text = str(value)
        limit = min(rules.get("max_length", MAX_TEXT), MAX_TEXT)
        if len(text) > limit:
            return _own_error(question, "too_large", language) or _(
                "Keep this to {n} characters or fewer."
            ).format(n=f"{limit:,}")
        if len(text) < rules.get("min_length", 0):
            return _own_error(question, "too_small", language) or _(
                "This must be at least {n} characters."
            ).format(n=rules["min_length"])
        if "pattern" in rules and not patterns.matches(rules["pattern"], text):
            return _own_error(question, "invalid", language) or _("Check this answer.")
    if kind in ("number", "money"):
        if not isinstance(value, int) or isinstance(value, bool):
            return _default_invalid(question, ValueError(value))
        if "min" in rules and value < rules["min"]:
            return _own_error(question, "too_small", language) or _(
                "This must be {n} or more."
            ).format(n=format_money(rules["min"]) if kind == "money" else rules["min"])
        if "max" in rules and value > rules["max"]:
            return _own_error(question, "too_large", language) or _(
                "This must be {n} or less."
            ).format(n=format_money(rules["max"]) if kind == "money" else rules["max"])
    if kind == "date":
        day = date.fromisoformat(value["date"])
        today = today or date.today()
        # A date in the wrong time is a real date: its own words, never "not a real date".
        if rules.get("not_in_future") and day > today:
            return _own_error(question, "future", language) or _("The date must be in the past.")
        if rules.get("not_in_past") and day < today:
            return _own_error(question, "past", language) or _(
                "The date must be today or in the future."
            )
    if kind == "multi_choice":
        exclusive = {o["value"] for o in question.raw["options"] if o.get("exclusive")}
        if exclusive & set(value) and len(value) > 1:
            return _own_error(question, "invalid", language) or _(
                "'None of these' cannot be chosen with other answers."
            )
    return None


def check_item(
    group: Question, item: Mapping[str, Any], language: str = "en", today: date | None = None
) -> dict[str, str]:
    """Errors in one repeat of a group, by child question id."""
    errors: dict[str, str] = {}
    for child in group.children:
        if question_shows(child, item):
            problem = check_answer(child, item.get(child.id), language, today)
            if problem:
                errors[child.id] = problem
    return errors


def check_page(
    page: Page, answers: Mapping[str, Any], language: str = "en", today: date | None = None
) -> dict[str, str]:
    """Every problem on a page, by question id (group items as ``id:n:child``)."""
    errors: dict[str, str] = {}
    for q in visible_questions(page, answers):
        value = answers.get(q.id)
        problem = check_answer(q, value, language, today)
        if problem:
            errors[q.id] = problem
            continue
        if q.type == "group" and isinstance(value, list):
            for n, item in enumerate(value):
                for child_id, message in check_item(q, item, language, today).items():
                    errors[f"{q.id}:{n}:{child_id}"] = message
    return errors


def check_all(
    service: Service, answers: Mapping[str, Any], language: str = "en", today: date | None = None
) -> list[PageErrors]:
    """Problems on every page of the route: empty when the form can be sent."""
    found = []
    on_route = prune(service, answers)
    for page in visible_pages(service, answers):
        errors = check_page(page, on_route, language, today)
        if errors:
            found.append(PageErrors(page.id, errors))
    return found


def display_value(question: Question, value: Any, language: str = "en") -> str:
    """An answer as the Check-your-answers page and the paper form print it."""
    if value is None or value == []:
        return ""
    kind = question.type
    if kind == "money":
        return format_money(int(value))
    if kind == "yes_no":
        return _("Yes") if value else _("No")
    if kind == "date":
        day = date.fromisoformat(value["date"]).strftime("%d/%m/%Y")
        return _("about {date}").format(date=day) if value.get("approximate") else day
    labels = {o["value"]: o["label"][language] for o in question.raw.get("options", ())}
    if kind == "choice":
        return str(labels.get(value, value))
    if kind == "multi_choice":
        return ", ".join(str(labels.get(v, v)) for v in value)
    if kind == "address":
        return ", ".join([*value["lines"], value.get("town", ""), value["postcode"]]).replace(
            ", ,", ","
        )
    if kind == "group":
        return _("{n} added").format(n=len(value))
    return str(value)
