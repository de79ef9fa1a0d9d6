"""The sandbox's address book, shared by the OS Places and postcodes.io fakes.

Every well-formed UK postcode "exists" and holds a few made-up addresses,
drawn from the postcode itself so the same postcode always gives the same
street (the demo's random postcodes then look up as a newcomer expects).
Postcodes in the ``ZZ`` area, which Royal Mail does not use, exist nowhere.
Tests add exact addresses with ``AddressBook.add``.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from dataclasses import dataclass

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9][A-Z]{2})$")
STREETS = ("High Street", "Church Road", "Heol y Frenhines", "Station Road", "Mill Lane",
           "Ffordd yr Eglwys", "Park Avenue", "Victoria Road")  # fmt: skip
TOWNS = ("CARDIFF", "SWANSEA", "BANGOR", "NEWPORT", "ABERYSTWYTH", "BIRMINGHAM", "LEEDS")
COUNTRIES = {"CARDIFF": "Wales", "SWANSEA": "Wales", "BANGOR": "Wales", "NEWPORT": "Wales",
             "ABERYSTWYTH": "Wales", "BIRMINGHAM": "England", "LEEDS": "England"}  # fmt: skip

AREA_TOWNS = {"CF": "CARDIFF", "SA": "SWANSEA", "LL": "BANGOR", "NP": "NEWPORT",
              "SY": "ABERYSTWYTH", "B": "BIRMINGHAM", "LS": "LEEDS"}  # fmt: skip


def canonical(text: str) -> str | None:
    """``"cf101aa"`` -> ``"CF10 1AA"``; None when it is not a UK postcode's shape."""
    squashed = re.sub(r"\s+", "", text.upper())
    match = POSTCODE.match(f"{squashed[:-3]} {squashed[-3:]}")
    return None if match is None else f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class Address:
    uprn: str
    number: str
    street: str
    town: str
    postcode: str
    organisation: str = ""

    @property
    def single_line(self) -> str:
        parts = [self.organisation, f"{self.number}, {self.street}".strip(", "), self.town]
        return ", ".join(p for p in parts if p) + f", {self.postcode}"


class AddressBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._added: dict[str, list[Address]] = {}

    def add(self, postcode: str, addresses: list[Address]) -> None:
        key = canonical(postcode)
        assert key is not None, postcode
        with self._lock:
            self._added[key] = list(addresses)

    def exists(self, postcode: str) -> bool:
        key = canonical(postcode)
        return key is not None and (key in self._added or not key.startswith("ZZ"))

    def town(self, postcode: str) -> str:
        area = re.match(r"^[A-Z]+", postcode.upper())
        if area is not None and area.group(0) in AREA_TOWNS:
            return AREA_TOWNS[area.group(0)]
        return self._rng(postcode).choice(TOWNS)

    def addresses(self, postcode: str) -> list[Address]:
        key = canonical(postcode)
        if key is None or not self.exists(key):
            return []
        with self._lock:
            if key in self._added:
                return list(self._added[key])
        rng = self._rng(key)
        street, town = rng.choice(STREETS), self.town(key)
        first = rng.randrange(1, 60)
        return [
            Address(str(10_000_000_000 + rng.randrange(10**10)), str(n), street.upper(), town, key)
            for n in range(first, first + rng.randrange(3, 9))
        ]

    @staticmethod
    def _rng(postcode: str) -> random.Random:
        seed = int.from_bytes(hashlib.sha256(postcode.encode()).digest()[:8], "big")
        return random.Random(seed)
