"""Answers as JSON Lines: one object per respondent, holding all of their answers.

Plain UTF-8 JSON (no spreadsheet quoting: these files are for programs, and the raw text is
what they need). `value` is null when the question was skipped.
"""

import json
from typing import BinaryIO

from reports.cells import iso_utc
from reports.grouping import Respondents


class JsonlExport:
    """Writes one line per respondent to a binary file; `close` flushes but leaves it open."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def add(self, respondents: Respondents) -> None:
        """Write some respondents, one line each."""
        lines = []
        for answers in respondents:
            respondent, audience, source, finished, *_ = answers[0]
            record = {
                "respondent": respondent,
                "audience": audience,
                "source": source,
                "finished": finished,
                "answers": [
                    {
                        "area": area,
                        "question": question,
                        "question_text": text,
                        "value": value,
                        "answer": answer,
                        "answered_at": iso_utc(at),
                        "consultation_version": version,
                        "language": language,
                    }
                    for _, _, _, _, area, question, text, value, answer, at, version, language in (
                        answers
                    )
                ],
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        lines.append("")
        self._out.write("\n".join(lines).encode())

    def close(self) -> None:
        """Flush what is buffered and hand the file back to its owner."""
        self._out.flush()
