"""Each nation's version of a service, and why it is the one offered.

A definition names the nations it serves (``nations``; all four when it does
not say) and, for a nation it does not serve, the service a person there
claims instead (``counterparts``: PIP in England and Wales, Adult Disability
Payment in Scotland). ``version_for`` turns a chosen service and the person's
nation into the service to open, with the reason in plain words; the catalogue
has already refused counterparts that do not exist or do not point back
(``casework.forms.definitions``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from casework.forms.definitions import Catalogue, Service
from casework.kernel.i18n import N_, _, current_language, language_or_english
from casework.kernel.nations import Nation

NATION_NAMES = {
    Nation.ENGLAND: N_("England"),
    Nation.WALES: N_("Wales"),
    Nation.SCOTLAND: N_("Scotland"),
    Nation.NORTHERN_IRELAND: N_("Northern Ireland"),
}
# Whole clauses, so each language can say "in Wales" its own way (yng Nghymru).
LIVES_IN = {
    Nation.ENGLAND: N_("{name} lives in England"),
    Nation.WALES: N_("{name} lives in Wales"),
    Nation.SCOTLAND: N_("{name} lives in Scotland"),
    Nation.NORTHERN_IRELAND: N_("{name} lives in Northern Ireland"),
}


class Fit(enum.StrEnum):
    """How the chosen service fits the person's nation."""

    SERVES = "serves"  # the chosen service is the version for there
    SWITCHED = "switched"  # its counterpart is
    NOT_OFFERED = "not-offered"  # not offered there, and no counterpart is known
    NATION_UNKNOWN = "nation-unknown"  # no postcode to go on: the chosen service stands


@dataclass(frozen=True)
class Version:
    """The service to open for a person (``service``), how it came to be (``fit``)
    and the reason in the current language (``reason``)."""

    service: Service
    fit: Fit
    reason: str
    chosen: Service


def _owner(service: Service) -> str:
    owner = service.raw.get("owner", {}).get("name")
    language = language_or_english(current_language())
    return str(owner.get(language) or owner.get("en")) if isinstance(owner, dict) else ""


def _title(service: Service) -> str:
    return service.text("title", language_or_english(current_language())) or service.id


def version_for(
    catalogue: Catalogue, service_id: str, nation: Nation | None, person_name: str = ""
) -> Version:
    """The version of ``service_id`` for someone living in ``nation`` (``LookupError``
    when the catalogue has no such service). ``person_name`` goes in the reason;
    without it the reason speaks of "the person"."""
    chosen = catalogue.service_of(service_id)
    name = person_name or _("The person")
    if nation is None:
        reason = _("{name} has no postcode yet, so this is {title} as chosen.").format(
            name=name, title=_title(chosen)
        )
        return Version(chosen, Fit.NATION_UNKNOWN, reason, chosen)
    lives = _(LIVES_IN[nation]).format(name=name)
    if nation in chosen.nations:
        reason = _("{lives}, and {title} is the version used there.").format(
            lives=lives, title=_title(chosen)
        )
        return Version(chosen, Fit.SERVES, reason, chosen)
    other = catalogue.get(chosen.counterparts.get(nation, ""))
    if other is not None:
        reason = _("{lives}, so this is {title} from {owner}, not {chosen}.").format(
            lives=lives, title=_title(other), owner=_owner(other), chosen=_title(chosen)
        )
        return Version(other, Fit.SWITCHED, reason, chosen)
    reason = _("{lives}, where {title} is not offered. Check which service to use there.").format(
        lives=lives, title=_title(chosen)
    )
    return Version(chosen, Fit.NOT_OFFERED, reason, chosen)


def service_for(
    catalogue: Catalogue, service_id: str, nation: Nation | None, person_name: str = ""
) -> tuple[Service, str]:
    """``version_for`` as a pair: the service to open and the reason in plain words."""
    version = version_for(catalogue, service_id, nation, person_name)
    return version.service, version.reason


def versions_in(catalogue: Catalogue, nation: Nation) -> list[Service]:
    """The catalogue as someone in ``nation`` sees it: each service they can claim,
    once (a service with a counterpart there is shown as its counterpart; one not
    offered there without a counterpart is left out), in catalogue order."""
    found: dict[str, Service] = {}
    for service in catalogue.services:
        if nation in service.nations:
            found.setdefault(service.id, service)
            continue
        other = catalogue.get(service.counterparts.get(nation, ""))
        if other is not None:
            found.setdefault(other.id, other)
    return list(found.values())


VersionTable = dict[Nation | None, dict[str, Version]]
"""For each nation the person may live in, each service's version there."""


def version_table(
    catalogue: Catalogue, nations: tuple[Nation, ...], person_name: str
) -> VersionTable:
    """Every service's version in each of ``nations`` (one entry, ``None``, when
    the nation is not known), for the service picker."""
    wanted: tuple[Nation | None, ...] = nations or (None,)
    return {
        nation: {
            s.id: version_for(catalogue, s.id, nation, person_name) for s in catalogue.services
        }
        for nation in wanted
    }
