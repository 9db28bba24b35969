"""Dead letters (updates that could not be read or handled) and flood events.

Revision ID: 0004_dead_letters_and_floods
Revises: 0003_announcements
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_dead_letters_and_floods"
down_revision: str | None = "0003_announcements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("outline", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_scope"), "dead_letters", ["scope"])
    op.create_table(
        "flood_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flood_events")),
    )
    op.create_index(op.f("ix_flood_events_consultation_id"), "flood_events", ["consultation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_flood_events_consultation_id"), table_name="flood_events")
    op.drop_table("flood_events")
    op.drop_index(op.f("ix_dead_letters_scope"), table_name="dead_letters")
    op.drop_table("dead_letters")
