"""Service definitions: reading, checking and holding them.

A definition is a JSON file in ``resources/services/`` shaped by
``resources/schemas/service.schema.json``. Reading one either gives a
``Service`` or raises ``DefinitionError`` naming the file, the JSON pointer
of the first problem and a plain reason; nothing is half-loaded. On top of
the schema this module checks what a schema cannot: ids unique within a
form, option values unique within a question, conditions that refer only to
questions asked earlier (so there can be no cycles) and compare them with
values those questions can have, and group sizes that make sense. It also
refuses a key given twice in one object, markup (an HTML tag or entity) in
any text, and an answer pattern the linear-time engine cannot run
(``casework.forms.strict_json``, ``casework.forms.patterns``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from casework.forms.patterns import PatternError, check_pattern
from casework.forms.strict_json import (
    DuplicateKeyError,
    first_markup,
    loads_strict,
    pointer_part,
)
from casework.kernel import files
from casework.kernel.i18n import _
from casework.kernel.nations import Nation

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SERVICES_DIR = RESOURCES / "services"
SCHEMA_PATH = RESOURCES / "schemas" / "service.schema.json"
MAX_DEFINITION_BYTES = 1_000_000
NOT_TEXT = frozenset({"$schema", "pattern"})
"""Fields whose strings no one reads as text, so markup is not looked for there."""

Json = Any


class ResourceFileError(Exception):
    """A shipped JSON file that cannot be used: ``file``, ``pointer`` (the JSON
    pointer of the fault, ``/`` for the whole file) and ``reason``."""

    def __init__(self, file: str, pointer: str, reason: str) -> None:
        super().__init__(f"{file}: {pointer or '/'}: {reason}")
        self.file = file
        self.pointer = pointer or "/"
        self.reason = reason


class DefinitionError(ResourceFileError):
    """A definition that cannot be used: ``file``, ``pointer`` and ``reason``."""


@dataclass(frozen=True)
class Question:
    """One question as the engine sees it (the raw JSON is kept in ``raw``)."""

    id: str
    type: str
    category: str
    required: bool
    pointer: str
    raw: Mapping[str, Json] = field(repr=False)
    children: tuple[Question, ...] = ()

    def text(self, key: str, language: str) -> str:
        value = self.raw.get(key)
        return str(value[language]) if isinstance(value, dict) else ""

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(str(o["value"]) for o in self.raw.get("options", ()))


@dataclass(frozen=True)
class Page:
    id: str
    pointer: str
    raw: Mapping[str, Json] = field(repr=False)
    questions: tuple[Question, ...] = ()

    def text(self, key: str, language: str) -> str:
        value = self.raw.get(key)
        return str(value[language]) if isinstance(value, dict) else ""


@dataclass(frozen=True)
class Service:
    """A checked definition, ready for the form engine and the paper renderer."""

    id: str
    version: str
    file: str
    raw: Mapping[str, Json] = field(repr=False)
    pages: tuple[Page, ...] = ()

    def text(self, key: str, language: str) -> str:
        value = self.raw.get(key)
        return str(value[language]) if isinstance(value, dict) else ""

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.raw["channels"])

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", "cy")

    @property
    def nations(self) -> tuple[Nation, ...]:
        """The nations whose version this definition models (all four when it does not say)."""
        named = self.raw.get("nations")
        return tuple(Nation(n) for n in named) if named else tuple(Nation)

    @property
    def counterparts(self) -> dict[Nation, str]:
        """For a nation it does not serve, the id of the service claimed there instead."""
        return {Nation(n): str(sid) for n, sid in self.raw.get("counterparts", {}).items()}

    def questions(self) -> Iterator[Question]:
        """Every top-level question, in the order asked."""
        for page in self.pages:
            yield from page.questions

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def data_categories(self) -> frozenset[str]:
        """Every data category the questions (and their group members) ask for."""
        found: set[str] = set()
        stack = list(self.questions())
        while stack:
            question = stack.pop()
            found.add(question.category)
            stack.extend(question.children)
        return frozenset(found)

    def question_count(self) -> int:
        return sum(1 + len(q.children) for q in self.questions())


@cache
def schema_validator(schema_path: Path) -> Any:
    """The validator for the JSON Schema at ``schema_path`` (checked itself, built once)."""
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _pointer(path: Iterator[Any] | Any) -> str:
    parts = [pointer_part(p) for p in path]
    return "/" + "/".join(parts) if parts else "/"


def _schema_reason(error: Any) -> str:
    """Say the schema's complaint in words a definition author can act on."""
    from jsonschema.exceptions import best_match

    best = best_match([error]) or error
    if best.validator == "oneOf" and best.context:
        # A condition of none of the allowed shapes: name the closest one.
        best = min(best.context, key=lambda e: len(list(e.relative_path)))
    if best.validator == "required":
        return _("a required field is missing: {detail}").format(detail=best.message)
    if best.validator == "additionalProperties":
        return _("an unknown field: {detail}").format(detail=best.message)
    if best.validator == "enum":
        return _("{value!r} is not one of the allowed values").format(value=best.instance)
    if best.validator == "maxLength":
        return _("the text is longer than {limit:,} characters").format(limit=best.validator_value)
    if best.validator == "pattern" and isinstance(best.instance, str) and not best.instance.strip():
        return _("the text is empty")
    return str(best.message)


