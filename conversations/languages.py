"""The languages the bot speaks: built-in sentences per language, read from `locales/<code>.toml`.

Each locale file holds the built-in sentences as top-level text, a `[language]` table (its own
name, shown on the language button, and whether it is a draft still to be checked by a native
speaker) and a `[stamps]` table: for each sentence, a short hash of the English it was translated
from. When the English changes, the hash no longer matches and `consultbot check` calls the
translation stale. `consultbot stamp --language CODE` writes the stamps once a translation is up
to date. A sentence missing from a locale file falls back to English, and check reports it.
"""

import hashlib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from conversations.errors import FileProblem
from conversations.tomlreader import load_toml

SOURCE_LANGUAGE = "en"
"""The language the built-in sentences are written in first; every other one translates it."""
CODE_PATTERN = re.compile(r"^[a-z]{2,3}$")
STAFF_PREFIX = "staff_"
"""Sentences for council staff, who use the consultation's first language: not translated."""
RESPONDENT_SAFEGUARDING = frozenset(
    {"safeguarding_help", "safeguarding_help_young", "safeguarding_contact"}
)
"""The safeguarding sentences a respondent reads; the other safeguarding_ ones go to staff."""


def for_staff(key: str) -> bool:
    """Whether a built-in sentence is for council staff only (so not translated or scored)."""
    if key.startswith(STAFF_PREFIX):
        return True
    if key.startswith("evidence_"):  # the evidence record, for staff and auditors
        return True
    return key.startswith("safeguarding_") and key not in RESPONDENT_SAFEGUARDING


@dataclass(frozen=True)
class Locale:
    """The built-in sentences in one language, with what check needs to judge them."""

    code: str
    name: str
    draft: bool
    messages: Mapping[str, str]
    stamps: Mapping[str, str]
    path: Path


def locale_path(code: str) -> Path:
    """Where the built-in sentences for a language live."""
    return Path(str(resources.files("conversations") / "locales" / f"{code}.toml"))


def load_locale(code: str) -> Locale:
    """Read one locale file; raises FileProblem when it is missing or malformed."""
    path = locale_path(code)
    if not CODE_PATTERN.match(code) or not path.exists():
        raise FileProblem(
            path,
            "(file)",
            f"there are no built-in sentences for the language {code!r}",
            f"add conversations/locales/{code}.toml (copy en.toml and translate it)",
        )
    data = load_toml(path)
    about = data.get("language")
    stamps = data.get("stamps", {})
    if not isinstance(about, dict) or not isinstance(about.get("name"), str):
        raise FileProblem(path, "language.name", "this key is missing", "add language.name = ...")
    if not isinstance(stamps, dict) or not all(isinstance(v, str) for v in stamps.values()):
        raise FileProblem(path, "stamps", "expected a table of texts", "run consultbot stamp")
    messages = {key: value for key, value in data.items() if isinstance(value, str)}
    return Locale(code, about["name"], bool(about.get("draft", False)), messages, stamps, path)


def translated_keys(source: Mapping[str, str]) -> list[str]:
    """The built-in sentences a respondent can see, which every language must translate."""
    return [key for key in source if not for_staff(key)]


def match_language(code: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered language that a Telegram `language_code` ("pl", "pl-PL") asks for, if any."""
    if not code:
        return None
    base = code.lower().replace("_", "-").split("-")[0]
    return base if base in offered else None


OPTIONAL_PLACEHOLDERS = {
    "moment": frozenset({"weekday", "day", "month", "year", "hour12", "hour24", "minute", "ampm"})
}
"""Sentences whose translation may use any of these placeholders (a 24-hour clock, say)."""


def placeholders(text: str) -> frozenset[str]:
    """The {names} a sentence expects to be filled in."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def stamp(text: str) -> str:
    """A short hash of the English a translation was made from."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]
