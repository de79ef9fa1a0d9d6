"""A GOV.UK Notify fake that honours the v2 API contract.

What it checks, as Notify does: a Bearer JWT signed HS256 with the API key's
secret, ``iss`` = the service id, ``iat`` within 30 seconds of the
platform's clock (else 403 "Error: Your system clock must be accurate to
within 30 seconds"); request bodies against the published schemas in
``resources/contracts/notify`` (plus Notify's own rules: no extra properties, a
reference of at most 1,000 characters, a UUID template id, an email address
with an @); the daily limit (429 TooManyRequestsError) and the token bucket
(429 RateLimitError). Errors have Notify's shape
``{"status_code": N, "errors": [{"error": Type, "message": ...}]}``.

Every POST stores a notification *before* replying, as Notify does, so a
lost reply leaves a message behind; ``GET /v2/notifications?reference=`` finds
it. Statuses move on with the platform's clock (``advance``): created, then
sending after 1 s, then delivered after 5 s, unless the recipient is one of
the simulator's failure addresses or numbers.

Precompiled letters (``POST /v2/notifications/letter`` with ``content``) are
checked as Notify checks them: the schema (``reference`` and ``content``
required, ``postage`` one of Notify's values), base64 that decodes, a team
key refused with 403. The PDF itself is checked after the 201, as Notify
does: it is ``pending-virus-check`` for a second, then ``validation-failed``
if ``casework.paper.letter.check_letter`` finds a problem, else ``accepted``
and, after 5 s, ``received``. An email whose personalisation holds a file
(the official client's ``prepare_upload`` shape) is refused unless the
service may send files, and the file must decode, be under 2 MB and have a
retention period of 1 to 26 weeks (the
contract's range); a ``.pdf`` must be a PDF.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jsonschema
import jwt

from app.sandbox.server import FakePlatform, Reply, Request

CONTRACTS = Path(__file__).resolve().parents[2] / "resources" / "contracts" / "notify"
CLOCK_ERROR = "Error: Your system clock must be accurate to within 30 seconds"
NO_TOKEN = "Unauthorized: authentication token must be provided"
NOT_BEARER = "Unauthorized: authentication bearer scheme must be used"
PAGE_SIZE = 250
POSTAGE = ("first", "second", "economy", "europe", "rest-of-world")
MAX_FILE_BYTES = 2 * 1024 * 1024
RETENTION = re.compile(r"^(\d+) weeks?$")
MAX_RETENTION_WEEKS = 26  # the contract: "Choose between 1 week and 26 weeks"
FILE_TYPES = frozenset({"pdf", "csv", "odt", "txt", "rtf", "json", "doc", "docx", "xlsx"})

SIMULATED = {
    "temp-fail@simulator.notify": "temporary-failure",
    "perm-fail@simulator.notify": "permanent-failure",
    "07700900003": "temporary-failure",
    "07700900002": "permanent-failure",
}


def _schemas() -> dict[str, Any]:
    """The request schemas, tightened as Notify's own validation is."""
    components = json.loads((CONTRACTS / "schema.json").read_text())["components"]["schemas"]
    out = {}
    for kind, name in (("email", "SendEmailRequest"), ("sms", "SendTextMessageRequest")):
        schema = json.loads(json.dumps(components[name]))
        schema["additionalProperties"] = False
        schema["properties"]["reference"]["maxLength"] = 1000
        out[kind] = schema
    letter = json.loads(json.dumps(components["SendPrecompiledLetterRequest"]))
    letter["additionalProperties"] = False
    letter["properties"]["postage"] = {"type": "string", "enum": list(POSTAGE)}
    letter["properties"]["reference"]["maxLength"] = 1000
    letter["properties"]["reference"]["minLength"] = 1
    out["letter"] = letter
    return out


@dataclass
class Notification:
    id: str
    type: str
    template_id: str
    recipient: str
    reference: str | None
    personalisation: dict[str, Any]
    created_at: float
    body: dict[str, Any]
    final_status: str = "delivered"
    postage: str | None = None
    # The precompiled letter's PDF, checked after the 201 as Notify does (a
    # check inside the request would hold the reply past a client's timeout).
    pdf: bytes = b""
    _problems: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def letter_problems(self) -> tuple[str, ...]:
        """Why the precompiled letter failed Notify's checks (empty: it passed)."""
        if self._problems is None:
            from casework.paper.letter import check_letter

            self._problems = tuple(check_letter(self.pdf)) if self.pdf else ()
        return self._problems

    def status(self, now: float) -> str:
        age = now - self.created_at
        if self.type == "letter":
            if age < 1:
                return "pending-virus-check"
            if self.letter_problems:
                return "validation-failed"
            return "accepted" if age < 5 else "received"
        if age < 1:
            return "created"
        if age < 5:
            return "sending"
        return self.final_status

    def as_json(self, now: float) -> dict[str, Any]:
        def stamp(t: float) -> str:
            return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

        return {
            "id": self.id,
            "reference": self.reference,
            "email_address": self.recipient if self.type == "email" else None,
            "phone_number": self.recipient if self.type == "sms" else None,
            "line_1": None,
            "line_2": None,
            "line_3": None,
            "line_4": None,
            "line_5": None,
            "line_6": None,
            "postcode": None,
            "postage": self.postage,
            "type": self.type,
            "status": self.status(now),
            "template": {"id": self.template_id, "version": 1, "uri": f"/v2/template/{self.id}"},
            "body": "Message body",
            "subject": "Subject" if self.type == "email" else None,
            "created_at": stamp(self.created_at),
            "created_by_name": None,
            "sent_at": stamp(self.created_at + 1),
            "completed_at": None,
            "scheduled_for": None,
            "one_click_unsubscribe_url": None,
        }


