"""A department submission API fake: GOV.UK Forms submission v1 JSON, Pay's key rules.

``POST /v1/submissions`` with ``Authorization: Bearer <token>`` (401 with an
empty body otherwise, as Pay does) and an ``Idempotency-Key`` header (1-255
letters, digits and hyphens; missing: 422 S0101, malformed: 422 S0102). The
body must match ``json_submission_schema_v1.json`` (422 with the field).
The first request with a key stores the submission and answers 201; the same
key with the same body answers 200 with the original; the same key with a
different body answers 409 S0191. Errors are ``{field?, header?, code,
description}``. Storage happens before the reply, so commit-then-fail leaves
a stored submission behind.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema

from app.sandbox.server import FakePlatform, Reply, Request

SCHEMA = (
    Path(__file__).resolve().parents[2] / "resources" / "contracts" / "forms"
    / "json_submission_schema_v1.json"
)  # fmt: skip
KEY_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,255}$")


@dataclass
class Stored:
    id: str
    key: str
    body: dict[str, Any]
    reply: dict[str, Any]


class FakeSubmissionAPI(FakePlatform):
    """The department's submission endpoint, in-process, on a loopback port."""

    name = "submission"

    def __init__(self, *, token: str | None = None, slow_seconds: float = 2.0) -> None:
        super().__init__(slow_seconds=slow_seconds)
        self.token = token or f"sub_test_{uuid.uuid4().hex}"
        self.by_key: dict[str, Stored] = {}
        self.requests_received = 0
        self._validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))

    @staticmethod
    def error(status: int, code: str, description: str, **where: str) -> Reply:
        return Reply.json(status, {**where, "code": code, "description": description})

    def plausible(self, request: Request) -> Reply:
        """A receipt as the decoy host answers it (see ``Fault.REDIRECT``)."""
        return Reply.json(
            200,
            {
                "id": str(uuid.uuid4()),
                "submission_reference": "decoy",
                "received_at": datetime.now(UTC).isoformat(),
            },
        )

    def server_error(self) -> Reply:
        return self.error(500, "S0999", "Something went wrong. Try again later.")

    def rate_limited(self) -> Reply:
        return Reply.json(
            429,
            {"code": "S0900", "description": "Too many requests"},
            headers=[("Retry-After", "1")],
        )

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests_received += 1
        if request.path != "/v1/submissions" or request.method != "POST":
            return self.error(404, "S0200", "Not found")
        if request.header("Authorization") != f"Bearer {self.token}":
            return Reply(401, b"", "text/plain")
        key = request.header("Idempotency-Key")
        if key is None:
            return self.error(
                422, "S0101", "Missing mandatory header: Idempotency-Key", header="Idempotency-Key"
            )
        if not KEY_PATTERN.match(key):
            return self.error(
                422, "S0102", "Invalid header: Idempotency-Key", header="Idempotency-Key"
            )
        try:
            body = json.loads(request.body)
        except ValueError:
            return self.error(400, "S0197", "Unparseable JSON")
        errors = sorted(self._validator.iter_errors(body), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            field = "/".join(str(p) for p in first.path) or "body"
            reason = f"Invalid attribute value: {first.message}"
            return self.error(422, "S0102", reason, field=field)
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                if existing.body == body:
                    return Reply.json(200, existing.reply)
                return self.error(
                    409,
                    "S0191",
                    "The Idempotency-Key has already been used with a different request body",
                    header="Idempotency-Key",
                )
            stored = Stored(
                id=str(uuid.uuid4()),
                key=key,
                body=body,
                reply={},
            )
            stored.reply = {
                "id": stored.id,
                "submission_reference": body.get("submission_reference"),
                "received_at": datetime.fromtimestamp(self.now(), UTC).isoformat(),
            }
            self.by_key[key] = stored
        return Reply.json(201, stored.reply)


@contextmanager
def running_submission_api(**options: Any) -> Iterator[FakeSubmissionAPI]:
    fake = FakeSubmissionAPI(**options)
    with fake:
        yield fake
