"""The retention rule, from the minute tick and from `consultbot purge`: once the retention days
after the close are over, nobody can be messaged any more (chat ids go); the answers go too
only when the settings say so."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.audit import recent_audit
from storage.models import Answer, OutboxMessage, Progress, Respondent
from tests.bot.harness import STAFF_ID, Bot, BotHarness
from tests.bot.test_staff_scenario import (
    People,
    ada_finishes,
    bea_stops_half_way,
    meet,
    staff_member,
)

ANSWERS = 9 + 6
"""What the two respondents answered: 9 answers, and 6 about who they are."""

CLOSES = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)  # 11:59pm in Medway, summer time
NINETY_DAYS_ON = datetime(2022, 12, 22, 23, 59, tzinfo=UTC)
"""90 days after the close on Medway's calendar: 11:59pm on 22 December, when it is GMT."""
CONSULTBOT = Path(sys.executable).with_name("consultbot")
COMMAND_SECONDS = 60


async def two_respondents(harness: BotHarness) -> People:
    """Ada finishes; Bea stops half-way (Cal never writes)."""
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    await bea_stops_half_way(harness, people.bea)
    return people


async def stored(harness: BotHarness) -> dict[str, int]:
    """How many rows of each kind are kept, and how many chat ids."""
    async with harness.service.sessions() as session:
        count = {
            name: (await session.execute(select(func.count()).select_from(model))).scalar_one()
            for name, model in (("respondents", Respondent), ("answers", Answer))
        }
        count["progress"] = (
            await session.execute(select(func.count()).select_from(Progress))
        ).scalar_one()
        count["chat ids"] = (
            await session.execute(select(func.count(Respondent.chat_id)))
        ).scalar_one()
    return count


async def outbox_recipients(harness: BotHarness) -> set[int]:
    """The chat ids the outbox still holds (messages sent, given up or owed)."""
    async with harness.service.sessions() as session:
        return set((await session.execute(select(OutboxMessage.recipient))).scalars())


async def purge_entries(harness: BotHarness) -> list[tuple[str, int | None]]:
    async with harness.service.sessions() as session:
        entries = await recent_audit(session)
    return [(entry.actor, entry.rows) for entry in entries if entry.action == "purge"]


async def test_chat_ids_go_when_the_retention_days_after_the_close_are_over_answers_stay(
    harness: BotHarness,
):
    people = await two_respondents(harness)
    kept = {"respondents": 2, "answers": ANSWERS, "progress": 2, "chat ids": 2}
    assert await stored(harness) == kept

    await harness.tick_at(NINETY_DAYS_ON - timedelta(minutes=1))
    assert await stored(harness) == kept
    assert await outbox_recipients(harness) == {STAFF_ID, people.bea.id}  # numbers, notice
    await harness.tick_at(NINETY_DAYS_ON)
    await harness.tick_at(NINETY_DAYS_ON + timedelta(minutes=1))

    assert await stored(harness) == {**kept, "chat ids": 0}
    assert await purge_entries(harness) == [("retention", 2)]  # once: the next tick had none
    assert await outbox_recipients(harness) == {STAFF_ID}  # nothing says whom else it wrote to


async def test_answers_are_deleted_too_when_the_settings_say_so(bot_with: Bot):
    bot = await bot_with(retention_days=30, delete_responses_after_retention=True)
    await two_respondents(bot)

    await bot.tick_at(CLOSES + timedelta(days=29))
    assert await stored(bot) == {"respondents": 2, "answers": ANSWERS, "progress": 2, "chat ids": 2}
    await bot.tick_at(CLOSES + timedelta(days=30))

    assert await stored(bot) == {"respondents": 0, "answers": 0, "progress": 0, "chat ids": 0}
    assert await purge_entries(bot) == [("retention", 2 + 2 + ANSWERS + 2)]


async def purge_command(config: Path) -> subprocess.CompletedProcess[str]:
    """Run `consultbot purge` as staff would, today, without blocking the bot's event loop."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "CONSULTBOT_"))
    }
    return await asyncio.to_thread(
        subprocess.run,
        [str(CONSULTBOT), "purge", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        cwd=config.parent,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # as staff run it by the bot
async def test_consultbot_purge_applies_the_rule_to_the_dates_staff_set(
    harness: BotHarness, database_url: str, tmp_path: Path
):
    await two_respondents(harness)
    staff = staff_member(harness)
    config = tmp_path / "consultbot.toml"
    config.write_text(
        f'[storage]\nurl = "{database_url}"\n\n[privacy]\nretention_days = 90\n', encoding="utf-8"
    )

    await harness.command(staff, "extend", "2099-12-31")  # closes long after today
    extended = await purge_command(config)
    assert (extended.returncode, extended.stdout) == (
        0,
        "Chat ids deleted: 0. Respondents deleted: 0.\n",
    ), extended.stderr
    assert (await stored(harness))["chat ids"] == 2

    await harness.command(staff, "reopen")  # back to the file's date, in 2022
    purged = await purge_command(config)
    assert (purged.returncode, purged.stdout) == (
        0,
        "Chat ids deleted: 2. Respondents deleted: 0.\n",
    ), purged.stderr
    assert await stored(harness) == {
        "respondents": 2,
        "answers": ANSWERS,
        "progress": 2,
        "chat ids": 0,
    }
    assert await purge_entries(harness) == [("retention", 2)]