@dataclass
class FakeNotify(FakePlatform):
    """Notify, in-process, on a loopback port."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    key_name: str = "alongside_test"
    daily_limit: int = 250_000
    letter_daily_limit: int = 20_000
    bucket_size: float = 1000.0
    refill_per_second: float = 50.0
    missing_templates: set[str] = field(default_factory=set)
    # Whether the service may send files by email (a setting in Notify).
    file_sending: bool = True
    # Whether the key is a team key (Notify refuses letters from those).
    team_key: bool = False

    def __post_init__(self) -> None:
        FakePlatform.__init__(self)
        self.name = "notify"
        self.notifications: dict[str, Notification] = {}
        self.posts_received = 0
        self.rate_limited_count = 0
        self._schemas = _schemas()
        self._sent_today: dict[str, int] = {}
        self._tokens = self.bucket_size
        self._refilled = time.monotonic()

    @property
    def api_key(self) -> str:
        return f"{self.key_name}-{self.service_id}-{self.secret}"

    def by_reference(self, reference: str) -> list[Notification]:
        with self.lock:
            return [n for n in self.notifications.values() if n.reference == reference]

    # -- errors in Notify's shape -------------------------------------------------

    @staticmethod
    def error(status: int, kind: str, message: str) -> Reply:
        return Reply.json(
            status, {"status_code": status, "errors": [{"error": kind, "message": message}]}
        )

    def plausible(self, request: Request) -> Reply:
        """A send's 201 as the decoy host answers it (see ``Fault.REDIRECT``)."""
        fresh = str(uuid.uuid4())
        return Reply.json(
            200,
            {
                "id": fresh,
                "reference": None,
                "content": {"subject": "Subject", "body": "Message body"},
                "uri": f"https://decoy.invalid/v2/notifications/{fresh}",
                "template": {"id": str(uuid.uuid4()), "version": 1, "uri": "https://decoy.invalid"},
                "scheduled_for": None,
            },
        )

    def server_error(self) -> Reply:
        return self.error(500, "Exception", "Internal server error")

    def rate_limited(self) -> Reply:
        return self.error(
            429,
            "RateLimitError",
            "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
        )

    @staticmethod
    def validation_errors(messages: list[str]) -> Reply:
        return Reply.json(
            400,
            {
                "status_code": 400,
                "errors": [{"error": "ValidationError", "message": m} for m in messages],
            },
        )

    # -- the API --------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        refused = self._authenticate(request)
        if refused is not None:
            return refused
        if request.method == "POST" and request.path in (
            "/v2/notifications/email",
            "/v2/notifications/sms",
        ):
            return self._send(request, request.path.rsplit("/", 1)[1])
        if request.method == "POST" and request.path == "/v2/notifications/letter":
            return self._send_letter(request)
        if request.method == "GET" and request.path == "/v2/notifications":
            return self._search(request)
        if request.method == "GET" and request.path.startswith("/v2/notifications/"):
            return self._get(request.path.rsplit("/", 1)[1])
        return self.error(404, "NoResultFound", "No result found")

    def _authenticate(self, request: Request) -> Reply | None:
        header = request.header("Authorization")
        if not header:
            return self.error(401, "AuthError", NO_TOKEN)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return self.error(401, "AuthError", NOT_BEARER)
        try:
            claims = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])
        except jwt.PyJWTError:
            return self.error(403, "AuthError", "Invalid token: signature, api token is not valid")
        if "iss" not in claims:
            return self.error(403, "AuthError", "Invalid token: iss field not provided")
        if claims["iss"] != self.service_id:
            return self.error(403, "AuthError", "Invalid token: service not found")
        try:
            jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"verify_iat": False, "verify_exp": False, "verify_nbf": False},
            )
        except jwt.PyJWTError:
            return self.error(403, "AuthError", "Invalid token: API key not found")
        if "iat" not in claims:
            return self.error(403, "AuthError", "Invalid token: iat field not provided")
        if abs(self.now() - int(claims["iat"])) > 30:
            return self.error(403, "AuthError", CLOCK_ERROR)
        return None

    def _take_token(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self._tokens = min(
                self.bucket_size, self._tokens + (now - self._refilled) * self.refill_per_second
            )
            self._refilled = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True

    def _read_send(self, request: Request) -> tuple[Any, Reply | None]:
        """A send's JSON body, or the reply refusing it (rate limited, or not JSON)."""
        if not self._take_token():
            with self.lock:
                self.rate_limited_count += 1
            return None, self.rate_limited()
        try:
            return json.loads(request.body), None
        except ValueError:
            return None, self.error(400, "BadRequestError", "Invalid JSON supplied in POST data")

    def _schema_messages(self, kind: str, body: Any) -> list[str]:
        """What the ``kind`` request schema says is wrong with ``body``, in path order."""
        validator = jsonschema.Draft7Validator(self._schemas[kind])
        return [
            _message(e) for e in sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        ]

    def _count_against_daily_limit(self, prefix: str, limit: int) -> Reply | None:
        """Count one send against today's ``limit``; the 429 reply once it is used up.

        Call with ``self.lock`` held.
        """
        day = datetime.fromtimestamp(self.now(), UTC).date().isoformat()
        key = prefix + day
        if self._sent_today.get(key, 0) >= limit:
            return self.error(
                429,
                "TooManyRequestsError",
                f"Exceeded send limits ({limit}) for today",
            )
        self._sent_today[key] = self._sent_today.get(key, 0) + 1
        return None

    def _send(self, request: Request, kind: str) -> Reply:
        body, refused = self._read_send(request)
        if refused is not None:
            return refused
        messages = self._schema_messages(kind, body)
        template_id = body.get("template_id") if isinstance(body, dict) else None
        if isinstance(template_id, str) and not _is_uuid(template_id):
            messages.append("template_id is not a valid UUID")
        recipient_key = "email_address" if kind == "email" else "phone_number"
        recipient = body.get(recipient_key) if isinstance(body, dict) else None
        if kind == "email" and isinstance(recipient, str) and "@" not in recipient:
            messages.append("email_address Not a valid email address")
        if kind == "sms" and isinstance(recipient, str):
            digits = recipient.replace(" ", "").lstrip("+")
            if not digits.isdigit():
                messages.append("phone_number Must not contain letters or symbols")
        files = _files(body) if kind == "email" and isinstance(body, dict) else {}
        if files and not self.file_sending:
            return self.error(400, "BadRequestError", "Service is not allowed to send documents")
        for name, upload in files.items():
            messages.extend(_file_problems(name, upload))
        if messages:
            return self.validation_errors(messages)
        assert isinstance(body, dict) and isinstance(recipient, str)
        if template_id in self.missing_templates:
            return self.error(400, "BadRequestError", "Template not found")
        with self.lock:
            refused = self._count_against_daily_limit("", self.daily_limit)
            if refused is not None:
                return refused
            notification = Notification(
                id=str(uuid.uuid4()),
                type=kind,
                template_id=str(template_id),
                recipient=recipient,
                reference=body.get("reference"),
                personalisation=body.get("personalisation") or {},
                created_at=self.now(),
                body=body,
                final_status=SIMULATED.get(recipient, "delivered"),
            )
            self.notifications[notification.id] = notification
            self.posts_received += 1
        content: dict[str, Any] = (
            {"subject": "Subject", "body": "Message body", "from_email": "service@notify.test",
             "one_click_unsubscribe_url": None}
            if kind == "email"
            else {"body": "Message body", "from_number": "GOVUK"}
        )  # fmt: skip
        return Reply.json(
            201,
            {
                "id": notification.id,
                "reference": notification.reference,
                "content": content,
                "uri": f"{self.url}/v2/notifications/{notification.id}",
                "template": {
                    "id": notification.template_id,
                    "version": 1,
                    "uri": f"{self.url}/v2/template/{notification.template_id}",
                },
                "scheduled_for": None,
            },
        )

    def _send_letter(self, request: Request) -> Reply:
        body, refused = self._read_send(request)
        if refused is not None:
            return refused
        if not isinstance(body, dict) or "content" not in body:
            return self.error(
                400, "BadRequestError", "This fake takes precompiled letters only (with content)"
            )
        problems = self._schema_messages("letter", body)
        if problems:
            return self.validation_errors(problems)
        if self.team_key:
            return self.error(403, "BadRequestError", "Cannot send letters with a team api key")
        try:
            pdf = base64.b64decode(body["content"], validate=True)
        except (binascii.Error, ValueError):
            return self.error(
                400,
                "ValidationError",
                "Cannot decode letter content (file) from base64 encoding",
            )
        with self.lock:
            refused = self._count_against_daily_limit("letter:", self.letter_daily_limit)
            if refused is not None:
                return refused
        notification = Notification(
            id=str(uuid.uuid4()),
            type="letter",
            template_id="precompiled",
            recipient="",
            reference=body["reference"],
            personalisation={},
            created_at=self.now(),
            body=body,
            postage=body.get("postage", "second"),
            pdf=pdf,
        )
        with self.lock:
            self.notifications[notification.id] = notification
            self.posts_received += 1
        return Reply.json(
            201,
            {
                "id": notification.id,
                "reference": notification.reference,
                "postage": notification.postage,
            },
        )

    def _search(self, request: Request) -> Reply:
        params = {k: v[0] for k, v in parse_qs(request.query).items()}
        now = self.now()
        with self.lock:
            found = sorted(self.notifications.values(), key=lambda n: n.created_at, reverse=True)
        if "reference" in params:
            found = [n for n in found if n.reference == params["reference"]]
        if "template_type" in params:
            found = [n for n in found if n.type == params["template_type"]]
        if "status" in params:
            found = [n for n in found if n.status(now) == params["status"]]
        if "older_than" in params:
            older = self.notifications.get(params["older_than"])
            found = [n for n in found if older is None or n.created_at < older.created_at]
        page = found[:PAGE_SIZE]
        links: dict[str, str] = {"current": f"{self.url}/v2/notifications"}
        if page:  # as Notify: a next link whenever this page has any, so clients stop on empty
            links["next"] = f"{self.url}/v2/notifications?older_than={page[-1].id}"
        return Reply.json(200, {"notifications": [n.as_json(now) for n in page], "links": links})

    def _get(self, notification_id: str) -> Reply:
        if not _is_uuid(notification_id):
            return self.error(400, "ValidationError", "notification_id is not a valid UUID")
        with self.lock:
            found = self.notifications.get(notification_id)
        if found is None:
            return self.error(404, "NoResultFound", "No result found")
        return Reply.json(200, found.as_json(self.now()))


def _files(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Personalisation values in the official client's ``prepare_upload`` shape."""
    personalisation = body.get("personalisation")
    if not isinstance(personalisation, dict):
        return {}
    return {
        name: value
        for name, value in personalisation.items()
        if isinstance(value, dict) and "file" in value
    }


def _file_problems(name: str, upload: dict[str, Any]) -> list[str]:
    """What the contract's ``link_to_file`` rules say is wrong with one file:
    base64 that decodes, under 2 MB, a filename of at most 100 characters
    with an extension (a ``.pdf`` must be a PDF), a retention period of 1 to
    26 weeks and a boolean email check."""
    problems = []
    try:
        data = base64.b64decode(str(upload["file"]), validate=True)
    except (binascii.Error, ValueError):
        return [f"{name} File did not decode from base64"]
    if len(data) > MAX_FILE_BYTES:
        problems.append(f"{name} File is larger than 2MB")
    filename = upload.get("filename")
    if filename is not None:
        if not isinstance(filename, str) or len(filename) > 100:
            problems.append(f"{name} filename must be a string of at most 100 characters")
        elif "." not in filename.strip(".") or filename.rsplit(".", 1)[1].lower() not in FILE_TYPES:
            problems.append(f"{name} filename must end with a supported file extension")
        elif filename.lower().endswith(".pdf") and not data.startswith(b"%PDF-"):
            problems.append(f"{name} File is not a PDF although its name says it is")
    retention = upload.get("retention_period")
    if retention is not None:
        match = RETENTION.match(str(retention))
        if match is None or not 1 <= int(match.group(1)) <= MAX_RETENTION_WEEKS:
            problems.append(
                f"{name} Unsupported value for retention_period '{retention}'. "
                f"Supported periods are from 1 to {MAX_RETENTION_WEEKS} weeks."
            )
    confirm = upload.get("confirm_email_before_download")
    if confirm is not None and not isinstance(confirm, bool):
        problems.append(f"{name} confirm_email_before_download must be a boolean true or false")
    unknown = sorted(set(upload) - {"file", "filename", "confirm_email_before_download",
                                    "retention_period"})  # fmt: skip
    if unknown:
        problems.append(f"{name} Additional properties are not allowed ({unknown[0]!r})")
    return problems


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _message(error: jsonschema.ValidationError) -> str:
    """Notify words schema errors as '<field> <reason>'."""
    if error.validator == "required" or error.validator == "additionalProperties":
        return str(error.message)
    where = ".".join(str(p) for p in error.path)
    return f"{where} {error.message}".strip()


@contextmanager
def running_notify(**options: Any) -> Iterator[FakeNotify]:
    fake = FakeNotify(**options)
    with fake:
        yield fake
