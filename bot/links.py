"""Deep links and QR codes for posters, letters and school newsletters.

A link is `https://t.me/<bot>?start=PAYLOAD`. The payload is an audience key (which skips
"who are you?"), a source (counted in the statistics), or both as `audience__source`: the
format the engine reads in `conversations.engine`. Telegram takes at most 64 characters of
A-Z, a-z, 0-9, `_` and `-` as a start payload, so a link is checked against that here, before
it is printed on a thousand posters.
"""

import re
from pathlib import Path

import segno

from conversations.errors import ConsultbotError
from conversations.model import Consultation
from conversations.sources import PAYLOAD_SEPARATOR, source_problem

PAYLOAD_LIMIT = 64
"""Telegram's longest start payload, in characters."""
BOT_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,29}bot$", re.IGNORECASE)
"""Telegram bot usernames: 5 to 32 letters, digits and underscores, ending in "bot"."""
QR_SCALE = 10
"""Pixels per QR module: about 450 pixels square for a link, sharp when printed on a poster."""


def link_payload(consultation: Consultation, *, source: str | None, audience: str | None) -> str:
    """The start payload for this source and audience; a ConsultbotError says what to fix."""
    if source is None and audience is None:
        raise ConsultbotError("give --source, --audience or both. Fix: e.g. --source poster_1")
    keys = [known.key for known in consultation.audiences]
    if audience is not None and audience not in keys:
        raise ConsultbotError(
            f"--audience: no audience {audience!r} in this consultation. "
            f"Fix: use one of {', '.join(keys)}"
        )
    if source is not None:
        _check_source(source, keys)
    payload = PAYLOAD_SEPARATOR.join(part for part in (audience, source) if part)
    if len(payload) > PAYLOAD_LIMIT:
        raise ConsultbotError(
            f"the link's payload {payload!r} is {len(payload)} characters; Telegram takes "
            f"{PAYLOAD_LIMIT}. Fix: make --source {len(payload) - PAYLOAD_LIMIT} characters shorter"
        )
    return payload


def _check_source(source: str, audience_keys: list[str]) -> None:
    problem = source_problem(source, tuple(audience_keys))
    if problem is not None:
        raise ConsultbotError(f"--source: {problem[0]}. Fix: {problem[1]}")


def bot_username(username: str | None) -> str:
    """The bot's username without a leading @, checked; a ConsultbotError if missing or wrong."""
    if not username:
        raise ConsultbotError(
            "the bot's username is not known. "
            "Fix: set [telegram] username in the config, or pass --username"
        )
    name = username.removeprefix("@")
    if not BOT_USERNAME.match(name):
        raise ConsultbotError(
            f"{username!r} is not a bot's username. Fix: use the name @BotFather gave the bot, "
            "5 to 32 letters, digits or _, ending in bot (e.g. medway_send_bot)"
        )
    return name


def deep_link(username: str, payload: str) -> str:
    """The t.me link that opens the bot with this payload."""
    return f"https://t.me/{username}?start={payload}"


def write_qr_code(link: str, path: Path) -> None:
    """Write the link as a QR code PNG, black on white with the standard quiet zone."""
    if path.suffix.lower() != ".png":
        raise ConsultbotError(f"--qr: {path} is not a .png file. Fix: end the name with .png")
    if not path.parent.is_dir():
        raise ConsultbotError(
            f"--qr: {path.parent}: there is no such folder. Fix: create it, or give another path"
        )
    segno.make(link, error="m", micro=False).save(path, kind="png", scale=QR_SCALE, border=4)
