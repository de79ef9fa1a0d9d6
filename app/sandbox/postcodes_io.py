"""A postcodes.io fake: postcode validation and area data, no key, no addresses.

``GET /postcodes/{postcode}/validate`` answers ``{"status": 200, "result":
true|false}``. ``GET /postcodes/{postcode}`` answers ``{"status": 200,
"result": {postcode, country, region, admin_district, admin_ward, parish,
longitude, latitude, codes, ...}}``, or 404 ``{"status": 404, "error":
"Invalid postcode"}`` for a malformed one and ``"Postcode not found"`` for a
well-formed one that does not exist. Spaces in the path are optional.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from app.sandbox.addresses import COUNTRIES, AddressBook, canonical
from app.sandbox.server import FakePlatform, Reply, Request


class FakePostcodesIO(FakePlatform):
    name = "postcodes_io"

    def __init__(self, *, book: AddressBook | None = None, slow_seconds: float = 2.0) -> None:
        super().__init__(slow_seconds=slow_seconds)
        self.book = book or AddressBook()
        self.requests_received = 0

    def server_error(self) -> Reply:
        return Reply.json(500, {"status": 500, "error": "Internal server error"})

    def rate_limited(self) -> Reply:
        return Reply.json(429, {"status": 429, "error": "Too many requests"})

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests_received += 1
        parts = [unquote(p) for p in request.path.split("/") if p]
        if request.method != "GET" or not parts or parts[0] != "postcodes" or len(parts) < 2:
            return Reply.json(404, {"status": 404, "error": "Resource not found"})
        postcode = parts[1]
        full = canonical(postcode)
        if len(parts) == 3 and parts[2] == "validate":
            return Reply.json(
                200, {"status": 200, "result": full is not None and self.book.exists(full)}
            )
        if len(parts) != 2:
            return Reply.json(404, {"status": 404, "error": "Resource not found"})
        if full is None:
            return Reply.json(404, {"status": 404, "error": "Invalid postcode"})
        if not self.book.exists(full):
            return Reply.json(404, {"status": 404, "error": "Postcode not found"})
        return Reply.json(200, {"status": 200, "result": self._area(full)})

    def _area(self, postcode: str) -> dict[str, Any]:
        town = self.book.town(postcode).title()
        country = COUNTRIES.get(town.upper(), "England")
        return {
            "postcode": postcode,
            "quality": 1,
            "country": country,
            "nhs_ha": "Sandbox",
            "longitude": -3.18,
            "latitude": 51.48,
            "region": None if country == "Wales" else "West Midlands",
            "admin_district": town,
            "parish": None,
            "admin_county": None,
            "admin_ward": f"{town} Central",
            "parliamentary_constituency": f"{town} Central",
            "codes": {"admin_district": "W06000015" if country == "Wales" else "E08000025"},
        }
