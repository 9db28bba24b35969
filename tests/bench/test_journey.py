"""The benchmark's journey still walks each bot to the end, with the answers it means to give.

If the bot's behaviour changes (what /back does, how a change at the review ends), the bench's
scripted updates could drift into "that button is old" replies and measure something else; this
catches it. No timing here: speed is measured only by `python -m bench`.
"""

import pickle
from pathlib import Path

from sqlalchemy import select

from bench.contenders.consultbot import ConsultBot
from bench.contenders.stock import StockConversationBot
from bench.script import ANSWERS_PER_RESPONDENT, IDEAS, STEPS, Script
from storage.database import session_factory
from storage.models import Answer, Respondent

EXPECTED = {
    ("parks", "important"): "agree",  # agree, /back, agree a lot, changed at the review to agree
    ("parks", "safe"): None,  # /skip
    ("parks", "visited"): "yes",
    ("parks", "how_often"): "weekly",
    ("parks", "ideas"): IDEAS,
}


async def test_this_bot_finishes_the_journey_with_every_answer(tmp_path: Path):
    bot = ConsultBot("journey", f"sqlite+aiosqlite:///{tmp_path / 'journey.sqlite3'}")
    person = Script().respondent()
    assert len(person.updates) == STEPS
    await bot.start()
    try:
        assert [await bot.handle(raw) for raw in person.updates] == [True] * STEPS
        assert bot.engine is not None
        async with session_factory(bot.engine)() as session:
            answers = (await session.execute(select(Answer))).scalars().all()
            respondent = (await session.execute(select(Respondent))).scalar_one()
    finally:
        await bot.stop()
    found = {(answer.area, answer.question): answer.value for answer in answers}
    assert len(found) == ANSWERS_PER_RESPONDENT
    assert {key: found[key] for key in EXPECTED} == EXPECTED
    assert found[("paths", "use")] is not None
    assert set(found[("paths", "use")].split(",")) == {"walk", "cycle"}
    assert found[("final", "anything_else")] is not None
    assert respondent.finished_at is not None
    assert bot.api.calls["editMessageText"] and bot.api.calls["answerCallbackQuery"]


async def test_the_stock_bot_finishes_the_same_journey(tmp_path: Path):
    stock = StockConversationBot(tmp_path)
    person = Script().respondent()
    await stock.start()
    try:
        for raw in person.updates:
            await stock.handle(raw)
    finally:
        await stock.stop()
    with stock.path.open("rb") as file:
        data = pickle.load(file)
    kept = data["user_data"][person.user_id]
    assert kept["finished"] is True
    assert kept["answers"]["important"] == "agree"
    assert kept["answers"]["safe"] is None
    assert kept["answers"]["visited"] == "yes"
    assert kept["answers"]["how_often"] == "weekly"
    assert kept["answers"]["ideas"] == IDEAS
    assert kept["answers"]["use"] == ["walk", "cycle"]
    assert len(kept["answers"]) == ANSWERS_PER_RESPONDENT
