"""Add the outbox (messages that must not be lost) and the safeguarding alerts.

Revision ID: 0005_safeguarding_outbox
Revises: 0004_dead_letters_and_floods
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_safeguarding_outbox"
down_revision: str | None = "0004_dead_letters_and_floods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column:
    """A timezone-aware time column (storage.columns.UTCDateTime in the models)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _instant("created_at", nullable=False),
        _instant("due_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _instant("sent_at", nullable=True),
        _instant("failed_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(
        "ix_outbox_sent_at_failed_at_due_at", "outbox", ["sent_at", "failed_at", "due_at"]
    )
    op.create_table(
        "safeguarding_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=64), nullable=True),
        sa.Column("at", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("phrases", sa.Text(), nullable=False),
        sa.Column("categories", sa.String(length=200), nullable=False),
        _instant("created_at", nullable=False),
        _instant("seen_at", nullable=True),
        sa.Column("seen_by", sa.String(length=64), nullable=True),
        _instant("handled_at", nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_alerts")),
    )
    op.create_index(
        "ix_safeguarding_alerts_consultation_id_id",
        "safeguarding_alerts",
        ["consultation_id", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_safeguarding_alerts_consultation_id_id", table_name="safeguarding_alerts")
    op.drop_table("safeguarding_alerts")
    op.drop_index("ix_outbox_sent_at_failed_at_due_at", table_name="outbox")
    op.drop_table("outbox")
