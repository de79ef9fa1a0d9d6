"""Escalations to named facilitators, their levels, local facilitators and referrals.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01

The unique constraint on escalation_levels (escalation_id, level) is what keeps
a re-escalation to one per breach, even across restarts and two processes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_facilitators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("days", sa.String(length=60), nullable=False),
        sa.Column("opens", sa.String(length=5), nullable=False),
        sa.Column("closes", sa.String(length=5), nullable=False),
        sa.Column("languages", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("postal_address", sa.Text(), nullable=False),
        sa.Column("sla_working_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["workers.id"],
            name=op.f("fk_local_facilitators_created_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_facilitators")),
    )
    with op.batch_alter_table("local_facilitators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_local_facilitators_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=20), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "no_decision",
                "wrong_decision",
                "lost_evidence",
                "urgent_hardship",
                "safeguarding",
                "other",
                name="reasoncategory",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "raised",
                "acknowledged",
                "resolved",
                "closed",
                name="escalationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("current_level", sa.Integer(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("mandate_version", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_escalations_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_escalations_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["workers.id"], name=op.f("fk_escalations_raised_by_id_workers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_escalations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("consent_note", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "accepted",
                "rejected",
                name="referralstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mandate_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_referrals_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["workers.id"], name=op.f("fk_referrals_created_by_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["workers.id"], name=op.f("fk_referrals_decided_by_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["from_team_id"], ["teams.id"], name=op.f("fk_referrals_from_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_referrals_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"], ["teams.id"], name=op.f("fk_referrals_to_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_to_team_id"), ["to_team_id"], unique=False)

    op.create_table(
        "escalation_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("facilitator", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("nation", sa.String(length=20), nullable=False),
        sa.Column("sla_working_days", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("breach_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_item_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("letter_pdf", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_levels_escalation_id_escalations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_levels")),
        sa.UniqueConstraint("escalation_id", "level", name="uq_escalation_level"),
    )
    with op.batch_alter_table("escalation_levels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalation_levels_breach_at"), ["breach_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalation_levels_escalation_id"), ["escalation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("escalation_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_levels_escalation_id"))
        batch_op.drop_index(batch_op.f("ix_escalation_levels_breach_at"))
    op.drop_table("escalation_levels")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_to_team_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_case_id"))
    op.drop_table("referrals")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_person_id"))
        batch_op.drop_index(batch_op.f("ix_escalations_case_id"))
    op.drop_table("escalations")
    with op.batch_alter_table("local_facilitators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_facilitators_service_id"))
    op.drop_table("local_facilitators")
