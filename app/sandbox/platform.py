"""The sandbox platform: every fake running together on loopback.

``SandboxPlatform`` starts the Notify, Pay, submission API, OS Places and
postcodes.io fakes, each in its own daemon thread, on consecutive ports from
``port`` (or on free ports when ``port`` is 0). ``settings()`` gives the
profile settings that point Alongside at them and ``credentials()`` the
sandbox keys to store for each connector. Nothing here is a real platform,
and no real message, payment or submission ever leaves the computer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from app.sandbox.addresses import AddressBook
from app.sandbox.notify import FakeNotify
from app.sandbox.os_places import FakeOSPlaces
from app.sandbox.pay import FakePay
from app.sandbox.postcodes_io import FakePostcodesIO
from app.sandbox.server import FakePlatform
from app.sandbox.submission import FakeSubmissionAPI

SETTING_ENABLED = "sandbox.enabled"
# In the sandbox nobody visits the payment page: a payment succeeds by itself.
DEMO_PAYMENT_SECONDS = 20.0


@dataclass
class SandboxPlatform:
    """All the fakes, started and stopped together."""

    port: int = 0
    notify: FakeNotify = field(default_factory=FakeNotify)
    pay: FakePay = field(default_factory=FakePay)
    submission_api: FakeSubmissionAPI = field(default_factory=FakeSubmissionAPI)
    book: AddressBook = field(default_factory=AddressBook)
    os_places: FakeOSPlaces = field(init=False)
    postcodes_io: FakePostcodesIO = field(init=False)
    running: bool = False

    def __post_init__(self) -> None:
        self.pay.pays_itself_after = DEMO_PAYMENT_SECONDS
        self.os_places = FakeOSPlaces(book=self.book)
        self.postcodes_io = FakePostcodesIO(book=self.book)

    @property
    def fakes(self) -> dict[str, FakePlatform]:
        return {
            "notify": self.notify,
            "pay": self.pay,
            "submission_api": self.submission_api,
            "os_places": self.os_places,
            "postcodes_io": self.postcodes_io,
        }

    def start(self) -> Self:
        started: list[FakePlatform] = []
        try:
            for offset, fake in enumerate(self.fakes.values()):
                fake.start(self.port + offset if self.port else 0)
                started.append(fake)
        except OSError:
            for fake in started:
                fake.stop()
            raise
        self.running = True
        return self

    def stop(self) -> None:
        if not self.running:
            return
        for fake in self.fakes.values():
            fake.stop()
        self.running = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def urls(self) -> dict[str, str]:
        return {name: fake.url for name, fake in self.fakes.items()}

    def settings(self) -> dict[str, str]:
        """Profile settings that send every connector to this sandbox."""
        return {
            "notify.base_url": self.notify.url,
            "pay.base_url": self.pay.url,
            "submission_api.base_url": self.submission_api.url,
            "os_places.base_url": self.os_places.url,
            "postcodes_io.base_url": self.postcodes_io.url,
            SETTING_ENABLED: "true",
        }

    def credentials(self) -> dict[str, str]:
        """The sandbox's keys, by the credential names ``alongside credentials set`` takes."""
        return {
            "notify": self.notify.api_key,
            "pay": self.pay.api_key,
            "submission_api": self.submission_api.token,
            "address_lookup": self.os_places.api_key,
        }
