"""The outbox: messages that must not be lost, stored with the change that causes them.

Ordinary replies are sent after the commit, and a lost one is repaired when Telegram delivers
the update again. Some messages have no such second chance: safeguarding alerts, closing
notices, announcements, reminders. Write each one as an outbox row in the same transaction as
its cause; `bot.outbox.OutboxSender` then delivers it after the commit, paced within Telegram's
limits, retries with backoff, and marks it sent. A row owed when the process dies is sent after
the restart. Delivery is at least once; a row is sent twice only if the process dies between
Telegram accepting it and the row being marked (a moment's window).

The API, for any feature (every helper takes the caller's session and never commits)::

    async with sessions() as session, session.begin():
        ...  # the change itself
        await enqueue(session, kind="closing_notice", recipient=chat_id,
                      payload=message_payload("Closed.", buttons=()), now=now)
    outbox_waiting.set()  # after the commit: wake the sender (it also looks every few seconds)

- `enqueue(kind, recipient, payload, now, due_at=None)`: `kind` names the feature (32
  characters at most, e.g. "safeguarding_alert"), `recipient` is the Telegram chat id, and
  `payload` a JSON-ready dict. The standard sender reads `{"text": str, "buttons": [[{"label":
  str, "data": str}, ...], ...]}` (`message_payload` builds it). `due_at` delays sending.
  `enqueue_to_each(kind, recipients, text, now)` queues one plain text to several chats.
- `claim_due(now, lease, limit)`: the sender's side. It takes due rows, oldest first; a claimed
  row is not due again until `now + lease`, so two senders (replicas) never send the same row
  at once, and a sender that died mid-send gives its rows back when the lease runs out.
- `mark_sent`, `retry_later` (with the delay and the error), `give_up` (a permanent refusal,
  such as a person who blocked the bot): the sender records each outcome.
- `pending_count(kind=None)`: how many are still owed (neither sent nor given up).

A sent row keeps its kind, recipient, times and attempts, but not its words: the payload is
emptied, so the outbox is not a second copy of what people wrote.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage

ERROR_LIMIT = 500
"""Characters of an error message kept on a row."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One claimed outbox row, ready to send."""

    id: int
    kind: str
    recipient: int
    payload: dict[str, Any]
    attempts: int


def message_payload(text: str, buttons: Sequence[Sequence[tuple[str, str]]] = ()) -> dict[str, Any]:
    """The payload the standard sender understands: a text and rows of (label, data) buttons."""
    return {
        "text": text,
        "buttons": [[{"label": label, "data": data} for label, data in row] for row in buttons],
    }


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    recipient: int,
    payload: dict[str, Any],
    now: datetime,
    due_at: datetime | None = None,
) -> int:
    """Add one message to send after the caller's commit; returns its id."""
    result = await session.execute(
        insert(OutboxMessage)
        .values(
            kind=kind,
            recipient=recipient,
            payload=json.dumps(payload, ensure_ascii=False),
            created_at=now,
            due_at=due_at or now,
            attempts=0,
        )
        .returning(OutboxMessage.id)
    )
    return int(result.scalar_one())


async def enqueue_to_each(
    session: AsyncSession, *, kind: str, recipients: Iterable[int], text: str, now: datetime
) -> None:
    """Add the same plain message (no buttons) for each of `recipients` (chat ids)."""
    for recipient in recipients:
        await enqueue(
            session, kind=kind, recipient=recipient, payload=message_payload(text), now=now
        )


def _owed() -> Any:
    return OutboxMessage.sent_at.is_(None) & OutboxMessage.failed_at.is_(None)


async def claim_due(
    session: AsyncSession, *, now: datetime, lease: timedelta, limit: int
) -> list[Outgoing]:
    """Claim up to `limit` due messages, oldest first, until `now + lease`.

    Each row is claimed by one compare-and-set update, so of two senders only one gets it.
    """
    due = (
        await session.execute(
            select(OutboxMessage.id)
            .where(_owed(), OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    ).scalars()
    claimed = []
    for message_id in list(due):
        row = (
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, _owed(), OutboxMessage.due_at <= now)
                .values(due_at=now + lease, attempts=OutboxMessage.attempts + 1)
                .returning(
                    OutboxMessage.id,
                    OutboxMessage.kind,
                    OutboxMessage.recipient,
                    OutboxMessage.payload,
                    OutboxMessage.attempts,
                )
            )
        ).one_or_none()
        if row is not None:
            claimed.append(
                Outgoing(row.id, row.kind, row.recipient, json.loads(row.payload), row.attempts)
            )
    return claimed


async def mark_sent(session: AsyncSession, *, message_id: int, now: datetime) -> None:
    """Telegram accepted the message: never send it again, and forget its words."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(sent_at=now, payload="{}", last_error=None)
    )


async def retry_later(
    session: AsyncSession, *, message_id: int, now: datetime, delay: timedelta, error: str
) -> None:
    """Sending failed for now (a time-out, flood control): try again after `delay`."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(due_at=now + delay, last_error=error[:ERROR_LIMIT])
    )


async def give_up(session: AsyncSession, *, message_id: int, now: datetime, error: str) -> None:
    """Telegram refused the message for good (blocked, no such chat): stop trying."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(failed_at=now, last_error=error[:ERROR_LIMIT])
    )


async def pending_count(session: AsyncSession, *, kind: str | None = None) -> int:
    """How many messages are still owed (of this kind, if given)."""
    query = select(func.count()).select_from(OutboxMessage).where(_owed())
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return int((await session.execute(query)).scalar_one())
