"""Alembic migrations on real databases: up, down, up again, no drift, backups.

Runs on an empty SQLCipher file and on an empty PostgreSQL database. The
backup taken before an upgrade is itself opened with the profile's key.
"""

from __future__ import annotations

import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text

from app import migrate
from app.database import postgres_engine, sqlcipher_engine
from app.paths import ProfilePaths
from app.profile import create_profile, open_profile
from casework.kernel.errors import DatabaseUnavailable

CASEWORK_TABLES = {
    "teams",
    "workers",
    "people",
    "cases",
    "notes",
    "tasks",
    "documents",
    "document_contents",
    "timeline_events",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine over an empty database with no schema at all."""
    if request.param == "postgres":
        engine = postgres_engine(request.getfixturevalue("postgres_url"))
    else:
        engine = sqlcipher_engine(tmp_path / "alongside.db", secrets.token_bytes(32))
    yield engine
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _add_person(engine: Engine, family: str) -> None:
    with engine.begin() as conn:
        team = conn.execute(
            text(
                "INSERT INTO teams (name, created_at) VALUES ('T', CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO people (team_id, given_name, family_name, address, preferred_language,"
                " communication_needs, access_needs, created_at, updated_at, version) VALUES "
                "(:team, 'Owain', :family, '', 'en', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                " 1)"
            ),
            {"team": team, "family": family},
        )


def _search_finds(engine: Engine, word: str) -> bool:
    from sqlalchemy.orm import Session

    from casework.casefile.search import search
    from casework.kernel import accounts
    from casework.kernel.models import Team
    from casework.kernel.records import Actor, Role

    with Session(engine) as session:
        team = session.scalars(select(Team)).one()
        # Search sees what a worker who still has an account may see.
        worker = accounts.create_worker(
            session,
            username="migrator",
            display_name="T",
            password="a long enough password 1",
            role=Role.ADVISER,
            team=team,
        )
        session.flush()
        actor = Actor(worker.id, "migrator", "T", Role.ADVISER, team.id, "T")
        found = bool(search(session, actor, word).hits)
        session.rollback()
        return found


# Every migration after the first, newest first, with the tables that go when
# it is undone. A new migration adds one line here.
STEPS = [
    ("0018", {"demand_records", "demand_reasons", "case_time", "case_outcomes"}),
    ("0016", {"entitlement_suggestions", "form_decisions"}),
    ("0017", {"complaint_steps", "complaint_consents"}),
    ("0015", {"paper_office", "paper_copies", "paper_returns"}),
    ("0014", {"timeline_events.event"}),
    ("0012", {"payment_links"}),
    ("0013", {"text_update_consents"}),
    ("0011", {"submissions.route"}),
    ("0010", {"audit_checkpoints"}),
    ("0009", {"assisted_sessions"}),
    ("0008", {"escalations", "escalation_levels", "local_facilitators", "referrals"}),
    ("0007", {"address_cache"}),
    ("0006", {"mandates.last_used_at", "form_drafts.mandate_id"}),
    ("0005", {"mandates", "consent_records", "audit_entries"}),
    ("0004", {"outbox_items"}),
    ("0003", {"form_drafts", "submissions"}),
    ("0002", {"search_index"}),
]


def _made(engine: Engine) -> set[str]:
    """The tables, and "table.column" for every column, in the database."""
    found = _tables(engine)
    found |= {f"{t}.{c['name']}" for t in list(found) for c in inspect(engine).get_columns(t)}
    return found


def test_empty_to_head_then_down_one_and_up_again(empty_engine: Engine) -> None:
    assert migrate.is_empty(empty_engine)
    assert migrate.current_revision(empty_engine) is None
    assert migrate.upgrade(empty_engine, None) is None  # nothing to back up
    head = STEPS[0][0]
    assert migrate.current_revision(empty_engine) == migrate.head_revision() == head
    assert _tables(empty_engine) >= CASEWORK_TABLES
    assert migrate.check(empty_engine) == []

    _add_person(empty_engine, "Migrationson")
    assert _search_finds(empty_engine, "migrationson")

    revisions = [revision for revision, _ in STEPS] + ["0001"]
    for (revision, tables), below in zip(STEPS, revisions[1:], strict=True):
        assert migrate.current_revision(empty_engine) == revision
        migrate.downgrade(empty_engine, "-1")
        assert migrate.current_revision(empty_engine) == below, f"undoing {revision}"
        assert not tables & _made(empty_engine), f"undoing {revision} left {tables}"
    problems = migrate.check(empty_engine)
    assert any("alongside db upgrade" in p for p in problems)

    migrate.upgrade(empty_engine, None)
    assert migrate.current_revision(empty_engine) == head
    # (PostgreSQL searches with its own full-text index, not a search_index table.)
    made = set().union(*(tables for _, tables in STEPS)) - {"search_index"}
    assert made <= _made(empty_engine)
    # Rows written before the index existed are indexed by the migration.
    assert _search_finds(empty_engine, "migrationson")
    assert migrate.check(empty_engine) == []


def test_all_the_way_down_and_up(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, None)
    migrate.downgrade(empty_engine, "base")
    assert migrate.current_revision(empty_engine) is None
    assert not (CASEWORK_TABLES & _tables(empty_engine))
    migrate.upgrade(empty_engine, None)
    assert migrate.check(empty_engine) == []


def test_models_match_migrations(empty_engine: Engine) -> None:
    """As ``alembic check``: autogenerate would find nothing to add or drop."""
    migrate.upgrade(empty_engine, None)
    assert migrate.schema_drift(empty_engine) == []


def test_drift_is_reported(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, None)
    with empty_engine.begin() as conn:
        conn.execute(text("CREATE TABLE stray_table (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE INDEX ix_stray_people ON people (postcode)"))
    drift = migrate.schema_drift(empty_engine)
    assert any("stray_table" in line for line in drift), drift
    assert any("ix_stray_people" in line for line in drift), drift
    assert all(line.startswith("Schema differs from the models") for line in drift)
    assert migrate.check(empty_engine) == drift


def test_a_database_from_a_newer_alongside_is_refused(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, None)
    with empty_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseUnavailable) as refused:
        migrate.upgrade(empty_engine, None)
    assert "newer Alongside" in refused.value.message
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"


@pytest.mark.postgres
def test_postgres_backups_point_at_pg_dump(postgres_url: str, tmp_path: Path) -> None:
    engine = postgres_engine(postgres_url)
    try:
        migrate.upgrade(engine, tmp_path / "backups")
        with pytest.raises(DatabaseUnavailable) as refused:
            migrate.backup(engine, tmp_path / "backups")
        assert "pg_dump" in refused.value.message
    finally:
        engine.dispose()


# -- SQLCipher backups ----------------------------------------------------------------


@pytest.fixture
def old_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A profile whose database is still at revision 0001, with one person."""
    key = secrets.token_hex(32)
    monkeypatch.setenv("ALONGSIDE_DB_KEY", key)
    paths = ProfilePaths(tmp_path / "profile")
    create_profile(paths).close()
    engine = sqlcipher_engine(paths.database, bytes.fromhex(key))
    migrate.downgrade(engine, "0001")
    _add_person(engine, "Backupford")
    engine.dispose()
    yield paths.root, key


def test_upgrade_at_start_up_takes_a_readable_encrypted_backup(
    old_profile: tuple[Path, str],
) -> None:
    root, key = old_profile
    paths = ProfilePaths(root)
    opened = open_profile(paths)  # upgrades, after a backup
    try:
        assert migrate.current_revision(opened.engine) == migrate.HEAD_REVISION
        assert _search_finds(opened.engine, "backupford")
    finally:
        opened.close()
    (copy,) = paths.backups.glob("alongside-*.db")
    assert "before-upgrade-0001" in copy.name
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    raw = copy.read_bytes()
    assert not raw.startswith(b"SQLite format 3\x00")
    assert b"Backupford" not in raw

    # The copy opens with the profile's key and holds the data as it was.
    backup_engine = sqlcipher_engine(copy, bytes.fromhex(key))
    try:
        assert migrate.current_revision(backup_engine) == "0001"
        with backup_engine.connect() as conn:
            assert conn.execute(text("SELECT family_name FROM people")).scalar() == "Backupford"
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        backup_engine.dispose()

    # And with no other key.
    from app.database import open_engine

    with pytest.raises(DatabaseUnavailable) as refused:
        open_engine(None, copy, secrets.token_bytes(32))
    assert "key is wrong" in refused.value.message

    # Opening again takes no further backup: the schema is current.
    open_profile(paths).close()
    assert len(list(paths.backups.glob("alongside-*.db"))) == 1


def test_db_upgrade_reports_the_backup(old_profile: tuple[Path, str]) -> None:
    paths = ProfilePaths(old_profile[0])
    opened = open_profile(paths, upgrade=False)
    try:
        assert migrate.current_revision(opened.engine) == "0001"
        backup = migrate.upgrade(opened.engine, paths.backups)
        assert backup is not None and Path(backup).exists()
        assert migrate.upgrade(opened.engine, paths.backups) is None
    finally:
        opened.close()


def test_old_backups_are_pruned_to_ten(tmp_path: Path, db_key: bytes) -> None:
    opened = create_profile(ProfilePaths(tmp_path / "profile"), key=db_key)
    folder = opened.paths.backups
    keep_me = folder / "notes-from-the-administrator.txt"
    keep_me.write_text("not a backup")
    try:
        made = [migrate.backup(opened.engine, folder, reason=f"n{n:02d}") for n in range(13)]
    finally:
        opened.close()
    left = sorted(folder.glob("alongside-*.db"))
    assert len(left) == migrate.KEEP_BACKUPS == 10
    assert left == sorted(made)[-10:]  # the newest ten
    assert not any(path.exists() for path in made[:3])
    assert keep_me.exists()
    # Every copy left is a whole, readable database.
    for copy in (left[0], left[-1]):
        engine = sqlcipher_engine(copy, db_key)
        try:
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