def schema_problem(schema_path: Path, raw: Json) -> tuple[str, str] | None:
    """The first fault the schema finds in ``raw`` (shallowest first) as
    ``(pointer, reason)``, or None when it is valid."""
    errors = sorted(
        schema_validator(schema_path).iter_errors(raw),
        key=lambda e: (len(list(e.absolute_path)), str(e.path)),
    )
    if not errors:
        return None
    return _pointer(errors[0].absolute_path), _schema_reason(errors[0])


RouteCheck = Callable[[str, Mapping[str, Any]], str | None]
"""Why a service (its id and its definition's ``facilitator``) has no
escalation route, or None when it has one."""


def _too_large(file: str, size: int) -> DefinitionError:
    return DefinitionError(
        file,
        "/",
        _("the file is {size:,} bytes; a definition may be at most {limit:,}").format(
            size=size, limit=MAX_DEFINITION_BYTES
        ),
    )


def parse_definition(data: bytes, file: str, route_check: RouteCheck | None = None) -> Service:
    """Check and build a definition from the bytes of a file."""
    if len(data) > MAX_DEFINITION_BYTES:
        raise _too_large(file, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DefinitionError(
            file, "/", _("the file is not UTF-8 text (byte {at})").format(at=exc.start)
        ) from exc
    try:
        raw = loads_strict(text)
    except DuplicateKeyError as exc:
        raise DefinitionError(
            file,
            exc.pointer,
            _("the field {key!r} is given twice in the same object").format(key=exc.key),
        ) from exc
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            file,
            "/",
            _("the file is not valid JSON: {msg} at line {line}, column {col}").format(
                msg=exc.msg, line=exc.lineno, col=exc.colno
            ),
        ) from exc
    except RecursionError as exc:
        raise DefinitionError(file, "/", _("the JSON is nested too deeply")) from exc
    fault = schema_problem(SCHEMA_PATH, raw)
    if fault:
        raise DefinitionError(file, *fault)
    markup = first_markup(raw, NOT_TEXT)
    if markup:
        raise DefinitionError(
            file,
            markup[0],
            _("markup is not allowed in text ({markup})").format(markup=markup[1]),
        )
    service = _Checker(file, raw).build()
    # The seed's promise: every service shows an escalation route to a named
    # person. The facilitator directory is escalation's, a layer above: it
    # hands its check in (``casework.escalation.directory.route_problem``).
    problem = route_check(service.id, raw["facilitator"]) if route_check else None
    if problem:
        raise DefinitionError(file, "/facilitator", problem)
    return service


def load_definition(path: Path, route_check: RouteCheck | None = None) -> Service:
    """Check and build the definition in the file ``path``: an ordinary file
    under the size limit, read only that far (a device or a pipe never hangs)."""
    try:
        data = files.read_bounded(path, MAX_DEFINITION_BYTES)
    except files.FileTooLarge as exc:
        raise _too_large(str(path), exc.size) from exc
    except files.FileRefused as exc:
        raise DefinitionError(str(path), "/", exc.reason) from exc
    return parse_definition(data, str(path), route_check)


