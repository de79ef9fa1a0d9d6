""" "Test connection": one real, cheap, authenticated request to a platform.

Nothing is created on the platform:

- GOV.UK Notify: a search for messages by a reference nobody uses
  (``GET /v2/notifications?reference=...``, through the official client, so
  the JSON Web Token is made exactly as when sending);
- GOV.UK Pay: ``GET /v1/payments/{id}`` for an id that does not exist (a 404
  with Pay's own error body means the key was accepted);
- the department submission API: ``POST /v1/submissions`` with no
  ``Idempotency-Key`` (our contract refuses it with 422 S0101 after checking
  the token, and stores nothing);
- OS Places (address lookup): one postcode search for one address, the key
  in the ``key`` header (not the address, so it is not in a server's logs);
- postcodes.io (postcode checks, no key): ``GET /postcodes/{postcode}/validate``.

Each outcome becomes one plain sentence saying what to do: a refused key, a
wrong clock, an address that is not the platform, or no network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from casework.kernel.i18n import _
from offline_sync.address.platforms import OS_PLACES_URL, POSTCODES_IO_URL
from offline_sync.connectors.base import NoRedirects, Redirected, is_redirect, refuse_redirects
from offline_sync.connectors.notify import DEFAULT_BASE_URL as NOTIFY_URL
from offline_sync.connectors.pay import DEFAULT_BASE_URL as PAY_URL
from offline_sync.records import ConnectionCheck

log = logging.getLogger("alongside.sync")

CHECK_REFERENCE = "alongside-connection-check"
CHECK_PAYMENT_ID = "alongsideconnectioncheck00"
CHECK_POSTCODE = "SW1A 1AA"


@dataclass(frozen=True)
class Platform:
    """A platform the settings page configures: one address and one secret."""

    name: str  # keyring entry and settings prefix
    title: str
    default_url: str
    example_url: str
    credential: str = ""  # the keyring entry, when not ``name``
    needs_key: bool = True

    @property
    def key_name(self) -> str:
        return self.credential or self.name


def platforms() -> list[Platform]:
    """The platforms with settings, in the order the settings page shows them."""
    return [
        Platform("notify", _("GOV.UK Notify (email and text messages)"), NOTIFY_URL, NOTIFY_URL),
        Platform(
            "submission_api",
            _("Department form submissions"),
            "",
            "https://submissions.example.gov.uk",
        ),
        Platform("pay", _("GOV.UK Pay (payment requests)"), PAY_URL, PAY_URL),
        Platform(
            "os_places",
            _("OS Places (address lookup)"),
            OS_PLACES_URL,
            OS_PLACES_URL,
            credential="address_lookup",
        ),
        Platform(
            "postcodes_io",
            _("postcodes.io (postcode checks)"),
            POSTCODES_IO_URL,
            POSTCODES_IO_URL,
            needs_key=False,
        ),
    ]


def platform(name: str) -> Platform:
    for known in platforms():
        if known.name == name:
            return known
    raise KeyError(name)


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be a platform's address, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _("Enter a web address that starts with https://, like {example}.")
    if parts.query or parts.fragment:
        return _("Enter the address without anything after a ? or #, like {example}.")
    return None


def check(name: str, base_url: str, secret: str, timeout: float) -> ConnectionCheck:
    """Make the platform's test request; never raises for network trouble."""
    known = platform(name)
    url = base_url.rstrip("/")
    problem = check_url(url)
    if problem:
        return ConnectionCheck(False, problem.format(example=known.example_url))
    probe: Callable[[str, str, float], requests.Response | None] = {
        "notify": _notify,
        "pay": _pay,
        "submission_api": _submission,
        "os_places": _os_places,
        "postcodes_io": _postcodes_io,
    }[name]
    try:
        response = probe(url, secret, timeout)
    except Redirected as exc:  # the Notify client meets a 3xx as an exception
        assert exc.response is not None
        return ConnectionCheck(False, _redirected(known, url, exc.response))
    except requests.RequestException as exc:
        return ConnectionCheck(False, _network(exc, url, timeout))
    except _NotifyRefused as exc:
        return ConnectionCheck(False, exc.message)
    if response is None:
        return ConnectionCheck(
            True, _("Connected to {title}: the key works.").format(title=known.title)
        )
    return _judge(known, url, response)


# -- the requests --------------------------------------------------------------------


class _NotifyRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _notify(url: str, secret: str, timeout: float) -> requests.Response | None:
    """None when Notify answered the search; its response when it refused."""
    from notifications_python_client.errors import APIError
    from notifications_python_client.notifications import NotificationsAPIClient

    if len(secret) < 74:
        # The client reads the service id and secret from the key's last 73 characters.
        raise _NotifyRefused(
            _(
                "That is not a whole GOV.UK Notify API key: a key is the key name followed by "
                "two long codes, 74 characters or more. Copy the whole key from Notify's "
                "'API integration' page and save it again."
            )
        )
    client: Any = NotificationsAPIClient  # the official client is untyped
    client = client(secret, base_url=url, timeout=timeout)
    # As the connector does: a 3xx is never followed, nor read as Notify's answer.
    client.request_session = NoRedirects()
    client.request_session.hooks["response"].append(refuse_redirects)
    try:
        client.get_all_notifications(reference=CHECK_REFERENCE)
    except APIError as exc:
        if exc.response is None:
            cause = exc.__cause__
            if isinstance(cause, requests.RequestException):
                raise cause from None
            raise requests.ConnectionError(str(exc)) from None
        response: requests.Response = exc.response
        return response
    except ValueError:
        # A 200 reply that is not JSON: something else answered at this address.
        fake = requests.Response()
        fake.status_code = 200
        fake._content = b""
        return fake
    return None


