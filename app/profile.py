"""Opening and creating profiles.

``create_profile`` makes the folder, settings, key and encrypted database
and runs the migrations (a new profile starts from the computer's site
defaults, ``app.site_defaults``, where IT has set any); ``open_profile``
finds the key, opens the database and upgrades it (after a backup). Both
return an ``OpenProfile`` holding the engine and settings for the backend to
use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app import keys, migrate, site_defaults
from app.database import open_engine
from app.logs import setup_logging
from app.paths import ProfilePaths, create_private_file
from app.settings import Settings, load_settings, save_settings
from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.i18n import _
from offline_sync.text_updates import template

log = logging.getLogger("alongside.app")


@dataclass
class OpenProfile:
    """A profile whose database is open and up to date."""

    paths: ProfilePaths
    settings: Settings
    engine: Engine

    def __post_init__(self) -> None:
        # Text updates read their Notify template from this profile's settings.
        template.use_setting(self.engine, lambda: self.settings.extra.get(template.SETTING))

    def close(self) -> None:
        self.engine.dispose()


def _is_empty_database(path: Path) -> bool:
    """True for a zero-byte database with no write-ahead log beside it.

    SQLite would quietly treat such a file as a new, empty database, and the
    start-up migration would then fill it with empty tables: a damaged
    profile would look like one with no people in it.
    """
    wal = path.with_name(path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return path.stat().st_size == 0 and wal_size == 0


def profile_exists(paths: ProfilePaths) -> bool:
    """True once a profile has settings (created by set-up or demo data)."""
    return paths.settings.exists()


def create_profile(
    paths: ProfilePaths,
    *,
    name: str = "Alongside",
    passphrase: str | None = None,
    database_url: str | None = None,
    demo: bool = False,
    key: bytes | None = None,
) -> OpenProfile:
    """Make a new profile; its key goes to the keyring unless a passphrase is given.

    ``key`` (or ``ALONGSIDE_DB_KEY``) supplies the raw key directly, for
    automation and the throwaway demo profile: it is then kept nowhere.
    """
    if profile_exists(paths):
        raise DatabaseUnavailable(
            _("There is already a profile at {path}.").format(path=paths.root)
        )
    # Read before anything is made: a bad site file leaves nothing behind.
    site = {} if demo else site_defaults.load_site_defaults()
    settings = Settings(profile_name=name, demo=demo)
    site_defaults.apply_site_defaults(settings, site)
    if database_url:  # given at set-up: it wins over the site's
        settings.database_url = database_url
    database_url = settings.database_url
    if paths.database.exists() and not database_url:
        raise DatabaseUnavailable(
            _(
                "There is a database at {path} but no settings beside it. Restore the "
                "settings file, or move the database away."
            ).format(path=paths.database)
        )
    paths.ensure()
    setup_logging(paths.logs)
    if site:
        log.info("new profile takes the site defaults for %s", ", ".join(sorted(site)))
    db_key: bytes | None = None
    if not database_url:
        db_key = key or keys.key_from_environment()
        if db_key is None and passphrase:
            settings.key_source = "passphrase"
            db_key = keys.key_from_passphrase(passphrase, settings.kdf_salt)
        elif db_key is None:
            if not keys.keyring_available():
                raise DatabaseUnavailable(
                    _(
                        "This computer has no keyring to keep the database key in. "
                        "Choose a profile passphrase instead."
                    )
                )
            db_key = keys.new_key()
            keys.store_key(settings.profile_id, db_key)
        else:
            settings.key_source = "environment"
    if not database_url:
        # SQLite gives the -wal and -shm files the database file's permissions.
        create_private_file(paths.database)
    try:
        engine = open_engine(database_url, paths.database, db_key)
    except BaseException:
        if not database_url:
            paths.database.unlink(missing_ok=True)
        raise
    try:
        migrate.upgrade(engine, None)
    except BaseException:
        engine.dispose()
        if not database_url:
            paths.database.unlink(missing_ok=True)
        raise
    save_settings(paths.settings, settings)
    log.info("profile created (%s)", "postgresql" if database_url else "sqlcipher")
    return OpenProfile(paths, settings, engine)


def discard_new_profile(profile: OpenProfile) -> None:
    """Undo ``create_profile`` when set-up could not finish (say, a bad admin name).

    Closes the database and removes the settings, the encrypted file and the
    key in the keyring, so set-up can simply be run again. A PostgreSQL
    database is left as it is: its schema is reused next time.
    """
    profile.close()
    profile.paths.settings.unlink(missing_ok=True)
    if not profile.settings.database_url:
        for suffix in ("", "-wal", "-shm"):
            profile.paths.database.with_name(profile.paths.database.name + suffix).unlink(
                missing_ok=True
            )
        if profile.settings.key_source == "keyring":
            keys.forget_key(profile.settings.profile_id)
    from app import audit_anchor  # it builds on this module

    audit_anchor.forget(profile.settings.profile_id)
    log.info("unfinished profile set-up undone")


def open_profile(
    paths: ProfilePaths,
    ask_passphrase: Callable[[], str] | None = None,
    *,
    upgrade: bool = True,
) -> OpenProfile:
    """Open an existing profile, upgrading its schema after a backup."""
    if not profile_exists(paths):
        raise DatabaseUnavailable(
            _(
                "There is no Alongside profile at {path}. Check the folder name, or start "
                "Alongside without --profile to set one up."
            ).format(path=paths.root)
        )
    setup_logging(paths.logs)
    settings = load_settings(paths.settings)
    key: bytes | None = None
    if not settings.database_url:
        if not paths.database.exists():
            raise DatabaseUnavailable(
                _(
                    "The database file {path} is missing. Restore it from the backups folder "
                    "({backups})."
                ).format(path=paths.database, backups=paths.backups)
            )
        if _is_empty_database(paths.database):
            raise DatabaseUnavailable(
                _(
                    "The database file {path} is empty, so it has been damaged. Nothing was "
                    "changed. Restore the latest copy from the backups folder ({backups})."
                ).format(path=paths.database, backups=paths.backups)
            )
        if settings.key_source == "environment":
            key = keys.key_from_environment()
            if key is None:
                raise DatabaseUnavailable(
                    _("This profile's key is given by {env}, which is not set.").format(
                        env=keys.KEY_ENV
                    )
                )
        else:
            key = keys.load_key(
                settings.profile_id, settings.key_source, settings.kdf_salt, ask_passphrase
            )
    engine = open_engine(settings.database_url, paths.database, key)
    profile = OpenProfile(paths, settings, engine)
    if upgrade:
        try:
            backup = migrate.upgrade(engine, paths.backups)
            if backup:
                from app import audit_anchor  # it builds on this module

                audit_anchor.write_checkpoint(profile, beside=Path(backup))
        except BaseException:
            engine.dispose()
            raise
    return profile
