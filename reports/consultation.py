"""Exports and statistics for staff, shared by the admin commands and the command line."""

from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.model import FINAL_AREA, Consultation, Question
from reports.layout import (
    AreaLayout,
    AudienceLayout,
    ExportLayout,
    QuestionLayout,
    QuestionWording,
)
from reports.stats import ConsultationStats, compute_stats
from reports.write import ExportFormat, ExportSummary, Progress, write_export
from storage.export_stream import stream_export_rows
from storage.statistics import progress_positions, respondent_counts


def export_layout(consultation: Consultation) -> ExportLayout:
    """The consultation's areas, questions and audiences as reports show them.

    Each question carries the words every audience saw; anyone without an audience saw the
    shared words (or the first audience's, as the engine shows them).
    """
    areas = [
        AreaLayout(
            area.key,
            area.title.for_audience(None),
            tuple(_question(question, consultation) for question in area.questions),
        )
        for area in consultation.areas
    ]
    final = consultation.final_question
    areas.append(
        AreaLayout(FINAL_AREA, consultation.say("final_title"), (_question(final, consultation),))
    )
    audiences = tuple(
        AudienceLayout(audience.key, audience.name_for_staff) for audience in consultation.audiences
    )
    return ExportLayout(tuple(areas), audiences)


def _question(question: Question, consultation: Consultation) -> QuestionLayout:
    shared = _wording(question, None)
    return QuestionLayout(
        question.key,
        shared.text,
        question.kind.value,
        shared.choices,
        by_audience={
            audience.key: _wording(question, audience.key) for audience in consultation.audiences
        },
        comparable=question.comparable,
    )


def _wording(question: Question, audience: str | None) -> QuestionWording:
    return QuestionWording(
        question.text.for_audience(audience),
        tuple((choice.key, choice.label.for_audience(audience)) for choice in question.choices),
    )


def export_name(consultation: Consultation, fmt: ExportFormat, now: datetime) -> str:
    """A file name that says what and when, e.g. medway-...-responses-20220923-1200.xlsx.

    The time is the consultation's local time, as on the clock of the staff who asked for it.
    """
    local = now.astimezone(consultation.timezone)
    return f"{consultation.id}-responses-{local:%Y%m%d-%H%M}{fmt.suffix}"


async def export_responses(
    consultation: Consultation,
    sessions: async_sessionmaker[AsyncSession],
    fmt: ExportFormat,
    path: Path,
    *,
    since: datetime | None = None,
    finished_only: bool = False,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write every stored answer to `path`, streaming from the database in constant memory."""
    rows = stream_export_rows(
        sessions, consultation_id=consultation.id, since=since, finished_only=finished_only
    )
    return await write_export(rows, export_layout(consultation), fmt, path, progress=progress)


async def consultation_stats(
    consultation: Consultation, sessions: async_sessionmaker[AsyncSession]
) -> ConsultationStats:
    """The numbers staff see in /stats and in the closing-day message."""
    async with sessions() as session:
        stopped = await progress_positions(session, consultation_id=consultation.id)
        # Who started and finished comes from the respondents, not the answers: someone who
        # agreed and stopped before their first answer has started too.
        counts = await respondent_counts(session, consultation_id=consultation.id)
    rows = stream_export_rows(sessions, consultation_id=consultation.id)
    return await compute_stats(rows, export_layout(consultation), [s for s in stopped if s], counts)
