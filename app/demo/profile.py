"""The throwaway profile ``alongside --demo`` opens: built once, copied each start.

Building the demo (250 people with their cases, notes and tasks, and the
escalations, which check the service catalogue) takes seconds, so
``make_demo_profile`` keeps the built database as a *seed* in the user cache
folder and each start copies it. The seed's folder is named for everything
that shapes it (``seed_name``): the app version, the schema head, the data
seed and size, the demo code and the service definitions, and today's date,
because the escalations' clocks and the tasks' due dates count from today.
A new day, version or migration simply finds no seed by that name and builds
one; the old seeds are then removed.

Each start copies the seed into a new temporary folder, checks its checksum,
gives the copy its own random key (``PRAGMA rekey``: the key lives only in
this process's memory, as before), writes new settings (so each demo has its
own profile id and keyring entries) and then attaches what must be new every
time: the sandbox platform on free ports and the outbox items stamped now.

A seed is written to a temporary folder and renamed into place, so two starts
at once, or a start killed part-way, never leave half a seed. A seed that
fails its checksum or its key is removed and built again, and if the seed
cannot be used at all (no cache folder, a full disk) the demo is built
directly in its temporary folder. Nothing here touches Qt: the window may
call ``make_demo_profile`` from a worker thread.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from app import __version__, migrate
from app.database import open_engine, sqlcipher_engine
from app.logs import setup_logging
from app.paths import APP_NAME, ProfilePaths, create_private_file
from app.profile import OpenProfile
from app.settings import Settings, save_settings
from casework.kernel.i18n import _

log = logging.getLogger("alongside.app")

DEMO_PEOPLE = 250
DATA_SEED = 2026
SEED_FORMAT = 1  # raise when the seed's layout changes
# The seed holds generated people only; its copies get their own random key.
SEED_KEY = hashlib.sha256(b"alongside demo seed - generated data only").digest()
SEED_DATABASE = "alongside.db"
MANIFEST = "seed.json"
STALE_BUILD_S = 3600  # a half-built seed older than this was left by a killed start
_HERE = Path(__file__).resolve().parent
_RESOURCES = _HERE.parent.parent / "resources"


class SeedUnusable(Exception):
    """The cached seed failed a check (its checksum, its key or its contents)."""


def cache_folder() -> Path:
    """Where demo seeds are kept: the user's cache folder for Alongside."""
    return platformdirs.user_cache_path(APP_NAME, APP_NAME) / "demo-seeds"


def _fingerprint() -> str:
    """The demo code and the service definitions, by name, size and change time."""
    digest = hashlib.sha256()
    for folder in (_HERE, _RESOURCES / "services", _RESOURCES / "facilitators"):
        for path in sorted(folder.glob("*")):
            if path.is_file() and path.suffix in {".py", ".json", ".toml", ".yaml"}:
                stat = path.stat()
                digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def seed_name(now: datetime | None = None) -> str:
    """The folder name of the seed that fits this app, schema, code and day."""
    from casework.escalation.sla import local_date

    moment = now or datetime.now(UTC)
    parts = [
        __version__,
        migrate.HEAD_REVISION,
        str(SEED_FORMAT),
        str(DATA_SEED),
        str(DEMO_PEOPLE),
        moment.date().isoformat(),  # the people's dates count from the UTC day
        local_date(moment).isoformat(),  # the escalations' clocks from London's
        _fingerprint(),
    ]
    return "seed-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _build_database(database: Path, key: bytes) -> None:
    """The demo's people and escalations in a new encrypted database at ``database``."""
    from app.demo import people
    from app.demo.demand import add_demand
    from app.demo.escalations import add_escalations

    create_private_file(database)
    engine = sqlcipher_engine(database, key)
    try:
        migrate.upgrade(engine, None)
        people.add_people(engine, DEMO_PEOPLE, seed=DATA_SEED)
        add_escalations(engine)
        add_demand(engine, seed=DATA_SEED)
    finally:
        engine.dispose()  # the last connection folds the write-ahead log in


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _prune(cache: Path, keep: str) -> None:
    """Remove older seeds, and half-built ones a killed start left behind."""
    now = time.time()
    for entry in cache.iterdir():
        try:
            old = entry.name.startswith("seed-") or (
                entry.name.startswith(".build-") and now - entry.stat().st_mtime > STALE_BUILD_S
            )
        except OSError:  # another start removed it first
            continue
        if old and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)


