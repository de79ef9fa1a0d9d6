"""GOV.UK Notify: email, text messages and precompiled letters through the official client.

Notify has no idempotency key. Every item's id travels as ``reference``, and
after any attempt whose outcome we did not hear (a timeout, a dropped
connection, a 5xx) the engine asks ``find_existing`` to search by that
reference before it sends again, and adopts the message Notify already has.

A precompiled letter (``{reference, content, postage}``, the PDF in base64)
is checked here before it goes, with the check paper hands in
(``casework.paper.letter.check_letter``, given as ``letter_check``):
Notify checks the layout only after its 201, so a letter it would refuse is
set aside with the reasons instead. A letter is final once Notify has
``received`` it (printed and posted) or given up on it.

The official client is not thread-safe, so each thread gets its own. It turns
timeouts and connection errors into ``HTTP503Error`` with no response; the
original exception is kept as its cause. Its session follows no redirect
and raises on any 3xx (``NoRedirects``, ``refuse_redirects``), and every
reply is checked against Notify's contract (``check_sent``, ``check_found``,
``check_status``): a redirect or a reply of the wrong shape is an uncertain
outcome, settled by the reference search like a lost reply, never a "sent".
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests
from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

from casework.kernel.i18n import N_, _
from casework.kernel.models import utcnow
from offline_sync.connectors.base import (
    ConnectorName,
    Delivery,
    DeliveryFailed,
    FailureKind,
    Message,
    NoRedirects,
    clock_skew,
    next_midnight_utc,
    redirect_failure,
    refuse_redirects,
    unexpected_reply,
)
from offline_sync.outbox import ClaimedItem
from offline_sync.records import Connector

log = logging.getLogger("alongside.sync.notify")
_CLIENT_CLASS: Any = NotificationsAPIClient

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
CLOCK_TOLERANCE_SECONDS = 30
PATHS = {
    Connector.NOTIFY_EMAIL: "/v2/notifications/email",
    Connector.NOTIFY_SMS: "/v2/notifications/sms",
    Connector.NOTIFY_LETTER: "/v2/notifications/letter",
}
DELIVERED = frozenset({"delivered", "received"})
# A letter Notify has accepted is still to be printed and posted: keep polling.
LETTER_DELIVERED = frozenset({"received"})
GAVE_UP = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
    }
)
FAILURE_MESSAGES = {
    "permanent-failure": N_(
        "Notify could not deliver it: the address or number does not exist "
        "or the recipient's provider refused it. Check the contact details."
    ),
    "temporary-failure": N_(
        "Notify could not deliver it: the recipient's inbox or phone was not "
        "accepting messages. Try again later."
    ),
    "technical-failure": N_("Notify had a technical failure and did not send it. Retry it."),
    "validation-failed": N_("Notify found a problem with the letter's layout."),
    "virus-scan-failed": N_("Notify's virus scan refused the letter."),
    "cancelled": N_("The letter was cancelled in Notify."),
}

CLOCK_MESSAGE = N_(
    "GOV.UK Notify refused the request because this computer's clock is wrong: it must be "
    "within 30 seconds of the real time. Check the date, time and time zone in this "
    "computer's settings (turn on 'set time automatically'), then sync again."
)
KEY_MESSAGE = N_(
    "GOV.UK Notify refused the API key for {connector} ({detail}). Check the key saved for "
    "{connector} is a current live or team key for this Notify service, then sync again."
)
HEADER_MESSAGE = N_(
    "GOV.UK Notify could not read the request's credentials ({detail}). Check an API key is "
    "saved for {connector}."
)


NOTIFY = "GOV.UK Notify"

LetterCheck = Callable[[bytes], list[str]]
"""Why Notify would refuse a precompiled letter's PDF (``casework.paper.letter.check_letter``)."""


