"""`messages_per_second` holds in every second, not only on average: a broadcast to many people
goes out in bursts of at most that many, each a second after the one before.

The sender runs on a ManualTime, so the check is when each message went by the clock the pacer
reads, never how fast this machine is.
"""

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest
from telegram.ext import ExtBot

from bot.sending import ResilientSender
from tests.bot.manual_time import ManualTime
from tests.telegram_fakes import OfflineBotApi


def most_within(moments: list[float], seconds: float) -> int:
    """The most sends in any stretch [t, t + seconds)."""
    return max(sum(1 for other in moments if start <= other < start + seconds) for start in moments)


@pytest.mark.parametrize(
    ("rate", "people", "expected"),
    [
        (5, 12, [0] * 5 + [1] * 5 + [2] * 2),
        (7.5, 16, [0] * 7 + [1] * 7 + [2] * 2),  # 30 a second shared by 4 copies
        (0.5, 3, [0, 2, 4]),
    ],
)
async def test_sends_to_many_people_keep_to_the_rate_in_every_second(
    rate: float, people: int, expected: list[float]
):
    api = OfflineBotApi()
    time = ManualTime()
    sent_at: list[float] = []

    async def note_when(method: str, fields: Mapping[str, Any]) -> None:
        if method == "sendMessage":
            sent_at.append(time.now - 1000.0)

    api.intercept(note_when)
    users = [api.updates.user(f"Person {number}") for number in range(people)]
    for user in users:
        api.add_chat(user)
    sender = ResilientSender(rate, sleep=time.sleep, clock=time)

    async with ExtBot(api.token, request=api, rate_limiter=sender) as bot:
        sending = asyncio.gather(
            *(bot.send_message(user.id, "It closes on Friday.") for user in users)
        )
        await time.run_until(sending.done)
        await sending

    assert sorted(sent_at) == expected
    stretch = max(1.0, 1 / rate)  # a second; for a rate under one, the time one send takes
    assert most_within(sent_at, stretch) <= rate * stretch
    assert all(len(api.sent_to(user.id)) == 1 for user in users)
