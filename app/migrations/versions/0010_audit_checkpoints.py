"""Signed audit checkpoints on the shared store (delegation.anchor, decision 0026).

``audit_checkpoints`` is append-only like ``audit_entries``: UPDATE and
DELETE (and TRUNCATE on PostgreSQL) are refused by triggers. On PostgreSQL
only the office server's role, ``alongside_office``, may INSERT; everyone
else may only read. The role is made here when the migrating user may make
roles, and left alone when it exists; where neither holds, INSERT is still
taken from PUBLIC and the table's owner (who ran the migration) keeps it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OFFICE_ROLE = "alongside_office"

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END",
    "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit checkpoints are append-only'; END $$",
    "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()",
    "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()",
)
# Make the office role if it is missing and we may; then only it may append.
POSTGRES_PRIVILEGES = (
    f"""
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OFFICE_ROLE}') THEN
            IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
                CREATE ROLE {OFFICE_ROLE} NOLOGIN;
            END IF;
        END IF;
    END $$
    """,
    "REVOKE ALL ON audit_checkpoints FROM PUBLIC",
    "GRANT SELECT ON audit_checkpoints TO PUBLIC",
    f"""
    DO $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OFFICE_ROLE}') THEN
            GRANT SELECT, INSERT ON audit_checkpoints TO {OFFICE_ROLE};
            GRANT USAGE ON SEQUENCE audit_checkpoints_id_seq TO {OFFICE_ROLE};
        END IF;
    END $$
    """,
)


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*POSTGRES_TRIGGERS, *POSTGRES_PRIVILEGES):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_truncate ON audit_checkpoints")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_change ON audit_checkpoints")
        op.execute("DROP FUNCTION IF EXISTS audit_checkpoints_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_delete")
    op.drop_table("audit_checkpoints")
