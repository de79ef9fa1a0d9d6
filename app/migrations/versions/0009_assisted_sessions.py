"""Assisted sessions at a public terminal (casework.casefile.assisted).

The mandate basis ``assisted_session`` needs no schema change: enum columns
are stored as short strings with no database constraint on their values.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assisted_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name=op.f("fk_assisted_sessions_worker_id_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assisted_sessions")),
    )
    with op.batch_alter_table("assisted_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assisted_sessions_worker_id"), ["worker_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assisted_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assisted_sessions_worker_id"))
    op.drop_table("assisted_sessions")
