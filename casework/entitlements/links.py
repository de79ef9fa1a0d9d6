"""Entitlement links as data: reading ``resources/entitlements/links.json``.

Each link says which claim ("to": a service in the catalogue, or an outside
scheme with its public page) an award may open, when ("sent": the form went;
"awarded": an award was recorded), where (the nations it applies in), why (a
plain-words reason in English and Welsh that never claims certainty) and on
whose authority (its public source). The file is checked against
``resources/schemas/entitlement_links.schema.json``; a link whose service is
not in the catalogue (a definition still to come, or one that failed to
load) is skipped with a note in the log, never guessed at.
"""

from __future__ import annotations

import enum
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from casework.forms.definitions import RESOURCES, Catalogue, schema_problem
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _, language_or_english
from casework.kernel.nations import Nation

LINKS_PATH = RESOURCES / "entitlements" / "links.json"
SCHEMA_PATH = RESOURCES / "schemas" / "entitlement_links.schema.json"
log = logging.getLogger("alongside.entitlements")


class Trigger(enum.StrEnum):
    """What makes a link suggest its claim."""

    SENT = "sent"  # the form was sent
    AWARDED = "awarded"  # an award was recorded


@dataclass(frozen=True)
class Scheme:
    """An outside scheme (no form here): its title in both languages and public page."""

    id: str
    title_en: str
    title_cy: str
    url: str

    def title(self, language: str) -> str:
        return self.title_cy if language_or_english(language) == "cy" else self.title_en


@dataclass(frozen=True)
class Link:
    """One entitlement link."""

    id: str
    from_service: str
    when: frozenset[Trigger]
    to_service: str | None
    scheme: Scheme | None
    nations: frozenset[Nation] | None  # None: every nation
    for_carer: bool
    reason_en: str
    reason_cy: str
    source: str

    def reason(self, language: str) -> str:
        return self.reason_cy if language_or_english(language) == "cy" else self.reason_en

    @property
    def target(self) -> str:
        """The claim suggested: a service id, or an outside scheme's id."""
        if self.to_service is not None:
            return self.to_service
        assert self.scheme is not None
        return self.scheme.id

    def applies_in(self, nation: Nation | None) -> bool:
        """Whether the link applies to someone in ``nation`` (unknown: it may)."""
        return self.nations is None or nation is None or nation in self.nations


class LinksError(ValueError):
    """The links file cannot be read; ``str(err)`` names the pointer and the reason."""


def parse_links(raw: object, file: str = "links.json") -> tuple[Link, ...]:
    """Every link in ``raw`` (checked against the schema), in file order."""
    problem = schema_problem(SCHEMA_PATH, raw)
    if problem is not None:
        raise LinksError(f"{file}: {problem[0]}: {problem[1]}")
    assert isinstance(raw, dict)
    links: list[Link] = []
    seen: set[str] = set()
    for index, item in enumerate(raw["links"]):
        if item["id"] in seen:
            raise LinksError(f"{file}: /links/{index}/id: {item['id']!r} is given twice")
        seen.add(item["id"])
        to = item["to"]
        scheme = None
        if "scheme" in to:
            s = to["scheme"]
            scheme = Scheme(s["id"], s["title"]["en"], s["title"]["cy"], s["url"])
        links.append(
            Link(
                id=item["id"],
                from_service=item["from"],
                when=frozenset(Trigger(w) for w in item["when"]),
                to_service=to.get("service"),
                scheme=scheme,
                nations=frozenset(Nation(n) for n in item["nations"])
                if "nations" in item
                else None,
                for_carer=bool(item.get("for_carer", False)),
                reason_en=item["reason"]["en"],
                reason_cy=item["reason"]["cy"],
                source=item["source"],
            )
        )
    return tuple(links)


@cache
def read_links(path: Path = LINKS_PATH) -> tuple[Link, ...]:
    """Every link in the file, whatever the catalogue holds (read once per file)."""
    return parse_links(json.loads(path.read_text(encoding="utf-8")), path.name)


_LOADED: dict[tuple[int, Path], tuple[Catalogue, tuple[Link, ...]]] = {}


def load_links(catalogue: Catalogue, path: Path = LINKS_PATH) -> tuple[Link, ...]:
    """The links whose services are in ``catalogue``; each skipped one is
    logged (once per catalogue: the app keeps one)."""
    known = _LOADED.get((id(catalogue), path))
    if known is not None and known[0] is catalogue:
        return known[1]
    kept: list[Link] = []
    for link in read_links(path):
        missing = [
            sid
            for sid in (link.from_service, link.to_service)
            if sid is not None and catalogue.get(sid) is None
        ]
        if missing:
            log.info(
                "entitlement link %s skipped: no service %s in the catalogue",
                link.id,
                ", ".join(missing),
            )
            continue
        kept.append(link)
    if len(_LOADED) > 8:
        _LOADED.clear()
    _LOADED[id(catalogue), path] = (catalogue, tuple(kept))
    return tuple(kept)


def link_of(links: tuple[Link, ...], link_id: str) -> Link:
    """The link with ``link_id``; ``NotFound`` (a suggestion whose link was removed)."""
    for link in links:
        if link.id == link_id:
            return link
    raise NotFound(_("This suggestion's reason is no longer in Alongside's list of links."))
