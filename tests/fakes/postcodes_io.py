"""The postcodes_io fake for tests: it lives in ``app.sandbox.postcodes_io`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.postcodes_io import (
    FakePostcodesIO,
)

__all__ = [
    "FakePostcodesIO",
]
