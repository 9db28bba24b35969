"""Answers as CSV in the long, tidy layout: one row per answer, streamed in constant memory.

UTF-8 with a byte-order mark, so Excel shows accents and emoji; quoted as the `csv` module does
(Excel's dialect), so commas and line breaks inside answers stay in their cell. Excel still
guesses types when it opens a CSV (a typed "1/2" may turn into a date): staff who only want
to read should open the XLSX export instead.
"""

import csv
import io
from collections.abc import Sequence
from typing import BinaryIO

from reports.long_format import LONG_COLUMNS, long_cells
from storage.rows import ExportRow


class CsvExport:
    """Writes answers to a binary file as they come; `close` flushes but leaves the file open."""

    def __init__(self, out: BinaryIO) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(column.key for column in LONG_COLUMNS)

    def add(self, answers: Sequence[ExportRow]) -> None:
        """Write one respondent's answers."""
        self._writer.writerows(long_cells(row) for row in answers)

    def close(self) -> None:
        """Flush what is buffered and hand the file back to its owner."""
        self._text.flush()
        self._text.detach()
