"""Typed text made safe to store on every database we support.

PostgreSQL refuses the NUL character in text, and no UTF-8 database takes a lone UTF-16
surrogate (Telegram's JSON can carry one as an escape, such as \\ud800). Both are replaced by
U+FFFD, the replacement character, so the rest of what was typed is kept as it was, and SQLite
and PostgreSQL store the same thing.
"""

REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    """`text` with NUL characters and lone surrogates replaced by U+FFFD."""
    if text.isascii():
        return text.replace("\x00", REPLACEMENT)
    whole = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return whole.replace("\x00", REPLACEMENT)
