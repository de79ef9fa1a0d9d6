"""The demo profile (app.demo.profile): built once into a cached seed, copied each start.

Real SQLCipher files and the real sandbox platform throughout: a start is
``make_demo_profile`` with the seed cache in the test's own folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import sync_wiring
from app.database import session_factory, sqlcipher_engine
from app.demo import profile as demo
from app.demo import sandbox as demo_sandbox
from app.profile import OpenProfile
from casework.escalation.models import Escalation
from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.models import Person
from offline_sync.models import OutboxItem
from tests.unit.app.test_demo import _snapshot

Start = Callable[[Path], OpenProfile]


@pytest.fixture
def start() -> Iterator[Start]:
    """``make_demo_profile`` with a given seed cache; closes what it opened."""
    opened: list[OpenProfile] = []

    def make(cache: Path) -> OpenProfile:
        profile = demo.make_demo_profile(cache)
        opened.append(profile)
        return profile

    yield make
    for profile in opened:
        profile.close()
        sync_wiring.forget_credentials(profile.settings.profile_id)
    for platform in demo_sandbox.RUNNING:
        platform.stop()
    demo_sandbox.RUNNING.clear()


@pytest.fixture(scope="module")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's seed, built once for this module's tests (each copies it)."""
    cache = tmp_path_factory.mktemp("seed-cache")
    return demo.ensure_seed(cache)


@pytest.fixture
def cache(tmp_path: Path, built_seed: Path) -> Path:
    """A seed cache holding a copy of today's seed."""
    folder = tmp_path / "cache"
    folder.mkdir()
    shutil.copytree(built_seed, folder / built_seed.name)
    return folder


def _seed_files(cache: Path) -> dict[str, tuple[int, int]]:
    """The cache folder and everything in it, with inodes and change times (a
    build, even one that loses the race to rename, adds and removes a folder)."""
    return {
        str(p.relative_to(cache)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in [cache, *sorted(cache.rglob("*"))]
    }


def _raised_at(profile: OpenProfile) -> list[datetime]:
    with session_factory(profile.engine)() as session:
        return list(session.scalars(select(Escalation.raised_at).order_by(Escalation.id)))


def _demo_contents(profile: OpenProfile) -> dict[str, Any]:
    with session_factory(profile.engine)() as session:
        escalations = [
            (e.reason.value, e.status.value, e.acknowledged_at is not None)
            for e in session.scalars(select(Escalation).order_by(Escalation.id))
        ]
        outbox = sorted(
            (str(connector), n)
            for connector, n in session.execute(
                select(OutboxItem.connector, func.count()).group_by(OutboxItem.connector)
            )
        )
    return {"data": _snapshot(profile.engine), "escalations": escalations, "outbox": outbox}


def _people(profile: OpenProfile) -> int:
    with session_factory(profile.engine)() as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def test_a_second_start_copies_the_seed_without_building_it_again(
    tmp_path: Path, start: Start
) -> None:
    cache = tmp_path / "cache"
    first = start(cache)
    (seed,) = [p for p in cache.iterdir() if p.name.startswith("seed-")]
    built = _seed_files(cache)
    second = start(cache)
    assert _seed_files(cache) == built  # the same files, untouched
    assert _people(first) == _people(second) == demo.DEMO_PEOPLE
    assert _snapshot(first.engine) == _snapshot(second.engine)
    assert _raised_at(first) == _raised_at(second)  # both copies of one build
    # Each start is its own profile: its own folder, id and key.
    assert first.paths.root != second.paths.root
    assert first.settings.profile_id != second.settings.profile_id
    seed_bytes = (seed / demo.SEED_DATABASE).read_bytes()
    assert second.paths.database.read_bytes()[:4096] != seed_bytes[:4096]
    with pytest.raises(DatabaseUnavailable):  # the seed's key no longer opens the copy
        from app.database import open_engine

        open_engine(None, second.paths.database, demo.SEED_KEY)


def test_the_demo_from_the_seed_is_the_demo_built_directly(
    cache: Path, tmp_path: Path, start: Start
) -> None:
    from_seed = start(cache)
    unusable = tmp_path / "not-a-folder"
    unusable.write_text("a file where the cache folder should be")
    direct = start(unusable)  # no cache: built in its own folder, as before
    assert _people(from_seed) == demo.DEMO_PEOPLE
    assert _demo_contents(from_seed) == _demo_contents(direct)
    escalations = _demo_contents(from_seed)["escalations"]
    assert len(escalations) == 3 and [e[2] for e in escalations].count(True) == 1
    for profile in (from_seed, direct):
        assert profile.settings.demo
        assert profile.settings.extra["sandbox.enabled"] == "true"
        assert profile.paths.settings.is_file()


def test_a_damaged_seed_is_built_again(cache: Path, start: Start) -> None:
    (seed,) = list(cache.iterdir())
    database = seed / demo.SEED_DATABASE
    size = database.stat().st_size
    with database.open("r+b") as f:  # one changed byte in the last page
        f.seek(size - 100)
        byte = f.read(1)
        f.seek(size - 100)
        f.write(bytes([byte[0] ^ 0xFF]))
    profile = start(cache)
    assert _people(profile) == demo.DEMO_PEOPLE
    manifest = json.loads((seed / demo.MANIFEST).read_text())
    assert hashlib.sha256(database.read_bytes()).hexdigest() == manifest["sha256"]


def test_a_seed_with_the_wrong_key_is_built_again(cache: Path, start: Start) -> None:
    (seed,) = list(cache.iterdir())
    database = seed / demo.SEED_DATABASE
    engine = sqlcipher_engine(database, demo.SEED_KEY)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA rekey = \"x'{'ab' * 32}'\"")
    engine.dispose()
    manifest = json.loads((seed / demo.MANIFEST).read_text())
    manifest["sha256"] = hashlib.sha256(database.read_bytes()).hexdigest()
    (seed / demo.MANIFEST).write_text(json.dumps(manifest))
    profile = start(cache)
    assert _people(profile) == demo.DEMO_PEOPLE
    reopened = sqlcipher_engine(database, demo.SEED_KEY)  # rebuilt with the seed key
    with reopened.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM people").scalar() == demo.DEMO_PEOPLE
    reopened.dispose()


