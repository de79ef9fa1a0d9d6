"""Mandates in use: when each was last used, and which mandate a form draft
was made under (so the draft freezes when that mandate ends).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mandate_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("mandate_version", sa.Integer(), nullable=True))
        batch_op.create_index("ix_form_drafts_mandate_id", ["mandate_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_form_drafts_mandate_id")
        batch_op.drop_column("mandate_version")
        batch_op.drop_column("mandate_id")
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
