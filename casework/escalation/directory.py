"""The facilitator directory: who a stuck case goes to, level by level.

The shipped directory is data, one file per service in
``resources/facilitators/`` (shape: ``resources/schemas/facilitators.schema.json``).
For each area a service serves (a nation, or an ONS council or region code)
it holds a ladder of named people, each with their hours, languages, the
channel they take escalations by (email, or paper to a postal address) and
the reply time they promise in working days.

An administrator can add local people (``casework.escalation.local_directory``): a local
entry for the same service, area and level replaces the shipped one, and a
new level extends the ladder. ``ladder`` answers for a service and area: the
most specific area first (council code, then its nation), and when nothing
is listed, the definition's own ``facilitator`` as a one-level ladder.

``route_problem`` is the seed's promise: a service with neither a directory
ladder nor a facilitator it can write to has no escalation route, and its
definition is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from casework.escalation.sla import Nation, nation_of_area
from casework.forms.definitions import NOT_TEXT, ResourceFileError, schema_problem
from casework.forms.strict_json import DuplicateKeyError, first_markup, loads_strict
from casework.kernel.i18n import _

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DIRECTORY_DIR = RESOURCES / "facilitators"
SCHEMA_PATH = RESOURCES / "schemas" / "facilitators.schema.json"
CHANNELS = ("email", "paper")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DirectoryError(ResourceFileError):
    """A directory file that cannot be used: ``file``, ``pointer`` and ``reason``."""


@dataclass(frozen=True)
class Facilitator:
    """One named person on one rung of a ladder."""

    service_id: str
    area: str
    level: int  # 1 is the first person asked
    name: str
    role: str
    organisation: str
    email: str
    phone: str
    days: tuple[str, ...]
    opens: str  # "09:00"
    closes: str  # "17:00"
    languages: tuple[str, ...]
    channel: str  # "email" or "paper"
    postal_address: tuple[str, ...]
    sla_working_days: int
    source: str  # "directory", "local" or "definition"

    @property
    def nation(self) -> Nation:
        nation = nation_of_area(self.area)
        return nation if nation is not None else Nation.ENGLAND

    def hours_text(self) -> str:
        return hours_words(self.days, self.opens, self.closes)

    def languages_text(self) -> str:
        return languages_words(self.languages)


def hours_words(days: Sequence[str], opens: str, closes: str) -> str:
    """Working hours in the current language: "Monday to Friday, 09:00 to 17:00"."""
    names = {
        "mon": _("Monday"),
        "tue": _("Tuesday"),
        "wed": _("Wednesday"),
        "thu": _("Thursday"),
        "fri": _("Friday"),
        "sat": _("Saturday"),
        "sun": _("Sunday"),
    }
    if tuple(days) == DAYS[:5]:
        said = _("Monday to Friday")
    else:
        said = ", ".join(names.get(d, d) for d in days)
    return _("{days}, {opens} to {closes}").format(days=said, opens=opens, closes=closes)


def languages_words(codes: Sequence[str]) -> str:
    """Language codes as names, in the current language."""
    names = {"en": _("English"), "cy": _("Welsh"), "gd": _("Gaelic"), "ga": _("Irish")}
    return ", ".join(names.get(code, code) for code in codes)


@dataclass(frozen=True)
class DirectoryFile:
    service_id: str
    nations: tuple[Nation, ...]
    ladders: Mapping[str, tuple[Facilitator, ...]]  # area -> levels
    file: str


def _text(value: Any, language: str) -> str:
    return str(value[language]) if isinstance(value, dict) else str(value)


def _person(raw: Mapping[str, Any], service_id: str, area: str, level: int) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "area": area,
        "level": level,
        "name": raw["name"],
        "email": raw["email"],
        "phone": raw["phone"],
        "days": tuple(raw["hours"]["days"]),
        "opens": raw["hours"]["from"],
        "closes": raw["hours"]["to"],
        "languages": tuple(raw["languages"]),
        "channel": raw["channel"],
        "postal_address": tuple(raw.get("postal_address", ())),
        "sla_working_days": int(raw["sla_working_days"]),
    }


def parse_directory(data: bytes, file: str, language: str = "en") -> DirectoryFile:
    """Check one directory file and build it, or raise ``DirectoryError``."""
    try:
        raw = loads_strict(data.decode("utf-8"))
    except DuplicateKeyError as exc:
        raise DirectoryError(
            file,
            exc.pointer,
            _("the field {key!r} is given twice in the same object").format(key=exc.key),
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise DirectoryError(
            file, "/", _("the file is not valid UTF-8 JSON ({reason})").format(reason=exc)
        ) from exc
    fault = schema_problem(SCHEMA_PATH, raw)
    if fault:
        raise DirectoryError(file, *fault)
    markup = first_markup(raw, NOT_TEXT)
    if markup:
        raise DirectoryError(
            file, markup[0], _("markup is not allowed in text ({markup})").format(markup=markup[1])
        )
    service_id = raw["service"]
    ladders: dict[str, tuple[Facilitator, ...]] = {}
    for i, ladder in enumerate(raw["ladders"]):
        area = ladder["area"]
        if area in ladders:
            raise DirectoryError(
                file, f"/ladders/{i}/area", _("the area {area} has two ladders").format(area=area)
            )
        people = []
        for level, person in enumerate(ladder["levels"], start=1):
            if person["hours"]["from"] >= person["hours"]["to"]:
                raise DirectoryError(
                    file,
                    f"/ladders/{i}/levels/{level - 1}/hours",
                    _("the working hours end before they start"),
                )
            people.append(
                Facilitator(
                    **_person(person, service_id, area, level),
                    role=_text(person["role"], language),
                    organisation=_text(person["organisation"], language),
                    source="directory",
                )
            )
        ladders[area] = tuple(people)
    nations = tuple(Nation(n) for n in raw["nations"])
    for nation in nations:
        if nation.value not in ladders:
            raise DirectoryError(
                file,
                "/ladders",
                _("the service serves {nation} but has no ladder for it").format(
                    nation=nation.value
                ),
            )
    return DirectoryFile(service_id, nations, ladders, file)


def directory_files(folder: Path = DIRECTORY_DIR) -> list[Path]:
    return sorted(folder.glob("*.json"))


@cache
def _load(
    folder: Path, language: str
) -> tuple[dict[str, DirectoryFile], tuple[DirectoryError, ...]]:
    found: dict[str, DirectoryFile] = {}
    problems: list[DirectoryError] = []
    for path in directory_files(folder):
        try:
            entry = parse_directory(path.read_bytes(), str(path), language)
        except DirectoryError as exc:
            problems.append(exc)
            continue
        if entry.service_id in found:
            problems.append(
                DirectoryError(
                    str(path),
                    "/service",
                    _("{id} already has a directory file").format(id=entry.service_id),
                )
            )
            continue
        found[entry.service_id] = entry
    return found, tuple(problems)


def directory(
    folder: Path = DIRECTORY_DIR, language: str = "en"
) -> tuple[dict[str, DirectoryFile], tuple[DirectoryError, ...]]:
    """Every directory file (read once), and the problems of those that did not load."""
    return _load(folder, language)


def route_problem(
    service_id: str, facilitator: Mapping[str, Any], folder: Path = DIRECTORY_DIR
) -> str | None:
    """Why a service has no escalation route, or None when it has one."""
    if service_id in directory(folder)[0]:
        return None
    if facilitator.get("email"):
        return None
    return _(
        "the service has no escalation route: give its facilitator an email address, "
        "or add a ladder for it in resources/facilitators/"
    )


def from_definition(
    service_id: str, raw: Mapping[str, Any], area: str, language: str
) -> Facilitator | None:
    """The definition's own facilitator, as a one-level ladder (email only)."""
    email = raw.get("email")
    if not email:
        return None
    return Facilitator(
        service_id=service_id,
        area=area,
        level=1,
        name=_text(raw["name"], language),
        role=_("Facilitator"),
        organisation=_text(raw["organisation"], language),
        email=str(email),
        phone=str(raw.get("phone", "")),
        days=DAYS[:5],
        opens="09:00",
        closes="17:00",
        languages=("en", "cy"),
        channel="email",
        postal_address=(),
        sla_working_days=int(raw["sla_working_days"]),
        source="definition",
    )


