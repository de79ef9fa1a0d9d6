"""The next claim, suggested: suggestions on a case, and decisions recorded on sent forms.

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0017"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "entitlement_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("from_service", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column(
            "status",
            _enum("open", "started", "dismissed", name="suggestionstatus"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "dismiss_reason",
            _enum(
                "not_eligible",
                "already_gets_it",
                "does_not_want_it",
                "applied_elsewhere",
                "for_someone_else",
                "other",
                name="dismissreason",
            ),
            nullable=True,
        ),
        sa.Column("dismiss_note", sa.Text(), nullable=False),
        sa.Column("acted_by_id", sa.Integer(), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_entitlement_suggestions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_entitlement_suggestions_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["workers.id"],
            name=op.f("fk_entitlement_suggestions_created_by_id_workers"),
        ),
        sa.ForeignKeyConstraint(
            ["acted_by_id"],
            ["workers.id"],
            name=op.f("fk_entitlement_suggestions_acted_by_id_workers"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["form_drafts.id"],
            name=op.f("fk_entitlement_suggestions_draft_id_form_drafts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlement_suggestions")),
    )
    with op.batch_alter_table("entitlement_suggestions", schema=None) as batch_op:
        for column in ("case_id", "person_id", "status"):
            batch_op.create_index(
                batch_op.f(f"ix_entitlement_suggestions_{column}"), [column], unique=False
            )

    op.create_table(
        "form_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome", _enum("awarded", "refused", "waiting", name="outcome"), nullable=False
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_form_decisions_submission_id_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_form_decisions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["workers.id"],
            name=op.f("fk_form_decisions_recorded_by_id_workers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_decisions")),
    )
    with op.batch_alter_table("form_decisions", schema=None) as batch_op:
        for column in ("submission_id", "case_id"):
            batch_op.create_index(batch_op.f(f"ix_form_decisions_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("form_decisions")
    op.drop_table("entitlement_suggestions")
