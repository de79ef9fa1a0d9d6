"""A real HTTP server on 127.0.0.1 for the platform fakes, with fault injection.

Each fake is a ``ThreadingHTTPServer`` on an ephemeral port in a daemon
thread. Faults are queued per path and method (or drawn at random with a
seeded rate), and come in two kinds: those that answer instead of the
platform (500, 504, an HTML 503, 429, a dropped connection before anything
is stored, a 301 to another host), and those that let the platform do its
work first and then lose the reply (a reply slower than the client's timeout,
commit-then-fail) or mangle it (a 2xx of the wrong shape).

A redirect points at the fake's decoy (``Decoy``, another server on another
port, started on first use), which answers anything with 200 and JSON that
looks like the platform's; ``decoy.requests`` counts what reached it, which
a client that follows no redirect keeps at zero.
"""

from __future__ import annotations

import contextlib
import enum
import json
import random
import socket
import threading
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class Fault(enum.StrEnum):
    HTTP_500 = "500"
    HTTP_504 = "504"
    HTML_503 = "html_503"
    RATE_LIMIT = "429"
    DROP = "drop"  # the connection closes before anything is stored
    SLOW = "slow"  # stored, but the reply comes after the client has given up
    COMMIT_THEN_FAIL = "commit_then_fail"  # stored, then the connection drops
    # 301 to another host (the decoy), which answers any request 200 with plausible JSON.
    REDIRECT = "redirect"
    WRONG_SHAPE = "wrong_shape"  # stored, then a 2xx whose body is not the contract's


# Faults after which the platform holds the request although no proper reply arrived.
COMMITTING = frozenset({Fault.SLOW, Fault.COMMIT_THEN_FAIL, Fault.WRONG_SHAPE})

HTML_503 = (
    b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
)
HTML_504 = (
    b"<html><head><title>504 Gateway Time-out</title></head><body>"
    b"<center><h1>504 Gateway Time-out</h1></center></body></html>"
)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Reply:
        return cls(status, json.dumps(payload).encode(), "application/json", tuple(headers))


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FakePlatform:
    """Base of the fakes: routing, fault injection, a controllable clock."""

    name = "fake"

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.lock = threading.RLock()
        self.slow_seconds = slow_seconds
        self._faults: deque[tuple[Fault, str, str]] = deque()
        self._random: tuple[float, tuple[Fault, ...], random.Random, str, str] | None = None
        self.clock_offset = 0.0  # seconds the platform's clock is ahead of real time
        self.latency = 0.0  # seconds every request takes before the platform acts on it
        self.faults_served: list[Fault] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._decoy: Decoy | None = None

    # -- the clock ------------------------------------------------------------------

    def now(self) -> float:
        import time

        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move the platform's clock on (statuses progress with it)."""
        with self.lock:
            self.clock_offset += seconds

    # -- faults ---------------------------------------------------------------------

    def inject(self, fault: Fault, *, times: int = 1, path: str = "", method: str = "POST") -> None:
        """The next ``times`` requests whose path starts with ``path`` get ``fault``."""
        with self.lock:
            for _ in range(times):
                self._faults.append((Fault(fault), path, method))

    def random_faults(
        self,
        rate: float,
        kinds: Iterable[Fault],
        *,
        seed: int = 0,
        path: str = "",
        method: str = "POST",
    ) -> None:
        """Each matching request gets one of ``kinds`` with probability ``rate``."""
        with self.lock:
            self._random = (rate, tuple(kinds), random.Random(seed), path, method)

    def _next_fault(self, request: Request) -> Fault | None:
        with self.lock:
            for index, (fault, path, method) in enumerate(self._faults):
                if request.method == method and request.path.startswith(path):
                    del self._faults[index]
                    self.faults_served.append(fault)
                    return fault
            if self._random is not None:
                rate, kinds, rng, path, method = self._random
                matches = request.method == method and request.path.startswith(path)
                if matches and rng.random() < rate:
                    fault = rng.choice(kinds)
                    self.faults_served.append(fault)
                    return fault
        return None

    def fault_reply(self, fault: Fault) -> Reply:
        """What the platform's edge answers for a fault that stops the request."""
        if fault == Fault.HTTP_504:
            return Reply(504, HTML_504, "text/html")
        if fault == Fault.HTML_503:
            return Reply(503, HTML_503, "text/html")
        if fault == Fault.RATE_LIMIT:
            return self.rate_limited()
        return self.server_error()

    def server_error(self) -> Reply:
        return Reply.json(500, {"message": "Internal server error"})

    @property
    def decoy(self) -> Decoy:
        """The other host a redirect points at (started on first use)."""
        with self.lock:
            if self._decoy is None:
                self._decoy = Decoy(self).start()
            return self._decoy

    def redirect(self, request: Request) -> Reply:
        location = self.decoy.url.replace("127.0.0.1", "localhost") + request.path
        return Reply(301, b"", "text/html", (("Location", location),))

    def plausible(self, request: Request) -> Reply:
        """What the decoy answers: JSON that looks like this platform's (each fake)."""
        return Reply.json(200, {"id": str(uuid.uuid4()), "status": "created"})

    def misshapen(self, reply: Reply) -> Reply:
        """The platform's reply mangled: the same status, an id, nothing else it promised."""
        try:
            body = json.loads(reply.body)
        except ValueError:
            body = {}
        found = body.get("id") or body.get("payment_id") if isinstance(body, dict) else None
        return Reply.json(reply.status, {"id": found or str(uuid.uuid4()), "status": "accepted"})

    def rate_limited(self) -> Reply:
        return Reply.json(429, {"message": "Too many requests"})

    # -- routing (each fake) ----------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def date_header(self) -> str:
        from email.utils import formatdate

        return formatdate(self.now(), usegmt=True)

    # -- running --------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, port: int = 0) -> Self:
        """Serve on 127.0.0.1:``port`` (0: any free port) in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each reply waits ~40 ms for a delayed ACK

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                return fake.date_header()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path, _, query = self.path.partition("?")
                request = Request(
                    self.command,
                    path,
                    query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                if fake.latency:
                    fake._stopping.wait(fake.latency)
                fault = fake._next_fault(request)
                if fault == Fault.DROP:
                    self._drop()
                    return
                if fault == Fault.REDIRECT:
                    self._send(fake.redirect(request))
                    return
                if fault is not None and fault not in COMMITTING:
                    self._send(fake.fault_reply(fault))
                    return
                reply = fake.handle(request)
                if fault == Fault.WRONG_SHAPE and 200 <= reply.status < 300:
                    reply = fake.misshapen(reply)
                if fault == Fault.COMMIT_THEN_FAIL:
                    self._drop()
                    return
                if fault == Fault.SLOW:
                    fake._stopping.wait(fake.slow_seconds)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    self.close_connection = True

            def _drop(self) -> None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = _serve  # noqa: N815
            do_POST = _serve  # noqa: N815
            do_PUT = _serve  # noqa: N815
            do_DELETE = _serve  # noqa: N815

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that went away is part of the tests

        self._server = Server(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self.name}-fake",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._decoy is not None:
            self._decoy.stop()
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Decoy(FakePlatform):
    """Another host: answers every request 200 with the platform's plausible JSON."""

    name = "decoy"

    def __init__(self, origin: FakePlatform) -> None:
        super().__init__()
        self.origin = origin
        self.requests: list[Request] = []

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
        return self.origin.plausible(request)
