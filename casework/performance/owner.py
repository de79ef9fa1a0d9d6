"""Who answers for a service: its owning body and the named role accountable
for it, the named facilitator for this office's area, and its public pages, in
words the worker reads.

The owning body and the accountable role come from the definition's ``owner``
(``name`` and ``role``, the role with its source among the definition's
``sources``); the facilitator is the
first rung of the ladder escalation would use for this office's area
(``escalation.default_area``), the administrator's local entries included.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from casework.escalation.lifecycle import ladder_for
from casework.forms.definitions import Service
from casework.kernel.i18n import N_, _, current_language
from casework.kernel.nations import nation_of_area
from casework.kernel.records import Actor

KIND_WORDS = {
    "department": N_("A government department"),
    "council": N_("A local council"),
    "nhs": N_("An NHS body"),
    "other": N_("A public body"),
}
NATION_WORDS = {
    "england": N_("England"),
    "wales": N_("Wales"),
    "scotland": N_("Scotland"),
    "northern-ireland": N_("Northern Ireland"),
}


@dataclass(frozen=True)
class Contact:
    """The named facilitator for this office's area (level 1 of the ladder)."""

    name: str
    role: str
    organisation: str
    email: str
    phone: str
    hours: str
    languages: str
    reply_days: int


@dataclass(frozen=True)
class PublicPage:
    title: str
    url: str


@dataclass(frozen=True)
class ServiceOwner:
    """Who is accountable for a service, and who to ask, in the worker's language."""

    service_id: str
    title: str
    body: str  # the owning body
    role: str  # what kind of body answers for it
    accountable: str  # the named role accountable for it ("" when not named)
    area: str  # this office's area, in words
    facilitator: Contact | None
    pages: tuple[PublicPage, ...]


def _area_words(area: str) -> str:
    nation = nation_of_area(area)
    if nation is not None and nation.value == area:
        return _(NATION_WORDS.get(area, area))
    if nation is not None:
        return _("{area} ({nation})").format(area=area, nation=_(NATION_WORDS[nation.value]))
    return area


def _in_language(text: object, language: str) -> str:
    """A definition's text pair in ``language`` (English when it has no such text)."""
    if not isinstance(text, dict):
        return ""
    return str(text.get(language) or text.get("en", ""))


def service_owner(session: Session, service: Service, area: str) -> ServiceOwner:
    """The owning body and facilitator of ``service`` for an office in ``area``."""
    language = current_language()
    raw = service.raw.get("owner")
    owner = raw if isinstance(raw, dict) else {}
    body = _in_language(owner.get("name"), language)
    accountable = _in_language(owner.get("role"), language)
    kind = str(owner.get("kind", "other"))
    rungs = ladder_for(session, service, area, language=language)
    contact = None
    if rungs:
        first = rungs[0]
        contact = Contact(
            name=first.name,
            role=first.role,
            organisation=first.organisation,
            email=first.email,
            phone=first.phone,
            hours=first.hours_text(),
            languages=first.languages_text(),
            reply_days=first.sla_working_days,
        )
    pages = tuple(
        PublicPage(str(s.get("title", "")), str(s["url"]))
        for s in service.raw.get("sources", ())
        if isinstance(s, dict) and str(s.get("url", "")).startswith("https://")
    )
    return ServiceOwner(
        service_id=service.id,
        title=service.text("title", language),
        body=body or _("Not named in the service's definition"),
        role=_(KIND_WORDS.get(kind, KIND_WORDS["other"])),
        accountable=accountable,
        area=_area_words(area),
        facilitator=contact,
        pages=pages,
    )


def owner_for(session: Session, actor: Actor, service: Service, area: str) -> ServiceOwner:
    """``service_owner`` as a core action (the definition and directory hold no
    person's data, so no policy decision is needed)."""
    del actor
    return service_owner(session, service, area)
