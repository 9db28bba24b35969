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


def long_cells(row: ExportRow) -> tuple[str, ...]:
    """One answer as spreadsheet-safe text cells in `LONG_COLUMNS` order; missing values are ''."""
    return (
        safe_text(row.respondent),
        safe_text(row.audience or ""),
        safe_text(row.source or ""),
        safe_text(row.area),
        safe_text(row.question),
        safe_text(row.question_text),
        safe_text(row.answer),
        iso_utc(row.answered_at),
        safe_text(row.value or ""),
        yes_no(row.finished),
        safe_text(row.version),
        safe_text(row.language or ""),
    )
