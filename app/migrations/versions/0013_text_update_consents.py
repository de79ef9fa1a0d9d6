"""Text updates to the person: their consent on each case (offline_sync.text_updates).

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_update_consents",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("mandate_version", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_text_update_consents_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["workers.id"],
            name=op.f("fk_text_update_consents_decided_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_text_update_consents")),
    )


def downgrade() -> None:
    op.drop_table("text_update_consents")
