"""Staff commands through the real bot: who may use them, and /admin, /close, /reopen,
/extend and /announce doing what they say, stored in the database and in the audit log."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.admin import ANNOUNCEMENT_KIND, COMMANDS
from storage.audit import recent_audit
from storage.identity import pseudonym
from storage.outbox import pending_count
from storage.rows import AuditRecord, WindowOverride
from storage.windows import get_window_override
from tests.bot.harness import SECRET, STAFF_ID, Bot, BotHarness
from tests.bot.steps import stored_respondents
from tests.bot.test_staff_scenario import (
    ada_finishes,
    bea_stops_half_way,
    meet,
    settle,
    staff_member,
)
from tests.telegram_fakes.updates import FakeUser

"""/stats, /export and /announce run in the background of an application the harness does not
start (the update runner does not either), which python-telegram-bot warns about."""
HELP_START = "Tap a button or type your answer."
WITH_ARGUMENTS = {"export": "csv", "extend": "2022-10-07 17:00", "announce": "Hello everyone"}
FILE_CLOSE = "Friday 23 September 2022 at 11:59pm"
CLOSED_AT_NOON = "Thursday 1 September 2022 at 1:00pm"  # the harness clock, in Medway's time


async def audit(harness: BotHarness) -> list[AuditRecord]:
    """The audit log, oldest first."""
    async with harness.service.sessions() as session:
        return list(reversed(await recent_audit(session)))


async def override(harness: BotHarness) -> WindowOverride | None:
    async with harness.service.sessions() as session:
        return await get_window_override(session, consultation_id=harness.consultation.id)


NOT_MOMENTS = (
    "",
    "next friday",
    "07/10/2022",
    "2022-10-07 11pm",
    "2022-02-30",
    "2022-13-01",
    "2022-10-07 24:00",
    "2022-10-07 25:00",
    "2022-10-07 10:60",
    "2022-10-07 10:30 extra",
)


def staff_texts(harness: BotHarness) -> list[str]:
    return [text or "" for text in harness.api.texts(STAFF_ID)]


async def test_someone_who_is_not_staff_gets_the_ordinary_help_and_each_try_is_audited(
    harness: BotHarness,
):
    ada = meet(harness).ada
    await harness.start(ada)
    await harness.tap(ada, "Yes, let's start")
    for command in COMMANDS:
        before = len(harness.texts(ada))
        await harness.command(ada, command, WITH_ARGUMENTS.get(command, ""))
        await settle(harness)
        replies = harness.texts(ada)[before:]
        assert replies and replies[0].startswith(HELP_START), command
        assert not any("Staff" in text or "Close the" in text for text in replies), command

    assert harness.api.calls_of("sendDocument") == harness.api.calls_of("sendPhoto") == []
    assert harness.api.calls_of("sendMessage", chat_id=STAFF_ID) == []
    refused = [entry for entry in await audit(harness) if entry.action == "refused"]
    assert [entry.detail for entry in refused] == [f"tried /{command}" for command in COMMANDS]
    alias = f"respondent:{pseudonym(SECRET, ada.id)[:16]}"
    assert {entry.actor for entry in refused} == {alias}
    assert not any(str(ada.id) in f"{entry.actor} {entry.detail}" for entry in refused)
    assert await override(harness) is None
    assert harness.api.failed_calls() == []


async def test_admin_lists_the_staff_commands_to_staff(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "admin")
    listing = harness.last(staff).text
    for command in COMMANDS[1:]:
        assert f"/{command}" in listing
    assert "Dates and times are Europe/London time, the consultation's time zone." in listing
    assert harness.api.failed_calls() == []


async def test_close_asks_first_and_no_keeps_it_open(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "close")
    question = harness.last(staff)
    assert question.text.startswith("Close the consultation now?")
    assert question.labels == ["Yes, close it now", "No, keep it open"]
    assert await override(harness) is None  # asking changes nothing

    await harness.tap(staff, "No, keep it open")
    assert harness.last(staff).text == "OK. It stays open."
    assert await override(harness) is None
    ada = meet(harness).ada
    await harness.start(ada)
    assert "Hello! This is Medway Council and NHS Kent and Medway." in harness.texts(ada)[0]


async def test_close_after_yes_is_stored_audited_and_respondents_are_told_it_closed(
    harness: BotHarness,
):
    people = meet(harness)
    await bea_stops_half_way(harness, people.bea)
    staff = staff_member(harness)
    await harness.command(staff, "close")
    await harness.tap(staff, "Yes, close it now")

    assert harness.last(staff).text == f"Closed at {CLOSED_AT_NOON}."
    stored = await override(harness)
    assert stored is not None and stored.closes_at == harness.clock.now
    assert stored.updated_by == f"staff:{STAFF_ID}"
    window_entries = [entry for entry in await audit(harness) if entry.action == "window"]
    assert len(window_entries) == 1 and window_entries[0].actor == f"staff:{STAFF_ID}"

    await harness.tick()  # the next tick of the clock-driven jobs
    assert harness.last(people.bea).text == (
        f"This closed on {CLOSED_AT_NOON}.\nWe have kept the answers you already gave. Thank you!"
    )
    await harness.start(people.ada)  # someone new after the close
    assert harness.texts(people.ada) == [
        f"This closed on {CLOSED_AT_NOON}.\nThank you for your interest."
    ]
    assert harness.api.failed_calls() == []


async def test_a_second_yes_later_does_not_move_the_closing_time(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "close")
    first = harness.message_with(staff, "Yes, close it now")
    await harness.command(staff, "close")  # asked twice, say on two phones
    second = harness.message_with(staff, "Yes, close it now")
    await harness.tap(staff, "Yes, close it now", first)
    assert harness.last(staff).text == f"Closed at {CLOSED_AT_NOON}."
    answered = [
        shown for shown in harness.api.screen(STAFF_ID) if shown.message_id == first.message_id
    ]
    assert answered[0].labels == []  # one answer per question
    harness.clock.now += timedelta(days=2)

    await harness.tap(staff, "Yes, close it now", second)
    stored = await override(harness)
    assert stored is not None and stored.closes_at == harness.clock.now - timedelta(days=2)
    assert harness.last(staff).text == f"It is already closed: it closed on {CLOSED_AT_NOON}."
    await harness.command(staff, "close")
    assert harness.last(staff).text == f"It is already closed: it closed on {CLOSED_AT_NOON}."
    assert len([entry for entry in await audit(harness) if entry.action == "window"]) == 1
    assert harness.api.failed_calls() == []


async def test_someone_who_is_not_staff_cannot_press_the_close_button(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "close")
    confirm = harness.message_with(staff, "Yes, close it now")
    ada = meet(harness).ada
    forged = harness.api.updates.callback_query(ada, confirm.raw, "staff:close#yes")
    await harness.deliver(forged)

    assert await override(harness) is None
    refused = [entry for entry in await audit(harness) if entry.action == "refused"]
    assert [entry.actor for entry in refused] == [f"respondent:{pseudonym(SECRET, ada.id)[:16]}"]


async def test_reopen_goes_back_to_the_date_in_the_consultation_file(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "close")
    await harness.tap(staff, "Yes, close it now")
    await harness.command(staff, "reopen")

    assert harness.last(staff).text == f"Open again. It closes on {FILE_CLOSE}."
    stored = await override(harness)
    assert stored is not None and stored.closes_at is None
    ada = meet(harness).ada
    await harness.start(ada)
    assert "Hello! This is Medway Council and NHS Kent and Medway." in harness.texts(ada)[0]
    assert f"You can answer until {FILE_CLOSE}." in harness.texts(ada)[0]
    assert [entry.action for entry in await audit(harness)] == ["window", "window"]


async def test_reopen_after_the_file_date_has_passed_asks_for_extend(harness: BotHarness):
    staff = staff_member(harness)
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    await harness.command(staff, "reopen")

    assert harness.last(staff).text == (
        f"The date in the file ({FILE_CLOSE}) has passed. Please use /extend with a new date."
    )
    assert await override(harness) is None


async def test_extend_with_anything_but_a_date_and_time_shows_how_to_write_it(
    harness: BotHarness,
):
    staff = staff_member(harness)
    usage = "Please write /extend and a date, like /extend 2022-10-07 or /extend 2022-10-07 23:59."
    for written in NOT_MOMENTS:
        await harness.command(staff, "extend", written)
        assert harness.last(staff).text == usage, written

    assert staff_texts(harness) == [usage] * len(NOT_MOMENTS)
    assert await override(harness) is None
    assert harness.api.failed_calls() == []


async def test_extend_to_a_moment_already_past_is_refused(harness: BotHarness):
    staff = staff_member(harness)
    await harness.command(staff, "extend", "2022-09-01 13:00")  # now, in Medway's time

    assert harness.last(staff).text == (
        "Thursday 1 September 2022 at 1:00pm has passed. Please give a date in the future."
    )
    assert await override(harness) is None


async def test_extend_stores_a_new_close_that_overrides_the_file_and_is_audited(
    harness: BotHarness,
):
    staff = staff_member(harness)
    await harness.command(staff, "extend", "2022-10-07")
    assert harness.last(staff).text == "It now closes on Friday 7 October 2022 at 11:59pm."
    await harness.command(staff, "extend", "2022-10-14 17:30")
    assert harness.last(staff).text == "It now closes on Friday 14 October 2022 at 5:30pm."

    stored = await override(harness)
    assert stored is not None and stored.closes_at == datetime(2022, 10, 14, 16, 30, tzinfo=UTC)
    assert [entry.actor for entry in await audit(harness)] == [f"staff:{STAFF_ID}"] * 2
    harness.clock.now = datetime(2022, 10, 1, 10, 0, tzinfo=UTC)  # after the file's close
    ada = meet(harness).ada
    await harness.start(ada)
    assert "Hello! This is Medway Council and NHS Kent and Medway." in harness.texts(ada)[0]
    until = "You can answer until Friday 14 October 2022 at 5:30pm."
    assert until in harness.texts(ada)[0]
    await harness.command(ada, "help")
    assert until in harness.texts(ada)[-2]


async def test_announce_waits_until_the_consultation_has_closed(harness: BotHarness):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    seen = len(harness.texts(people.ada))
    staff = staff_member(harness)
    await harness.command(staff, "announce", "We listened.")
    await settle(harness)

    assert harness.last(staff).text == "You can send news once the consultation has closed."
    assert len(harness.texts(people.ada)) == seen


async def test_announce_without_words_shows_how_to_write_it(harness: BotHarness):
    staff = staff_member(harness)
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    await harness.command(staff, "announce")
    await settle(harness)
    assert harness.last(staff).text == "Please write /announce and then your message."


NEWS = (
    "News about Our plan for children and young people with SEND (special educational "
    "needs and disabilities):\n\nWe listened. There will be more clubs.\n\n"
    "To get no more news from us, type /nonews."
)


async def announce(harness: BotHarness, staff: FakeUser, written: str, answer: str | None) -> None:
    """Write an announcement as staff, then answer "Send this?" (`answer` None: leave it), and
    let the outbox send what it queued."""
    await harness.type(staff, f"/announce{written}")
    await settle(harness)
    if answer is not None:
        await harness.tap(staff, answer)
        await settle(harness)
        await harness.send_outbox()


def queued(total: int) -> str:
    return (
        f"Sending it now to the {total} people who asked to hear what happened.\n"
        "It can take a few minutes."
    )


async def test_announce_after_the_close_reaches_only_those_who_asked_and_counts_them(
    harness: BotHarness,
):
    people = meet(harness)
    dee = harness.person("Dee", username="dee_wombat_264")
    await ada_finishes(harness, people.ada)  # wants the news
    await ada_finishes(harness, dee)  # wants the news too, then blocks the bot
    await bea_stops_half_way(harness, people.bea)  # never asked
    harness.api.block(dee.id)
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)
    await announce(harness, staff, "\nWe listened. There will be more clubs.", "Yes, send it")

    assert harness.last(people.ada).text == NEWS
    assert NEWS not in harness.texts(people.bea)
    assert harness.last(staff).text == queued(2)
    announced = [entry for entry in await audit(harness) if entry.action == "announce"]
    assert [(entry.actor, entry.rows) for entry in announced] == [(f"staff:{STAFF_ID}", 2)]
    undelivered = [entry for entry in await audit(harness) if entry.action == "undelivered"]
    assert [entry.actor for entry in undelivered] == ["outbox"]  # Dee blocked the bot
    assert str(dee.id) not in " ".join(entry.detail for entry in await audit(harness))
    reachable = {row.chat_id: row.unreachable_at for row in await stored_respondents(harness)}
    assert reachable[dee.id] == harness.clock.now  # skipped by reminders and news from now on
    assert reachable[people.ada.id] is None


async def test_announce_shows_the_message_as_people_will_get_it_and_sends_nothing_until_yes(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    seen = len(harness.texts(people.ada))
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)

    await announce(harness, staff, " We listened. There will be more clubs.", None)

    assert staff_texts(harness) == [
        "Here is your message as people will get it:",
        NEWS,
        "Send it now to everyone who asked to hear what happened?\n"
        "People who asked: 1. You can only send it once.",
    ]
    assert harness.last(staff).labels == ["Yes, send it", "No, don't send it"]
    assert len(harness.texts(people.ada)) == seen
    assert [entry for entry in await audit(harness) if entry.action == "announce"] == []

    await harness.tap(staff, "No, don't send it")
    await settle(harness)
    assert harness.last(staff).text == "OK. Nothing was sent."
    assert len(harness.texts(people.ada)) == seen
    asked = [
        shown for shown in harness.api.screen(STAFF_ID) if shown.text.startswith("Send it now")
    ]
    assert asked[0].labels == []  # one answer per question


async def test_the_same_announcement_is_never_sent_twice_however_it_is_asked_for(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)
    await announce(harness, staff, " We listened. There will be more clubs.", None)
    first = harness.message_with(staff, "Yes, send it")
    await announce(harness, staff, " We listened. There will be more clubs.", None)
    second = harness.message_with(staff, "Yes, send it")  # a second preview, say on a tablet

    await harness.tap(staff, "Yes, send it", first)
    await settle(harness)
    await harness.send_outbox()
    harness.clock.now = datetime(2022, 10, 3, 9, 0, tzinfo=UTC)
    await harness.tap(staff, "Yes, send it", second)
    await settle(harness)
    again = (
        "You sent this message on Friday 30 September 2022 at 10:00am.\nWe will not send it twice."
    )
    assert harness.last(staff).text == f"{again} Nothing was sent."
    await announce(harness, staff, "\n  we listened.   THERE will be more clubs. ", None)
    assert harness.last(staff).text == f"{again} Nothing was sent."
    assert harness.last(staff).labels == []

    assert harness.texts(people.ada).count(NEWS) == 1
    entries = [(e.action, e.rows) for e in await audit(harness) if e.action != "window"]
    assert entries == [("announce", 1), ("refused", 0), ("refused", 0)]
    await announce(harness, staff, " We listened. There will be even more clubs.", "Yes, send it")
    assert harness.texts(people.ada)[-1].startswith("News about")
    assert "even more clubs" in harness.texts(people.ada)[-1]


async def test_someone_who_is_not_staff_cannot_press_send_on_an_announcement(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    seen = len(harness.texts(people.ada))
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)
    await announce(harness, staff, " We listened.", None)
    confirm = harness.message_with(staff, "Yes, send it")
    data = confirm.button("Yes, send it").callback_data
    assert data is not None

    await harness.deliver(harness.api.updates.callback_query(people.ada, confirm.raw, data))
    await settle(harness)

    assert len(harness.texts(people.ada)) == seen
    refused = [entry for entry in await audit(harness) if entry.action == "refused"]
    assert [entry.detail for entry in refused] == ["pressed a staff button"]
    await harness.tap(staff, "Yes, send it", confirm)  # still there for staff, and it works
    await settle(harness)
    await harness.send_outbox()
    assert harness.last(people.ada).text.startswith("News about")


async def test_a_delivery_telegram_keeps_failing_stays_owed_and_the_rest_still_go(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    people = meet(harness)
    dee = harness.person("Dee", username="dee_wombat_264")
    await ada_finishes(harness, dee)  # first in line
    await ada_finishes(harness, people.ada)
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    # Failing on Telegram's side however often it is tried (retries made instant).
    harness.api.fail_next(
        500, "Internal Server Error", method="sendMessage", chat_id=dee.id, times=None
    )
    monkeypatch.setattr(harness.application.bot.rate_limiter, "first_pause", 0.0)
    staff = staff_member(harness)
    await announce(harness, staff, " We listened.", "Yes, send it")

    assert "\n\nWe listened.\n\n" in harness.last(people.ada).text
    assert harness.last(staff).text == queued(2)
    async with harness.service.sessions() as session:
        assert await pending_count(session, kind=ANNOUNCEMENT_KIND) == 1  # Dee's, for later


async def test_an_announcement_confirmed_just_before_a_restart_goes_out_after_it_once(
    bot_with: Bot,
):
    first = await bot_with()
    people = meet(first)
    await ada_finishes(first, people.ada)
    first.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(first)
    await announce(first, staff, " We listened.", None)
    await first.tap(staff, "Yes, send it")
    await settle(first)  # queued and committed; the bot stops before its sender runs
    assert not any(text.startswith("News about") for text in first.texts(people.ada))

    again = await bot_with()
    again.api.add_chat(people.ada)  # the same person, as the restarted bot's Telegram knows her
    assert await again.send_outbox() == 1
    assert await again.send_outbox() == 0
    news = [shown for shown in again.api.sent_to(people.ada.id) if shown.text.startswith("News")]
    assert len(news) == 1
    assert again.api.failed_calls() == []


async def test_an_announcement_too_long_for_one_message_is_sent_to_nobody_and_staff_are_told(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    seen = len(harness.texts(people.ada))
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)
    long_news = "We listened. " + "More clubs. " * 335  # 4,033 characters: fits, not with a title
    await harness.command(staff, "announce", long_news)
    await settle(harness)

    assert len(harness.texts(people.ada)) == seen
    told = harness.last(staff).text
    assert told.startswith("That is too long to send as one message.")
    assert "characters shorter" in told
    assert not [entry for entry in await audit(harness) if entry.action == "announce"]
    assert harness.api.failed_calls() == []


async def test_a_send_button_for_an_announcement_never_prepared_sends_nothing(
    harness: BotHarness,
):
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    seen = len(harness.texts(people.ada))
    harness.clock.now = datetime(2022, 9, 30, 9, 0, tzinfo=UTC)
    staff = staff_member(harness)
    await harness.command(staff, "close")  # any message of the bot's to hang a button on
    shown = harness.last(staff)
    forged = harness.api.updates.callback_query(staff, shown.raw, "staff:announce#" + "0" * 32)

    await harness.deliver(forged)
    await settle(harness)

    assert harness.last(staff).text == "OK. Nothing was sent."
    assert len(harness.texts(people.ada)) == seen
    assert [entry for entry in await audit(harness) if entry.action == "announce"] == []
