"""The route a sent form took (issue 13): ``submission_api``, ``notify_email``,
``paper_letter`` or ``paper_print``. Forms sent before this migration went by
the submission API or were queued nowhere; they keep NULL.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("route")
