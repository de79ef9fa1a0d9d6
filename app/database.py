"""The database engine: an encrypted SQLite file, or PostgreSQL by URL.

SQLite goes through SQLCipher (``sqlcipher3``): the first statement on every
connection is the raw key, then WAL, foreign keys and a busy timeout. A wrong
key or a damaged file surfaces as ``DatabaseUnavailable`` with a message that
says what to do; the file is never written to before the key is proven.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.i18n import _

log = logging.getLogger("alongside.db")

WRITE_OPTION = "alongside_write"
_KEY_PRAGMAS: weakref.WeakKeyDictionary[Engine, list[str]] = weakref.WeakKeyDictionary()


def key_pragmas(engine: Engine) -> list[str]:
    """The statements that key a new connection like ``engine``'s."""
    pragmas = _KEY_PRAGMAS.get(engine)
    if not pragmas:
        raise DatabaseUnavailable(_("The database key is not available for a backup."))
    return list(pragmas)


def _pragmas(key: bytes) -> list[str]:
    return [
        f"PRAGMA key = \"x'{key.hex()}'\"",
        "PRAGMA cipher_log_level = NONE",
        "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 10000",
    ]


def sqlcipher_engine(path: Path, key: bytes) -> Engine:
    """An engine over the encrypted file at ``path`` (created if missing)."""
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        # The connection used last comes back first: its page cache is still
        # good (a write empties every other connection's), which a search or a
        # list reading thousands of pages would otherwise pay for (issue 15).
        pool_use_lifo=True,
        connect_args={"check_same_thread": False},
    )
    # Kept in memory only, so a backup can key its copy the same way.
    _KEY_PRAGMAS[engine] = _pragmas(key)[:2]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite would otherwise open a transaction behind our backs.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in _pragmas(key):
            cursor.execute(pragma)
        # Proves the key before anything else touches the file.
        cursor.execute("SELECT count(*) FROM sqlite_master")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the lock at the start (IMMEDIATE), so two terminals on
        # one file queue politely instead of failing half-way through a change;
        # readers stay deferred and never wait for each other.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def postgres_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)


def open_engine(database_url: str | None, path: Path, key: bytes | None) -> Engine:
    """Open the profile's database and check it can be read."""
    if database_url:
        engine = postgres_engine(database_url)
    else:
        if key is None:
            raise DatabaseUnavailable(_("No database key was given."))
        engine = sqlcipher_engine(path, key)
    check_readable(engine, path if not database_url else None)
    return engine


def check_readable(engine: Engine, path: Path | None) -> None:
    """Run one read; turn the driver's error into advice for a person."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        raise explain(exc, path) from exc


def explain(exc: BaseException, path: Path | None) -> DatabaseUnavailable:
    """A person-facing reason for a low-level database error."""
    message = str(getattr(exc, "orig", exc)).lower()
    log.error("database error: %s", message)
    if "file is not a database" in message or "not an error" in message:
        return DatabaseUnavailable(
            _(
                "The database at {path} cannot be opened: the key is wrong or the file is "
                "damaged. Nothing was changed. Check you chose the right profile, or restore "
                "the latest copy from its backups folder."
            ).format(path=path)
        )
    if "malformed" in message:
        return DatabaseUnavailable(
            _(
                "The database at {path} is damaged: part of it is missing or overwritten. "
                "Nothing was changed. Restore the latest copy from its backups folder."
            ).format(path=path)
        )
    if "disk is full" in message or "database or disk is full" in message:
        return DatabaseUnavailable(
            _("The disk is full. Free some space, then try again. Nothing was lost.")
        )
    if "unable to open" in message:
        return DatabaseUnavailable(
            _(
                "The database file at {path} cannot be opened. Check the folder exists and "
                "that you can write to it."
            ).format(path=path)
        )
    if isinstance(exc, OperationalError) and "connection" in message:
        return DatabaseUnavailable(
            _(
                "The shared database server cannot be reached. Check the network, or ask "
                "whoever runs the office server."
            )
        )
    return DatabaseUnavailable(
        _(
            "The database could not be read ({reason}). Restore the latest backup, or ask for help."
        ).format(reason=message[:200])
    )


def session_factory(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions for reading, or (``write=True``) for one user action that writes."""
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return sessionmaker(bind, expire_on_commit=False)
