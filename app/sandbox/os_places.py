"""An OS Places API fake: postcode search with OS's key, errors and response shape.

``GET /search/places/v1/postcode?postcode=…&key=…`` (the key may also come
as a ``key`` header). Optional ``maxresults`` (1-100, default 100),
``offset``, ``dataset`` (DPA or LPI; only DPA records here) and ``output_srs``.
The reply has a ``header`` (``uri``, ``query``, ``offset``,
``totalresults``, ``format``, ``dataset``, ``lr``, ``maxresults``, ``epoch``,
``lastupdate``, ``output_srs``) and, only when something matches,
``results: [{"DPA": {UPRN, ADDRESS, BUILDING_NUMBER, THOROUGHFARE_NAME,
POST_TOWN, POSTCODE, ...}}]``. A postcode too short or malformed gets 400
``{"error": {"statuscode": 400, "message": ...}}``; a missing or wrong key
401 ``{"fault": {...}}``; more than the per-minute quota 429. UPRNs are
strings unless ``uprn_as_int`` (OS documents both).
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qs

from app.sandbox.addresses import AddressBook, canonical
from app.sandbox.server import FakePlatform, Reply, Request

PATH = "/search/places/v1/postcode"
# At least the district and one digit of the sector, e.g. "SO16 0".
SHORTEST = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9]")


class FakeOSPlaces(FakePlatform):
    name = "os_places"

    def __init__(
        self,
        *,
        book: AddressBook | None = None,
        per_minute: int = 600,
        slow_seconds: float = 2.0,
    ) -> None:
        super().__init__(slow_seconds=slow_seconds)
        self.api_key = secrets.token_hex(16)
        self.book = book or AddressBook()
        self.per_minute = per_minute
        self.uprn_as_int = False
        self.requests_received = 0
        self._window: list[float] = []

    @staticmethod
    def fault(status: int, text: str, code: str) -> Reply:
        return Reply.json(status, {"fault": {"faultstring": text, "detail": {"errorcode": code}}})

    @staticmethod
    def error(status: int, message: str) -> Reply:
        return Reply.json(status, {"error": {"statuscode": status, "message": message}})

    def server_error(self) -> Reply:
        return self.error(500, "Internal server error")

    def rate_limited(self) -> Reply:
        return self.fault(
            429,
            "Rate limit quota violation. Quota limit exceeded.",
            "policies.ratelimit.QuotaViolation",
        )

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests_received += 1
        params = {k: v[0] for k, v in parse_qs(request.query, keep_blank_values=True).items()}
        key = params.get("key") or request.header("key")
        if not key:
            return self.fault(
                401,
                "Failed to resolve API Key variable request.queryparam.key",
                "steps.oauth.v2.FailedToResolveAPIKey",
            )
        if key != self.api_key:
            return self.fault(401, "Invalid ApiKey", "oauth.v2.InvalidApiKey")
        if request.method != "GET" or request.path != PATH:
            return self.error(404, "Resource not found")
        if not self._within_quota():
            return self.rate_limited()
        postcode = params.get("postcode", "").strip().upper()
        if not SHORTEST.match(postcode):
            return self.error(
                400,
                "Requested postcode must contain a minimum of the sector plus 1 digit of the "
                f"district e.g. SO1. Requested postcode was {postcode}",
            )
        try:
            maxresults = int(params.get("maxresults", "100"))
            offset = int(params.get("offset", "0"))
        except ValueError:
            return self.error(400, "Requested maxresults and offset must be whole numbers")
        if not 1 <= maxresults <= 100:
            return self.error(
                400, f"Requested maxresults value {maxresults} is out of range (1 - 100)"
            )
        dataset = params.get("dataset", "DPA")
        full = canonical(postcode)
        found = self.book.addresses(full) if full is not None and "DPA" in dataset else []
        page = found[offset : offset + maxresults]
        header = {
            "uri": f"{self.url}{PATH}?postcode={postcode}",
            "query": f"postcode={postcode}",
            "offset": offset,
            "totalresults": len(found),
            "format": "JSON",
            "dataset": dataset,
            "lr": params.get("lr", "EN,CY"),
            "maxresults": maxresults,
            "epoch": "118",
            "lastupdate": "2026-11-14",
            "output_srs": params.get("output_srs", "EPSG:27700"),
        }
        body: dict[str, Any] = {"header": header}
        if page:  # as OS: no "results" key at all when nothing matches
            body["results"] = [{"DPA": self._dpa(a)} for a in page]
        return Reply.json(200, body)

    def _dpa(self, address: Any) -> dict[str, Any]:
        uprn: str | int = int(address.uprn) if self.uprn_as_int else address.uprn
        record: dict[str, Any] = {
            "UPRN": uprn,
            "UDPRN": str(int(address.uprn) % 100_000_000),
            "ADDRESS": address.single_line,
            "BUILDING_NUMBER": address.number,
            "THOROUGHFARE_NAME": address.street,
            "POST_TOWN": address.town,
            "POSTCODE": address.postcode,
            "STATUS": "APPROVED",
            "LOGICAL_STATUS_CODE": "1",
            "CLASSIFICATION_CODE": "RD04",
            "CLASSIFICATION_CODE_DESCRIPTION": "Terraced",
            "COUNTRY_CODE": "W" if address.town in ("CARDIFF", "SWANSEA", "BANGOR") else "E",
            "POSTAL_ADDRESS_CODE": "D",
            "LANGUAGE": "EN",
            "MATCH": 1.0,
            "MATCH_DESCRIPTION": "EXACT",
        }
        if address.organisation:
            record["ORGANISATION_NAME"] = address.organisation
        return record

    def _within_quota(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self._window = [t for t in self._window if now - t < 60]
            if len(self._window) >= self.per_minute:
                return False
            self._window.append(now)
            return True
