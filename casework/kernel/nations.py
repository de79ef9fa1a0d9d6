"""The four nations of the UK, and which one a postcode is in.

Rules differ by nation: bank holidays (``casework.escalation.sla``) and a
service's fee (``casework.forms.fees``). A postcode's area letters say its
nation: Scottish, Welsh and Northern Irish areas are listed; everything else
is in England.
"""

from __future__ import annotations

import enum
import re


class Nation(enum.StrEnum):
    """The four nations, each with its own bank holidays (and some fees)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


# Scottish, Welsh and Northern Irish postcode areas; everything else is in England.
_SCOTLAND = {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH"}
_SCOTLAND |= {"TD", "ZE"}
_WALES = {"CF", "LD", "LL", "NP", "SA"}
_POSTCODE_AREA = re.compile(r"^([A-Z]{1,2})[0-9]")


def nation_of_postcode(postcode: str | None) -> Nation | None:
    """The nation a postcode is in, by its area letters (None when there is none)."""
    if not postcode:
        return None
    match = _POSTCODE_AREA.match(postcode.replace(" ", "").upper())
    if match is None:
        return None
    area = match.group(1)
    if area == "BT":
        return Nation.NORTHERN_IRELAND
    if area in _SCOTLAND:
        return Nation.SCOTLAND
    if area in _WALES:
        return Nation.WALES
    return Nation.ENGLAND
