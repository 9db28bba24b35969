"""Cell values that are safe to open in a spreadsheet, shared by every export format.

Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can run as a formula when a
spreadsheet opens it (CSV or formula injection). Following OWASP's guidance, such text gets a
leading single quote, so it shows as text and never runs. Respondents type free text, so every
text cell goes through `safe_text`, headers included. Only the first character matters, so the
check is one set lookup: it runs for every cell of a million-answer export.

Times come from storage as UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`, see storage.export_stream):
exports cut them into shape rather than build a datetime per answer.
"""

from datetime import date
from typing import TypeVar

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
Text = TypeVar("Text", str, None)


def safe_text(text: Text) -> Text:
    """The text, with a leading `'` when a spreadsheet could take it for a formula; None stays
    None (the csv module writes it as an empty cell)."""
    return "'" + text if text and text[0] in FORMULA_TRIGGERS else text


def iso_utc(stored: str) -> str:
    """A stored UTC time as ISO 8601 to the second with its offset, `2025-03-01T09:30:00+00:00`.

    `stored` is storage's UTC text, `2025-03-01 09:30:00.000000`: the date and the time to the
    second are cut out of it, which truncates as `isoformat(timespec="seconds")` does.
    """
    return f"{stored[:10]}T{stored[11:19]}+00:00"


class ExcelTimes:
    """Stored UTC times as the number an Excel date cell holds: days since 1899-12-30, the time
    of day a fraction of one (Excel has no zones). XlsxWriter's `write_datetime` computes the
    same number from a datetime; this cuts it out of the text, remembering each day's number.
    """

    EPOCH = date(1899, 12, 30).toordinal()

    def __init__(self) -> None:
        self._days: dict[str, int] = {}

    def __call__(self, stored: str) -> float:
        """The number for `2025-03-01 09:30:00.000000` (the fraction of a second is optional)."""
        day = stored[:10]
        days = self._days.get(day)
        if days is None:
            days = self._days[day] = date.fromisoformat(day).toordinal() - self.EPOCH
        seconds = int(stored[11:13]) * 3600 + int(stored[14:16]) * 60 + int(stored[17:19])
        micro = int(stored[20:26].ljust(6, "0")) if len(stored) > 20 else 0
        return days + (seconds + micro / 1e6) / 86400


def yes_no(flag: object) -> str:
    """'yes' or 'no', which reads plainly in a spreadsheet and parses easily."""
    return "yes" if flag else "no"