def _move_into_place(building: Path, final: Path) -> None:
    """Rename the built seed to its name: whole, or not at all."""
    try:
        os.rename(building, final)
    except OSError:
        if final.is_dir() and not (final / MANIFEST).is_file():
            # A folder by that name with no manifest is not a seed: replace it.
            shutil.rmtree(final, ignore_errors=True)
            os.rename(building, final)
        else:
            raise


def ensure_seed(cache: Path | None = None) -> Path:
    """The folder of today's seed under ``cache``, built first if there is none."""
    cache = cache or cache_folder()
    name = seed_name()
    final = cache / name
    if (final / MANIFEST).is_file():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".build-", dir=cache))
    try:
        started = time.perf_counter()
        _build_database(building / SEED_DATABASE, SEED_KEY)
        manifest = {"people": DEMO_PEOPLE, "sha256": _sha256(building / SEED_DATABASE)}
        (building / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        try:
            _move_into_place(building, final)
        except OSError:
            if not (final / MANIFEST).is_file():
                raise
            log.info("another start built the demo seed first; using theirs")
        else:
            log.info("demo seed built in %.1f s", time.perf_counter() - started)
            _prune(cache, keep=name)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return final


def _copy_seed(seed: Path, database: Path, key: bytes) -> None:
    """Copy the seed's database to ``database``, check it, and give it ``key``."""
    import sqlcipher3.dbapi2 as sqlcipher

    try:
        manifest = json.loads((seed / MANIFEST).read_text(encoding="utf-8"))
        source = (seed / SEED_DATABASE).open("rb")
    except (OSError, ValueError) as exc:
        raise SeedUnusable(f"the demo seed cannot be read: {exc}") from exc
    create_private_file(database)
    digest = hashlib.sha256()
    with source, database.open("wb") as target:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            target.write(block)
    if not isinstance(manifest, dict) or digest.hexdigest() != manifest.get("sha256"):
        raise SeedUnusable("the demo seed's checksum does not match")
    conn = sqlcipher.connect(str(database))
    try:
        conn.execute(f"PRAGMA key = \"x'{SEED_KEY.hex()}'\"")
        people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        if people != manifest.get("people"):
            raise SeedUnusable(f"the demo seed holds {people} people")
        conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
    except sqlcipher.DatabaseError as exc:
        raise SeedUnusable(f"the demo seed cannot be read: {exc}") from exc
    finally:
        conn.close()


def _open_new(paths: ProfilePaths, key: bytes) -> OpenProfile:
    """Settings for a new demo profile whose database is already at ``paths``."""
    settings = Settings(profile_name=_("Demo"), demo=True)
    save_settings(paths.settings, settings)
    engine = open_engine(None, paths.database, key)
    try:
        migrate.upgrade(engine, None)  # at the head already: reads one row
    except BaseException:
        engine.dispose()
        raise
    return OpenProfile(paths, settings, engine)


def _clear(paths: ProfilePaths) -> None:
    for suffix in ("", "-wal", "-shm"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    paths.settings.unlink(missing_ok=True)


def _from_seed(paths: ProfilePaths, key: bytes, cache: Path | None) -> OpenProfile:
    """A copy of the seed, built (or rebuilt once, if it fails a check) as needed."""
    for attempt in (1, 2):
        seed = ensure_seed(cache)
        try:
            _copy_seed(seed, paths.database, key)
            return _open_new(paths, key)
        except SeedUnusable as exc:
            log.warning("%s; building it again", exc)
            _clear(paths)
            shutil.rmtree(seed, ignore_errors=True)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def make_demo_profile(cache: Path | None = None) -> OpenProfile:
    """A throwaway profile with demo data and its own sandbox; its key lives only in memory.

    ``cache`` is where seeds are kept (``cache_folder()`` when not given).
    """
    from app.demo.sandbox import attach_sandbox, queue_demo_items

    root = Path(tempfile.mkdtemp(prefix="alongside-demo-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    paths = ProfilePaths(root / "profile")
    paths.ensure()
    setup_logging(paths.logs)
    key = secrets.token_bytes(32)
    try:
        profile = _from_seed(paths, key, cache)
    except Exception:
        log.exception("the demo seed could not be used; building the demo directly")
        _clear(paths)
        _build_database(paths.database, key)
        profile = _open_new(paths, key)
    attach_sandbox(profile)  # the demo syncs to its own local sandbox platform
    queue_demo_items(profile)
    return profile
