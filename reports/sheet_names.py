"""Worksheet names Excel accepts: at most 31 characters, none of []:*?/\\, unique, not 'History'."""

import re

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


class SheetNames:
    """Hands out names for new sheets, each valid and different from every name given before.

    Excel compares sheet names without regard to case and keeps 'History' for itself.
    """

    def __init__(self) -> None:
        self._taken = {"history"}

    def claim(self, title: str) -> str:
        """A valid name close to `title`: cleaned, shortened, then numbered " (2)", " (3)"..."""
        stem = " ".join(_FORBIDDEN.sub(" ", title).split()).strip("'").strip() or "Sheet"
        name = stem[:MAX_SHEET_NAME].rstrip(" '")
        number = 1
        while name.lower() in self._taken:
            number += 1
            suffix = f" ({number})"
            name = stem[: MAX_SHEET_NAME - len(suffix)].rstrip(" '") + suffix
        self._taken.add(name.lower())
        return name
