"""The os_places fake for tests: it lives in ``app.sandbox.os_places`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.os_places import (
    PATH,
    SHORTEST,
    FakeOSPlaces,
)

__all__ = [
    "PATH",
    "SHORTEST",
    "FakeOSPlaces",
]
