"""What an address lookup gives back: plain values the form UI can show.

Nothing here touches the database or the network, so ``ui/`` may import it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str | None:
    """``" cf10 1aa"`` -> ``"CF10 1AA"``; None when it is not the shape of a UK postcode."""
    squashed = re.sub(r"\s+", "", text.upper())
    if not 5 <= len(squashed) <= 7:
        return None
    match = _POSTCODE.match(f"{squashed[:-3]} {squashed[-3:]}")
    return None if match is None else f"{match.group(1)} {match.group(2)}"


class LookupStatus(enum.StrEnum):
    FOUND = "found"  # addresses to choose from
    NO_ADDRESSES = "no_addresses"  # a real postcode, but no addresses (or no OS Places key)
    NOT_A_POSTCODE = "not_a_postcode"  # the text is not a postcode's shape
    UNKNOWN_POSTCODE = "unknown_postcode"  # the shape is right but no such postcode exists
    QUEUED = "queued"  # offline: kept as typed, to be looked up later
    UNAVAILABLE = "unavailable"  # the service refused us (key, settings): what to check


@dataclass(frozen=True)
class AddressMatch:
    """One address at a postcode (from OS Places)."""

    uprn: str
    single_line: str
    lines: tuple[str, ...]
    town: str
    postcode: str


@dataclass(frozen=True)
class PostcodeArea:
    """What postcodes.io says about a postcode."""

    postcode: str
    country: str | None = None
    region: str | None = None
    district: str | None = None
    ward: str | None = None


@dataclass(frozen=True)
class AddressLookupResult:
    """The answer for one postcode; ``message`` says what to do, in plain words."""

    postcode: str
    status: LookupStatus
    matches: tuple[AddressMatch, ...] = ()
    area: PostcodeArea | None = None
    message: str = ""
    from_cache: bool = False
    queued_item: str | None = field(default=None)
