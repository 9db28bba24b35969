"""The one entry point for exports: pick a format, stream the answers, report what was written.

Rows are read on the event loop (they come from an async database query) and written in
batches on a worker thread, so a large export never stalls the bot's other conversations.
The file appears under its final name only when complete: it is written beside it under a
hidden `.part` name, and removed if anything fails.
"""

import asyncio
from collections.abc import AsyncIterable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

from reports.csv_export import CsvExport
from reports.grouping import by_respondent
from reports.jsonl_export import JsonlExport
from reports.layout import ExportLayout
from reports.targets import WhoAnswered
from reports.xlsx_export import XlsxExport
from storage.rows import ExportRow

BATCH_ANSWERS = 2_000
"""Answers handed to the writing thread at a time: few thread hops, little memory."""


class ExportFormat(StrEnum):
    """The formats staff can ask for; the value is what they type."""

    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"

    @property
    def suffix(self) -> str:
        """The usual file name ending for this format."""
        return ".jsonl" if self is ExportFormat.JSON else f".{self.value}"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What one export wrote: how many respondents and answers, and where."""

    respondents: int
    answers: int
    path: Path


class AnswerSink(Protocol):
    """A format writer: takes one respondent's answers at a time, then is closed once."""

    def add(self, answers: Sequence[ExportRow]) -> None: ...

    def close(self) -> None: ...


Progress = Callable[[int], None]
"""Called with the number of answers read so far, for a progress bar."""


async def write_export(
    rows: AsyncIterable[ExportRow],
    layout: ExportLayout,
    fmt: ExportFormat,
    out_path: Path,
    *,
    progress: Progress | None = None,
    progress_every: int = 10_000,
    who: WhoAnswered | None = None,
) -> ExportSummary:
    """Write every row to `out_path` in `fmt`, in constant memory, and say what was written.

    `rows` must be ordered by respondent (see `by_respondent`). `progress` is called each time
    another `progress_every` answers have been read. `who` adds the XLSX's "Who has answered"
    sheet.
    """
    partial = out_path.with_name(f".{out_path.name}.part")
    try:
        with partial.open("wb") as out:
            sink = _sink(fmt, out, layout, who)
            try:
                respondents, answers = await _feed(rows, sink, progress, progress_every)
            finally:
                await asyncio.to_thread(sink.close)
        partial.replace(out_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportSummary(respondents, answers, out_path)


def _sink(
    fmt: ExportFormat, out: BinaryIO, layout: ExportLayout, who: WhoAnswered | None
) -> AnswerSink:
    match fmt:
        case ExportFormat.CSV:
            return CsvExport(out)
        case ExportFormat.XLSX:
            return XlsxExport(out, layout, who=who)
        case ExportFormat.JSON:
            return JsonlExport(out)


async def _feed(
    rows: AsyncIterable[ExportRow], sink: AnswerSink, progress: Progress | None, every: int
) -> tuple[int, int]:
    """Pass every respondent's answers to the sink in batches; return (respondents, answers)."""
    respondents = answers = 0
    batch: list[tuple[ExportRow, ...]] = []
    batched = 0
    async for group in by_respondent(rows):
        respondents += 1
        if progress and (answers + len(group)) // every > answers // every:
            progress(answers + len(group))
        answers += len(group)
        batch.append(group)
        batched += len(group)
        if batched >= BATCH_ANSWERS:
            await asyncio.to_thread(_add_all, sink, batch)
            batch, batched = [], 0
    await asyncio.to_thread(_add_all, sink, batch)
    return respondents, answers


def _add_all(sink: AnswerSink, batch: Sequence[Sequence[ExportRow]]) -> None:
    for group in batch:
        sink.add(group)
