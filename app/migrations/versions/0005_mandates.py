"""Delegated access: mandates, consent records and the append-only audit chain.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BASES = (
    "consent", "lasting_power_of_attorney", "deputyship", "dwp_appointee",
    "parental_responsibility", "emergency",
)  # fmt: skip
STATUSES = ("proposed", "active", "suspended", "expired", "revoked", "rejected")
WORK_IN_PROGRESS = ("freeze", "finish_queued")
METHODS = ("in_person", "signed_paper", "phone_callback")

# The audit table refuses UPDATE and DELETE in the database itself, so an
# honest bug can never rewrite history; someone with raw access to the file can
# still drop the trigger, which is what the hash chain is there to catch.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$",
    "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "mandates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("grantee_worker_id", sa.Integer(), nullable=True),
        sa.Column("grantee_team_id", sa.Integer(), nullable=True),
        sa.Column("basis", _enum(BASES, "basis"), nullable=False),
        sa.Column("evidence_reference", sa.String(length=200), nullable=False),
        sa.Column("evidence_checked_by_id", sa.Integer(), nullable=True),
        sa.Column("evidence_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence_next_check", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", _enum(STATUSES, "mandatestatus"), nullable=False),
        sa.Column("status_reason", sa.String(length=40), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("sub_delegation_allowed", sa.Boolean(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("work_in_progress", _enum(WORK_IN_PROGRESS, "workinprogress"), nullable=False),
        sa.Column("emergency_reason", sa.Text(), nullable=False),
        sa.Column("second_approver_id", sa.Integer(), nullable=True),
        sa.Column("flagged_for_review", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(grantee_worker_id IS NULL) <> (grantee_team_id IS NULL)",
            name=op.f("ck_mandates_one_grantee"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_mandates_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_mandates_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["grantee_worker_id"],
            ["workers.id"],
            name=op.f("fk_mandates_grantee_worker_id_workers"),
        ),
        sa.ForeignKeyConstraint(
            ["grantee_team_id"], ["teams.id"], name=op.f("fk_mandates_grantee_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_checked_by_id"],
            ["workers.id"],
            name=op.f("fk_mandates_evidence_checked_by_id_workers"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["mandates.id"], name=op.f("fk_mandates_parent_id_mandates")
        ),
        sa.ForeignKeyConstraint(
            ["second_approver_id"],
            ["workers.id"],
            name=op.f("fk_mandates_second_approver_id_workers"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["workers.id"], name=op.f("fk_mandates_created_by_id_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandates")),
    )
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mandates_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mandates_grantee_worker_id"), ["grantee_worker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mandates_grantee_team_id"), ["grantee_team_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mandates_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=False),
        sa.Column("method", _enum(METHODS, "consentmethod"), nullable=False),
        sa.Column("task_list_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("interpreter_used", sa.Boolean(), nullable=False),
        sa.Column("seen_alone", sa.Boolean(), nullable=False),
        sa.Column("safeguarding_answers", sa.Text(), nullable=False),
        sa.Column("witness", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.id"], name=op.f("fk_consent_records_mandate_id_mandates")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["workers.id"],
            name=op.f("fk_consent_records_recorded_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_records_mandate_id"), ["mandate_id"], unique=False
        )

    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("mandate_version", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("scope_detail", sa.Text(), nullable=False),
        sa.Column("categories_disclosed", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_person", ["person_id", "seq"], unique=False)
        batch_op.create_index("ix_audit_entries_mandate", ["mandate_id", "seq"], unique=False)

    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_mandate")
        batch_op.drop_index("ix_audit_entries_person")
    op.drop_table("audit_entries")
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_records_mandate_id"))
    op.drop_table("consent_records")
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mandates_parent_id"))
        batch_op.drop_index(batch_op.f("ix_mandates_grantee_team_id"))
        batch_op.drop_index(batch_op.f("ix_mandates_grantee_worker_id"))
        batch_op.drop_index(batch_op.f("ix_mandates_person_id"))
    op.drop_table("mandates")
