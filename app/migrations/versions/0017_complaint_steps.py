"""Complaint steps on a case and the person's consent to an evidence pack.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("nation", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("final_response_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_complaint_steps_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["workers.id"],
            name=op.f("fk_complaint_steps_recorded_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_steps")),
        sa.UniqueConstraint("case_id", "step", name="uq_complaint_step"),
    )
    with op.batch_alter_table("complaint_steps") as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_steps_case_id"), ["case_id"], unique=False)
    op.create_table(
        "complaint_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_complaint_consents_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["workers.id"],
            name=op.f("fk_complaint_consents_recorded_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_consents")),
    )
    with op.batch_alter_table("complaint_consents") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_consents_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("complaint_consents")
    op.drop_table("complaint_steps")
