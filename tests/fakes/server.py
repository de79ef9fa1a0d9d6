"""The server fake for tests: it lives in ``app.sandbox.server`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.server import (
    COMMITTING,
    HTML_503,
    HTML_504,
    Decoy,
    FakePlatform,
    Fault,
    Reply,
    Request,
)

__all__ = [
    "COMMITTING",
    "HTML_503",
    "HTML_504",
    "Decoy",
    "FakePlatform",
    "Fault",
    "Reply",
    "Request",
]
