"""Reading an export back as staff's software would, for every test that checks one: the export
writers' own tests, /export through the bot and `consultbot export` from a terminal."""

import csv
import io
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

CSV_COLUMNS = [
    "respondent",
    "audience",
    "source",
    "area",
    "question",
    "question_text",
    "answer",
    "answered_at",
    "value",
    "finished",
    "consultation_version",
    "language",
]
"""The header of a CSV export, in order."""

ALL_ANSWERS_HEADINGS = (
    "Respondent",
    "Audience",
    "Source",
    "Area",
    "Question",
    "Answer",
    "Answered at (UTC)",
    "Finished",
)
"""The headings of an XLSX export's "All answers" sheet (labels and words, never keys)."""


def csv_cells(data: bytes) -> list[list[str]]:
    """Every row of a CSV export, the header first, as text after the UTF-8 byte-order mark."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_records(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header of a CSV export (empty if it has none) and each row after it by column."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def open_workbook(data: bytes) -> Workbook:
    """An XLSX export opened as a spreadsheet program would."""
    return load_workbook(io.BytesIO(data))


def sheet_rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """The values of every row of a sheet, the heading row first."""
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]
