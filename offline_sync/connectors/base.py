"""What every connector offers the sync engine, and how it reports a failure.

A connector turns a claimed item into one platform request and classifies
what went wrong, because only it knows its platform's contract. The engine
decides when to try again.

No connector follows a redirect (``NoRedirects``): a POST answered with a
3xx, or a 2xx whose body is not what the platform's contract promises, did
not show that the platform holds the item. Both are uncertain outcomes,
handled like a timeout: the item is looked for (``find_existing``), then sent
again; the item is set aside (still in doubt) when such an answer comes
twice in a row once it has had ``UNCERTAIN_ATTEMPTS`` attempts.
"""

from __future__ import annotations

import enum
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies

from casework.kernel.i18n import _
from offline_sync.outbox import ClaimedItem
from offline_sync.records import Connector


class FailureKind(enum.StrEnum):
    """What the engine does about a failed attempt."""

    RETRY = "retry"  # timeouts, dropped connections, 5xx, 429: back off and try again
    RETRY_AT = "retry_at"  # a limit that resets at a known time (Notify's daily limit)
    SET_ASIDE = "set_aside"  # the platform refused this item (400/422): needs attention
    STOP_CONNECTOR = "stop_connector"  # bad key, wrong clock: nothing will work until fixed


@dataclass(frozen=True)
class Delivery:
    """What the platform says it holds for an item."""

    remote_id: str | None
    remote_status: str | None
    # True when nothing more will happen (delivered, or the platform gave up).
    final: bool = False
    # True when the platform gave up on it (permanent or technical failure).
    failed: bool = False
    message: str | None = None
    # A page the person opens to act on it (GOV.UK Pay's payment page), when there is one.
    link: str | None = None


class DeliveryFailed(Exception):
    """An attempt that did not get the item to the platform, classified."""

    def __init__(
        self,
        kind: FailureKind,
        error_type: str,
        message: str | Message,
        *,
        uncertain: bool = False,
        retry_after: float | None = None,
        retry_at: datetime | None = None,
        status_code: int | None = None,
        set_aside_after: int | None = None,
    ) -> None:
        super().__init__(f"{error_type}: {message}")
        self.kind = kind
        self.error_type = error_type
        # ``text`` keeps a Message untranslated (to show again in another language).
        self.text = message if isinstance(message, Message) else None
        self.message = str(message)
        # The platform may have acted on the request although we heard no answer.
        self.uncertain = uncertain
        self.retry_after = retry_after
        self.retry_at = retry_at
        self.status_code = status_code
        # Set the item aside (still in doubt) once it has had this many attempts and
        # the last one failed the same way: answers that do not mend by themselves.
        self.set_aside_after = set_aside_after


@dataclass(frozen=True)
class Message:
    r"""A sentence translated each time it is shown, so it follows a language switch.

    ``str(message)`` translates ``msgid`` into the current language and fills
    in ``args`` (which may be ``Message``\ s or ``ConnectorName``\ s themselves).
    """

    msgid: str
    args: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, msgid: str, **args: object) -> Message:
        return cls(msgid, tuple(sorted(args.items())))

    def __str__(self) -> str:
        return _(self.msgid).format(**{k: str(v) for k, v in self.args})


@dataclass(frozen=True)
class ConnectorName:
    """A connector's human name, translated when shown (see ``offline_sync.names``)."""

    value: str

    def __str__(self) -> str:
        from offline_sync.names import connector_name

        return connector_name(self.value)


class PlatformConnector(Protocol):
    """One platform endpoint family (Notify email, the submission API, ...).

    A connector whose platform can be asked whether it holds an item without
    sending it also has ``look_up(item) -> Delivery | None`` (Notify's
    reference search); the engine uses it for an item in doubt whose mandate
    has ended, which must never be sent again.
    """

    connector: Connector

    def send(self, item: ClaimedItem) -> Delivery:
        """Send the item's exact body once; raise ``DeliveryFailed`` when it did not go."""
        ...

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        """After an uncertain attempt: the platform's copy of this item, if it has one.

        Connectors whose platform honours an idempotency key return None: a
        resend with the same key is itself safe.
        """
        ...

    def poll(self, item: ClaimedItem) -> Delivery:
        """The current status of a sent item."""
        ...