class NotifyConnector:
    """Email, text messages (and templated letters) through the official Notify client."""

    def __init__(
        self,
        connector: Connector,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
        letter_check: LetterCheck | None = None,
    ) -> None:
        if connector not in PATHS:
            raise ValueError(f"{connector} is not a Notify connector")
        if connector == Connector.NOTIFY_LETTER and letter_check is None:
            # Paper draws letters, a layer above: it hands its check in.
            raise ValueError("a precompiled letter connector needs the letter check")
        self.connector = connector
        self._letter_check = letter_check
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._clock = clock
        self._local = threading.local()

    def __repr__(self) -> str:  # never show the key
        return f"NotifyConnector({self.connector.value}, base_url={self._base_url!r})"

    def _client(self) -> Any:  # the official client is untyped
        client = getattr(self._local, "client", None)
        if client is None:
            client = _CLIENT_CLASS(self._api_key, base_url=self._base_url, timeout=self._timeout)
            session = NoRedirects()
            session.hooks["response"].append(refuse_redirects)
            client.request_session = session
            self._local.client = client
        return client

    # -- the three calls the engine makes -----------------------------------------

    def send(self, item: ClaimedItem) -> Delivery:
        payload = item.payload()
        if payload.get("reference") != item.id:
            raise DeliveryFailed(
                FailureKind.SET_ASIDE,
                "BadReference",
                _(
                    "This message has no reference to find it by after a lost reply, so it "
                    "cannot be sent safely. Cancel it and send it again from the case."
                ),
            )
        if self.connector == Connector.NOTIFY_LETTER:
            assert self._letter_check is not None  # the constructor insists
            check_precompiled_letter(payload, self._letter_check)
        try:
            reply = self._client().post(PATHS[self.connector], data=payload)
        except (APIError, requests.RequestException) as exc:
            raise self._classify(exc, sending=True) from exc
        problem = check_sent(reply, item.id, letter=self.connector == Connector.NOTIFY_LETTER)
        if problem is not None:
            raise unexpected_reply(NOTIFY, 201, sending=True, problem=problem)
        return Delivery(str(reply["id"]), "created")

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        try:
            reply = self._client().get_all_notifications(reference=item.id)
        except (APIError, requests.RequestException) as exc:
            failure = self._classify(exc, sending=False)
            failure.uncertain = True  # we still do not know
            raise failure from exc
        problem = check_found(reply)
        if problem is not None:
            # Never read an answer we cannot understand as "not there": that would resend.
            raise unexpected_reply(NOTIFY, 200, sending=True, problem=problem)
        found = [n for n in reply["notifications"] if n.get("reference") == item.id]
        if not found:
            return None
        if len(found) > 1:
            log.warning("Notify holds %d messages for outbox item %s", len(found), item.id)
        # The oldest is the one we adopt; the list is newest first.
        first = found[-1]
        return _delivery(
            str(first["id"]),
            str(first.get("status", "created")),
            letter=self.connector == Connector.NOTIFY_LETTER,
        )

    def look_up(self, item: ClaimedItem) -> Delivery | None:
        """Whether Notify holds this item, without sending (the reference search)."""
        return self.find_existing(item)

    def poll(self, item: ClaimedItem) -> Delivery:
        if item.remote_id is None:
            found = self.find_existing(item)
            if found is None:
                return Delivery(None, item.remote_status)
            return found
        try:
            reply = self._client().get_notification_by_id(item.remote_id)
        except (APIError, requests.RequestException) as exc:
            raise self._classify(exc, sending=False) from exc
        problem = check_status(reply, item.remote_id)
        if problem is not None:
            raise unexpected_reply(NOTIFY, 200, sending=False, problem=problem)
        return _delivery(
            item.remote_id,
            str(reply.get("status", "created")),
            letter=self.connector == Connector.NOTIFY_LETTER,
        )

    # -- failures ------------------------------------------------------------------

    def _classify(self, exc: BaseException, *, sending: bool) -> DeliveryFailed:
        response: requests.Response | None = getattr(exc, "response", None)
        if response is None:
            cause = exc.__cause__ or exc
            timed_out = isinstance(cause, requests.Timeout)
            return DeliveryFailed(
                FailureKind.RETRY,
                "Timeout" if timed_out else "ConnectionError",
                (
                    _("GOV.UK Notify did not answer in time.")
                    if timed_out
                    else _("GOV.UK Notify could not be reached.")
                ),
                uncertain=sending,
            )
        status = response.status_code
        if 300 <= status < 400:
            return redirect_failure(NOTIFY, response, sending=sending)
        error_type, message = _errors(response)
        if isinstance(exc, InvalidResponse) or (status < 400 and not error_type):
            return DeliveryFailed(
                FailureKind.RETRY,
                "InvalidResponse",
                _("GOV.UK Notify sent a reply that could not be read (HTTP {status}).").format(
                    status=status
                ),
                uncertain=sending,
                status_code=status,
            )
        if status == 401:
            return DeliveryFailed(
                FailureKind.STOP_CONNECTOR,
                error_type or "AuthError",
                Message.of(HEADER_MESSAGE, detail=message, connector=ConnectorName(self.connector)),
                status_code=status,
            )
        if status == 403:
            if error_type == "BadRequestError":
                # Letters with a team key, or in trial mode: this item, not the key.
                return DeliveryFailed(
                    FailureKind.SET_ASIDE, error_type, message, status_code=status
                )
            if self._clock_is_wrong(response, message):
                return DeliveryFailed(
                    FailureKind.STOP_CONNECTOR,
                    "ClockSkew",
                    Message.of(CLOCK_MESSAGE),
                    status_code=status,
                )
            return DeliveryFailed(
                FailureKind.STOP_CONNECTOR,
                error_type or "AuthError",
                Message.of(KEY_MESSAGE, detail=message, connector=ConnectorName(self.connector)),
                status_code=status,
            )
        if status == 429:
            if error_type == "TooManyRequestsError":
                # The daily limit: it resets at midnight UTC.
                return DeliveryFailed(
                    FailureKind.RETRY_AT,
                    error_type,
                    message,
                    retry_at=next_midnight_utc(self._clock()),
                    status_code=status,
                )
            return DeliveryFailed(
                FailureKind.RETRY, error_type or "RateLimitError", message, status_code=status
            )
        if status >= 500:
            return DeliveryFailed(
                FailureKind.RETRY,
                error_type or f"HTTP{status}",
                message or _("GOV.UK Notify had a problem (HTTP {status}).").format(status=status),
                uncertain=sending,
                status_code=status,
            )
        # 400 ValidationError / BadRequestError, 404 and the like: this item only.
        return DeliveryFailed(
            FailureKind.SET_ASIDE,
            error_type or f"HTTP{status}",
            message or _("GOV.UK Notify refused it (HTTP {status}).").format(status=status),
            status_code=status,
        )

    def _clock_is_wrong(self, response: requests.Response, message: str) -> bool:
        skew = clock_skew(response.headers.get("Date"), self._clock())
        if skew is not None:
            return abs(skew) > CLOCK_TOLERANCE_SECONDS
        # No Date header to compare with: Notify's own words are all we have.
        return "clock" in message.lower()


