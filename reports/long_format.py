"""The long, tidy layout of answers (one row per answer), shared by CSV and the XLSX long sheet."""

from dataclasses import dataclass

from reports.cells import iso_utc, safe_text, yes_no
from storage.rows import ExportRow


@dataclass(frozen=True, slots=True)
class Column:
    """One long-format column: the machine name (CSV header) and the title staff read (XLSX)."""

    key: str
    title: str


LONG_COLUMNS = (
    Column("respondent", "Respondent"),
    Column("audience", "Audience"),
    Column("source", "Source"),
    Column("area", "Area"),
    Column("question", "Question"),
    Column("question_text", "Question text"),
    Column("answer", "Answer"),
    Column("answered_at", "Answered at (UTC)"),
    Column("value", "Value"),
    Column("finished", "Finished"),
    Column("consultation_version", "Consultation file version"),
    Column("language", "Language"),
)
"""Required columns first, in the agreed order; then the raw value, whether they finished, the
hash of the consultation file the answer was given under (the evidence record has its text) and
the language the question was asked in."""

ANSWERED_AT = [column.key for column in LONG_COLUMNS].index("answered_at")
"""Where `answered_at` sits in `LONG_COLUMNS`, for formats that write a real date there."""


def long_cells(row: ExportRow) -> tuple[str | None, ...]:
    """One answer as spreadsheet-safe text cells in `LONG_COLUMNS` order; None is an empty cell.

    The row is unpacked, not read by name: storage hands over plain tuples (see ExportRow).
    """
    (respondent, audience, source, finished, area, question, text, value, answer, at, version,
     language) = row  # fmt: skip
    return (
        safe_text(respondent),
        safe_text(audience),
        safe_text(source),
        safe_text(area),
        safe_text(question),
        safe_text(text),
        safe_text(answer),
        iso_utc(at),
        safe_text(value),
        yes_no(finished),
        safe_text(version),
        safe_text(language),
    )
