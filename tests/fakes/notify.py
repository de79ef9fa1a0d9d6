"""The notify fake for tests: it lives in ``app.sandbox.notify`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.notify import (
    CLOCK_ERROR,
    CONTRACTS,
    NO_TOKEN,
    NOT_BEARER,
    PAGE_SIZE,
    SIMULATED,
    FakeNotify,
    Notification,
    running_notify,
)

__all__ = [
    "CLOCK_ERROR",
    "CONTRACTS",
    "NOT_BEARER",
    "NO_TOKEN",
    "PAGE_SIZE",
    "SIMULATED",
    "FakeNotify",
    "Notification",
    "running_notify",
]
