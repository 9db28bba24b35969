"""The tables. Alembic migrations in `storage/migrations/versions` must build exactly these.

No table holds a Telegram user id or username. A respondent is known by a pseudonym (an HMAC of
the user id, see `storage.identity`); the chat id is kept only so the bot can message them, and
is removed on erasure and when the retention period ends.

Every time column is a `UTCDateTime`: aware in, aware UTC out, on SQLite as on PostgreSQL.
Constraint and index names follow one naming convention so that both backends, and every
migration, agree on them.
"""

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import UniqueConstraint

from storage.columns import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KEY = 64
"""Length of keys: consultation, area, question, audience, deep-link source, staff ids, hashes."""


class Base(AsyncAttrs, DeclarativeBase):
    """Declarative base: shared metadata with the naming convention, aware datetimes."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), str: String(KEY)}


class Respondent(Base):
    """One person taking part in one consultation, known only by a pseudonym."""

    __tablename__ = "respondents"
    __table_args__ = (
        UniqueConstraint("consultation_id", "pseudonym"),
        Index("ix_respondents_consultation_id_id", "consultation_id", "id"),  # exports' order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str]
    pseudonym: Mapped[str]
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    audience: Mapped[str | None]
    language: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None]
    consent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    wants_reminder: Mapped[bool | None]
    wants_outcome: Mapped[bool | None]
    reminded_at: Mapped[datetime | None]
    told_closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Progress(Base):
    """Where the respondent is in the flow: the engine's state as JSON, versioned.

    `version` goes up by one on every save; a save names the version it read, so two handlers
    racing on one respondent cannot both win (see `storage.progress.save_progress`).
    """

    __tablename__ = "progress"

    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class Answer(Base):
    """The respondent's current answer to one question; changed in place when they change it.

    `value` is None when the question was skipped. `consultation_version` is the hash of the
    consultation file the question was asked under, so a later wording change can be told apart.
    `language` is the language the question was asked and answered in.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("respondent_id", "area", "question"),
        Index("ix_answers_respondent_id_id", "respondent_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    area: Mapped[str]
    question: Mapped[str]
    question_text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    consultation_version: Mapped[str]
    first_answered_at: Mapped[datetime]
    last_answered_at: Mapped[datetime]


class ProcessedUpdate(Base):
    """A Telegram update already handled, so a re-delivery is recognised and skipped.

    `scope` separates bots (or consultations) whose update ids would otherwise collide.
    """

    __tablename__ = "processed_updates"

    scope: Mapped[str] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(Base):
    """One administrative or privacy action: who (staff id, or a role), what, when, how many.

    Never holds personal data: an erasure is recorded without saying whose.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    rows: Mapped[int | None] = mapped_column(Integer)


class ConsultationWindow(Base):
    """Staff overrides of when a consultation opens and closes (None: keep the file's date)."""

    __tablename__ = "consultation_windows"

    consultation_id: Mapped[str] = mapped_column(primary_key=True)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str]


class JobRun(Base):
    """A once-only job that has run; its primary key is the claim (see `storage.jobs`)."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(primary_key=True)
    consultation_id: Mapped[str] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime]


class Announcement(Base):
    """A "you said, we did" message staff asked to send: previewed first, sent at most once.

    `text_hash` identifies the words (case and spacing evened out), so the same announcement
    asked for again is recognised and refused; `sent_at` is set once, by the first confirmation.
    """

    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("consultation_id", "text_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str]
    text_hash: Mapped[str]
    text: Mapped[str] = mapped_column(Text)
    prepared_at: Mapped[datetime]
    prepared_by: Mapped[str]
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None]
    delivered: Mapped[int | None] = mapped_column(Integer)
    """How many people it was queued for, in the outbox, when it was sent."""


class DeadLetter(Base):
    """A Telegram update that could not be read or handled after a few tries, set aside so it
    cannot stop the bot. It holds the update's shape (field names and value types) and the
    error, never its values: no Telegram id, name or text; the sender only as a pseudonym."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(index=True)
    update_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str]
    pseudonym: Mapped[str | None]
    error: Mapped[str] = mapped_column(Text)
    outline: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]


class FloodEvent(Base):
    """Someone sent more messages than anyone types, and was asked to slow down: one row per
    time they were asked, whoever it was (no pseudonym), for staff statistics."""

    __tablename__ = "flood_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(index=True)
    at: Mapped[datetime]


class OutboxMessage(Base):
    """A message that must not be lost, written in the same transaction as what caused it.

    See `storage.outbox` for how rows are claimed, sent and retried. `payload` is JSON; it is
    emptied once the message is sent, so the words of a sent message are not kept here.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_sent_at_failed_at_due_at", "sent_at", "failed_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class SafeguardingAlert(Base):
    """Typed words that may disclose harm, for the safeguarding staff to see and act on.

    `respondent_id` is the respondent's number (R<id> in exports), deliberately not a foreign
    key: the record stays when the respondent deletes their answers. `seen_by` and `handled_by`
    are staff actors ("staff:<id>"); an alert is open until it is handled.
    """

    __tablename__ = "safeguarding_alerts"
    __table_args__ = (Index("ix_safeguarding_alerts_consultation_id_id", "consultation_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str]
    respondent_id: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str | None]
    at: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    phrases: Mapped[str] = mapped_column(Text)
    categories: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime | None]
    seen_by: Mapped[str | None]
    handled_at: Mapped[datetime | None]
    handled_by: Mapped[str | None]


class ConsultationVersion(Base):
    """One version of a consultation file the bot ran with: its hash and its full text.

    Answers carry the hash (`Answer.consultation_version`), so the evidence record can show
    the exact words each answer was given under.
    """

    __tablename__ = "consultation_versions"

    consultation_id: Mapped[str] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime]


class WindowChange(Base):
    """One staff change to when a consultation closes: who, when, to what, and why (optional).

    `closes_at` None means "back to the date in the consultation file" (a reopen).
    """

    __tablename__ = "window_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(index=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)


class DeclineCount(Base):
    """How many people said no to consent, per audience and source: a count, never a person.

    Nothing is kept about someone who declines, so this counter is all the evidence record can
    show of them. An unknown audience or source is stored as "".
    """

    __tablename__ = "decline_counts"

    consultation_id: Mapped[str] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(primary_key=True)
    declines: Mapped[int] = mapped_column(Integer)
