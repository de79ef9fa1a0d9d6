"""Schema migrations at start-up and from ``alongside db``.

Before any upgrade of an existing database a backup copy is taken (an
encrypted copy with the same key, through SQLite's online backup), so a
failed migration can always be undone by hand.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from app.database import key_pragmas
from app.paths import create_private_file
from casework.complaints import models as _complaint_models  # noqa: F401 - its tables join the metadata
from casework.entitlements import models as _entitlement_models  # noqa: F401 - its tables join the metadata
from casework.escalation import models as _escalation_models  # noqa: F401 - its tables join the metadata
from casework.kernel.errors import DatabaseUnavailable
from casework.kernel.i18n import _, ngettext
from casework.kernel.models import Base
from casework.paper import models as _paper_models  # noqa: F401 - its tables join the metadata
from casework.performance import models as _performance_models  # noqa: F401 - its tables join the metadata
from delegation import models as _delegation_models  # noqa: F401 - its tables join the metadata
from delegation import session_models as _session_models  # noqa: F401 - its tables join the metadata
from offline_sync import models as _outbox_models  # noqa: F401 - its tables join the metadata
from offline_sync.payments import models as _payment_models  # noqa: F401 - its tables join the metadata
from offline_sync.text_updates import models as _text_models  # noqa: F401 - its tables join the metadata

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("alongside.db")
# The newest migration. Start-up compares the database with this and imports
# Alembic only when there is work to do, which keeps a quarter of a second
# off every start; a test checks it matches the migrations folder.
# Order: 0011 -> 0013 -> 0012 -> 0014 -> 0015 -> 0017 -> 0016 -> 0018 (re-chain at will).
HEAD_REVISION = "0018"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 10
# Alembic keeps the running migration in module globals (``alembic.context``),
# so two threads migrating two databases at once would mix them up.
_ALEMBIC = threading.Lock()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The head according to the migrations folder (Alembic's own answer)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None for a new, empty one)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    if len(versions) > 1:
        raise DatabaseUnavailable(
            _("This database records more than one schema version. Restore it from a backup.")
        )
    return versions[0] if versions else None


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            count = conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        else:
            count = conn.execute(
                text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                    "current_schema()"
                )
            ).scalar()
    return not count


def upgrade(engine: Engine, backups: Path | None, target: str = "head") -> str | None:
    """Bring the schema to ``target``; returns the backup path taken, if any."""
    current = current_revision(engine)
    if current == HEAD_REVISION and target == "head":
        return None  # the usual start: nothing to do, and no Alembic import
    from alembic import command

    if current is not None and _known_revision(current) is False:
        raise DatabaseUnavailable(
            _("This database was made by a newer Alongside. Update Alongside to open it.")
        )
    if current == head_revision() and target == "head":
        return None
    backup_path = None
    if current is not None and backups is not None and engine.dialect.name == "sqlite":
        backup_path = str(backup(engine, backups, reason=f"before-upgrade-{current}"))
    with _ALEMBIC, engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)
    log.info("database upgraded from %s to %s", current, target)
    return backup_path


def downgrade(engine: Engine, target: str) -> None:
    from alembic import command

    with _ALEMBIC, engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, target)


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except Exception:
        return False
    return True


def backup(engine: Engine, folder: Path, reason: str = "manual") -> Path:
    """An encrypted, consistent copy of a live SQLite database."""
    if engine.dialect.name != "sqlite":
        raise DatabaseUnavailable(
            _("Back up a shared PostgreSQL database with the server's own tools (pg_dump).")
        )
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"alongside-{stamp}-{reason}.db"
    create_private_file(target)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None
        # The copy is keyed like the source: attach-free backup via the API.
        dest = type(source)(str(target))  # same driver class: sqlcipher3 Connection
        try:
            for pragma in key_pragmas(engine):
                dest.execute(pragma)
            source.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()
    _prune(folder)
    log.info("backup written: %s", target.name)
    return target


def _prune(folder: Path) -> None:
    copies = sorted(folder.glob("alongside-*.db"))
    for old in copies[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)


def newest_backup(folder: Path) -> Path | None:
    """The most recent backup copy in ``folder`` (their names sort by time), if any."""
    try:
        copies = sorted(p for p in folder.glob("alongside-*.db") if p.is_file())
    except OSError:
        return None
    return copies[-1] if copies else None


def restore_advice(folder: Path) -> str:
    """One sentence: which backup copy to restore, or that there is none."""
    newest = newest_backup(folder)
    if newest is None:
        return _(
            "There is no backup copy in {folder}: ask for help before changing anything."
        ).format(folder=folder)
    return _("Restore the newest backup copy, {path}, from the backups folder.").format(path=newest)


# The search index is raw SQL in migration 0002 (FTS5 tables on SQLite, GIN
# expression indexes on PostgreSQL), so the models do not declare it.
SEARCH_INDEX_TABLES = "search_index"
SEARCH_INDEXES = frozenset({"ix_people_search", "ix_cases_search", "ix_notes_search"})


def _declared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name is not None and name.startswith(SEARCH_INDEX_TABLES):
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


def schema_drift(engine: Engine) -> list[str]:
    """Differences between the models and the migrated schema, as ``alembic check`` finds.

    Empty when every table, column, type, index and constraint the models
    declare is what the migrations made, and nothing else is there.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _declared}
        )
        diffs = compare_metadata(context, Base.metadata)
    return [_describe(diff) for diff in diffs]


