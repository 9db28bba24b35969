"""Setting aside an update that cannot be read or handled, so it cannot stop the bot.

The update is stored in the dead-letter table with its error, then counted as handled (Telegram
is told so, and never sends it again). What is kept says what went wrong without saying who or
what: the update's shape (field names and value types, no values), its kind, the error with
any long number taken out, and the sender as a pseudonym. Staff are told once for each new
failure (kind and error), not once per update, even across restarts, through the outbox (so the
message is not lost if the bot dies before sending it): `consultbot check` lists them all.
"""

import asyncio
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy.exc import StatementError

from bot.service import ConsultationService
from bot.text import storable
from storage.dead_letters import SetAside, seen_before, store_dead_letter
from storage.identity import pseudonym
from storage.outbox import enqueue_to_each

log = logging.getLogger(__name__)
OUTLINE_LIMIT = 2000
ERROR_LIMIT = 300
ALERT_KIND = "dead_letter_alert"
_LONG_NUMBER = re.compile(r"\d{5,}")


class DeadLetterOffice:
    """Stores dead letters for one consultation and tells staff about new kinds of failure."""

    def __init__(self, service: ConsultationService, staff: Iterable[int]) -> None:
        self.service = service
        self.staff = tuple(staff)
        self._one_at_a_time = asyncio.Lock()

    async def set_aside(self, raw: object, error: BaseException, *, attempts: int) -> None:
        """Store the update `raw` (its JSON) as a dead letter, then alert staff if it is new."""
        letter = SetAside(
            update_id=_update_id(raw),
            kind=_kind(raw),
            pseudonym=self._sender(raw),
            error=describe(error),
            outline=outline(raw),
            attempts=attempts,
        )
        scope, now = self.service.consultation.id, self.service.clock()
        # One at a time, so that two alike, set aside together, do not both count as new.
        async with self._one_at_a_time, self.service.sessions() as session, session.begin():
            known = await seen_before(session, scope=scope, kind=letter.kind, error=letter.error)
            await store_dead_letter(session, scope=scope, letter=letter, now=now)
            if not known:  # staff are told through the outbox: not lost if the bot dies now
                text = self.service.consultation.say(
                    "staff_dead_letter", kind=letter.kind, error=letter.error
                )
                await enqueue_to_each(
                    session, kind=ALERT_KIND, recipients=self.staff, text=text, now=now
                )
        if not known:
            self.service.outbox_waiting.set()
        log.error(
            "set aside update %s (%s) after %s attempt(s): %s",
            letter.update_id,
            letter.kind,
            attempts,
            letter.error,
        )

    def _sender(self, raw: object) -> str | None:
        body = raw.get(_kind(raw)) if isinstance(raw, dict) else None
        sender = body.get("from") if isinstance(body, dict) else None
        user_id = sender.get("id") if isinstance(sender, dict) else None
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            return pseudonym(self.service.secret, user_id)
        return None


def describe(error: BaseException) -> str:
    """The error's type and first line, without SQL parameters or long numbers (ids)."""
    if isinstance(error, StatementError) and error.orig is not None:
        error = error.orig
    first = (str(error).splitlines() or [""])[0]
    text = f"{type(error).__name__}: {first}" if first else type(error).__name__
    return storable(_LONG_NUMBER.sub("…", text))[:ERROR_LIMIT]


def outline(value: Any) -> str:
    """The shape of a JSON value, with every value replaced by its type's name."""
    return json.dumps(_shape(value), ensure_ascii=False)[:OUTLINE_LIMIT]


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {storable(str(key))[:64]: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def _update_id(raw: object) -> int | None:
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    return update_id if isinstance(update_id, int) and not isinstance(update_id, bool) else None


def _kind(raw: object) -> str:
    if not isinstance(raw, dict):
        return type(raw).__name__
    return next((storable(str(key))[:64] for key in raw if key != "update_id"), "empty")
