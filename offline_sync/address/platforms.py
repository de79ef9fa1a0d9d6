"""Address lookup: OS Places for addresses at a postcode, postcodes.io for the area.

OS Places: ``GET /search/places/v1/postcode?postcode=…&key=…`` answers a
``header`` and, only when something matches, ``results[].DPA`` records
(``UPRN`` may be a string or an integer). 400 means the postcode is not one
(this lookup only), 401 a bad key (stop), 429 and 5xx try again.
postcodes.io needs no key: ``GET /postcodes/{pc}/validate`` and
``GET /postcodes/{pc}``; a 404 means no such postcode.

Lookups change nothing on the platform, so repeating one is always safe:
there is nothing to search for after a lost reply. Redirects are not
followed, not even to the same host (``NoRedirects``): a 3xx is a failed
lookup, tried again later, and the address stays as typed meanwhile. The outbox's side, which
looks up a postcode queued while offline and puts the answer in the local
cache, is ``offline_sync.address.connector``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from casework.kernel.i18n import N_, _
from casework.kernel.models import utcnow
from offline_sync.address.records import AddressMatch, PostcodeArea
from offline_sync.connectors.base import (
    DeliveryFailed,
    FailureKind,
    Message,
    ThreadSessions,
    parse_retry_after,
    redirect_failure,
)

OS_PLACES_URL = "https://api.os.uk"
POSTCODES_IO_URL = "https://api.postcodes.io"
OS_PATH = "/search/places/v1/postcode"


def _network_failure(exc: requests.RequestException, service: str) -> DeliveryFailed:
    if isinstance(exc, requests.Timeout):
        return DeliveryFailed(
            FailureKind.RETRY,
            "Timeout",
            _("{service} did not answer in time.").format(service=service),
        )
    return DeliveryFailed(
        FailureKind.RETRY,
        "ConnectionError",
        _("{service} could not be reached.").format(service=service),
    )


def _json(response: requests.Response, service: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise DeliveryFailed(
            FailureKind.RETRY,
            f"HTTP{response.status_code}",
            _("{service} sent a reply that is not JSON (HTTP {status}).").format(
                service=service, status=response.status_code
            ),
            status_code=response.status_code,
        ) from None


def _busy_or_broken(response: requests.Response, service: str, now: datetime) -> DeliveryFailed:
    status = response.status_code
    if 300 <= status < 400:
        return redirect_failure(service, response, sending=False)
    if status == 429:
        return DeliveryFailed(
            FailureKind.RETRY,
            "RateLimitError",
            _("{service} is busy (too many lookups); it will be tried again.").format(
                service=service
            ),
            retry_after=parse_retry_after(response.headers.get("Retry-After"), now),
            status_code=status,
        )
    is_json = "json" in response.headers.get("Content-Type", "")
    return DeliveryFailed(
        FailureKind.RETRY,
        f"HTTP{status}",
        (
            _("{service} had a problem (HTTP {status}).")
            if is_json
            else _("{service} sent a reply that is not JSON (HTTP {status}).")
        ).format(service=service, status=status),
        status_code=status,
    )


class _JsonLookup:
    """A lookup service answering JSON to plain GETs: its session per thread, its
    timeout, and a lost connection told as a failure to try again."""

    def __init__(self, url: str, timeout: float, clock: Callable[[], datetime]) -> None:
        self._url = url
        self._timeout = timeout
        self._clock = clock
        self._sessions = ThreadSessions({"Accept": "application/json"})

    def _get(
        self, service: str, path: str = "", params: dict[str, str] | None = None
    ) -> requests.Response:
        try:
            return self._sessions.get().get(self._url + path, params=params, timeout=self._timeout)
        except requests.RequestException as exc:
            raise _network_failure(exc, service) from exc


class OSPlaces(_JsonLookup):
    """The OS Places API's postcode search."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = OS_PLACES_URL,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(base_url.rstrip("/") + OS_PATH, timeout, clock)
        self._key = api_key

    def __repr__(self) -> str:  # never show the key
        return f"OSPlaces(url={self._url!r})"

    def postcode(self, postcode: str) -> list[AddressMatch]:
        """Every address (DPA record) at a full postcode, in OS's order."""
        service = _("OS Places")
        matches: list[AddressMatch] = []
        offset = 0
        while True:
            response = self._get(
                service,
                params={"postcode": postcode, "key": self._key, "maxresults": "100",
                        "offset": str(offset), "dataset": "DPA"},
            )  # fmt: skip
            if response.status_code == 400:
                body = _json(response, service)
                error = body.get("error", {}) if isinstance(body, dict) else {}
                raise DeliveryFailed(
                    FailureKind.SET_ASIDE,
                    "BadPostcode",
                    str(error.get("message") or _("OS Places says this is not a postcode.")),
                    status_code=400,
                )
            if response.status_code in (401, 403):
                raise DeliveryFailed(
                    FailureKind.STOP_CONNECTOR,
                    "AuthError",
                    Message.of(
                        N_(
                            "OS Places refused the API key (HTTP {status}). Check the key saved "
                            "for address_lookup is a current OS Data Hub project key with the "
                            "Places API added, then try again."
                        ),
                        status=response.status_code,
                    ),
                    status_code=response.status_code,
                )
            if response.status_code != 200:
                raise _busy_or_broken(response, service, self._clock())
            body = _json(response, service)
            results = body.get("results", []) if isinstance(body, dict) else []
            for result in results:
                dpa = result.get("DPA") if isinstance(result, dict) else None
                if isinstance(dpa, dict):
                    matches.append(_match(dpa))
            total = int((body.get("header") or {}).get("totalresults", 0) or 0)
            offset += len(results)
            if not results or offset >= total:
                return matches


