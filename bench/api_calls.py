"""Bot API calls per update, and what each way of making them cheaper saves.

Runs one respondent's journey (bench/script.py) through this bot on SQLite with a recording
LightBotApi to count the calls each kind of step makes, then times each call the way the bot
makes it, through the real application (`build_application`: the ResilientSender, the counted
connection) against the same offline API, in CPU microseconds per call:

* Telegram's answer to sendMessage / editMessageText parsed into a Message (python-telegram-bot's
  `bot.send_message`, `message.edit_text`) against not parsed (bot/replies.py `_call`, shipped);
* a faster JSON parser (orjson) for the answers and for the update itself: the ceiling is what
  `json.loads` costs there now, measured here; orjson's own figure when it is installed;
* the calls a different chat would save: text-only replies folded into the message after them
  (the welcome, an area's introduction, "sorry, we can only read words"), and no edit on a
  press (the old buttons would stay tappable-looking: rejected, the chat must read as a record).
"""

import json
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.request import RequestData

from bench.contenders.consultbot import ConsultBot
from bench.contenders.echo import QUESTION_KEYBOARD
from bench.fakeapi import LightBotApi
from bench.script import STEPS, Script
from bot import replies

CHAT = 800_000_001
TEXT = "Parks and green spaces. Question 2 of 5\n\nI feel safe in our parks."


class RecordingApi(LightBotApi):
    """LightBotApi that also keeps, per call, the method and whether it carried a keyboard."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, bool]] = []
        self.answers: list[bytes] = []

    async def do_request(  # type: ignore[override]  # the timeouts, unused
        self, url: str, method: str, request_data: RequestData | None = None, *_: Any, **__: Any
    ) -> tuple[int, bytes]:
        """Record, then answer as LightBotApi does."""
        fields = request_data.json_parameters if request_data is not None else {}
        self.log.append((url.rsplit("/", 1)[-1], "reply_markup" in fields))
        status, body = await super().do_request(url, method, request_data)
        self.answers.append(body)
        return status, body


@dataclass
class ApiOptions:
    """Calls per update on the benchmark journey, and the per-call CPU of each option."""

    calls: Counter[str] = field(default_factory=Counter)
    """Calls by method over one whole journey."""
    foldable: int = 0
    """Text-only sendMessages followed by another sendMessage for the same update."""
    presses_edited: int = 0
    """editMessageText calls made for a press (showing the chosen answer)."""
    microseconds: dict[str, float] = field(default_factory=dict)
    orjson: bool = False

    def per_update(self, method: str | None = None) -> float:
        """Calls per update on the journey (of one method, or all)."""
        count = self.calls[method] if method else sum(self.calls.values())
        return count / STEPS


async def measure_api(repeat: int) -> ApiOptions:
    """Count the journey's calls, then time each option `repeat` times."""
    options = ApiOptions(orjson=find_spec("orjson") is not None)
    with tempfile.TemporaryDirectory(prefix="consultbot-api-") as folder:
        bot = ConsultBot("api", f"sqlite+aiosqlite:///{Path(folder)}/api.sqlite3")
        api = bot.api = RecordingApi()
        await bot.start()
        try:
            await _count(bot, api, options)
            await _time(bot, api, options, repeat)
        finally:
            await bot.stop()
    return options


async def _count(bot: ConsultBot, api: RecordingApi, options: ApiOptions) -> None:
    person = Script(first_user_id=CHAT).respondent()
    api.log.clear()
    for raw in person.updates:
        start = len(api.log)
        await bot.handle(raw)
        made = api.log[start:]
        options.calls.update(method for method, _ in made)
        sends = [keyboard for method, keyboard in made if method == "sendMessage"]
        options.foldable += sum(1 for first in sends[:-1] if not first)
        options.presses_edited += sum(
            1 for method, keyboard in made if method == "editMessageText" and not keyboard
        )


