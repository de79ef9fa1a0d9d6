"""The demo profile ``alongside --demo`` opens, in this process and the same run:

- opening a real profile of the same 250 people (the baseline: what a worker's
  own start does with its database);
- the demo copied from its cached seed (every start but the first of the day);
- the demo built from nothing, as every start did before the seed (the
  fallback when the cache cannot be used, and the first start of a day).

Both demo rows include starting the sandbox platform and queueing its items.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import sync_wiring
from app.demo import people
from app.demo import profile as demo
from app.demo import sandbox as demo_sandbox
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile, open_profile
from tests.benchmarks.conftest import report, summary, timed

REPEAT = 7


def _close(profile: OpenProfile) -> None:
    profile.close()
    sync_wiring.forget_credentials(profile.settings.profile_id)
    for platform in demo_sandbox.RUNNING:
        platform.stop()
    demo_sandbox.RUNNING.clear()


@pytest.fixture
def real_profile(tmp_path: Path) -> Iterator[ProfilePaths]:
    """A real (non-demo) profile holding the demo's 250 people; its key from the environment."""
    os.environ["ALONGSIDE_DB_KEY"] = secrets.token_hex(32)
    try:
        paths = ProfilePaths(tmp_path / "real")
        profile = create_profile(paths, name="Bench")
        people.add_people(profile.engine, demo.DEMO_PEOPLE, seed=demo.DATA_SEED)
        profile.close()
        yield paths
    finally:
        os.environ.pop("ALONGSIDE_DB_KEY", None)


def test_demo_start_against_opening_a_real_profile(
    real_profile: ProfilePaths, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    demo.ensure_seed(cache)
    unusable = tmp_path / "no-cache"
    unusable.write_text("a file where the cache folder would be")
    rows = []
    for name, make, repeat in (
        ("open a real 250-person profile", lambda: open_profile(real_profile), REPEAT),
        ("demo, copied from the seed", lambda: demo.make_demo_profile(cache), REPEAT),
        ("demo, built from nothing (before)", lambda: demo.make_demo_profile(unusable), 3),
    ):
        make_and_close = lambda make=make: _close(make())  # noqa: E731
        make_and_close()  # warm: imports, the OS file cache, the keyring
        rows.append((name, *summary(timed(make_and_close, repeat))))
    report("demo profile ready (in process, sandbox included)", rows)
