"""Forms: drafts saved on every change, and frozen submissions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("service_version", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("current_page", sa.String(length=64), nullable=True),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_form_drafts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["workers.id"], name=op.f("fk_form_drafts_created_by_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["workers.id"], name=op.f("fk_form_drafts_updated_by_id_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
    )
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_drafts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("service_version", sa.String(length=16), nullable=False),
        sa.Column("definition_sha256", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_submissions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["form_drafts.id"], name=op.f("fk_submissions_draft_id_form_drafts")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_submissions_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["workers.id"],
            name=op.f("fk_submissions_submitted_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_submissions_draft_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_submissions_uuid")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submissions_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_person_id"))
        batch_op.drop_index(batch_op.f("ix_submissions_case_id"))
    op.drop_table("submissions")
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_drafts_case_id"))
    op.drop_table("form_drafts")
