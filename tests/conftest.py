"""Shared fixtures: an offscreen Qt, throwaway profiles with real encrypted
databases (migrations run every time), and a signed-in backend."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ALONGSIDE_DB_KEY", None)
os.environ.pop("ALONGSIDE_PROFILE", None)
# Never this computer's own site defaults (/etc/xdg/Alongside): none, unless a test names a file.
os.environ["ALONGSIDE_SITE_DEFAULTS"] = str(Path(__file__).resolve().parent / "no-site-defaults")

from app.backend import LocalBackend
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from casework.kernel.i18n import set_language

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Hypothesis: the same examples on every run (CI is stable, no timing limits on
# a loaded machine); ``make fuzz`` (HYPOTHESIS_PROFILE=fuzz) searches further,
# afresh each run. ``tests.unit.fuzz`` gives its tests a small budget unless fuzzing.
settings.register_profile("default", deadline=None, derandomize=True, database=None)
settings.register_profile(
    "fuzz", deadline=None, derandomize=False, max_examples=1000, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
# How long a test waits for an event before calling it a hang. Tests wait for
# events (a signal, a line, a file), never for a time; this only stops a test
# that would otherwise wait for ever, so it is generous for a loaded machine.
PATIENCE_S = 120
PATIENCE_MS = PATIENCE_S * 1000


class PatientQtBot(QtBot):
    """pytest-qt's ``qtbot``, whose waits give up only after ``PATIENCE_MS``.

    Its own default (5 s), and the shorter timeouts tests pass, are raised to
    that: each is only a hang detector, and a loaded machine is slow.
    """

    def waitUntil(self, callback: Any, *, timeout: int = PATIENCE_MS) -> None:
        super().waitUntil(callback, timeout=max(timeout, PATIENCE_MS))

    def waitSignal(self, signal: Any, *, timeout: int = PATIENCE_MS, **options: Any) -> Any:
        return super().waitSignal(signal, timeout=max(timeout, PATIENCE_MS), **options)

    def waitSignals(self, signals: Any, *, timeout: int = PATIENCE_MS, **options: Any) -> Any:
        return super().waitSignals(signals, timeout=max(timeout, PATIENCE_MS), **options)

    def waitCallback(self, *, timeout: int = PATIENCE_MS, **options: Any) -> Any:
        return super().waitCallback(timeout=max(timeout, PATIENCE_MS), **options)

    def waitExposed(self, widget: Any, *, timeout: int = PATIENCE_MS) -> Any:
        return super().waitExposed(widget, timeout=max(timeout, PATIENCE_MS))

    def waitActive(self, widget: Any, *, timeout: int = PATIENCE_MS) -> Any:
        return super().waitActive(widget, timeout=max(timeout, PATIENCE_MS))


@pytest.fixture
def qtbot(qtbot: QtBot) -> QtBot:
    """Every test's ``qtbot`` is patient (see ``PatientQtBot``)."""
    qtbot.__class__ = PatientQtBot
    return qtbot


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def db_key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def profile(tmp_path: Path, db_key: bytes) -> Iterator[OpenProfile]:
    """A new encrypted profile with the schema at head and no data."""
    opened = create_profile(ProfilePaths(tmp_path / "profile"), key=db_key)
    yield opened
    opened.close()


@pytest.fixture
def demo_profile(profile: OpenProfile) -> OpenProfile:
    """The profile with the demo workers and 60 seeded people."""
    from app.demo import people as demo_people

    demo_people.add_people(profile.engine, 60, seed=7)
    return profile


@pytest.fixture
def backend(demo_profile: OpenProfile) -> LocalBackend:
    """A backend signed in as Amira (adviser, Riverside Library)."""
    from app.demo.people import DEMO_PASSWORD

    live = LocalBackend(demo_profile)
    live.sign_in("amira", DEMO_PASSWORD)
    return live


@pytest.fixture
def artifacts() -> Path:
    """Where tests leave screenshots and rendered pages for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ALONGSIDE_REAL_KEYRING"):
        return
    skip = pytest.mark.skip(
        reason="no Secret Service here: run under scripts/with-keyring.sh (make test does)"
    )
    for item in items:
        if "keyring" in item.keywords:
            item.add_marker(skip)
