"""The complaint route for a service and a nation, from ``resources/complaints``.

``routes.json`` holds the bodies (name, what they are, how to contact them,
their public pages), the steps (which body, the time limit in words, what the
step needs first, and the rule a deadline is computed by), the steps in order
for each route family and nation, and each service's family. ``route_for``
reads them (checked against ``resources/schemas/complaints.schema.json`` and
for references that lead nowhere) and returns the steps in order, in the
reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from casework.forms.definitions import ResourceFileError, schema_problem
from casework.forms.strict_json import DuplicateKeyError, loads_strict
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _, current_language, language_or_english
from casework.kernel.nations import Nation, nation_of_postcode, postcode_or_district

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ROUTES_PATH = RESOURCES / "complaints" / "routes.json"
SCHEMA_PATH = RESOURCES / "schemas" / "complaints.schema.json"


class RouteFileError(ResourceFileError):
    """The routes file cannot be used: ``file``, ``pointer`` and ``reason``."""


@dataclass(frozen=True)
class Body:
    """Who a complaint goes to at one step."""

    id: str
    name: str
    what: str
    contact: str
    url: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Limit:
    """A step's deadline rule: ``months`` after the step before's final
    response (``previous-response``) or after the problem (``problem``)."""

    months: int
    start: str


@dataclass(frozen=True)
class Step:
    """One step of a complaint route, in the reader's language."""

    id: str
    number: int  # 1 is the first step
    body: Body
    time_limit: str
    needs_first: str
    needs_previous_response: bool
    limit: Limit | None


@dataclass(frozen=True)
class Routes:
    """The whole routes file, as read."""

    raw: Mapping[str, Any]

    def family_of(self, service_id: str) -> str | None:
        services: Mapping[str, str | None] = self.raw["services"]
        if service_id not in services:
            raise NotFound(
                _("Alongside does not know where complaints about '{id}' go.").format(id=service_id)
            )
        return services[service_id]

    def body_names(self, body_id: str) -> tuple[str, str]:
        """A body's name in English and in Welsh."""
        name = self.raw["bodies"][body_id]["name"]
        return name["en"], name["cy"]

    def service_ids(self) -> frozenset[str]:
        return frozenset(self.raw["services"])


def parse_routes(data: bytes, file: str) -> Routes:
    """Check the routes file and return it, or raise ``RouteFileError``."""
    try:
        raw = loads_strict(data.decode("utf-8"))
    except DuplicateKeyError as exc:
        raise RouteFileError(
            file, exc.pointer, _("the field {key!r} is given twice").format(key=exc.key)
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RouteFileError(
            file, "/", _("the file is not valid UTF-8 JSON ({reason})").format(reason=exc)
        ) from exc
    fault = schema_problem(SCHEMA_PATH, raw)
    if fault:
        raise RouteFileError(file, *fault)
    assert isinstance(raw, dict)
    for step_id, step in raw["steps"].items():
        if step["body"] not in raw["bodies"]:
            raise RouteFileError(
                file,
                f"/steps/{step_id}/body",
                _("no body is called {id!r}").format(id=step["body"]),
            )
    for family, nations in raw["families"].items():
        for nation, steps in nations.items():
            for i, step_id in enumerate(steps):
                if step_id not in raw["steps"]:
                    raise RouteFileError(
                        file,
                        f"/families/{family}/{nation}/{i}",
                        _("no step is called {id!r}").format(id=step_id),
                    )
            if raw["steps"][steps[0]].get("needs"):
                raise RouteFileError(
                    file,
                    f"/families/{family}/{nation}/0",
                    _("the first step cannot need a step before it"),
                )
    for service_id, family in raw["services"].items():
        if family is not None and family not in raw["families"]:
            raise RouteFileError(
                file, f"/services/{service_id}", _("no route is called {id!r}").format(id=family)
            )
    return Routes(raw)


@cache
def load_routes(path: Path = ROUTES_PATH) -> Routes:
    """The shipped routes (read once)."""
    return parse_routes(path.read_bytes(), str(path))


def _words(value: Mapping[str, str], language: str) -> str:
    return value.get(language) or value["en"]


def nation_words(nation: Nation) -> str:
    """The nation's name in the current language."""
    names = {
        Nation.ENGLAND: _("England"),
        Nation.WALES: _("Wales"),
        Nation.SCOTLAND: _("Scotland"),
        Nation.NORTHERN_IRELAND: _("Northern Ireland"),
    }
    return names[nation]


def route_for(
    service_id: str,
    nation: Nation,
    language: str | None = None,
    routes: Routes | None = None,
) -> list[Step]:
    """The steps of the complaint route for ``service_id`` in ``nation``, in
    order, in ``language`` (the current one by default). ``NotFound`` with a
    plain reason when there is none."""
    table = routes or load_routes()
    lang = language_or_english(language or current_language())
    family = table.family_of(service_id)
    if family is None:
        raise NotFound(_("General advice is not a public service, so it has no complaint route."))
    order = table.raw["families"][family].get(nation.value)
    if not order:
        raise NotFound(
            _(
                "Alongside does not know the complaint route for this service in {nation}. "
                "Ask the service how to complain."
            ).format(nation=nation_words(nation))
        )
    steps = []
    for number, step_id in enumerate(order, start=1):
        raw = table.raw["steps"][step_id]
        body = table.raw["bodies"][raw["body"]]
        limit = raw.get("limit")
        steps.append(
            Step(
                id=step_id,
                number=number,
                body=Body(
                    raw["body"],
                    _words(body["name"], lang),
                    _words(body["what"], lang),
                    _words(body["contact"], lang),
                    body["url"],
                    tuple(body["sources"]),
                ),
                time_limit=_words(raw["time_limit"], lang),
                needs_first=_words(raw["needs_first"], lang),
                needs_previous_response=raw.get("needs") == "previous-response",
                limit=Limit(limit["months"], limit["from"]) if limit else None,
            )
        )
    return steps


def route_for_postcode(
    service_id: str, postcode: str, language: str | None = None
) -> tuple[Nation, list[Step]]:
    """The nation of ``postcode`` (a whole one, or its district: ``CH5``) and
    the route there; ``NotFound`` for a postcode whose nation cannot be told."""
    nation = nation_of_postcode(postcode_or_district(postcode))  # a district alone will do
    if nation is None:
        raise NotFound(
            _("'{postcode}' is not a UK postcode. Give one like CF10 1AA.").format(
                postcode=postcode
            )
        )
    return nation, route_for(service_id, nation, language)
