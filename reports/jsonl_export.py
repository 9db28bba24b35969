"""Answers as JSON Lines: one object per respondent, holding all of their answers.

Plain UTF-8 JSON (no spreadsheet quoting: these files are for programs, and the raw text is
what they need). `value` is null when the question was skipped.
"""

import json
from collections.abc import Sequence
from typing import BinaryIO

from reports.cells import iso_utc
from storage.rows import ExportRow


class JsonlExport:
    """Writes one line per respondent to a binary file; `close` flushes but leaves it open."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def add(self, answers: Sequence[ExportRow]) -> None:
        """Write one respondent's answers as one line."""
        first = answers[0]
        record = {
            "respondent": first.respondent,
            "audience": first.audience,
            "source": first.source,
            "finished": first.finished,
            "answers": [
                {
                    "area": row.area,
                    "question": row.question,
                    "question_text": row.question_text,
                    "value": row.value,
                    "answer": row.answer,
                    "answered_at": iso_utc(row.answered_at),
                    "consultation_version": row.version,
                    "language": row.language,
                }
                for row in answers
            ],
        }
        self._out.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")

    def close(self) -> None:
        """Flush what is buffered and hand the file back to its owner."""
        self._out.flush()
