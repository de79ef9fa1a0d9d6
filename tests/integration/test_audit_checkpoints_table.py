"""The ``audit_checkpoints`` table (migration 0010): append-only on SQLCipher
and PostgreSQL, on PostgreSQL appendable only by the office server's role,
and a profile on the shared store keeping its checkpoints there too."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError, ProgrammingError

from app import audit_anchor, keys
from app.database import session_factory
from app.paths import ProfilePaths
from app.profile import OpenProfile, create_profile
from delegation import anchor
from tests.audit_support import append_entries

INSERT = (
    "INSERT INTO audit_checkpoints (count, head_hash, signed_at, body) "
    "VALUES (1, 'h', CURRENT_TIMESTAMP, '{}')"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def profile_on(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenProfile]:
    paths = ProfilePaths(tmp_path / "profile")
    if request.param == "postgres":
        profile = create_profile(paths, database_url=request.getfixturevalue("postgres_url"))
    else:
        monkeypatch.setenv(keys.KEY_ENV, secrets.token_hex(32))
        profile = create_profile(paths)
    yield profile
    profile.close()


def test_checkpoints_in_the_database_are_never_changed_or_deleted(
    profile_on: OpenProfile,
) -> None:
    with profile_on.engine.begin() as conn:
        conn.execute(text(INSERT))
    for statement in (
        "UPDATE audit_checkpoints SET count = 99",
        "DELETE FROM audit_checkpoints",
    ):
        with pytest.raises(DatabaseError, match="append-only"), profile_on.engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.postgres
def test_only_the_office_role_may_append(postgres_url: str, tmp_path: Path) -> None:
    profile = create_profile(ProfilePaths(tmp_path / "profile"), database_url=postgres_url)
    try:
        with profile.engine.begin() as conn:
            assert conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = 'alongside_office'")
            ).scalar()
            conn.execute(
                text(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clerk') "
                    "THEN CREATE ROLE clerk LOGIN; END IF; END $$"
                )
            )
            conn.execute(text("GRANT USAGE ON SCHEMA public TO clerk"))
    finally:
        profile.close()
    clerk = create_engine(postgres_url.replace("postgres@", "clerk@", 1))
    try:
        with clerk.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_checkpoints")).scalar() == 0
        with pytest.raises(ProgrammingError, match="permission denied"), clerk.begin() as conn:
            conn.execute(text(INSERT))
        with pytest.raises(ProgrammingError, match="permission denied"), clerk.begin() as conn:
            conn.execute(text("TRUNCATE audit_checkpoints"))
        admin = create_engine(postgres_url)
        with admin.begin() as conn:
            conn.execute(text("GRANT alongside_office TO clerk"))
        admin.dispose()
        with clerk.begin() as conn:
            conn.execute(text("SET ROLE alongside_office"))
            conn.execute(text(INSERT))
    finally:
        clerk.dispose()
        admin = create_engine(postgres_url)
        with admin.begin() as conn:
            conn.execute(text("REVOKE alongside_office FROM clerk"))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.keyring
def test_a_shared_store_profile_keeps_checkpoints_in_the_table(
    postgres_url: str, tmp_path: Path
) -> None:
    profile = create_profile(ProfilePaths(tmp_path / "profile"), database_url=postgres_url)
    profile_id = profile.settings.profile_id
    try:
        with session_factory(profile.engine, write=True).begin() as session:
            append_entries(
                session, (datetime(2026, 12, 5, 10, minute, tzinfo=UTC) for minute in range(5))
            )
        made = audit_anchor.write_checkpoint(profile)
        assert made is not None and made.count == 5
        where = [s.where for s in audit_anchor.stored_checkpoints(profile)]
        assert where == ["this computer's keyring", "the shared database"]
        # Losing the keyring's copy still leaves the table's to tell.
        keyring.delete_password(keys.KEYRING_SERVICE, f"audit-checkpoint:{profile_id}")
        with profile.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_entries_no_change ON audit_entries"))
            conn.execute(text("DELETE FROM audit_entries WHERE seq > 3"))
        with session_factory(profile.engine)() as session:
            result = anchor.verify_anchored(
                session,
                audit_anchor.stored_checkpoints(profile),
                audit_anchor.public_key(profile_id),
                profile_id=profile_id,
            )
        assert not result.ok
        assert result.reason.startswith("The 2 newest audit entries, written on 5 Dec 2026")
    finally:
        profile.close()
