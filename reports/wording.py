"""The words staff read in reports, from `reports/locales/en.toml`, and how numbers are shown.

Like every sentence respondents read, staff wording lives in a locale file rather than in
code, so it can be reworded (or translated) without touching the reports.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class StaffWords:
    """The report sentences by key, with their placeholders filled in by `say`."""

    messages: dict[str, str]

    def say(self, key: str, **values: object) -> str:
        """One sentence with its placeholders filled in."""
        return self.messages[key].format(**values)


@cache
def staff_words() -> StaffWords:
    """The staff wording shipped with the package (read once: it never changes at run time)."""
    text = (resources.files("reports") / "locales" / "en.toml").read_text("utf-8")
    return StaffWords(tomllib.loads(text))


def share(fraction: float) -> str:
    """A share as a whole percentage, such as "67%"."""
    return f"{fraction:.0%}"
