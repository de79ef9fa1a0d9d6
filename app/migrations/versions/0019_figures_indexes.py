"""Indexes for a service's figures: drafts and sent forms by service and time, outbox items by connector and time.

The service page (``casework.performance.figures``) and the open-data export
count these per service over a period; without the indexes each count scans
the whole table, and a draft row carries its answers.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_form_drafts_service_created", "form_drafts", ["service_id", "created_at"])
    op.create_index("ix_submissions_service_at", "submissions", ["service_id", "submitted_at"])
    op.create_index(
        "ix_outbox_items_connector_created", "outbox_items", ["connector", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_items_connector_created", table_name="outbox_items")
    op.drop_index("ix_submissions_service_at", table_name="submissions")
    op.drop_index("ix_form_drafts_service_created", table_name="form_drafts")
