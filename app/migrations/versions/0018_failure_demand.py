"""Why help was needed (casework.performance): reasons picked, time spent, outcomes.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("assisted_session_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_demand_records_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["form_drafts.id"], name=op.f("fk_demand_records_draft_id_form_drafts")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_demand_records_submission_id_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["workers.id"],
            name=op.f("fk_demand_records_recorded_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_records")),
    )
    op.create_index(op.f("ix_demand_records_case_id"), "demand_records", ["case_id"])
    op.create_index("ix_demand_records_service_at", "demand_records", ["service_id", "recorded_at"])
    op.create_table(
        "demand_reasons",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["demand_records.id"],
            name=op.f("fk_demand_reasons_record_id_demand_records"),
        ),
        sa.PrimaryKeyConstraint("record_id", "reason", name=op.f("pk_demand_reasons")),
    )
    op.create_index(op.f("ix_demand_reasons_reason"), "demand_reasons", ["reason"])
    op.create_table(
        "case_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("assisted_session_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_time_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["workers.id"], name=op.f("fk_case_time_added_by_id_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_time")),
    )
    op.create_index(op.f("ix_case_time_case_id"), "case_time", ["case_id"])
    op.create_table(
        "case_outcomes",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_outcomes_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["workers.id"], name=op.f("fk_case_outcomes_set_by_id_workers")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_outcomes")),
    )
    op.create_index(op.f("ix_case_outcomes_outcome"), "case_outcomes", ["outcome"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_outcomes_outcome"), table_name="case_outcomes")
    op.drop_table("case_outcomes")
    op.drop_index(op.f("ix_case_time_case_id"), table_name="case_time")
    op.drop_table("case_time")
    op.drop_index(op.f("ix_demand_reasons_reason"), table_name="demand_reasons")
    op.drop_table("demand_reasons")
    op.drop_index("ix_demand_records_service_at", table_name="demand_records")
    op.drop_index(op.f("ix_demand_records_case_id"), table_name="demand_records")
    op.drop_table("demand_records")
