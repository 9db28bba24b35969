"""Group commit: many respondents' updates share a transaction, each counted only after it."""

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from telegram import Update

import bot.service
from storage.answers import AnswersOf
from storage.identity import pseudonym
from storage.respondents import find_respondent
from tests.bot.harness import SECRET, BotHarness
from tests.bot.manual_time import BOUND
from tests.bot.steps import answers_of, at_the_first_question

PEOPLE = 12


def count_commits(harness: BotHarness) -> list[int]:
    """A list that grows by one at every commit on the bot's database."""
    commits: list[int] = []
    event.listen(
        harness.service.batch_engine.sync_engine, "commit", lambda _connection: commits.append(1)
    )
    return commits


async def everyone_taps(harness: BotHarness, people: list[Any], label: str) -> list[bool]:
    """Each person taps `label` on their newest message, all at the same moment."""
    updates = [harness.api.tap(person, label) for person in people]
    for update in updates:
        harness.api.observe(update)
    return await asyncio.gather(
        *(harness.runner.run(Update.de_json(update, harness.application.bot)) for update in updates)
    )


async def test_concurrent_respondents_share_commits_and_every_answer_is_stored(
    harness: BotHarness,
):
    people = [harness.person(f"P{number}") for number in range(PEOPLE)]
    for person in people:
        await at_the_first_question(harness, person)
    commits = count_commits(harness)

    handled = await everyone_taps(harness, people, "Agree")

    assert handled == [True] * PEOPLE
    assert 1 <= len(commits) < PEOPLE
    for person in people:
        assert await answers_of(harness, person) == [("important", "agree")]
        assert "Question 2 of 3" in harness.last(person).text


@pytest.mark.expects_handler_error(kind=OperationalError)
async def test_a_unit_that_fails_fails_alone_and_the_rest_of_its_batch_is_stored(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    people = [harness.person(f"P{number}") for number in range(PEOPLE)]
    for person in people:
        await at_the_first_question(harness, person)
    unlucky = people[5]
    record_many_answers = bot.service.record_many_answers
    async with harness.service.sessions() as session:
        victim = await find_respondent(
            session,
            consultation_id=harness.consultation.id,
            pseudonym=pseudonym(SECRET, unlucky.id),
        )
    assert victim is not None

    async def fails_for_one(session: Any, batch: Sequence[AnswersOf]) -> int:
        if any(each.respondent_id == victim.id for each in batch):
            raise OperationalError("INSERT INTO answers", {}, ConnectionError("disk full"))
        return await record_many_answers(session, batch)

    monkeypatch.setattr(bot.service, "record_many_answers", fails_for_one)

    handled = await everyone_taps(harness, people, "Agree")

    assert handled == [person is not unlucky for person in people]
    for person in people:
        expected = [] if person is unlucky else [("important", "agree")]
        assert await answers_of(harness, person) == expected
    assert "Question 1 of 3" in harness.last(unlucky).text


async def test_closing_waits_for_a_batch_held_inside_the_writer_and_it_commits(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
):
    ada = harness.person("Ada")
    await at_the_first_question(harness, ada)
    inside, release = threading.Event(), threading.Event()  # the writer may run in a thread
    record_many_answers = bot.service.record_many_answers

    async def held(session: Any, batch: Sequence[AnswersOf]) -> int:
        inside.set()
        assert await asyncio.to_thread(release.wait, BOUND), "the test never let go"
        return await record_many_answers(session, batch)

    monkeypatch.setattr(bot.service, "record_many_answers", held)
    tap = asyncio.ensure_future(everyone_taps(harness, [ada], "Agree"))
    assert await asyncio.to_thread(inside.wait, BOUND)  # the batch is in the writer's hands

    closing = asyncio.ensure_future(harness.service.close())
    finished, _ = await asyncio.wait({closing}, timeout=0.2)
    assert not finished, "close() returned while a batch was still being written"

    release.set()
    async with asyncio.timeout(BOUND):
        await closing
    assert await answers_of(harness, ada) == [("important", "agree")]
    async with asyncio.timeout(BOUND):
        assert await tap == [True]
