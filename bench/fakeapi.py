"""A light offline Bot API for benchmarks: answers like Telegram, checks nothing, keeps nothing.

The tests' `OfflineBotApi` validates every call against the Bot API schema and records it, which
is right for tests but costs more CPU per call than python-telegram-bot itself and grows without
bound over a long run. Here each call costs what a real transport's bookkeeping would: the form
fields are taken from `request_data.json_parameters` (as `HTTPXRequest` does before sending),
and the answer is the JSON body Telegram would give (a Message for sendMessage and
editMessageText, True for answerCallbackQuery...). Every contender uses this same object.
"""

import itertools
import json
import time
from collections import Counter
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 123
TOKEN = f"{BOT_ID}:BENCH"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Bench Bot",
    "username": "bench_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_BOT_JSON = json.dumps(BOT_USER)
_TRUE = b'{"ok":true,"result":true}'
_MESSAGE_METHODS = frozenset({"sendMessage", "editMessageText"})


class LightBotApi(BaseRequest):
    """A `BaseRequest` that answers every Bot API call in memory; `calls` counts them by method."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._message_ids = itertools.count(1_000_000)

    @property
    def read_timeout(self) -> float | None:
        """Like HTTPXRequest's default."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(  # type: ignore[override]  # the timeouts, unused
        self, url: str, method: str, request_data: RequestData | None = None, *_: Any, **__: Any
    ) -> tuple[int, bytes]:
        """The status and body Telegram would answer with."""
        api_method = url.rsplit("/", 1)[-1]
        self.calls[api_method] += 1
        fields = request_data.json_parameters if request_data is not None else {}
        if api_method in _MESSAGE_METHODS:
            return 200, self._message(fields)
        if api_method == "getMe":
            return 200, b'{"ok":true,"result":' + _BOT_JSON.encode() + b"}"
        if api_method == "getUpdates":
            return 200, b'{"ok":true,"result":[]}'
        return 200, _TRUE

    def _message(self, fields: dict[str, str]) -> bytes:
        """The Message Telegram returns for a sent or edited text (reply markup echoed back)."""
        chat_id = int(fields.get("chat_id", "0"))
        message_id = fields.get("message_id") or str(next(self._message_ids))
        markup = fields.get("reply_markup")
        text = json.dumps(fields.get("text", ""))
        extra = f',"reply_markup":{markup}' if markup else ""
        body = (
            f'{{"ok":true,"result":{{"message_id":{message_id},"from":{_BOT_JSON},'
            f'"chat":{{"id":{chat_id},"first_name":"R","type":"private"}},'
            f'"date":{int(time.time())},"text":{text}{extra}}}}}'
        )
        return body.encode()

    def calls_per_update(self, updates: int) -> float:
        """Bot API calls made per update handled (getMe and other start-up calls left out)."""
        handled = sum(n for name, n in self.calls.items() if name not in ("getMe", "getUpdates"))
        return handled / updates if updates else 0.0
