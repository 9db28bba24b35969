"""Staff's optional reason for closing, reopening or extending, kept in the evidence record.

`/extend 2022-10-07 23:59 because schools asked for more time`: the reason follows the word in
`staff_reason_word` (or a line break). `/close` and `/reopen` take everything after the
command as the reason, with or without that word.
"""

import re

from conversations.model import Consultation

REASON_LIMIT = 500
"""The longest reason kept; staff write a sentence, not a report."""


def _separator(consultation: Consultation) -> re.Pattern[str]:
    word = re.escape(consultation.say("staff_reason_word"))
    return re.compile(rf"\n|(?:^|\s){word}(?:\s|$)", re.IGNORECASE)


def split_reason(consultation: Consultation, text: str) -> tuple[str, str | None]:
    """The text before the reason, and the reason (None if none was given)."""
    found = _separator(consultation).search(text)
    if found is None:
        return text.strip(), None
    return text[: found.start()].strip(), _clean(text[found.end() :])


def whole_reason(consultation: Consultation, text: str) -> str | None:
    """All of `text` as a reason, without a leading "because"."""
    before, reason = split_reason(consultation, text)
    return _clean(before) if reason is None else _clean(f"{before} {reason}")


def _clean(text: str) -> str | None:
    text = " ".join(text.split())
    return text[:REASON_LIMIT] or None