@dataclass(frozen=True)
class Catalogue:
    """The services that loaded, and the problems of those that did not."""

    services: tuple[Service, ...]
    problems: tuple[DefinitionError, ...]

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def service_of(self, service_id: str) -> Service:
        """The loaded service with this id; ``LookupError`` when there is none."""
        found = self.get(service_id)
        if found is None:
            raise LookupError(service_id)
        return found


def definition_files(folder: Path = SERVICES_DIR) -> list[Path]:
    return sorted(folder.glob("*.json"))


def load_catalogue(folder: Path = SERVICES_DIR, route_check: RouteCheck | None = None) -> Catalogue:
    """Every definition in ``folder``; a bad one is skipped and reported."""
    services: list[Service] = []
    problems: list[DefinitionError] = []
    seen: dict[str, str] = {}
    for path in definition_files(folder):
        try:
            service = load_definition(path, route_check)
        except DefinitionError as exc:
            problems.append(exc)
            continue
        if service.id in seen:
            problems.append(
                DefinitionError(
                    str(path),
                    "/id",
                    _("the id {id!r} is already used by {other}").format(
                        id=service.id, other=seen[service.id]
                    ),
                )
            )
            continue
        seen[service.id] = path.name
        services.append(service)
    return _counterparts_checked(services, problems)


def counterpart_problem(service: Service, others: Mapping[str, Service]) -> DefinitionError | None:
    """Why a counterpart the service names cannot be used (missing, not serving
    that nation, or not pointing back), or None when they all can."""
    for nation, other_id in service.counterparts.items():
        pointer = f"/counterparts/{nation.value}"
        other = others.get(other_id)
        if other is None:
            reason = _("the counterpart {id!r} is not in the catalogue").format(id=other_id)
        elif nation not in other.nations:
            reason = _("the counterpart {id!r} does not serve {nation}").format(
                id=other_id, nation=nation.value
            )
        elif service.id not in other.counterparts.values():
            reason = _("the counterpart {id!r} does not name {this!r} as its counterpart").format(
                id=other_id, this=service.id
            )
        else:
            continue
        return DefinitionError(service.file, pointer, reason)
    return None


def _counterparts_checked(services: list[Service], problems: list[DefinitionError]) -> Catalogue:
    """Drop each service whose counterparts do not hold, until all that stay do
    (dropping one can leave another pointing at nothing)."""
    kept = {s.id: s for s in services}
    changed = True
    while changed:
        changed = False
        for service in list(kept.values()):
            problem = counterpart_problem(service, kept)
            if problem is not None:
                problems.append(problem)
                del kept[service.id]
                changed = True
    return Catalogue(tuple(s for s in services if s.id in kept), tuple(problems))