def ladder(
    local: Sequence[Facilitator],
    service_id: str,
    area: str,
    definition_facilitator: Mapping[str, Any] | None = None,
    *,
    language: str = "en",
    folder: Path = DIRECTORY_DIR,
) -> tuple[Facilitator, ...]:
    """The ladder for a service in an area: council code first, then its nation.

    ``local`` holds the administrator's additions for the service (any area).
    """
    nation = nation_of_area(area)
    areas = [area] + ([nation.value] if nation is not None and nation.value != area else [])
    shipped = directory(folder, language)[0].get(service_id)
    for candidate in areas:
        levels: dict[int, Facilitator] = {}
        if shipped is not None:
            levels.update({f.level: f for f in shipped.ladders.get(candidate, ())})
        levels.update(
            {f.level: f for f in local if f.service_id == service_id and f.area == candidate}
        )
        if levels:
            return tuple(levels[n] for n in sorted(levels))
    if definition_facilitator is not None:
        own = from_definition(service_id, definition_facilitator, area, language)
        if own is not None:
            return (own,)
    return ()


@dataclass(frozen=True)
class LocalFacilitatorInput:
    """What an administrator types to add a local facilitator."""

    service_id: str
    area: str
    level: int
    name: str
    role: str
    organisation: str
    email: str
    phone: str
    languages: Sequence[str] = ("en",)
    channel: str = "email"
    postal_address: Sequence[str] = ()
    sla_working_days: int = 10
    days: Sequence[str] = DAYS[:5]
    opens: str = "09:00"
    closes: str = "17:00"


def check_input(data: LocalFacilitatorInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if nation_of_area(data.area) is None:
        errors["area"] = _(
            "Enter a nation (england, wales, scotland, northern-ireland) or a council code "
            "like W06000015."
        )
    if not 1 <= data.level <= 5:
        errors["level"] = _("Enter a level from 1 to 5.")
    if not data.name.strip():
        errors["name"] = _("Enter the facilitator's name.")
    if not data.organisation.strip():
        errors["organisation"] = _("Enter the organisation they work for.")
    if not _EMAIL.fullmatch(data.email.strip()):
        errors["email"] = _("Enter an email address in the right format, like name@example.org.")
    if len(data.phone.strip()) < 5:
        errors["phone"] = _("Enter a phone number.")
    if data.channel not in CHANNELS:
        errors["channel"] = _("Choose email or paper.")
    if data.channel == "paper" and len([ln for ln in data.postal_address if ln.strip()]) < 3:
        errors["postal_address"] = _(
            "Enter at least three address lines, the last one the postcode."
        )
    if not 1 <= data.sla_working_days <= 60:
        errors["sla_working_days"] = _("Enter a reply time from 1 to 60 working days.")
    if not (_TIME.fullmatch(data.opens) and _TIME.fullmatch(data.closes)):
        errors["hours"] = _("Enter the hours as two 24-hour times, like 09:00-17:00.")
    elif data.opens >= data.closes:
        errors["hours"] = _("The working hours must end after they start.")
    if not data.languages or not set(data.languages) <= {"en", "cy", "gd", "ga"}:
        errors["languages"] = _("Enter language codes: en, cy, gd or ga.")
    return errors