def test_a_seed_that_does_not_hold_what_its_manifest_says_is_built_again(
    cache: Path, start: Start
) -> None:
    (seed,) = list(cache.iterdir())
    manifest = json.loads((seed / demo.MANIFEST).read_text())
    (seed / demo.MANIFEST).write_text(json.dumps({**manifest, "people": 249}))
    profile = start(cache)
    assert _people(profile) == demo.DEMO_PEOPLE
    assert json.loads((seed / demo.MANIFEST).read_text())["people"] == demo.DEMO_PEOPLE


def test_old_seeds_and_abandoned_builds_are_cleared_when_a_new_seed_is_built(
    tmp_path: Path, start: Start
) -> None:
    cache = tmp_path / "cache"
    for name in ("seed-yesterday", ".build-killed", ".build-running"):
        (cache / name).mkdir(parents=True)
        (cache / name / demo.SEED_DATABASE).write_bytes(b"half a database")
    long_ago = time.time() - demo.STALE_BUILD_S - 60
    os.utime(cache / ".build-killed", (long_ago, long_ago))
    start(cache)
    names = sorted(p.name for p in cache.iterdir())
    assert names == [".build-running", demo.seed_name()]


def test_a_folder_by_the_seeds_name_without_a_manifest_is_replaced(
    tmp_path: Path, start: Start
) -> None:
    cache = tmp_path / "cache"
    half = cache / demo.seed_name()
    half.mkdir(parents=True)
    (half / demo.SEED_DATABASE).write_bytes(b"half a database")
    profile = start(cache)
    assert _people(profile) == demo.DEMO_PEOPLE
    assert (half / demo.MANIFEST).is_file()


def test_the_seed_is_named_for_the_day() -> None:
    monday = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert demo.seed_name(monday) == demo.seed_name(monday + timedelta(hours=2))
    assert demo.seed_name(monday) != demo.seed_name(monday + timedelta(days=1))
    # In summer London's day starts an hour before UTC's: each day counts.
    june_evening = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)  # 23:30 in London
    london_midnight = june_evening + timedelta(hours=1)  # a new day in London only
    utc_midnight = june_evening + timedelta(hours=2)  # and then in UTC too
    names = {demo.seed_name(t) for t in (june_evening, london_midnight, utc_midnight)}
    assert len(names) == 3


def test_two_starts_building_at_once_share_one_whole_seed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    found: list[Path] = []
    failed: list[BaseException] = []

    def build() -> None:
        try:
            found.append(demo.ensure_seed(cache))
        except BaseException as exc:  # reported below, on the test's thread
            failed.append(exc)

    workers = [threading.Thread(target=build) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failed == []
    assert found[0] == found[1] == cache / demo.seed_name()
    assert [p.name for p in cache.iterdir()] == [demo.seed_name()]  # no half-built folder left
    manifest = json.loads((found[0] / demo.MANIFEST).read_text())
    database = found[0] / demo.SEED_DATABASE
    assert hashlib.sha256(database.read_bytes()).hexdigest() == manifest["sha256"]
