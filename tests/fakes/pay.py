"""The pay fake for tests: it lives in ``app.sandbox.pay`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.pay import (
    EXPIRY_SECONDS,
    KEY_PATTERN,
    SPEC,
    FakePay,
    Payment,
    running_pay,
)

__all__ = [
    "EXPIRY_SECONDS",
    "KEY_PATTERN",
    "SPEC",
    "FakePay",
    "Payment",
    "running_pay",
]
