"""Record the language each answer was given in, for exports.

Answers given before this column existed have no language recorded (NULL).

Revision ID: 0007_answer_language
Revises: 0006_fair_consultation_record
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_answer_language"
down_revision: str | None = "0006_fair_consultation_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("language")
