"""Outbox: requests waiting to reach a platform, each sent exactly once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CONNECTORS = (
    "notify_email", "notify_sms", "notify_letter", "submission_api", "pay", "address_lookup",
)  # fmt: skip
STATES = ("queued", "sending", "sent", "delivered", "needs_attention", "cancelled", "failed")


def upgrade() -> None:
    op.create_table(
        "outbox_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column(
            "connector",
            sa.Enum(*CONNECTORS, name="connector", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column(
            "state",
            sa.Enum(*STATES, name="outboxstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("last_error_type", sa.String(length=64), nullable=True),
        sa.Column("last_error_message", sa.Text(), nullable=True),
        sa.Column("remote_id", sa.String(length=64), nullable=True),
        sa.Column("remote_status", sa.String(length=32), nullable=True),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("mandate_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_outbox_items_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_items")),
    )
    with op.batch_alter_table("outbox_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_outbox_items_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(
            "ix_outbox_items_connector_key", ["connector", "idempotency_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_items", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_items_connector_key")
        batch_op.drop_index("ix_outbox_items_due")
        batch_op.drop_index(batch_op.f("ix_outbox_items_case_id"))
    op.drop_table("outbox_items")
