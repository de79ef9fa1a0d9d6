"""A GOV.UK Pay fake: create and get payments, with Pay's key and idempotency rules.

``Authorization: Bearer api_test_…`` or ``api_live_…`` matching the fake's
key (else 401 with no body, as Pay's servlet sends). ``POST /v1/payments``
is checked against ``CreateCardPaymentRequest`` from the published spec
(422 P0101 for a missing field, P0102 for a bad value, with ``field``).
``Idempotency-Key``: same key and body, 200 with the original; same key and
another body, 409 P0191; a malformed key, 422 P0102 with ``header``.
Payments start ``created`` and expire (failed, P0020) 90 minutes later on
the fake's clock; ``pay(payment_id)`` or ``finish(payment_id, status)``
moves one on, as a person paying would (the sandbox sets ``pays_itself_after``
so a demo's payments succeed on their own). Errors are ``{field?, header?,
code, description}``.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from app.sandbox.server import FakePlatform, Reply, Request

SPEC = (
    Path(__file__).resolve().parents[2] / "resources" / "contracts" / "pay" / "publicapi_spec.json"
)
KEY_PATTERN = re.compile(r"^[a-zA-Z0-9-]{1,255}$")
EXPIRY_SECONDS = 90 * 60


@dataclass
class Payment:
    id: str
    key: str
    body: dict[str, Any]
    created_at: float
    status: str = "created"
    code: str | None = None
    message: str | None = None


class FakePay(FakePlatform):
    name = "pay"

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        super().__init__(slow_seconds=slow_seconds)
        self.api_key = f"api_test_{secrets.token_hex(16)}"
        self.by_key: dict[str, Payment] = {}
        self.payments: dict[str, Payment] = {}
        # Seconds (on the fake's clock) after which a created payment is paid, as
        # if the person had paid; None: only pay()/finish() move one on.
        self.pays_itself_after: float | None = None
        components = json.loads(SPEC.read_text())["components"]["schemas"]
        schema = dict(components["CreateCardPaymentRequest"])
        # Keep only what the request schema says itself (its $refs point elsewhere).
        schema["properties"] = {
            k: v for k, v in schema["properties"].items() if "$ref" not in v
        } | {"description": {"type": "string", "maxLength": 255}}
        self._validator = jsonschema.Draft7Validator(schema)

    def plausible(self, request: Request) -> Reply:
        """A payment as the decoy host answers it (see ``Fault.REDIRECT``)."""
        fresh = secrets.token_hex(13)
        return Reply.json(
            200,
            {
                "payment_id": fresh,
                "amount": 1000,
                "reference": "decoy",
                "description": "decoy",
                "return_url": "https://decoy.invalid/",
                "state": {"status": "created", "finished": False},
                "_links": {"next_url": {"href": f"https://decoy.invalid/{fresh}", "method": "GET"}},
            },
        )

    def server_error(self) -> Reply:
        return self.error(500, "P0999", "Downstream system error")

    def rate_limited(self) -> Reply:
        return self.error(429, "P0900", "Too many requests")

    @staticmethod
    def error(status: int, code: str, description: str, **where: str) -> Reply:
        return Reply.json(status, {**where, "code": code, "description": description})

    def pay(self, payment_id: str) -> None:
        self.finish(payment_id, "success")

    def finish(self, payment_id: str, status: str, code: str | None = None) -> None:
        with self.lock:
            payment = self.payments[payment_id]
            payment.status, payment.code = status, code

    def _expire(self, payment: Payment) -> None:
        if payment.status == "created" and self.now() - payment.created_at > EXPIRY_SECONDS:
            payment.status, payment.code, payment.message = "failed", "P0020", "Payment expired"

    def _as_json(self, payment: Payment) -> dict[str, Any]:
        waited = self.now() - payment.created_at
        if (
            self.pays_itself_after is not None
            and payment.status == "created"
            and self.pays_itself_after <= waited <= EXPIRY_SECONDS
        ):
            payment.status = "success"
        self._expire(payment)
        finished = payment.status in ("success", "failed", "cancelled", "error")
        state: dict[str, Any] = {"status": payment.status, "finished": finished}
        if payment.code:
            state |= {"code": payment.code, "message": payment.message or payment.status}
        links: dict[str, Any] = {
            "self": {"href": f"{self.url}/v1/payments/{payment.id}", "method": "GET"}
        }
        if not finished:
            links["next_url"] = {"href": f"{self.url}/secure/{payment.id}", "method": "GET"}
        return {
            "payment_id": payment.id,
            "amount": payment.body["amount"],
            "reference": payment.body["reference"],
            "description": payment.body["description"],
            "return_url": payment.body["return_url"],
            "state": state,
            "_links": links,
        }

    def handle(self, request: Request) -> Reply:
        header = request.header("Authorization") or ""
        if header != f"Bearer {self.api_key}":
            return Reply(401, b"", "text/plain")
        if request.method == "GET" and request.path.startswith("/v1/payments/"):
            with self.lock:
                found = self.payments.get(request.path.rsplit("/", 1)[1])
                if found is None:
                    return self.error(404, "P0200", "Not found")
                return Reply.json(200, self._as_json(found))
        if request.method != "POST" or request.path != "/v1/payments":
            return self.error(404, "P0200", "Not found")
        key = request.header("Idempotency-Key")
        if key is not None and not KEY_PATTERN.match(key):
            return self.error(
                422, "P0102", "Invalid attribute value: Idempotency-Key", header="Idempotency-Key"
            )
        try:
            body = json.loads(request.body)
        except ValueError:
            return self.error(400, "P0197", "Unable to parse JSON")
        for problem in sorted(self._validator.iter_errors(body), key=lambda e: str(e.path)):
            if problem.validator == "required":
                field = str(problem.message).split("'")[1]
                return self.error(
                    422, "P0101", f"Missing mandatory attribute: {field}", field=field
                )
            field = ".".join(str(p) for p in problem.path)
            return self.error(422, "P0102", f"Invalid attribute value: {field}", field=field)
        with self.lock:
            if key is not None and key in self.by_key:
                existing = self.by_key[key]
                if existing.body == body:
                    return Reply.json(200, self._as_json(existing))
                return self.error(
                    409,
                    "P0191",
                    "The Idempotency-Key has already been used with a different request body",
                    header="Idempotency-Key",
                )
            payment = Payment(uuid.uuid4().hex[:26], key or "", body, self.now())
            self.payments[payment.id] = payment
            if key is not None:
                self.by_key[key] = payment
            return Reply.json(201, self._as_json(payment))


@contextmanager
def running_pay(**options: Any) -> Iterator[FakePay]:
    fake = FakePay(**options)
    with fake:
        yield fake
