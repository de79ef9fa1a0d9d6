"""GOV.UK Pay: create a payment for a service fee, then follow its state.

``POST /v1/payments`` with ``Authorization: Bearer <key>`` and an
``Idempotency-Key`` (the outbox item's key): 201 for a new payment, 200 with
the original for the same key and body, 409 P0191 for the same key with
another body, 422 for field errors, 401 (no body) for a bad key, 403 for an
account problem, 429 P0900 (no Retry-After: wait a second, then back off),
5xx. A payment expires 90 minutes after it is created, so the item must be
queued just before its link is sent, not when the fee is first known.

Redirects are never followed (``NoRedirects``): a 3xx, or a 200/201 that is
not a payment for this item's amount and reference (``check_payment``), is an
uncertain outcome and the payment is asked for again under the same key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from casework.kernel.i18n import N_, _
from casework.kernel.models import utcnow
from offline_sync.connectors.base import (
    Delivery,
    DeliveryFailed,
    FailureKind,
    Message,
    ThreadSessions,
    parse_retry_after,
    redirect_failure,
    unexpected_reply,
)
from offline_sync.outbox import ClaimedItem
from offline_sync.payments.links import usable
from offline_sync.payments.words import reason
from offline_sync.records import Connector

DEFAULT_BASE_URL = "https://publicapi.payments.service.gov.uk"
PAY = "GOV.UK Pay"
PAID = frozenset({"success"})
# Pay's final statuses without the money ("expired" is Pay's failed with P0020;
# a stand-in may say it outright).
NOT_PAID = frozenset({"failed", "cancelled", "error", "expired"})
EXPIRED_CODE = "P0020"
STATES = frozenset({"created", "started", "submitted", "capturable"}) | PAID | NOT_PAID
KEY_REFUSED = N_(
    "GOV.UK Pay refused the API key (HTTP 401). Check the key saved for pay is current and "
    "starts with api_live_ (or api_test_ for testing), then sync again."
)
ACCOUNT_PROBLEM = N_(
    "GOV.UK Pay refused the request for this account ({code}: {description}). Check the "
    "service's Pay account settings, then sync again."
)


class PayConnector:
    """Creates payments once per Idempotency-Key and polls them until finished."""

    connector = Connector.PAY

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._clock = clock
        self._sessions = ThreadSessions(
            {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        )

    def __repr__(self) -> str:  # never show the key
        return f"PayConnector(base_url={self._base!r})"

    def send(self, item: ClaimedItem) -> Delivery:
        response = self._call(
            "POST",
            "/v1/payments",
            data=item.body.encode("utf-8"),
            headers={"Idempotency-Key": item.idempotency_key, "Content-Type": "application/json"},
            sending=True,
        )
        if response.status_code in (200, 201):
            return self._payment(response, sending=True, request=item.payload())
        raise self._failure(response, sending=True)

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        return None  # the Idempotency-Key makes a resend safe (within Pay's 24 hours)

    def poll(self, item: ClaimedItem) -> Delivery:
        response = self._call("GET", f"/v1/payments/{item.remote_id}", sending=False)
        if response.status_code == 200:
            return self._payment(response, sending=False, payment=item.remote_id)
        raise self._failure(response, sending=False)

    def _call(self, method: str, path: str, *, sending: bool, **options: Any) -> requests.Response:
        try:
            return self._sessions.get().request(
                method, self._base + path, timeout=self._timeout, **options
            )
        except requests.Timeout as exc:
            raise DeliveryFailed(
                FailureKind.RETRY,
                "Timeout",
                _("GOV.UK Pay did not answer in time."),
                uncertain=sending,
            ) from exc
        except requests.RequestException as exc:
            raise DeliveryFailed(
                FailureKind.RETRY,
                "ConnectionError",
                _("GOV.UK Pay could not be reached."),
                uncertain=sending,
            ) from exc

    def _payment(
        self,
        response: requests.Response,
        *,
        sending: bool,
        request: dict[str, Any] | None = None,
        payment: str | None = None,
    ) -> Delivery:
        body = _json(response)
        problem = check_payment(body, request=request, payment_id=payment)
        if problem is not None:
            raise unexpected_reply(PAY, response.status_code, sending=sending, problem=problem)
        assert body is not None
        payment_id = body["payment_id"]
        state = body["state"]
        status = str(state["status"])[:32]
        if status in PAID:
            return Delivery(str(payment_id), status, final=True)
        if status in NOT_PAID or state.get("finished"):
            code = state.get("code")
            if code == EXPIRED_CODE and status == "failed":
                status = "expired"  # so the case and the outbox can say so
            words = reason(code if isinstance(code, str) else None)
            return Delivery(
                str(payment_id),
                status,
                final=True,
                failed=True,
                message=_not_paid(words, state, code),
            )
        return Delivery(str(payment_id), status, link=_next_url(body or {}))

    def _failure(self, response: requests.Response, *, sending: bool) -> DeliveryFailed:
        status = response.status_code
        if 300 <= status < 400:
            return redirect_failure(PAY, response, sending=sending)
        body = _json(response)
        code = str(body.get("code", "")) if body else ""
        description = str(body.get("description", "")) if body else ""
        where = (body.get("field") or body.get("header")) if body else None
        if where:
            description = f"{where}: {description}"
        if not description:
            description = _("GOV.UK Pay sent a reply that is not JSON (HTTP {status}).").format(
                status=status
            )
        kind_code = code or f"HTTP{status}"
        if status == 401:
            return DeliveryFailed(
                FailureKind.STOP_CONNECTOR, kind_code, Message.of(KEY_REFUSED), status_code=status
            )
        if status == 403:
            return DeliveryFailed(
                FailureKind.STOP_CONNECTOR,
                kind_code,
                Message.of(ACCOUNT_PROBLEM, code=kind_code, description=description),
                status_code=status,
            )
        if status == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"), self._clock())
            return DeliveryFailed(
                FailureKind.RETRY, kind_code, description, retry_after=wait or 1.0,
                status_code=status,
            )  # fmt: skip
        if status >= 500:
            return DeliveryFailed(
                FailureKind.RETRY, kind_code, description, uncertain=sending, status_code=status
            )
        return DeliveryFailed(FailureKind.SET_ASIDE, kind_code, description, status_code=status)


def _not_paid(words: str | None, state: dict[str, Any], code: object) -> str:
    """Why a payment ended without the money: Pay's code in words where it is known."""
    if words is not None:
        return _("The payment was not made: {reason}.").format(reason=words)
    said = state.get("message") or _("The payment was not made.")
    return f"{code}: {said}" if code else str(said)


