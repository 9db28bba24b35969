"""Worksheet names Excel accepts: at most 31 characters, none of []:*?/\\, unique, not 'History'.

Long titles are shortened at a word boundary ("Working with you and your", never "Working with
you and your famil"), so a name still reads as words.
"""

import re

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_TRAILING = " '-,;.\u2013\u2014"
"""Characters a shortened name should not end with."""


class SheetNames:
    """Hands out names for new sheets, each valid and different from every name given before.

    Excel compares sheet names without regard to case and keeps 'History' for itself.
    """

    def __init__(self) -> None:
        self._taken = {"history"}

    def claim(self, title: str, suffix: str = "") -> str:
        """A valid name close to `title` + `suffix`: cleaned, shortened, then numbered.

        Only the title is shortened, so a suffix such as ", Parent or carer" always shows
        (keep suffixes short: they count towards the 31 characters).
        Clashing names are numbered " (2)", " (3)"...
        """
        stem = _clean(title)
        tail = (
            " ".join(_FORBIDDEN.sub(" ", suffix).split(" "))
            if stem
            else _clean(suffix).strip(",- ")
        )
        if not stem and not tail:
            stem = "Sheet"
        name = _fit(stem, MAX_SHEET_NAME - len(tail)) + tail
        number = 1
        while name.lower() in self._taken:
            number += 1
            ending = f"{tail} ({number})"
            name = (_fit(stem, MAX_SHEET_NAME - len(ending)) + ending).strip()
        self._taken.add(name.lower())
        return name


def _clean(text: str) -> str:
    """The text without forbidden characters, runs of spaces or apostrophes at either end."""
    return " ".join(_FORBIDDEN.sub(" ", text).split()).strip("'").strip()


def shorten(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters at a word boundary (mid-word only if it is
    one long word), without a dangling apostrophe, dash or comma."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(_TRAILING) or text[:limit]


def _fit(stem: str, limit: int) -> str:
    return shorten(stem, max(limit, 1)).rstrip(_TRAILING) if stem else ""
