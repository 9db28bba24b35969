"""Deep-link sources: the names a poster's or a school's link records, and what makes one valid.

A source travels in a Telegram start payload (`library_poster`, or `parent_carer__library_poster`
with an audience), so it must be something a link can carry and the engine reads back as a
source. Both `consultbot link` and the consultation file's `[[targets]]` check names here.
"""

import re

SOURCE_CHARACTERS = re.compile(r"^[A-Za-z0-9_-]+$")
"""What a Telegram start payload may carry."""
PAYLOAD_SEPARATOR = "__"
"""Between the audience and the source in a payload."""


def source_problem(source: str, audience_keys: tuple[str, ...]) -> tuple[str, str] | None:
    """What is wrong with this source name and how to fix it, or None if a link can carry it."""
    if not SOURCE_CHARACTERS.match(source):
        return (
            f"{source!r} has characters a Telegram link cannot carry",
            "use only letters, digits, _ and -, e.g. library_poster",
        )
    if PAYLOAD_SEPARATOR in source:
        return (
            f"{source!r} contains {PAYLOAD_SEPARATOR}, which separates the audience from the "
            "source",
            "use a single _ instead",
        )
    if source in audience_keys:
        return (
            f"{source!r} is an audience key, so it would be read as the audience",
            f"use --audience {source}, or another name for the source",
        )
    return None
