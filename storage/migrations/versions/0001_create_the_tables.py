"""Create the tables: respondents, progress, answers, processed updates, audit, windows, jobs.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column:
    """A timezone-aware time column (storage.columns.UTCDateTime in the models)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("audience", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        _instant("consent_at", nullable=True),
        _instant("finished_at", nullable=True),
        _instant("unreachable_at", nullable=True),
        sa.Column("wants_reminder", sa.Boolean(), nullable=True),
        sa.Column("wants_outcome", sa.Boolean(), nullable=True),
        _instant("reminded_at", nullable=True),
        _instant("told_closed_at", nullable=True),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
        sa.UniqueConstraint(
            "consultation_id",
            "pseudonym",
            name=op.f("uq_respondents_consultation_id_pseudonym"),
        ),
    )
    op.create_table(
        "progress",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _instant("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_progress_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("respondent_id", name=op.f("pk_progress")),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("consultation_version", sa.String(length=64), nullable=False),
        _instant("first_answered_at", nullable=False),
        _instant("last_answered_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_answers_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "respondent_id",
            "area",
            "question",
            name=op.f("uq_answers_respondent_id_area_question"),
        ),
    )
    op.create_index("ix_answers_respondent_id_id", "answers", ["respondent_id", "id"])
    op.create_table(
        "processed_updates",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        _instant("processed_at", nullable=False),
        sa.PrimaryKeyConstraint("scope", "update_id", name=op.f("pk_processed_updates")),
    )
    op.create_index(
        op.f("ix_processed_updates_processed_at"), "processed_updates", ["processed_at"]
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _instant("at", nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_table(
        "consultation_windows",
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        _instant("opens_at", nullable=True),
        _instant("closes_at", nullable=True),
        _instant("updated_at", nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_consultation_windows")),
    )
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("consultation_id", sa.String(length=64), nullable=False),
        _instant("ran_at", nullable=False),
        sa.PrimaryKeyConstraint("name", "consultation_id", name=op.f("pk_job_runs")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    op.drop_table("consultation_windows")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_processed_updates_processed_at"), table_name="processed_updates")
    op.drop_table("processed_updates")
    op.drop_index("ix_answers_respondent_id_id", table_name="answers")
    op.drop_table("answers")
    op.drop_table("progress")
    op.drop_table("respondents")