def check_precompiled_letter(payload: dict[str, Any], check_letter: LetterCheck) -> None:
    """Refuse (set aside) a precompiled letter Notify would refuse after accepting it."""
    content = payload.get("content")
    if not isinstance(content, str):
        raise DeliveryFailed(
            FailureKind.SET_ASIDE,
            "LetterCheckFailed",
            _("The letter has no PDF to send. Make the letter again from the case."),
        )
    try:
        pdf = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise DeliveryFailed(
            FailureKind.SET_ASIDE,
            "LetterCheckFailed",
            _("The letter's PDF is damaged (it is not valid base64). Make the letter again."),
        ) from None
    problems = check_letter(pdf)
    if problems:
        raise DeliveryFailed(
            FailureKind.SET_ASIDE,
            "LetterCheckFailed",
            _("GOV.UK Notify would refuse this letter: {problems} Fix the letter, then send it "
              "again.").format(problems=" ".join(problems)),
        )  # fmt: skip


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_sent(reply: Any, reference: str, *, letter: bool = False) -> str | None:
    """What is wrong with a send's 201 body (``SendEmailResponse`` and the rest), or None.

    It must be an object with the new notification's UUID ``id`` and our
    ``reference`` echoed; a precompiled letter's carries its ``postage``, and
    every other (email, text, templated letter) its ``template`` and ``content``.
    """
    if not isinstance(reply, dict):
        return _("the answer is not a JSON object")
    if not _is_uuid(reply.get("id")):
        return _("it has no notification id")
    if reply.get("reference") != reference:
        return _("it does not carry this item's reference")
    if letter and "postage" in reply:
        return None  # a precompiled letter's answer; a templated one's is like an email's
    template = reply.get("template")
    if not isinstance(template, dict) or not _is_uuid(template.get("id")):
        return _("it does not name the template")
    if not isinstance(reply.get("content"), dict):
        return _("it does not show the message's content")
    return None


def check_found(reply: Any) -> str | None:
    """What is wrong with a reference search's body (``GetMultipleMessagesResponse``), or None."""
    if not isinstance(reply, dict) or not isinstance(reply.get("notifications"), list):
        return _("the answer has no list of notifications")
    for notification in reply["notifications"]:
        if not isinstance(notification, dict) or not _is_uuid(notification.get("id")):
            return _("a notification in the list has no id")
    return None


def check_status(reply: Any, remote_id: str) -> str | None:
    """What is wrong with a status's body (``GetOneMessageResponse``), or None."""
    if not isinstance(reply, dict) or reply.get("id") != remote_id:
        return _("it is not about this notification")
    if not isinstance(reply.get("status"), str):
        return _("it has no status")
    return None


def _delivery(remote_id: str, status: str, *, letter: bool = False) -> Delivery:
    if status in (LETTER_DELIVERED if letter else DELIVERED):
        return Delivery(remote_id, status, final=True)
    if status in GAVE_UP:
        return Delivery(
            remote_id, status, final=True, failed=True, message=_(FAILURE_MESSAGES[status])
        )
    return Delivery(remote_id, status)


def _errors(response: requests.Response) -> tuple[str, str]:
    """Notify's error type and message(s), or ("", a short reason) when the body is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return "", _("GOV.UK Notify sent a reply that is not JSON (HTTP {status}).").format(
            status=response.status_code
        )
    errors = body.get("errors") if isinstance(body, dict) else body
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = str(errors[0].get("error", ""))
        messages = "; ".join(str(e.get("message", "")) for e in errors if isinstance(e, dict))
        return first, messages
    if isinstance(body, dict) and "message" in body:
        return "", str(body["message"])
    return "", _("GOV.UK Notify sent an error with no detail (HTTP {status}).").format(
        status=response.status_code
    )
