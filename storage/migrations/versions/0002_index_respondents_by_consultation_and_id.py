"""Index respondents by (consultation_id, id), the order exports read them in.

An export joins one consultation's respondents to their answers ordered by respondent id then
answer id; with this index the respondents come out of the index already in that order, and the
answers follow through ix_answers_respondent_id_id.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_respondents_consultation_id_id", "respondents", ["consultation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_respondents_consultation_id_id", table_name="respondents")