def _describe(diff: Any) -> str:
    # A diff is a tuple like ("add_column", schema, table, Column), or a list of
    # such tuples for one column's modifications.
    first = diff[0] if isinstance(diff, list) else diff
    parts = [str(getattr(p, "name", p)) for p in first[1:] if p is not None]
    return _("Schema differs from the models: {kind} {what}").format(
        kind=first[0], what=" ".join(parts)
    )


_PAGE = re.compile(r"\bpage\s+(\d+)", re.IGNORECASE)
SHOWN_PAGES = 5


def damaged_pages(engine: Engine) -> tuple[int, ...] | None:
    """Where a SQLite file is damaged: None when it is sound, else the pages named.

    SQLCipher's ``cipher_integrity_check`` checks every page's HMAC and names a
    page that was changed outside SQLite; ``integrity_check`` then checks the
    structure. The tuple is empty when the damage names no page.
    """
    rows: list[str] = []
    try:
        with engine.connect() as conn:
            if _has_cipher(conn):
                rows = [str(r[0]) for r in conn.execute(text("PRAGMA cipher_integrity_check"))]
            if not rows:
                rows = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check"))]
                rows = [] if rows == ["ok"] else rows
    except DBAPIError as exc:
        rows = [str(exc.orig)]
    if not rows:
        return None
    pages = sorted({int(m.group(1)) for row in rows for m in _PAGE.finditer(row)})
    return tuple(pages)


def _has_cipher(conn: Any) -> bool:
    try:
        return bool(conn.execute(text("PRAGMA cipher_version")).scalar())
    except DBAPIError:
        return False


def damage_message(database: object, pages: tuple[int, ...], backups: Path | None) -> str:
    """One line for a damaged database: where, that nothing changed, what to restore."""
    if not pages:
        where = _("The database at {path} is damaged.").format(path=database)
    else:
        shown = ", ".join(str(n) for n in pages[:SHOWN_PAGES])
        if len(pages) > SHOWN_PAGES:
            shown = _("{pages} and {n} more").format(pages=shown, n=len(pages) - SHOWN_PAGES)
        where = ngettext(
            "The database at {path} is damaged at page {pages}.",
            "The database at {path} is damaged at pages {pages}.",
            len(pages),
        ).format(path=database, pages=shown)
    advice = restore_advice(backups) if backups is not None else ""
    return " ".join(part for part in (where, _("Nothing was changed."), advice) if part)


def check(engine: Engine, backups: Path | None = None) -> list[str]:
    """Problems found (empty when the database is sound and up to date).

    A damaged SQLite file is not a list of problems but a refusal: raises
    ``DatabaseUnavailable`` with one line naming the damaged pages and the
    newest copy in ``backups`` to restore.
    """
    if engine.dialect.name == "sqlite":
        pages = damaged_pages(engine)
        if pages is not None:
            raise DatabaseUnavailable(damage_message(engine.url.database, pages, backups))
        try:
            return _check(engine)
        except DBAPIError as exc:  # damage the page checks did not see
            log.error("database error during the check: %s", exc.orig)
            raise DatabaseUnavailable(damage_message(engine.url.database, (), backups)) from exc
    return _check(engine)


def _check(engine: Engine) -> list[str]:
    problems: list[str] = []
    current = current_revision(engine)
    if current != head_revision():
        problems.append(
            _("The schema is at {current}, not {head}: run 'alongside db upgrade'.").format(
                current=current or _("nothing"), head=head_revision()
            )
        )
    else:
        problems.extend(schema_drift(engine))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if fk:
                problems.append(_("{n} rows point at records that do not exist.").format(n=len(fk)))
    return problems
