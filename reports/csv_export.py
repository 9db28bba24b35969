"""Answers as CSV in the long, tidy layout: one row per answer, streamed in constant memory.

UTF-8 with a byte-order mark, so Excel shows accents and emoji; quoted as the `csv` module does
(Excel's dialect), so commas and line breaks inside answers stay in their cell. Excel still
guesses types when it opens a CSV (a typed "1/2" may turn into a date): staff who only want
to read should open the XLSX export instead.
"""

import codecs
import csv
import io
from itertools import chain
from typing import BinaryIO

from reports.grouping import Respondents
from reports.long_format import LONG_COLUMNS, long_cells


class CsvExport:
    """Writes answers to a binary file as they come; `close` flushes but leaves the file open."""

    def __init__(self, out: BinaryIO) -> None:
        out.write(codecs.BOM_UTF8)  # "utf-8-sig" would do it too, but encodes in Python: slow
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(column.key for column in LONG_COLUMNS)

    def add(self, respondents: Respondents) -> None:
        """Write some respondents' answers, one row each."""
        self._writer.writerows(map(long_cells, chain.from_iterable(respondents)))

    def close(self) -> None:
        """Flush what is buffered and hand the file back to its owner."""
        self._text.flush()
        self._text.detach()
