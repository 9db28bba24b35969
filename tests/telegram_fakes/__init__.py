"""Telegram test fakes for consultation-bot: as strict as the real Bot API, never on the network.

* ``OfflineBotApi`` — a python-telegram-bot request object answered in memory.
* ``FakeBotApiServer`` — the same fake Telegram as an HTTP server on 127.0.0.1.
* ``UpdateFactory`` — updates shaped exactly like the ones Telegram sends.
* ``schema`` — our hand-written description of the Bot API methods the bot uses, and
  ``validate`` for them.

Both fakes put the same ``BotApiCore`` (validation, state, recording, scripted failures and the
getUpdates queue) behind their transport, and share the test-facing helpers of
``BotApiFacade``: ``push``, ``process``, ``sent_to``, ``screen``, ``last_message``, ``tap``,
``calls_of``, ``fail_next``, ``rate_limit``, ``server_error``, ``time_out``, ``block``,
``wait_for_calls``...
"""

from tests.telegram_fakes.core import (
    FAKE_TOKEN,
    ApiCall,
    BotApiCore,
    BotApiFacade,
    Button,
    ScriptedFailure,
    Shown,
)
from tests.telegram_fakes.errors import (
    BLOCKED_BY_USER,
    CANT_INITIATE,
    CHAT_NOT_FOUND,
    KICKED_FROM_GROUP,
    NOT_MODIFIED,
    USER_DEACTIVATED,
    BotApiError,
)
from tests.telegram_fakes.offline import OfflineBotApi
from tests.telegram_fakes.schema import METHODS, UploadedFile, normalize, validate
from tests.telegram_fakes.server import FakeBotApiServer
from tests.telegram_fakes.updates import FakeGroup, FakeUser, UpdateFactory

__all__ = [
    "BLOCKED_BY_USER",
    "CANT_INITIATE",
    "CHAT_NOT_FOUND",
    "FAKE_TOKEN",
    "KICKED_FROM_GROUP",
    "METHODS",
    "NOT_MODIFIED",
    "USER_DEACTIVATED",
    "ApiCall",
    "BotApiCore",
    "BotApiError",
    "BotApiFacade",
    "Button",
    "FakeBotApiServer",
    "FakeGroup",
    "FakeUser",
    "OfflineBotApi",
    "ScriptedFailure",
    "Shown",
    "UpdateFactory",
    "UploadedFile",
    "normalize",
    "validate",
]