class _Checker:
    """The rules a JSON Schema cannot express, checked in the order asked."""

    def __init__(self, file: str, raw: Mapping[str, Json]) -> None:
        self.file = file
        self.raw = raw
        self.asked: dict[str, Mapping[str, Json]] = {}  # top-level questions so far

    def fail(self, pointer: str, reason: str) -> DefinitionError:
        return DefinitionError(self.file, pointer, reason)

    def build(self) -> Service:
        serves = set(self.raw.get("nations") or [n.value for n in Nation])
        for nation, other in self.raw.get("counterparts", {}).items():
            if nation in serves:
                raise self.fail(
                    f"/counterparts/{nation}",
                    _(
                        "the service itself serves {nation}, so it cannot name a counterpart there"
                    ).format(nation=nation),
                )
            if other == self.raw["id"]:
                raise self.fail(
                    f"/counterparts/{nation}", _("a service cannot be its own counterpart")
                )
        pages: list[Page] = []
        page_ids: set[str] = set()
        for p, page in enumerate(self.raw["pages"]):
            pointer = f"/pages/{p}"
            if page["id"] in page_ids:
                raise self.fail(
                    f"{pointer}/id", _("the page id {id!r} is used twice").format(id=page["id"])
                )
            page_ids.add(page["id"])
            if "condition" in page:
                self.condition(page["condition"], f"{pointer}/condition", self.asked)
            questions = tuple(
                self.question(q, f"{pointer}/questions/{i}", self.asked)
                for i, q in enumerate(page["questions"])
            )
            pages.append(Page(page["id"], pointer, page, questions))
        return Service(self.raw["id"], self.raw["version"], self.file, self.raw, tuple(pages))

    def question(
        self, q: Mapping[str, Json], pointer: str, scope: dict[str, Mapping[str, Json]]
    ) -> Question:
        qid = q["id"]
        if qid in scope or (scope is not self.asked and qid in self.asked):
            raise self.fail(
                f"{pointer}/id", _("the question id {id!r} is used twice").format(id=qid)
            )
        if "condition" in q:
            self.condition(q["condition"], f"{pointer}/condition", scope)
        values = [o["value"] for o in q.get("options", ())]
        for i, value in enumerate(values):
            if value in values[:i]:
                raise self.fail(
                    f"{pointer}/options/{i}/value",
                    _("the option value {value!r} is used twice").format(value=value),
                )
        rules = q.get("validation", {})
        for low, high in (("min_length", "max_length"), ("min", "max")):
            if low in rules and high in rules and rules[low] > rules[high]:
                raise self.fail(
                    f"{pointer}/validation",
                    _("{low} is more than {high}").format(low=low, high=high),
                )
        if "pattern" in rules:
            try:
                check_pattern(rules["pattern"])
            except PatternError as exc:
                raise self.fail(f"{pointer}/validation/pattern", str(exc)) from exc
        children: tuple[Question, ...] = ()
        if q["type"] == "group":
            if q.get("min_items", 0) > q["max_items"]:
                raise self.fail(f"{pointer}/min_items", _("min_items is more than max_items"))
            inner: dict[str, Mapping[str, Json]] = {}
            built = []
            for i, child in enumerate(q["questions"]):
                if child["type"] == "group":
                    raise self.fail(
                        f"{pointer}/questions/{i}/type",
                        _("a repeating group cannot hold another repeating group"),
                    )
                built.append(self.question(child, f"{pointer}/questions/{i}", inner))
            children = tuple(built)
        scope[qid] = q
        return Question(
            qid, q["type"], q["category"], q.get("required", True), pointer, q, children
        )

    def condition(
        self, cond: Mapping[str, Json], pointer: str, scope: Mapping[str, Mapping[str, Json]]
    ) -> None:
        for key in ("all", "any"):
            if key in cond:
                for i, part in enumerate(cond[key]):
                    self.condition(part, f"{pointer}/{key}/{i}", scope)
                return
        if "not" in cond:
            self.condition(cond["not"], f"{pointer}/not", scope)
            return
        target_id = cond["question"]
        target = scope.get(target_id) or self.asked.get(target_id)
        if target is None:
            raise self.fail(
                f"{pointer}/question",
                _(
                    "the condition refers to {id!r}, which is not asked before this point "
                    "(a condition may only look back, so there can be no cycles)"
                ).format(id=target_id),
            )
        kind = target["type"]
        options = {o["value"] for o in target.get("options", ())}
        if "includes" in cond:
            if kind != "multi_choice":
                raise self.fail(
                    f"{pointer}/includes",
                    _("'includes' needs a multiple-choice question; {id!r} is {kind}").format(
                        id=target_id, kind=kind
                    ),
                )
            wanted = [cond["includes"]]
        else:
            wanted = cond["in"] if "in" in cond else [cond["equals"]]
        for value in wanted:
            if kind == "yes_no" and not isinstance(value, bool):
                raise self.fail(
                    pointer,
                    _("{id!r} is a yes/no question: compare it with true or false").format(
                        id=target_id
                    ),
                )
            if kind in ("choice", "multi_choice") and value not in options:
                raise self.fail(
                    pointer,
                    _("{value!r} is not one of the options of {id!r}").format(
                        value=value, id=target_id
                    ),
                )
            if kind == "group":
                raise self.fail(pointer, _("a condition cannot look at a repeating group"))
