"""A safeguarding alert owed when the real `consultbot run` process is killed is sent after the
restart, exactly once.

The process is SIGKILLed while its call to send the alert to the safeguarding lead hangs on the
fake Telegram: the answer and the alert are committed, the alert is not yet marked sent. The
lead must get it after the restart, and only once.
"""

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.flood import PER_SECOND
from tests.e2e.test_restart import (
    INCLUSION,
    WAIT,
    BotProcess,
    RepliesStuck,
    Respondents,
    consultbot_process,
)
from tests.telegram_fakes import FakeBotApiServer

LEAD_ID = 777001
DISCLOSURE = "my dad hits me and i want to die"


@pytest.fixture
def bot(tmp_path: Path, telegram: FakeBotApiServer) -> Iterator[BotProcess]:
    """The bot with a safeguarding lead and a 1-second outbox lease, not started."""
    more = f"\n[safeguarding]\nuser_ids = [{LEAD_ID}]\n\n[outbox]\nlease_seconds = 1\n"
    with consultbot_process(tmp_path, telegram, more) as process:
        yield process


@pytest.mark.timeout(60)  # a bound on the test, not a speed check
def test_an_alert_owed_at_a_sigkill_is_sent_after_the_restart_exactly_once(
    telegram: FakeBotApiServer, bot: BotProcess, tmp_path: Path
):
    people = Respondents(telegram, bot)
    ada = people.person("Ada")
    lead = telegram.updates.user("Lee", id=LEAD_ID)
    telegram.add_chat(lead)
    bot.start()
    people.together({ada: (people.start(ada, "young_person"), "Is that OK?")})
    people.together({ada: (people.tap(ada, "Yes, let's start"), "About you.")})
    people.about_them({ada: 3})
    people.together({ada: (people.tap(ada, "No"), "Which parts")})
    people.together({ada: (people.tap(ada, INCLUSION), f"{INCLUSION} ✅")})
    people.together({ada: (people.tap(ada, "Done"), "Question 1 of 3")})
    people.together({ada: (people.tap(ada, "Agree"), "Question 2 of 3")})
    people.together({ada: (people.tap(ada, "Agree"), "Question 3 of 3")})
    # A person's pace, not a speed check: ten messages came at once, and the flood gate lets
    # ten through, then one a second (bot/flood.py); the disclosure is the eleventh.
    time.sleep(1 / PER_SECOND + 0.5)
    stuck = RepliesStuck(LEAD_ID)
    telegram.intercept(stuck.hold)

    people.together({ada: (people.type(ada, DISCLOSURE), "You are not in trouble.")})
    assert stuck.arrived.wait(WAIT), bot.output()
    bot.kill()  # the alert is committed and claimed; it never reached the lead
    stuck.released.set()
    assert people.times_sent(lead, "Safeguarding alert 1") == 0

    bot.start()
    people.wait_to_see(lead, "Safeguarding alert 1", after=0)
    people.together({ada: (people.type(ada, "More clubs"), "Do you want a message")})
    assert bot.stop() == 0

    assert people.times_sent(lead, "Safeguarding alert 1") == 1
    alert = telegram.last_message(LEAD_ID).text or ""
    assert DISCLOSURE in alert and "Audience: I'm a young person" in alert
    assert str(ada.id) not in alert
    with sqlite3.connect(tmp_path / "consultbot.sqlite3") as connection:
        outbox = connection.execute("SELECT kind, attempts, sent_at IS NOT NULL FROM outbox")
        assert outbox.fetchall() == [("safeguarding_alert", 2, 1)]
        alerts = connection.execute("SELECT text FROM safeguarding_alerts").fetchall()
        assert alerts == [(DISCLOSURE,)]
        answers = connection.execute("SELECT value FROM answers WHERE question = 'ideas'")
        assert answers.fetchall() == [(DISCLOSURE,)]