def _next_url(body: dict[str, Any]) -> str | None:
    """The payment page (``_links.next_url.href``) while the payment is open."""
    links = body.get("_links")
    next_url = links.get("next_url") if isinstance(links, dict) else None
    href = next_url.get("href") if isinstance(next_url, dict) else None
    return str(href) if usable(href) else None


def check_payment(
    body: dict[str, Any] | None,
    *,
    request: dict[str, Any] | None = None,
    payment_id: str | None = None,
) -> str | None:
    """What is wrong with a payment body (``CreatePaymentResult`` / ``GetPaymentResult``).

    It must have a ``payment_id`` (the one asked about, when polling) and a
    ``state`` whose ``status`` is one of Pay's; a created payment must be for
    the ``amount`` and ``reference`` that were asked for.
    """
    if body is None:
        return _("the answer is not a JSON object")
    found = body.get("payment_id")
    if not isinstance(found, str) or not found:
        return _("it has no payment id")
    if payment_id is not None and found != payment_id:
        return _("it is about another payment")
    state = body.get("state")
    if not isinstance(state, dict) or state.get("status") not in STATES:
        return _("it does not give the payment's state")
    if request is not None:
        if body.get("amount") != request.get("amount"):
            return _("it is for a different amount")
        if body.get("reference") != request.get("reference"):
            return _("it is not about this payment")
    return None


def _json(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