async def _time(bot: ConsultBot, api: RecordingApi, options: ApiOptions, repeat: int) -> None:
    assert bot.application is not None
    telegram = bot.application.bot
    pressed = Message.de_json(json.loads(api.answers[-1])["result"], telegram)
    assert pressed is not None
    updates = Script(first_user_id=CHAT + 1).respondent().updates
    answer = next(body for body in api.answers if b"inline_keyboard" in body)
    clock: dict[str, Callable[[], Awaitable[object]]] = {
        "sendMessage, answer parsed": lambda: telegram.send_message(
            CHAT, TEXT, reply_markup=QUESTION_KEYBOARD
        ),
        "sendMessage, answer not parsed": lambda: replies.post(
            telegram, "sendMessage", chat_id=CHAT, text=TEXT, reply_markup=QUESTION_KEYBOARD
        ),
        "editMessageText, answer parsed": lambda: pressed.edit_text(TEXT, reply_markup=None),
        "editMessageText, answer not parsed": lambda: replies.edit_text(pressed, TEXT, None),
        "answerCallbackQuery": lambda: telegram.answer_callback_query("1"),
    }
    for name, call in clock.items():
        options.microseconds[name] = await _per_call(call, repeat)
    options.microseconds["json.loads of an answer"] = _sync(lambda: json.loads(answer), repeat)
    update = updates[7]
    options.microseconds["json.loads of an update"] = _sync(lambda: json.loads(update), repeat)
    options.microseconds["Update.de_json of a press"] = _sync(
        lambda: Update.de_json(json.loads(update), telegram), repeat
    )
    if options.orjson:
        import orjson

        options.microseconds["orjson.loads of an answer"] = _sync(
            lambda: orjson.loads(answer), repeat
        )
        options.microseconds["orjson.loads of an update"] = _sync(
            lambda: orjson.loads(update), repeat
        )


async def _per_call(call: Callable[[], Awaitable[object]], repeat: int) -> float:
    for _ in range(repeat // 10):  # warm up
        await call()
    began = time.process_time()
    for _ in range(repeat):
        await call()
    return 1e6 * (time.process_time() - began) / repeat


def _sync(call: Callable[[], object], repeat: int) -> float:
    began = time.process_time()
    for _ in range(repeat):
        call()
    return 1e6 * (time.process_time() - began) / repeat


def api_rows(options: ApiOptions) -> tuple[list[str], list[list[str]]]:
    """One row per option: what it is, whether the bot does it, and what it saves."""
    us = options.microseconds
    sends, edits = options.per_update("sendMessage"), options.per_update("editMessageText")
    answers = options.per_update()
    header = ["option", "in the bot?", "calls/update it concerns", "CPU µs per call"]
    header += ["CPU ms/update saved", "API calls/update saved"]

    def row(name: str, status: str, calls: float, before: float, after: float) -> list[str]:
        saved = calls * (before - after) / 1000
        return [name, status, f"{calls:.2f}", f"{before:.0f} → {after:.0f}", f"{saved:.3f}", "0"]

    rows = [
        row("sendMessage: Telegram's answer not parsed into a Message", "yes (bot/replies.py)",
            sends, us["sendMessage, answer parsed"], us["sendMessage, answer not parsed"]),
        row("editMessageText: answer not parsed", "yes (bot/replies.py)",
            edits, us["editMessageText, answer parsed"], us["editMessageText, answer not parsed"]),
    ]  # fmt: skip
    for what, calls in (("an answer", answers), ("an update", 1.0)):
        faster = us.get(f"orjson.loads of {what}")
        rows.append(
            row(f"orjson to parse {what}'s JSON", "no: too little to gain for a dependency",
                calls, us[f"json.loads of {what}"], faster if faster is not None else 0.0)
        )  # fmt: skip
        if faster is None:
            rows[-1][3] += " (orjson not installed: json.loads's whole cost shown)"
    fold = options.foldable / STEPS
    no_edit = options.presses_edited / STEPS
    unparsed = us["sendMessage, answer not parsed"]
    rows += [
        [
            "fold a text-only reply into the message after it (welcome, area introduction, "
            "sorry-we-read-words)",
            "no: changes what people see",
            f"{fold:.2f}",
            f"{unparsed:.0f}",
            f"{fold * unparsed / 1000:.3f}",
            f"{fold:.2f}",
        ],
        [
            "no edit on a press (answer and buttons left as they were)",
            "no: old buttons must look dead",
            f"{no_edit:.2f}",
            f"{us['editMessageText, answer not parsed']:.0f}",
            f"{no_edit * us['editMessageText, answer not parsed'] / 1000:.3f}",
            f"{no_edit:.2f}",
        ],
    ]
    return header, rows


def calls_summary(options: ApiOptions) -> str:
    """One sentence: the journey's calls per update by method."""
    parts = ", ".join(
        f"{options.per_update(method):.2f} {method}" for method, _ in options.calls.most_common()
    )
    return (
        f"This bot makes {options.per_update():.2f} Bot API calls per update on the benchmark "
        f"journey ({parts}); a press is answerCallbackQuery, one editMessageText that shows the "
        "chosen answer and takes the buttons away, and sendMessage for the next question. "
        f"Update.de_json of a press costs {options.microseconds['Update.de_json of a press']:.0f} "
        "µs, which no option here removes."
    )