def _lines(dpa: dict[str, Any]) -> list[str]:
    """The address lines before the town, from DPA's parts (or its ADDRESS text)."""

    def part(key: str) -> str:
        return str(dpa.get(key) or "").strip()

    street = " ".join(
        p for p in (part("BUILDING_NUMBER"), part("DEPENDENT_THOROUGHFARE_NAME")) if p
    )
    thoroughfare = part("THOROUGHFARE_NAME")
    if thoroughfare:
        street = (
            f"{street}, {thoroughfare}"
            if part("DEPENDENT_THOROUGHFARE_NAME")
            else (f"{street} {thoroughfare}".strip())
        )
    structured = [
        part("ORGANISATION_NAME"), part("SUB_BUILDING_NAME"), part("BUILDING_NAME"), street,
        part("DOUBLE_DEPENDENT_LOCALITY"), part("DEPENDENT_LOCALITY"),
    ]  # fmt: skip
    lines = [line for line in structured if line]
    if lines:
        return lines
    # ADDRESS is "…, TOWN, POSTCODE": the lines are what comes before the town.
    parts = [p.strip() for p in str(dpa.get("ADDRESS", "")).split(",") if p.strip()]
    for tail in (part("POSTCODE"), part("POST_TOWN")):
        if parts and parts[-1] == tail:
            parts.pop()
    joined: list[str] = []
    for piece in parts:  # "12, HIGH STREET" reads "12 HIGH STREET"
        if joined and joined[-1].isdigit():
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def _match(dpa: dict[str, Any]) -> AddressMatch:
    return AddressMatch(
        uprn=str(dpa.get("UPRN", "")),
        single_line=str(dpa.get("ADDRESS", "")),
        lines=tuple(_lines(dpa)),
        town=str(dpa.get("POST_TOWN", "")),
        postcode=str(dpa.get("POSTCODE", "")),
    )


class PostcodesIO(_JsonLookup):
    """postcodes.io: is this a postcode, and where is it?"""

    def __init__(
        self,
        *,
        base_url: str = POSTCODES_IO_URL,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(base_url.rstrip("/"), timeout, clock)

    def __repr__(self) -> str:
        return f"PostcodesIO(url={self._url!r})"

    def validate(self, postcode: str) -> bool:
        response = self._get("postcodes.io", f"/postcodes/{quote(postcode)}/validate")
        if response.status_code != 200:
            raise _busy_or_broken(response, "postcodes.io", self._clock())
        body = _json(response, "postcodes.io")
        return bool(isinstance(body, dict) and body.get("result") is True)

    def area(self, postcode: str) -> PostcodeArea | None:
        """The postcode's area, or None when there is no such postcode."""
        response = self._get("postcodes.io", f"/postcodes/{quote(postcode)}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _busy_or_broken(response, "postcodes.io", self._clock())
        body = _json(response, "postcodes.io")
        result = body.get("result") if isinstance(body, dict) else None
        if not isinstance(result, dict):
            return None

        def text(key: str) -> str | None:
            value = result.get(key)
            return None if value is None else str(value)

        return PostcodeArea(
            postcode=text("postcode") or postcode,
            country=text("country"),
            region=text("region"),
            district=text("admin_district"),
            ward=text("admin_ward"),
        )
