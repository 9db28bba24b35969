"""Cell values that are safe to open in a spreadsheet, shared by every export format.

Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can run as a formula when a
spreadsheet opens it (CSV or formula injection). Following OWASP's guidance, such text gets a
leading single quote, so it shows as text and never runs. Respondents type free text, so every
text cell goes through `safe_text`, headers included.
"""

from datetime import UTC, datetime

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """The text, with a leading `'` when a spreadsheet could take it for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def as_utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive moment is taken to be UTC already (SQLite returns those)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 to the second with its UTC offset, for example `2025-03-01T09:30:00+00:00`."""
    return as_utc(moment).isoformat(timespec="seconds")


def yes_no(flag: bool) -> str:
    """'yes' or 'no', which reads plainly in a spreadsheet and parses easily."""
    return "yes" if flag else "no"
