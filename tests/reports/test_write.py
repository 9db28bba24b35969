import asyncio
import csv
import io
import json
import re
import threading

import pytest
from openpyxl import load_workbook

from reports.errors import ExportError
from reports.write import ExportFormat, ExportSummary, _feed, write_export

from .factories import LAYOUT, generated_rows, sample_rows, stream

PSEUDONYMS = {"K7Q2", "M4T8", "Z9B1", "A2C5"}


async def test_each_format_writes_its_file_and_says_how_much_it_wrote(tmp_path):
    for fmt in ExportFormat:
        path = tmp_path / f"responses{fmt.suffix}"
        summary = await write_export(stream(sample_rows()), LAYOUT, fmt, path)
        assert summary == ExportSummary(respondents=4, answers=15, path=path)
        assert path.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "responses.csv",
        "responses.jsonl",
        "responses.xlsx",
    ]


async def test_formats_accept_what_staff_type():
    assert [ExportFormat(name) for name in ("csv", "xlsx", "json")] == list(ExportFormat)
    with pytest.raises(ValueError):
        ExportFormat("pdf")


async def test_progress_is_reported_every_so_many_answers(tmp_path):
    seen: list[int] = []
    await write_export(
        generated_rows(100),
        LAYOUT,
        ExportFormat.CSV,
        tmp_path / "out.csv",
        progress=seen.append,
        progress_every=25,
    )
    assert [n // 25 for n in seen] == [1, 2, 3, 4]
    assert all(n - 7 < 25 * (n // 25) <= n for n in seen)


async def test_rows_out_of_respondent_order_fail_and_leave_no_file_behind(tmp_path):
    rows = sample_rows()
    for fmt in ExportFormat:
        path = tmp_path / f"out{fmt.suffix}"
        with pytest.raises(ExportError):
            await write_export(stream([*rows, rows[0]]), LAYOUT, fmt, path)
    assert list(tmp_path.iterdir()) == []


async def test_no_export_holds_anything_but_the_pseudonyms(tmp_path):
    """Rows carry no Telegram id; prove every export names people only by pseudonym."""
    respondents: dict[ExportFormat, set[str]] = {}
    texts: list[str] = []
    for fmt in ExportFormat:
        path = tmp_path / f"out{fmt.suffix}"
        await write_export(stream(sample_rows()), LAYOUT, fmt, path)
        if fmt is ExportFormat.CSV:
            text = path.read_text("utf-8-sig")
            respondents[fmt] = {row["respondent"] for row in csv.DictReader(io.StringIO(text))}
        elif fmt is ExportFormat.JSON:
            text = path.read_text("utf-8")
            respondents[fmt] = {json.loads(line)["respondent"] for line in text.splitlines()}
        else:
            book = load_workbook(path)
            cells = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
            text = "\n".join(str(cell) for row in cells for cell in row if isinstance(cell, str))
            respondents[fmt] = {
                row[0]
                for sheet in book.worksheets[1:]
                for row in sheet.iter_rows(min_row=2, values_only=True)
            }
        texts.append(text)
    assert all(found == PSEUDONYMS for found in respondents.values())
    assert not any(re.search(r"\d{7,}", text) for text in texts)


async def test_a_cancelled_export_lets_the_batch_being_written_finish_first():
    """The writing thread cannot be stopped: cancelling must not let the file be closed (or
    removed) under it while it still writes."""
    writing, release = threading.Event(), threading.Event()
    done: list[str] = []

    class SlowSink:
        def add(self, respondents) -> None:
            writing.set()
            release.wait(10)
            done.append("added")

        def close(self) -> None:
            done.append("closed")

    export = asyncio.create_task(_feed(stream(sample_rows()), SlowSink(), None, 10))
    await asyncio.to_thread(writing.wait, 10)
    export.cancel()
    for _ in range(20):
        await asyncio.sleep(0)
    assert not export.done()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await export
    assert done == ["added"]
