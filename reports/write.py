"""The one entry point for exports: pick a format, stream the answers, report what was written.

Rows are read on the event loop (they come from an async database query, a batch at a time)
and written on a worker thread, so a large export never stalls the bot's other conversations.
Reading and writing overlap: while one batch is written the next is read, so the database's
own work (SQLite's, in its driver thread) runs beside the writer's; a few batches at most are
held at once.

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
from reports.grouping import Respondents, by_respondent
from reports.jsonl_export import JsonlExport
from reports.layout import ExportLayout
from reports.targets import WhoAnswered
from reports.xlsx_export import XlsxExport
from storage.rows import ExportRow


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
    """A format writer: takes some whole respondents at a time, then is closed once."""

    def add(self, respondents: Respondents) -> None: ...

    def close(self) -> None: ...


Progress = Callable[[int], None]
"""Called with the number of answers read so far, for a progress bar."""


async def write_export(
    batches: AsyncIterable[Sequence[ExportRow]],
    layout: ExportLayout,
    fmt: ExportFormat,
    out_path: Path,
    *,
    progress: Progress | None = None,
    progress_every: int = 10_000,
    who: WhoAnswered | None = None,
) -> ExportSummary:
    """Write every row to `out_path` in `fmt`, in constant memory, and say what was written.

    `batches` (as storage.export_stream gives them) must be ordered by respondent (see
    `by_respondent`). `progress` is called each time another `progress_every` answers have been
    read. `who` adds the XLSX's "Who has answered" sheet.
    """
    partial = out_path.with_name(f".{out_path.name}.part")
    try:
        with partial.open("wb") as out:
            sink = _sink(fmt, out, layout, who)
            try:
                respondents, answers = await _feed(batches, sink, progress, progress_every)
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
    batches: AsyncIterable[Sequence[ExportRow]],
    sink: AnswerSink,
    progress: Progress | None,
    every: int,
) -> tuple[int, int]:
    """Pass every respondent's answers to the sink, writing one batch while the next is read;
    return (respondents, answers)."""
    respondents = answers = 0
    writing: asyncio.Task[None] | None = None
    try:
        async for batch in by_respondent(batches):
            if writing:
                await asyncio.shield(writing)  # cancelled, the export still waits for the thread
            respondents += len(batch)
            if progress:
                answers = _counted(batch, answers, progress, every)
            else:
                answers += sum(map(len, batch))
            writing = asyncio.create_task(asyncio.to_thread(sink.add, batch))
        if writing:
            await asyncio.shield(writing)
    finally:
        if writing and not writing.done():
            # A thread cannot be stopped: let it finish before the sink is closed or removed.
            await asyncio.wait([writing])
    return respondents, answers


def _counted(batch: Respondents, answers: int, progress: Progress, every: int) -> int:
    """`answers` plus the batch's, calling `progress` each time another `every` are passed."""
    for group in batch:
        passed = answers + len(group)
        if passed // every > answers // every:
            progress(passed)
        answers = passed
    return answers
