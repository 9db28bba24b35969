"""The real `consultbot run` process, killed mid-conversation and started again.

The bot runs as its own OS process, exactly as deployed, against the fake Telegram served over
HTTP on 127.0.0.1 (in a thread of this test process) and a SQLite file. Three people answer at
the same time; the process is killed with SIGKILL (no clean-up of any kind) just after their
answers were acknowledged; they carry on tapping while it is down; it is started again. Every
answer must then be in the database exactly once, and everyone carries on at the right question.
"""

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.handlers import MENU
from conversations.loader import default_consultation_path
from storage.identity import pseudonym
from tests.telegram_fakes import FakeBotApiServer, FakeUser

CONSULTBOT = Path(sys.executable).with_name("consultbot")
SECRET = "end-to-end pseudonym secret"
WAIT = 15.0
"""Seconds to wait for any one reply (the first one includes the process starting)."""
Reply = tuple[int, dict[str, Any]]
BAD_GATEWAY: Reply = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
"""What Telegram answers while its front end cannot reach the Bot API servers."""
ERROR_LEVELS = ("ERROR", "CRITICAL")

INCLUSION = "Being included and taking part"
FUTURE = "Your child's future"  # as Ben, a parent, sees it
SUPPORT = "The right help at the right time"
PREFER_NOT = "Prefer not to say"


@dataclass
class BotProcess:
    """`consultbot run --config <config> [options]` as a child process, its output in a log."""

    config: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: list[int] = field(default_factory=list)
    options: tuple[str, ...] = ()

    def start(self) -> None:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("CONSULTBOT_", "TELEGRAM_"))
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(CONSULTBOT), "run", "--config", str(self.config), *self.options],
                cwd=self.config.parent,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts.append(self.process.pid)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=WAIT)
        self.process = None
        return status

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def logged_errors(self) -> list[str]:
        """The lines logged at ERROR or above, in the text or the JSON format."""
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        found = []
        for line in log.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:  # text: "<date> <time> <LEVEL> <logger>: <message>"
                level = line.split(" ")[2] if line.count(" ") >= 3 else ""
            else:
                level = entry.get("level", "") if isinstance(entry, dict) else ""
            if level in ERROR_LEVELS:
                found.append(line)
        return found

    def end(self) -> None:
        """Kill the process, then fail the test if it logged an error (a handler, a job or the
        outbox failing): in its own process the bot only logs one, so nothing else would show
        it."""
        self.kill()
        if errors := self.logged_errors():
            shown = "\n".join(line[:2000] for line in errors[:3])
            pytest.fail(
                f"the bot logged {len(errors)} error(s) (in {self.log}); the first:\n{shown}"
            )


