"""Payment links: the payment page GOV.UK Pay gave for each ``pay`` outbox item.

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"  # after text updates (0013), which main has; re-chain at will
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_links",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["outbox_items.id"],
            name=op.f("fk_payment_links_item_id_outbox_items"),
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_payment_links")),
    )


def downgrade() -> None:
    op.drop_table("payment_links")
