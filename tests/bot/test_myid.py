"""/myid through the real bot: anyone learns their own Telegram user id, in a private chat only,
and nothing about them is stored, logged or audited."""

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from storage.audit import recent_audit
from storage.models import Progress, Respondent
from tests.bot.harness import STAFF_ID, BotHarness
from tests.bot.test_staff_scenario import meet, staff_member


async def stored_people(harness: BotHarness) -> tuple[int, int]:
    async with harness.service.sessions() as session:
        respondents = await session.scalar(select(func.count()).select_from(Respondent))
        progress = await session.scalar(select(func.count()).select_from(Progress))
    return respondents or 0, progress or 0


def told_id(user_id: int) -> str:
    return (
        f"Your Telegram user id is {user_id}.\n"
        "Only you can see this. We do not keep it.\n"
        "If you help run this survey, send this number to the person who set up the bot."
    )


async def test_anyone_gets_their_own_id_and_nothing_is_stored_logged_or_audited(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    ada = meet(harness).ada
    caplog.set_level(logging.INFO)  # the level the bot runs at

    await harness.command(ada, "myid")

    assert harness.texts(ada) == [told_id(ada.id)]
    assert await stored_people(harness) == (0, 0)
    async with harness.service.sessions() as session:
        assert await recent_audit(session) == []
    assert not any(str(ada.id) in record.getMessage() for record in caplog.records)
    assert harness.api.failed_calls() == []


async def test_staff_and_people_half_way_through_get_their_own_id_and_lose_nothing(
    harness: BotHarness,
):
    people = meet(harness)
    staff = staff_member(harness)
    await harness.start(people.bea)
    await harness.tap(people.bea, "Yes, let's start")
    waiting = harness.last(people.bea)

    await harness.command(people.bea, "myid")
    await harness.command(staff, "myid")

    assert harness.last(people.bea).text == told_id(people.bea.id)
    assert harness.last(staff).text == told_id(STAFF_ID)
    assert str(people.bea.id) not in " ".join(harness.api.texts(STAFF_ID))
    assert str(STAFF_ID) not in " ".join(harness.texts(people.bea))
    await harness.tap(people.bea, "I'm a parent or carer", waiting)  # carries on where she was
    assert harness.last(people.bea).text.startswith("About you. Question 1 of 3")


async def test_myid_works_after_the_close(harness: BotHarness):
    ada = meet(harness).ada
    harness.clock.now = datetime(2022, 10, 1, 9, 0, tzinfo=UTC)
    await harness.command(ada, "myid")
    assert harness.texts(ada) == [told_id(ada.id)]


async def test_in_a_group_myid_shows_no_id_and_asks_for_a_private_chat(harness: BotHarness):
    ada = meet(harness).ada
    group = harness.api.updates.group("Parents' group")
    harness.api.add_chat(group)
    await harness.deliver(harness.api.updates.group_message(ada, group, "/myid"))

    said = harness.api.texts(group.id)
    assert said == ["I only talk in private chats.\nTap my name, then tap Start, to talk to me."]
    assert harness.texts(ada) == []
    assert await stored_people(harness) == (0, 0)
