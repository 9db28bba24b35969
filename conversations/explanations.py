"""Easy-read explanations: reading them from a consultation file and finding the one asked for.

Any question, area or the consent step can carry `explain` (one text, or one per audience) and
`explain_picture`, a PNG file named relative to the consultation file. The explanation is one to
three very short sentences; a longer one is refused when the file loads.
"""

import re
from pathlib import Path

from conversations.journey import find
from conversations.model import Consultation, Explanation, Wording
from conversations.state import State
from conversations.tomlreader import TableReader

SENTENCE_LIMIT = 3
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PICTURE_LIMIT = 5 * 1024 * 1024
"""Bytes; far more than any simple picture needs, and well within Telegram's 10 MB for photos."""
CONSENT = "consent"
AREA_PREFIX = "area:"


def sentence_count(text: str) -> int:
    """How many sentences a text has, counting each line or ., ! or ? as the end of one."""
    return len([part for part in re.split(r"[.!?\n]+", text) if part.strip()])


def read_explanation(
    table: TableReader, audiences: tuple[str, ...], key: str = "explain"
) -> Explanation | None:
    """The explanation in this table, if it has one; problems are noted on the table."""
    picture_key = f"{key}_picture"
    value = table.raw(key)
    picture_name = table.text(picture_key, required=False)
    if value is None:
        if picture_name is not None:
            table.problem(picture_key, "a picture with no explanation", f'add {key} = "..."')
        return None
    if isinstance(value, str):
        wording = Wording({}, value)
    elif isinstance(value, dict) and all(isinstance(text, str) for text in value.values()):
        for name in value:
            if name != "default" and name not in audiences:
                table.problem(f"{key}.{name}", "no such audience", "use an audience's key")
        wording = Wording({k: v for k, v in value.items() if k != "default"}, value.get("default"))
    else:
        table.problem(key, "expected text or a table of texts", f'write {key} = "..."')
        return None
    for who, text in [("", wording.default), *wording.by_audience.items()]:
        where = f"{key}.{who}" if who else key
        if text is not None and not 1 <= sentence_count(text) <= SENTENCE_LIMIT:
            table.problem(
                where,
                f"an explanation is 1 to {SENTENCE_LIMIT} very short sentences; "
                f"this has {sentence_count(text)}",
                f"cut it to {SENTENCE_LIMIT} short sentences or fewer",
            )
    return Explanation(wording, _picture(table, picture_key, picture_name))


def _picture(table: TableReader, key: str, name: str | None) -> Path | None:
    if name is None:
        return None
    path = (table.path.parent / name).resolve()
    if not path.is_file():
        table.problem(key, f"there is no file {path}", "put the PNG beside it, or fix the name")
        return None
    with path.open("rb") as handle:
        start = handle.read(len(PNG_SIGNATURE))
    if start != PNG_SIGNATURE:
        table.problem(key, f"{path.name} is not a PNG picture", "save the picture as PNG")
        return None
    if path.stat().st_size > PICTURE_LIMIT:
        table.problem(key, f"{path.name} is over 5 MB", "make the picture smaller")
        return None
    return path


def explanation_at(consultation: Consultation, state: State, target: str) -> Explanation | None:
    """The explanation an "Explain this" button points at: consent, an area or a question."""
    if target == CONSENT:
        return consultation.consent_explain
    if target.startswith(AREA_PREFIX):
        area = consultation.area(target.removeprefix(AREA_PREFIX))
        return area.explain if area else None
    asked = find(consultation, state, target)
    return asked.question.explain if asked else None