def next_midnight_utc(now: datetime) -> datetime:
    """The next 00:00 UTC after ``now`` (when Notify's daily limits reset)."""
    day = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def clock_skew(date_header: str | None, now: datetime) -> float | None:
    """Seconds between our clock and a server's ``Date`` header (None if absent)."""
    if not date_header:
        return None
    try:
        theirs = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=UTC)
    return (now - theirs).total_seconds()


class ThreadSessions:
    """One ``requests.Session`` per thread (a session is not safe to share),
    each carrying the headers every request to that platform needs, and
    following no redirect (``NoRedirects``)."""

    def __init__(self, headers: Mapping[str, str] | None = None) -> None:
        self._headers = dict(headers or {})
        self._local = threading.local()

    def get(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = NoRedirects()
            session.headers.update(self._headers)
            self._local.session = session
        return session


# Attempts before a repeated redirect or unreadable answer sets an item aside.
UNCERTAIN_ATTEMPTS = 8


class NoRedirects(requests.Session):
    """A session that never follows a redirect: a 3xx comes back as the answer.

    Following one would turn a POST into a GET to another address (301, 302)
    or hand the body and its key to another host (307, 308); whatever answers
    there is not the platform.
    """

    def __init__(self) -> None:
        super().__init__()
        # What the environment says for each address (see merge_environment_settings).
        self._environment: dict[tuple[str, str, str | None], tuple[dict[str, str], Any]] = {}

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        """requests' own merge of the environment's proxies and CA bundle, read once
        per address for the session's life instead of on every request (reading
        every variable of the environment twice per request cost about as much as
        the engine's own bookkeeping of an item)."""
        if not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        key = (parts.scheme, parts.netloc, no_proxy)
        if key not in self._environment:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            self._environment[key] = (get_environ_proxies(url, no_proxy=no_proxy), bundle)
        env_proxies, bundle = self._environment[key]
        if proxies is not None:
            for name, proxy in env_proxies.items():
                proxies.setdefault(name, proxy)
        if verify is True or verify is None:
            verify = bundle or verify
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }


class Redirected(requests.RequestException):
    """A 3xx answer, raised where a client would otherwise read its body as a reply."""


def refuse_redirects(response: requests.Response, *args: object, **kwargs: object) -> None:
    """A response hook: raise ``Redirected`` for any 3xx answer."""
    if response.is_redirect or 300 <= response.status_code < 400:
        raise Redirected(response=response)


def is_redirect(response: requests.Response | None) -> bool:
    return response is not None and 300 <= response.status_code < 400


def redirect_failure(
    platform: str, response: requests.Response, *, sending: bool
) -> DeliveryFailed:
    """A 3xx answer: uncertain while sending (the platform may hold it), retried."""
    where = urlsplit(response.headers.get("Location") or "").hostname or _("an unknown address")
    if sending:
        message = _(
            "{platform} answered with a redirect to another address ({address}), so we cannot "
            "tell whether it received what was sent. It will be checked before it is tried again."
        ).format(platform=platform, address=where)
    else:
        message = _(
            "{platform} answered with a redirect to another address ({address}). It will be "
            "asked again."
        ).format(platform=platform, address=where)
    return DeliveryFailed(
        FailureKind.RETRY,
        "Redirect",
        message,
        uncertain=sending,
        status_code=response.status_code,
        set_aside_after=UNCERTAIN_ATTEMPTS if sending else None,
    )


def unexpected_reply(platform: str, status: int, *, sending: bool, problem: str) -> DeliveryFailed:
    """A 2xx whose body is not the contract's: uncertain while sending, retried."""
    if sending:
        message = _(
            "{platform} answered (HTTP {status}) but not as its rules say it must "
            "({problem}), so we cannot tell whether it received what was sent. It will be "
            "checked before it is tried again."
        ).format(platform=platform, status=status, problem=problem)
    else:
        message = _(
            "{platform} answered (HTTP {status}) but not as its rules say it must "
            "({problem}). It will be asked again."
        ).format(platform=platform, status=status, problem=problem)
    return DeliveryFailed(
        FailureKind.RETRY,
        "InvalidResponse",
        message,
        uncertain=sending,
        status_code=status,
        set_aside_after=UNCERTAIN_ATTEMPTS if sending else None,
    )