@contextmanager
def consultbot_process(
    tmp_path: Path, telegram: FakeBotApiServer, more_config: str = ""
) -> Iterator[BotProcess]:
    """The bot's config (the shipped consultation, open until 2099, then `more_config`) and
    the process, not started. Whatever happens in the test, the process is killed at the end.
    """
    shipped = default_consultation_path().read_text(encoding="utf-8")
    assert 'closes_at = "2022-09-23T23:59"' in shipped
    consultation = tmp_path / "consultation.toml"
    pictures = default_consultation_path().parent / "pictures"
    shutil.copytree(pictures, tmp_path / "pictures")  # the explanations' pictures go beside it
    consultation.write_text(
        shipped.replace('closes_at = "2022-09-23T23:59"', 'closes_at = "2099-01-01T00:00"'),
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[telegram]
token = "{telegram.token}"
base_url = "{telegram.url}"

[storage]
url = "sqlite+aiosqlite:///{tmp_path / "consultbot.sqlite3"}"

[consultation]
file = "{consultation.name}"

[privacy]
pseudonym_secret = "{SECRET}"
{more_config}""",
        encoding="utf-8",
    )
    process = BotProcess(config, tmp_path / "consultbot.log")
    try:
        yield process
    finally:
        process.end()


@pytest.fixture
def bot(tmp_path: Path, telegram: FakeBotApiServer) -> Iterator[BotProcess]:
    """`consultbot run` with the shipped consultation, not started; killed at the end."""
    with consultbot_process(tmp_path, telegram) as process:
        yield process


class ConfirmationsRefused:
    """Telegram answering 502 to a getUpdates that would confirm an update after `after`.

    Set `after` before a round of moves and the bot handles them but cannot confirm them, so
    when it is killed they are certainly still queued, and come again after the restart.
    """

    def __init__(self) -> None:
        self.after: int | None = None

    async def refuse(self, method: str, fields: Mapping[str, Any]) -> Reply | None:
        offset = int(fields.get("offset") or 0)
        if method == "getUpdates" and self.after is not None and offset > self.after + 1:
            return BAD_GATEWAY
        return None


class RepliesStuck:
    """Telegram never answering a sendMessage to one chat: the bot dies while waiting for it.

    Once released, the stuck call is refused (its caller is dead) and later calls go through.
    """

    def __init__(self, chat_id: int) -> None:
        self.chat_id = str(chat_id)
        self.arrived = threading.Event()
        self.released = threading.Event()

    async def hold(self, method: str, fields: Mapping[str, Any]) -> Reply | None:
        to_chat = method == "sendMessage" and str(fields.get("chat_id")) == self.chat_id
        if to_chat and not self.released.is_set():
            self.arrived.set()
            await asyncio.to_thread(self.released.wait, WAIT)
            return BAD_GATEWAY
        return None


Move = Callable[[], dict[str, Any]]


class Respondents:
    """People writing to the bot at the same time, and what they see."""

    def __init__(self, telegram: FakeBotApiServer, bot: BotProcess) -> None:
        self.telegram = telegram
        self.bot = bot
        self.last_update_id = 0

    def person(self, name: str) -> FakeUser:
        user = self.telegram.updates.user(name)
        self.telegram.add_chat(user)
        return user

    def tap(self, user: FakeUser, label: str) -> Move:
        return lambda: self.telegram.tap(user, label)

    def type(self, user: FakeUser, text: str) -> Move:
        return lambda: self.telegram.updates.message(user, text)

    def start(self, user: FakeUser, payload: str) -> Move:
        return lambda: self.telegram.updates.command(user, "start", payload)

    def about_them(self, asked: dict[FakeUser, int]) -> None:
        """Each person taps "Prefer not to say" to every question about who they are (`asked`:
        how many each is asked), until they are asked about a reminder."""
        for number in range(1, max(asked.values()) + 1):
            self.together(
                {
                    user: (
                        self.tap(user, PREFER_NOT),
                        f"About you. Question {number + 1}" if number < count else "1 reminder?",
                    )
                    for user, count in asked.items()
                    if number <= count
                }
            )

    def send(self, moves: dict[FakeUser, Move]) -> None:
        """Everyone makes their move (without waiting for the bot)."""
        for move in moves.values():
            self.last_update_id = self.telegram.push(move())["update_id"]

    def together(self, moves: dict[FakeUser, tuple[Move, str]]) -> None:
        """Everyone makes their move at once; then wait until each sees the expected text."""
        shown_before = {user: len(self.telegram.sent_to(user.id)) for user in moves}
        self.send({user: move for user, (move, _) in moves.items()})
        for user, (_, expected) in moves.items():
            self.wait_to_see(user, expected, after=shown_before[user])

    def wait_to_see(self, user: FakeUser, expected: str, *, after: int) -> None:
        """Wait until a message (or a button on one) shown since the `after`-th shows this."""

        def shown() -> bool:
            return any(
                expected in (message.text or "") or expected in message.labels
                for message in self.telegram.sent_to(user.id)[after:]
            )

        try:
            self.telegram.wait_until_sync(shown, timeout=WAIT)
        except TimeoutError:
            seen = [message.text for message in self.telegram.sent_to(user.id)[after:]]
            pytest.fail(
                f"{user.first_name} did not see {expected!r} within {WAIT} s; saw {seen}\n"
                f"the bot is {'running' if self.bot.running() else 'not running'}; "
                f"its log:\n{self.bot.output()}"
            )

    def times_sent(self, user: FakeUser, text: str) -> int:
        """How many messages (edits of one not counted again) the bot sent with this text."""
        return sum(
            text in (message.text or "")
            for message in self.telegram.sent_to(user.id)
            if not message.edited
        )


def about_them(count: int) -> list[tuple[str, str, str | None, bool]]:
    """The stored "Prefer not to say" to the first `count` questions about who they are."""
    questions = ("age", "lives_in", "ehc_plan")[:count]
    return [("profile", question, "prefer_not_to_say", True) for question in questions]


def stored_answers(database: Path, user: FakeUser) -> list[tuple[str, str, str | None, bool]]:
    """(area, question, value, written once) for each of the person's answers, in order."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            """
            SELECT answers.area, answers.question, answers.value,
                   answers.first_answered_at = answers.last_answered_at
            FROM answers JOIN respondents ON respondents.id = answers.respondent_id
            WHERE respondents.pseudonym = ?
            ORDER BY answers.id
            """,
            (pseudonym(SECRET.encode(), user.id),),
        ).fetchall()
    return [(area, question, value, bool(once)) for area, question, value, once in rows]


@pytest.mark.timeout(60)  # a bound on the test, not a speed check
def test_answers_survive_a_sigkill_mid_conversation_exactly_once_and_everyone_carries_on(
    telegram: FakeBotApiServer, bot: BotProcess, tmp_path: Path
):
    people = Respondents(telegram, bot)
    ada, ben, cat = people.person("Ada"), people.person("Ben"), people.person("Cat")
    everyone = (ada, ben, cat)
    bot.start()

    people.together(
        {
            ada: (people.start(ada, "young_person"), "Is that OK?"),
            ben: (people.start(ben, "parent_carer__school_letter"), "Is that OK?"),
            cat: (people.start(cat, "professional"), "Is that OK?"),
        }
    )
    people.together({p: (people.tap(p, "Yes, let's start"), "About you.") for p in everyone})
    people.about_them({ada: 3, ben: 3, cat: 2})  # no EHC plan question for professionals
    people.together({p: (people.tap(p, "No"), "Which parts") for p in everyone})
    people.together(
        {
            ada: (people.tap(ada, INCLUSION), f"{INCLUSION} ✅"),
            ben: (people.tap(ben, FUTURE), f"{FUTURE} ✅"),
            cat: (people.tap(cat, SUPPORT), f"{SUPPORT} ✅"),
        }
    )
    people.together(
        {
            ada: (people.tap(ada, "Done"), f"{INCLUSION}. Question 1 of 3"),
            ben: (people.tap(ben, "Done"), f"{FUTURE}. Question 1 of 4"),
            cat: (people.tap(cat, "Done"), f"{SUPPORT}. Question 1 of 4"),
        }
    )
    people.together(
        {
            ada: (people.tap(ada, "Agree a lot"), f"{INCLUSION}. Question 2 of 3"),
            ben: (people.tap(ben, "Agree"), f"{FUTURE}. Question 2 of 4"),
            cat: (people.tap(cat, "Disagree"), f"{SUPPORT}. Question 2 of 4"),
        }
    )
    confirmations = ConfirmationsRefused()
    telegram.intercept(confirmations.refuse)
    confirmations.after = people.last_update_id
    people.together(
        {
            ada: (people.tap(ada, "Not sure"), f"{INCLUSION}. Question 3 of 3"),
            ben: (people.tap(ben, "No"), f"{FUTURE}. Question 3 of 4"),
            cat: (people.tap(cat, "Disagree a lot"), f"{SUPPORT}. Question 3 of 4"),
        }
    )

    bot.kill()  # just after those answers were acknowledged, before Telegram took the offset
    unconfirmed = [update["update_id"] for update in telegram.pending_updates()]
    assert len(unconfirmed) == 3
    confirmations.after = None
    shown_before = {person: len(telegram.sent_to(person.id)) for person in everyone}
    people.send(
        {
            ada: people.type(ada, "A buddy at lunchtime 🙂"),
            ben: people.tap(ben, "Money"),
            cat: people.tap(cat, "Yes"),
        }
    )
    people.send({ben: people.tap(ben, "Done")})  # still on the same message: no redraw yet
    bot.start()

    people.wait_to_see(ada, "Last question", after=shown_before[ada])
    people.wait_to_see(ben, f"{FUTURE}. Question 4 of 4", after=shown_before[ben])
    people.wait_to_see(cat, f"{SUPPORT}. Question 4 of 4", after=shown_before[cat])
    people.together(
        {
            ada: (people.tap(ada, "Skip"), "Do you want a message when we share what we did?"),
            ben: (people.type(ben, "Help with forms"), "Last question"),
            cat: (people.type(cat, "Shorter waits for assessments"), "Last question"),
        }
    )
    assert bot.stop() == 0
    assert telegram.pending_updates() == []  # a clean stop tells Telegram what was handled

    database = tmp_path / "consultbot.sqlite3"
    assert stored_answers(database, ada) == [
        *about_them(3),
        ("inclusion", "important", "agree_strongly", True),
        ("inclusion", "included_now", "not_sure", True),
        ("inclusion", "ideas", "A buddy at lunchtime 🙂", True),
        ("final", "anything_else", None, True),
    ]
    assert stored_answers(database, ben) == [
        *about_them(3),
        ("future", "important", "agree", True),
        ("future", "talked", "no", True),
        ("future", "help_wanted", "money", True),
        ("future", "ideas", "Help with forms", True),
    ]
    assert stored_answers(database, cat) == [
        *about_them(2),
        ("support", "important", "disagree", True),
        ("support", "right_time", "disagree_strongly", True),
        ("support", "waited", "yes", True),
        ("support", "ideas", "Shorter waits for assessments", True),
    ]
    # The question each person was on at the kill is shown once more when the unconfirmed
    # update comes back after the restart (a reply may be sent twice; an answer is stored once).
    for person, area, count in ((ada, INCLUSION, 3), (ben, FUTURE, 4), (cat, SUPPORT, 4)):
        for number in range(1, count + 1):
            header = f"{area}. Question {number} of {count}"
            expected = 2 if number == 3 else 1
            assert people.times_sent(person, header) == expected, (person.first_name, header)
    assert people.times_sent(ada, "Last question") == 1
    with sqlite3.connect(database) as connection:
        sources = connection.execute(
            "SELECT audience, source FROM respondents ORDER BY audience"
        ).fetchall()
    assert sources == [
        ("parent_carer", "school_letter"),
        ("professional", None),
        ("young_person", None),
    ]
    assert len(bot.starts) == 2 and bot.starts[0] != bot.starts[1]
    assert "WARNING: nobody will get safeguarding alerts" in bot.output()  # no staff set here
    assert [entry["command"] for entry in telegram.commands()] == list(MENU)
    # Every press is answered, including those redelivered after the kill. Answering again a
    # press answered just before the kill gets Telegram's "query is too old": harmless.
    answers = telegram.calls_of("answerCallbackQuery")
    assert {call.params["callback_query_id"] for call in answers} == {
        call.params["callback_query_id"] for call in answers if call.ok
    }
    assert {call.method for call in telegram.failed_calls()} <= {"answerCallbackQuery"}
