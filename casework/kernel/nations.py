"""The four nations of the UK, and which one a postcode (or an area key) is in.

Rules differ by nation: bank holidays (``casework.escalation.sla``), a
service's fee (``casework.forms.fees``), which version of a service a person
claims (``casework.forms.versions``) and the facilitator ladder. This module is
the one rule for all of them; ``casework.forms.place`` adds what the address
lookup knows and gives the case's nation.

The rule, from the most specific evidence down:

1. The country the address lookup returned (postcodes.io's ``country``, which
   comes from the ONS Postcode Directory for the full postcode) wins.
2. Otherwise the postcode *district* (the outward code, ``SY21``): a district
   that lies wholly in one nation says so; a district that straddles a border
   says the nation most of its addresses are in, marked ``uncertain`` with the
   other nation, so the screen can ask.
3. Otherwise the postcode *area* (the letters): Scottish, Welsh and Northern
   Irish areas are listed; every other area is in England.
4. Jersey, Guernsey and the Isle of Man (JE, GY, IM) are not in the UK: no nation.

Sources for the cross-border districts (checked against the post towns and
localities each district serves):

- Royal Mail / ONS Postcode Directory (ONSPD), the country of every postcode
  (what postcodes.io serves): https://geoportal.statistics.gov.uk/ (search "ONSPD")
- Wikipedia, List of postcode districts in the United Kingdom (post towns and
  localities per district): https://en.wikipedia.org/wiki/List_of_postcode_districts_in_the_United_Kingdom
- Wikipedia, CH, SY, LD, NP, HR, TD and CA postcode areas (coverage maps and
  the council areas each district falls in), e.g.
  https://en.wikipedia.org/wiki/CH_postcode_area, https://en.wikipedia.org/wiki/SY_postcode_area,
  https://en.wikipedia.org/wiki/TD_postcode_area

Straddling districts, with the places on each side (the first nation is where
most addresses are):

- CH4 (Chester south-west): Handbridge, Lache, Westminster Park (England);
  Saltney, Broughton, Penyffordd (Flintshire, Wales).
- SY10 (Oswestry rural): Oswestry villages (Shropshire, England);
  Llanrhaeadr-ym-Mochnant, Llansilin (Powys, Wales).
- SY13 (Whitchurch): Whitchurch, Prees (England); Bronington, Hanmer (Wrexham, Wales).
- SY14 (Malpas): Malpas, Tilston (Cheshire, England); Threapwood, Worthenbury area (Wales).
- SY15 (Montgomery): Montgomery, Churchstoke (Powys, Wales); Chirbury (Shropshire, England).
- SY22 (Llanfyllin): Llanfyllin, Llansantffraid (Wales); part of Llanymynech (England).
- LD7 (Knighton): Knighton (Powys, Wales); Bucknell, Stowe (Shropshire, England).
- LD8 (Presteigne): Presteigne (Powys, Wales); Titley, Byton area (Herefordshire, England).
- NP7 (Abergavenny): Abergavenny, Crickhowell (Wales); Walterstone area (Herefordshire, England).
- NP16 (Chepstow): Chepstow (Monmouthshire, Wales); Tutshill, Sedbury, Beachley (Glos., England).
- NP25 (Monmouth): Monmouth (Wales); Welsh Bicknor, Ganarew area (Herefordshire, England).
- HR2 (Hereford south-west): Golden Valley, Ewyas Harold (England); Llanthony (Wales).
- HR3 (Hay-on-Wye): Eardisley, Clifford, Whitney (England); Hay-on-Wye, Clyro (Powys, Wales).
- HR5 (Kington): Kington (England); Gladestry, Old Radnor (Powys, Wales).
- TD9 (Hawick): Hawick, Newcastleton (Scotland); Kielder fringe (England).
- TD12 (Coldstream): Coldstream (Scotland); Cornhill-on-Tweed, Wark (England).
- TD15 (Berwick-upon-Tweed): Berwick, Tweedmouth (England); Paxton, Foulden, Mordington (Scotland).
- CA6 (Longtown/Brampton rural): Longtown, Kirklinton (England); Liddesdale fringe (Scotland).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Nation(enum.StrEnum):
    """The four nations, each with its own bank holidays (and some fees)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class Evidence(enum.StrEnum):
    """What a placement rests on (the strongest first)."""

    ADDRESS_LOOKUP = "address-lookup"  # the country the lookup returned for the full postcode
    DISTRICT = "district"  # the outward code (SY21), from the table below
    AREA = "area"  # the area letters (SY)
    SERVICE = "service"  # a border district, settled by the nation the case's service serves


@dataclass(frozen=True)
class Placement:
    """The nation a postcode is in: ``nation`` (most addresses), whether that is
    ``uncertain`` (a district across a border) and the ``other`` nation then."""

    nation: Nation
    evidence: Evidence
    uncertain: bool = False
    other: Nation | None = None

    @property
    def candidates(self) -> tuple[Nation, ...]:
        """The nations the person may live in, the likeliest first."""
        return (self.nation,) if self.other is None else (self.nation, self.other)