def _pay(url: str, secret: str, timeout: float) -> requests.Response:
    with NoRedirects() as session:
        return session.get(
            f"{url}/v1/payments/{CHECK_PAYMENT_ID}",
            headers={"Authorization": f"Bearer {secret}", "Accept": "application/json"},
            timeout=timeout,
        )


def _submission(url: str, secret: str, timeout: float) -> requests.Response:
    with NoRedirects() as session:
        return session.post(
            f"{url}/v1/submissions",
            data=b"{}",
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            timeout=timeout,
        )


def _os_places(url: str, secret: str, timeout: float) -> requests.Response:
    with NoRedirects() as session:
        return session.get(
            f"{url}/search/places/v1/postcode",
            params={"postcode": CHECK_POSTCODE, "maxresults": "1"},
            headers={"key": secret, "Accept": "application/json"},
            timeout=timeout,
        )


def _postcodes_io(url: str, _secret: str, timeout: float) -> requests.Response:
    with NoRedirects() as session:
        return session.get(
            f"{url}/postcodes/{CHECK_POSTCODE.replace(' ', '')}/validate",
            headers={"Accept": "application/json"},
            timeout=timeout,
        )


# -- what the answers mean ---------------------------------------------------------------


def _json(response: requests.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _judge(known: Platform, url: str, response: requests.Response) -> ConnectionCheck:
    status = response.status_code
    if is_redirect(response):
        return ConnectionCheck(False, _redirected(known, url, response))
    body = _json(response)
    title = known.title
    works = _("Connected to {title}: the key works.").format(title=title)
    if status >= 500:
        return ConnectionCheck(
            False,
            _(
                "{title} answered but had a problem of its own (HTTP {status}). "
                "Your settings may be right: try again in a few minutes."
            ).format(title=title, status=status),
        )
    if known.name == "notify":
        return _judge_notify(known, url, response, body)
    if known.name == "postcodes_io":
        if status == 200 and isinstance(body, dict) and isinstance(body.get("result"), bool):
            return ConnectionCheck(True, _("Connected to {title}: it answers.").format(title=title))
        return ConnectionCheck(False, _wrong_address(known, url, status))
    if known.name == "os_places" and status == 200:
        if isinstance(body, dict) and isinstance(body.get("header"), dict):
            return ConnectionCheck(True, works)
        return ConnectionCheck(False, _wrong_address(known, url, status))
    if status == 401:
        return ConnectionCheck(
            False,
            _(
                "{title} refused the key. Check you copied the whole key, that it has not "
                "been revoked, and that it is for this address ({url}), then save it again."
            ).format(title=title, url=url),
        )
    # Each platform's own error codes: P.... from Pay, S.... from the submission API.
    code = str(body.get("code", "")) if isinstance(body, dict) else ""
    if known.name == "pay" and (status == 200 or (status == 404 and code.startswith("P"))):
        return ConnectionCheck(True, works)
    if known.name == "submission_api" and status == 422 and code.startswith("S01"):
        return ConnectionCheck(True, works)
    return ConnectionCheck(False, _wrong_address(known, url, status))


def _judge_notify(
    known: Platform, url: str, response: requests.Response, body: object
) -> ConnectionCheck:
    status = response.status_code
    errors = body.get("errors") if isinstance(body, dict) else None
    detail = ""
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        detail = str(errors[0].get("message", ""))
    if status in (401, 403) and errors:
        if "clock" in detail.lower() or "expired" in detail.lower():
            return ConnectionCheck(
                False,
                _(
                    "GOV.UK Notify refused the request because this computer's clock is wrong: "
                    "it must be within 30 seconds of the real time. Check the date, time and "
                    "time zone in this computer's settings, then test again."
                ),
            )
        return ConnectionCheck(
            False,
            _(
                "GOV.UK Notify refused the API key ({detail}). Check you copied the whole key "
                "and that it is a current live or team key for this service, then save it again."
            ).format(detail=detail or status),
        )
    return ConnectionCheck(False, _wrong_address(known, url, status))


def _redirected(known: Platform, url: str, response: requests.Response) -> str:
    where = urlsplit(response.headers.get("Location") or "").hostname or _("an unknown address")
    return _(
        "{url} did not answer as {title}: it sent Alongside on to another address ({address}). "
        "Alongside never follows such a redirect, so that nothing is sent somewhere else. Set "
        "the address {title} itself gives; it should look like {example}."
    ).format(url=url, title=known.title, address=where, example=known.example_url)


def _wrong_address(known: Platform, url: str, status: int) -> str:
    return _(
        "Something answered at {url}, but not as {title} does (HTTP {status}). Check the "
        "address: it should look like {example}."
    ).format(url=url, title=known.title, status=status, example=known.example_url)


def _network(exc: requests.RequestException, url: str, timeout: float) -> str:
    host = urlsplit(url).hostname or url
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        return _(
            "{host} did not answer within {seconds} seconds. Check this computer is online "
            "(Wi-Fi or cable), then test again."
        ).format(host=host, seconds=round(timeout))
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return _(
            "The server {host} could not be found. Check this computer is online, and check "
            "the address is spelt right."
        ).format(host=host)
    if isinstance(exc, requests.ConnectionError):
        return _(
            "Could not connect to {host}: nothing answered. Check this computer is online, "
            "and check the address (and port) is right."
        ).format(host=host)
    log.info("connection check failed: %s", type(exc).__name__)
    return _("Could not connect to {host} ({reason}). Check the address, then test again.").format(
        host=host, reason=type(exc).__name__
    )
