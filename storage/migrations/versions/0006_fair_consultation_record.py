"""The fair-consultation record: file versions, window changes with reasons, decline counts.

Revision ID: 0006_fair_consultation_record
Revises: 0005_safeguarding_outbox
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_fair_consultation_record"
down_revision: str | None = "0005_safeguarding_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INSTANT = sa.DateTime(timezone=True)
"""storage.columns.UTCDateTime in the models."""


def upgrade() -> None:
    op.create_table(
        "consultation_versions",
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_used_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint(
            "consultation_id", "version", name=op.f("pk_consultation_versions")
        ),
    )
    op.create_table(
        "window_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("opens_at", INSTANT, nullable=True),
        sa.Column("closes_at", INSTANT, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_window_changes")),
    )
    op.create_index(
        op.f("ix_window_changes_consultation_id"), "window_changes", ["consultation_id"]
    )
    op.create_table(
        "decline_counts",
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("declines", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "consultation_id", "audience", "source", name=op.f("pk_decline_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("decline_counts")
    op.drop_index(op.f("ix_window_changes_consultation_id"), table_name="window_changes")
    op.drop_table("window_changes")
    op.drop_table("consultation_versions")