E, W, S, NI = Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND

# Whole postcode areas outside England (everything else is England).
_AREAS = {a: S for a in ("AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY")}
_AREAS |= {a: S for a in ("ML", "PA", "PH", "TD", "ZE")}
_AREAS |= {a: W for a in ("CF", "LD", "LL", "NP", "SA")}
_AREAS["BT"] = NI
_OUTSIDE_UK = frozenset({"GY", "IM", "JE"})  # Crown Dependencies: none of the four nations

# Districts whose nation differs from their area's (the whole district).
_DISTRICTS: dict[str, Nation] = {f"CH{n}": W for n in range(5, 9)}  # Deeside, Mold, Holywell, Flint
_DISTRICTS |= {f"SY{n}": W for n in range(15, 26)}  # Montgomery to Ystrad Meurig

# Districts across a border: (most addresses, the other nation).
_STRADDLING: dict[str, tuple[Nation, Nation]] = {
    "CH4": (E, W),
    "SY10": (E, W),
    "SY13": (E, W),
    "SY14": (E, W),
    "SY15": (W, E),
    "SY22": (W, E),
    "LD7": (W, E),
    "LD8": (W, E),
    "NP7": (W, E),
    "NP16": (W, E),
    "NP25": (W, E),
    "HR2": (E, W),
    "HR3": (E, W),
    "HR5": (E, W),
    "TD9": (S, E),
    "TD12": (S, E),
    "TD15": (E, S),
    "CA6": (E, S),
}

# postcodes.io's ``country`` for each nation (the ONS names).
_COUNTRIES = {
    "england": E,
    "wales": W,
    "scotland": S,
    "northern ireland": NI,
}

# An outward code: area letters, district digits, an optional letter (EC1A, W1J).
_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)")
_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9]{1,2})")


def _outward(postcode: str) -> tuple[str, str] | None:
    """(area, district) of a postcode, or None when it does not start like one.

    A full postcode's inward code is always three characters (digit, two
    letters), so "SY101AA" is SY10 1AA; a bare outward code ("SY10") is taken whole.
    """
    compact = postcode.replace(" ", "").upper()
    if len(compact) >= 5 and re.fullmatch(r".*[0-9][A-Z]{2}", compact):
        outward = compact[:-3]
    else:
        outward = compact
    match = _OUTWARD.match(outward)
    if match is None:
        return None
    district = _DISTRICT.match(outward)
    return match.group(1), district.group(1) if district else outward


_DISTRICT_ONLY = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def postcode_or_district(text: str) -> str | None:
    """A whole postcode, normalised (``"ch5 1aa"`` -> ``"CH5 1AA"``), or a
    postcode district alone (``" sy16"`` -> ``"SY16"``), which is enough to
    place most addresses; None for anything else."""
    from casework.kernel.validators import normalise_postcode

    try:
        return normalise_postcode(text)
    except ValueError:
        district = text.strip().upper()  # "CH5 1" is half a postcode, not a district
        return district if _DISTRICT_ONLY.match(district) else None


def nation_of_country(country: str | None) -> Nation | None:
    """The nation a lookup's country names ("Wales"), or None (Channel Islands, unknown)."""
    if not country:
        return None
    return _COUNTRIES.get(country.strip().lower())


def place_postcode(postcode: str | None, country: str | None = None) -> Placement | None:
    """Where a postcode is: the lookup's ``country`` when given, else its district
    and area (None when there is no UK postcode to go on)."""
    known = nation_of_country(country)
    if known is not None:
        return Placement(known, Evidence.ADDRESS_LOOKUP)
    if not postcode:
        return None
    parts = _outward(postcode)
    if parts is None:
        return None
    area, district = parts
    if area in _OUTSIDE_UK:
        return None
    if district in _STRADDLING:
        likeliest, other = _STRADDLING[district]
        return Placement(likeliest, Evidence.DISTRICT, uncertain=True, other=other)
    if district in _DISTRICTS:
        return Placement(_DISTRICTS[district], Evidence.DISTRICT)
    return Placement(_AREAS.get(area, E), Evidence.AREA)


def nation_of_postcode(postcode: str | None, country: str | None = None) -> Nation | None:
    """The nation a postcode is in (most addresses, at a border), or None."""
    placement = place_postcode(postcode, country)
    return placement.nation if placement is not None else None


# ONS (GSS) area codes start with the nation's letter: E06000001, W06000015...
_GSS_PREFIX = {"E": E, "W": W, "S": S, "N": NI}


def nation_of_area(area: str) -> Nation | None:
    """The nation of a facilitator area key: a nation's name or an ONS council
    or region code (None for anything else)."""
    try:
        return Nation(area)
    except ValueError:
        pass
    if len(area) == 9 and area[0] in _GSS_PREFIX and area[1:].isdigit():
        return _GSS_PREFIX[area[0]]
    return None
