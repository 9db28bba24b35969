"""Exports and statistics for staff, shared by the admin commands and the command line."""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service import current_window
from conversations.journey import PROFILE_PLACE
from conversations.model import FINAL_AREA, PREFER_NOT, PROFILE_AREA, Consultation, Question
from conversations.targets import Target, TargetKind, profile_answer_keys
from conversations.window import in_words
from reports.layout import (
    AreaLayout,
    AudienceLayout,
    ExportLayout,
    QuestionLayout,
    QuestionWording,
)
from reports.profile import ProfileCounts, profile_counts
from reports.stats import ConsultationStats, compute_stats
from reports.targets import (
    GroupKey,
    Pace,
    ProfileAnswered,
    TargetProgress,
    WhoAnswered,
    judge_targets,
)
from reports.wording import staff_words
from reports.write import ExportFormat, ExportSummary, Progress, write_export
from storage.export_stream import stream_export_batches
from storage.statistics import first_contact, progress_positions, respondent_counts


def export_layout(consultation: Consultation, *, with_profile: bool = False) -> ExportLayout:
    """The consultation's areas, questions and audiences as reports show them.

    Each question carries the words every audience saw; anyone without an audience saw the
    shared words (or the first audience's, as the engine shows them). `with_profile` puts the
    questions about who is answering first, as the area "Who they are", each with "Prefer not
    to say" as an option.
    """
    areas = []
    if with_profile and consultation.profile is not None:
        words = staff_words()
        prefer_not = ((PREFER_NOT, words.say("prefer_not")),)
        areas.append(
            AreaLayout(
                PROFILE_AREA,
                words.say("profile_area"),
                tuple(
                    _question(question, consultation, prefer_not)
                    for question in consultation.profile.questions
                ),
            )
        )
    areas += [
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


def _question(
    question: Question, consultation: Consultation, extra: tuple[tuple[str, str], ...] = ()
) -> QuestionLayout:
    """A question's layout; `extra` are options every audience had beside the file's choices."""
    shared = _wording(question, None, extra)
    return QuestionLayout(
        question.key,
        shared.text,
        question.kind.value,
        shared.choices,
        by_audience={
            audience.key: _wording(question, audience.key, extra)
            for audience in consultation.audiences
        },
        comparable=question.comparable,
    )


def _wording(
    question: Question, audience: str | None, extra: tuple[tuple[str, str], ...]
) -> QuestionWording:
    """The words an audience saw; for an audience the question is not asked of (a profile
    question for some audiences only), a note saying so, not another audience's words."""
    if audience is not None and question.audiences and audience not in question.audiences:
        text = staff_words().say("not_asked")
    else:
        text = question.text.for_audience(audience)
    return QuestionWording(
        text,
        tuple((choice.key, choice.label.for_audience(audience)) for choice in question.choices)
        + extra,
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
    with_profile: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ExportSummary:
    """Write every stored answer to `path`, streaming from the database in constant memory.

    An XLSX export made at `now` also has a "Who has answered" sheet: progress towards the
    targets at that moment. The answers about who is answering (the profile questions) are kept
    apart: left out unless `with_profile`, and then shown under "Who they are".
    """
    who = None
    if fmt is ExportFormat.XLSX and now is not None:
        who = await who_answered(consultation, sessions, now)
    rows = stream_export_batches(
        sessions,
        consultation_id=consultation.id,
        since=since,
        finished_only=finished_only,
        leave_out_areas=() if with_profile else (PROFILE_AREA,),
    )
    layout = export_layout(consultation, with_profile=with_profile)
    return await write_export(rows, layout, fmt, path, progress=progress, who=who)


async def consultation_stats(
    consultation: Consultation, sessions: async_sessionmaker[AsyncSession]
) -> ConsultationStats:
    """The numbers staff see in /stats and in the closing-day message."""
    async with sessions() as session:
        stopped = await progress_positions(session, consultation_id=consultation.id)
        # Who started and finished comes from the respondents, not the answers: someone who
        # agreed and stopped before their first answer has started too.
        counts = await respondent_counts(session, consultation_id=consultation.id)
    rows = stream_export_batches(
        sessions, consultation_id=consultation.id, leave_out_areas=(PROFILE_AREA,)
    )
    return await compute_stats(rows, export_layout(consultation), _stops(stopped), counts)


def _stops(positions: Iterable[tuple[str | None, str | None]]) -> list[tuple[str | None, str]]:
    """(audience, where they stopped) of each unfinished person who got going. Someone who
    stopped at a question about who they are stopped "answering who they are": which question
    is kept apart, like their answers."""
    return [
        (audience, PROFILE_AREA if at.startswith(PROFILE_PLACE) else at)
        for audience, at in positions
        if at
    ]


async def who_answered(
    consultation: Consultation, sessions: async_sessionmaker[AsyncSession], now: datetime
) -> WhoAnswered:
    """Who has answered so far, against the file's targets and the closing time in force."""
    async with sessions() as session:
        window = await current_window(session, consultation)
        starts = window.opens_at or await first_contact(session, consultation_id=consultation.id)
        people = await respondent_counts(session, consultation_id=consultation.id)
        positions = await progress_positions(session, consultation_id=consultation.id)
    pace = Pace(starts, window.closes_at, now)
    profile = await profile_counts(consultation, sessions)
    answered = {
        (target.key, target.among): _told(profile, target.key, target.among)
        for target in consultation.targets
        if target.kind is TargetKind.PROFILE
    }
    answers = profile_answer_keys(consultation.profile)
    progress = judge_targets(consultation.targets, people, answered, answers, pace)
    labels, headings = _group_labels(consultation, progress)
    return WhoAnswered(
        pace=pace,
        counted=in_words(now, consultation.timezone),
        closes=in_words(window.closes_at, consultation.timezone),
        progress=progress,
        labels=labels,
        headings=headings,
        people=tuple(people),
        stopped=tuple(_stops(positions)),
    )


def _told(profile: ProfileCounts, question: str, among: tuple[str, ...]) -> ProfileAnswered:
    """What these audiences (everyone for ()) answered to a profile question, leaving out
    "prefer not to say" (skips are never answers)."""
    tallies = [profile.of(question, audience) for audience in among] or [profile.everyone(question)]
    chose: Counter[str] = Counter()
    for tally in tallies:
        chose.update(tally.options)
    told = sum(tally.people for tally in tallies) - chose.pop(PREFER_NOT, 0)
    return ProfileAnswered(told, dict(chose))


def _group_labels(
    consultation: Consultation, progress: tuple[TargetProgress, ...]
) -> tuple[dict[GroupKey, str], dict[GroupKey, str]]:
    """Each target's group as staff read it (the audience's name, the link, the answer), and
    for a profile answer the question it answers (with the audiences counted, if only some)."""
    say = staff_words().say
    labels: dict[GroupKey, str] = {}
    headings: dict[GroupKey, str] = {}
    for row in progress:
        target, group = row.target, (row.target, row.answer)
        if target.kind is TargetKind.AUDIENCE:
            audience = consultation.audience(target.key)
            labels[group] = audience.name_for_staff if audience else target.key
        elif target.kind is TargetKind.SOURCE:
            labels[group] = say("target_source", source=target.key)
        else:
            labels[group], headings[group] = _profile_words(consultation, target, row.answer)
    return labels, headings


def _profile_words(
    consultation: Consultation, target: Target, answer: str | None
) -> tuple[str, str]:
    """A profile answer's label ("Chatham") and its heading: the question in the words the
    counted audiences saw, and those audiences when it counts only some."""
    question = consultation.profile.question(target.key) if consultation.profile else None
    audience = target.among[0] if target.among else None
    choice = question.choice(answer or "") if question else None
    label = choice.label.for_audience(audience) if choice else answer or target.key
    text = question.text.for_audience(audience) if question else target.key
    if not target.among:
        return label, staff_words().say("target_profile", question=text)
    names = [
        found.name_for_staff if (found := consultation.audience(key)) else key
        for key in target.among
    ]
    return label, staff_words().say("target_profile_among", question=text, among=", ".join(names))
