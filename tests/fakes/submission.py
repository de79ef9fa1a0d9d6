"""The submission fake for tests: it lives in ``app.sandbox.submission`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.submission import (
    KEY_PATTERN,
    SCHEMA,
    FakeSubmissionAPI,
    Stored,
    running_submission_api,
)

__all__ = [
    "KEY_PATTERN",
    "SCHEMA",
    "FakeSubmissionAPI",
    "Stored",
    "running_submission_api",
]
