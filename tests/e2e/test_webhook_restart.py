"""The real `consultbot run` process serving the webhook, killed mid-update and started again.

This test plays Telegram's part: it posts each update to the webhook with the secret token and
posts it again until it gets a 200, as Telegram does. The process is killed with SIGKILL while
an update is in hand: its answer is committed but its reply is stuck on the way out, so no 200
was given. After the restart the update is delivered again: the answer must be stored exactly
once, the question waiting shown again, and the other person carries on as if nothing happened.
"""

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from tests.e2e.test_restart import (
    INCLUSION,
    PREFER_NOT,
    WAIT,
    BotProcess,
    RepliesStuck,
    Respondents,
    about_them,
    stored_answers,
)
from tests.e2e.test_restart import bot as polling_bot  # noqa: F401 (its config is extended)
from tests.telegram_fakes import FakeBotApiServer

TOKEN = "webhook-end-to-end-secret_token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Webhook:
    """Telegram's side of a webhook: each update posted until the bot answers 200."""

    def __init__(self, port: int, bot: BotProcess) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.bot = bot

    def post(self, update: dict[str, Any]) -> int | None:
        """Post once; the status, or None when nobody answered (the bot is down or died)."""
        request = urllib.request.Request(
            self.url + WEBHOOK_PATH,
            data=json.dumps(update).encode(),
            headers={SECRET_HEADER: TOKEN, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def deliver(self, update: dict[str, Any]) -> None:
        """Post until 200, as Telegram would (bounded by WAIT seconds)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.post(update) == 200:
                return
            time.sleep(0.1)
        pytest.fail(f"update {update['update_id']} never got a 200; log:\n{self.bot.output()}")

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        pytest.fail(f"the webhook did not come up; log:\n{self.bot.output()}")


@pytest.fixture
def webhook(polling_bot: BotProcess) -> Iterator[Webhook]:  # noqa: F811
    """The same bot, configured to serve the webhook on a free port of 127.0.0.1."""
    port = _free_port()
    with polling_bot.config.open("a", encoding="utf-8") as config:
        config.write(
            f'\n[webhook]\nurl = "https://bot.example.org"\nlisten = "127.0.0.1"\n'
            f'port = {port}\nsecret_token = "{TOKEN}"\n'
        )
    yield Webhook(port, polling_bot)


@pytest.mark.timeout(60)  # a bound on the test, not a speed check
def test_a_webhook_update_in_hand_at_a_sigkill_is_stored_once_after_telegram_sends_it_again(
    telegram: FakeBotApiServer,
    polling_bot: BotProcess,  # noqa: F811
    webhook: Webhook,
):
    bot = polling_bot
    people = Respondents(telegram, bot)
    ada, ben = people.person("Ada"), people.person("Ben")
    bot.start()
    webhook.wait_until_up()
    assert telegram.calls_of("setWebhook", ok=True)

    for person, link in ((ada, "young_person"), (ben, "parent_carer")):
        webhook.deliver(telegram.updates.command(person, "start", link))
        taps = ("Yes, let's start", *[PREFER_NOT] * 3, "No", INCLUSION, "Done")
        for label in taps:  # three times "Prefer not to say" about who they are
            webhook.deliver(telegram.tap(person, label))
    question_1 = f"{INCLUSION}. Question 1 of 3"
    assert people.times_sent(ada, question_1) == 1

    stuck = RepliesStuck(ada.id)
    telegram.intercept(stuck.hold)
    press = telegram.tap(ada, "Agree")
    in_flight = threading.Thread(target=webhook.post, args=(press,), daemon=True)
    in_flight.start()
    assert stuck.arrived.wait(WAIT), bot.output()  # committed, its reply on the way out
    bot.kill()
    stuck.released.set()
    in_flight.join(WAIT)
    assert stored_answers(Path(bot.config.parent / "consultbot.sqlite3"), ada) == [
        *about_them(3),
        ("inclusion", "important", "agree", True),
    ]

    bot.start()
    webhook.wait_until_up()
    webhook.deliver(press)  # Telegram never got a 200 for it, so it comes again
    webhook.deliver(telegram.tap(ben, "Disagree"))
    webhook.deliver(telegram.tap(ada, "Not sure"))

    database = bot.config.parent / "consultbot.sqlite3"
    assert stored_answers(database, ada) == [
        *about_them(3),
        ("inclusion", "important", "agree", True),
        ("inclusion", "included_now", "not_sure", True),
    ]
    assert stored_answers(database, ben) == [
        *about_them(3),
        ("inclusion", "important", "disagree", True),
    ]
    assert people.times_sent(ada, f"{INCLUSION}. Question 2 of 3") == 1  # shown after restart
    assert people.times_sent(ada, f"{INCLUSION}. Question 3 of 3") == 1
    assert people.times_sent(ben, f"{INCLUSION}. Question 2 of 3") == 1
    answered = telegram.calls_of("answerCallbackQuery", ok=True)
    press_id = press["callback_query"]["id"]
    assert [call.params["callback_query_id"] for call in answered].count(press_id) == 1
    assert bot.stop() == 0
