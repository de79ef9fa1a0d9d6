"""A department's form-submission API: GOV.UK Forms submission v1 JSON.

The contract follows GOV.UK Pay's rules: ``Authorization: Bearer <token>``,
an ``Idempotency-Key`` header (the outbox item's key), 201 when the
submission is new, 200 with the original when the same key and body come
again, 409 when the same key comes with a different body, 422 for field
errors, 429 when too busy, and 5xx. Because the platform honours the key, a
resend after a lost reply is itself safe: there is nothing to search for.

Redirects are never followed (``NoRedirects``): a 3xx, or a 200/201 that is
not a ``SubmissionReceipt`` for this submission (``check_receipt``), is an
uncertain outcome and the item is sent again under the same key.
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
from offline_sync.records import Connector

SUBMISSIONS_PATH = "/v1/submissions"
REFUSED_MESSAGE = N_(
    "The department's submission service refused the access token (HTTP {status}). Check the "
    "token saved for submission_api is current, then sync again."
)


class SubmissionConnector:
    """POSTs each item's exact body once per Idempotency-Key."""

    connector = Connector.SUBMISSION_API

    def __init__(
        self,
        token: str,
        *,
        base_url: str,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._token = token
        self._url = base_url.rstrip("/") + SUBMISSIONS_PATH
        self._timeout = timeout
        self._clock = clock
        self._sessions = ThreadSessions()

    def __repr__(self) -> str:  # never show the token
        return f"SubmissionConnector(url={self._url!r})"

    def send(self, item: ClaimedItem) -> Delivery:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Idempotency-Key": item.idempotency_key,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        try:
            response = self._sessions.get().post(
                self._url,
                data=item.body.encode("utf-8"),
                headers=headers,
                timeout=self._timeout,
            )
        except requests.Timeout as exc:
            raise DeliveryFailed(
                FailureKind.RETRY,
                "Timeout",
                _("The submission service did not answer in time."),
                uncertain=True,
            ) from exc
        except requests.RequestException as exc:
            raise DeliveryFailed(
                FailureKind.RETRY,
                "ConnectionError",
                _("The submission service could not be reached."),
                uncertain=True,
            ) from exc
        return self._read(response, item.payload().get("submission_reference"))

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        return None  # the Idempotency-Key makes a resend safe

    def poll(self, item: ClaimedItem) -> Delivery:
        # Accepted is final for this platform: there is no later status to wait for.
        return Delivery(item.remote_id, item.remote_status, final=True)

    def _read(self, response: requests.Response, reference: object) -> Delivery:
        status = response.status_code
        if 300 <= status < 400:
            raise redirect_failure(_("The submission service"), response, sending=True)
        body = _json(response)
        if status in (200, 201):
            problem = check_receipt(body, reference)
            if problem is not None:
                raise unexpected_reply(
                    _("The submission service"), status, sending=True, problem=problem
                )
            assert body is not None
            return Delivery(str(body["id"]), "accepted", final=True)
        code, description = _error(body, status)
        if status in (401, 403):
            raise DeliveryFailed(
                FailureKind.STOP_CONNECTOR,
                code or f"HTTP{status}",
                Message.of(REFUSED_MESSAGE, status=status),
                status_code=status,
            )
        if status == 429:
            raise DeliveryFailed(
                FailureKind.RETRY,
                code or "TooManyRequests",
                description,
                retry_after=parse_retry_after(response.headers.get("Retry-After"), self._clock())
                or 1.0,
                status_code=status,
            )
        if status >= 500:
            raise DeliveryFailed(
                FailureKind.RETRY,
                code or f"HTTP{status}",
                description,
                uncertain=True,
                status_code=status,
            )
        # 400, 404, 409 (key reused with another body), 422 (field errors): this item only.
        raise DeliveryFailed(
            FailureKind.SET_ASIDE, code or f"HTTP{status}", description, status_code=status
        )


def check_receipt(body: dict[str, Any] | None, reference: object) -> str | None:
    """What is wrong with a 200/201 body (the contract's ``SubmissionReceipt``), or None."""
    if body is None:
        return _("the answer is not a JSON object")
    if not isinstance(body.get("id"), str) or not body["id"]:
        return _("it has no submission id")
    if body.get("submission_reference") != reference:
        return _("it is not about this submission")
    if not isinstance(body.get("received_at"), str):
        return _("it does not say when the submission was received")
    return None


def _json(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _error(body: dict[str, Any] | None, status: int) -> tuple[str, str]:
    """The contract's ``{field?, header?, code, description}``, or a plain reason."""
    if body is None:
        return "", _(
            "The submission service sent a reply that is not JSON (HTTP {status})."
        ).format(status=status)
    code = str(body.get("code", ""))
    description = str(body.get("description", "")) or f"HTTP {status}"
    where = body.get("field") or body.get("header")
    if where:
        description = f"{where}: {description}"
    return code, description
