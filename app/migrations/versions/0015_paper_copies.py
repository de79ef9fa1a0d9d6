"""Paper copies: every printed copy has its own reference, and returned scans are recorded.

Adds ``paper_office`` (this profile's office code, one row, made here at
random), ``paper_copies`` (one row per printed copy) and ``paper_returns``
(one row per scan received). See ``casework.paper.models``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # casework.paper.reference.COPY_ALPHABET, frozen here


def upgrade() -> None:
    op.create_table(
        "paper_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_office")),
        sa.UniqueConstraint("code", name=op.f("uq_paper_office_code")),
    )
    op.create_table(
        "paper_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("office", sa.String(length=8), nullable=False),
        sa.Column("serial", sa.String(length=16), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("printed_by_id", sa.Integer(), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_back_on", sa.Date(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_paper_copies_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["form_drafts.id"], name=op.f("fk_paper_copies_draft_id_form_drafts")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_paper_copies_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["printed_by_id"], ["workers.id"], name=op.f("fk_paper_copies_printed_by_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_paper_copies_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_copies")),
        sa.UniqueConstraint("office", "serial", name="uq_paper_copies_office_serial"),
        sa.UniqueConstraint("reference", name=op.f("uq_paper_copies_reference")),
    )
    op.create_index("ix_paper_copies_case", "paper_copies", ["case_id"], unique=False)
    op.create_index(
        "ix_paper_copies_due", "paper_copies", ["returned_at", "due_back_on"], unique=False
    )
    op.create_table(
        "paper_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("scan_sha256", sa.String(length=64), nullable=False),
        sa.Column("pages_found", sa.Text(), nullable=False),
        sa.Column("pages_missing", sa.Text(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sla_due_on", sa.Date(), nullable=True),
        sa.Column("typed_submission_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_paper_returns_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["copy_id"], ["paper_copies.id"], name=op.f("fk_paper_returns_copy_id_paper_copies")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_paper_returns_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"], ["workers.id"], name=op.f("fk_paper_returns_received_by_id_workers")
        ),
        sa.ForeignKeyConstraint(
            ["typed_submission_id"],
            ["submissions.id"],
            name=op.f("fk_paper_returns_typed_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_returns")),
        sa.UniqueConstraint("scan_sha256", name=op.f("uq_paper_returns_scan_sha256")),
    )
    op.create_index(op.f("ix_paper_returns_case_id"), "paper_returns", ["case_id"], unique=False)
    op.create_index(op.f("ix_paper_returns_copy_id"), "paper_returns", ["copy_id"], unique=False)
    code = "".join(secrets.choice(ALPHABET) for _ in range(4))
    while code == "0000":  # the code of a copy no profile recorded
        code = "".join(secrets.choice(ALPHABET) for _ in range(4))
    op.execute(
        sa.text("INSERT INTO paper_office (id, code) VALUES (1, :code)").bindparams(code=code)
    )


def downgrade() -> None:
    op.drop_table("paper_returns")
    op.drop_index("ix_paper_copies_due", table_name="paper_copies")
    op.drop_index("ix_paper_copies_case", table_name="paper_copies")
    op.drop_table("paper_copies")
    op.drop_table("paper_office")
