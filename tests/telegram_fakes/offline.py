"""``OfflineBotApi``: the fake Telegram as a python-telegram-bot request object, no sockets at all.

python-telegram-bot funnels every Bot API call through a ``telegram.request.BaseRequest``:
``do_request(url, method, request_data, timeouts...) -> (HTTP status, body bytes)``.  This class
is such a request object.  It decodes the call exactly as it would go over the wire
(``request_data.json_parameters``: the form fields python-telegram-bot would send, JSON objects
serialised; ``request_data.multipart_data``: the uploaded files), hands it to the shared
``BotApiCore`` (validation, state, recording, scripted failures, the getUpdates queue) and
returns the core's status and JSON body.  So ``telegram.Bot`` parses real Bot API answers and
raises its real exceptions (``BadRequest``, ``Forbidden``, ``RetryAfter``...).  A scripted
failure answered as a proxy's HTML page returns that page; a dropped connection raises
``NetworkError`` and a scripted time-out ``TimedOut`` at once, as ``HTTPXRequest`` does.

Use one instance for both request slots of an Application::

    api = OfflineBotApi()                      # token "123:ABC" by default
    app = (
        ApplicationBuilder().token(api.token).request(api).get_updates_request(api).build()
    )
    ada = api.updates.user("Ada")
    api.push(api.updates.command(ada, "start"))   # polled by app.updater, or:
    await api.process(app, api.updates.command(ada, "start"))   # straight to the handlers
    assert api.sent_to(ada.id)[-1].labels == ["Yes", "No"]

The default read timeout (5 s, like ``HTTPXRequest``) is honoured: python-telegram-bot adds the
getUpdates ``timeout`` to it for long polls; a call that outlives it raises ``TimedOut``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from tests.telegram_fakes.core import FAKE_TOKEN, BotApiCore, BotApiFacade
from tests.telegram_fakes.errors import NOT_FOUND, ConnectionDropped, GatewayPage, NoAnswer
from tests.telegram_fakes.schema import UploadedFile


def split_bot_url(url: str) -> tuple[str, str] | None:
    """``(token, method)`` from a Bot API URL ``.../bot<token>/<method>``, else None."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    if len(parts) >= 2 and parts[-2].startswith("bot") and "file" not in parts[:-2]:
        return parts[-2][len("bot") :], parts[-1]
    return None


def _read(content: Any) -> bytes:
    if isinstance(content, bytes | bytearray):
        return bytes(content)
    data = content.read()  # python-telegram-bot may pass an open file handle
    return data.encode() if isinstance(data, str) else bytes(data)


def decode_request_data(
    request_data: RequestData | None,
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """The fields and file parts python-telegram-bot would put on the wire for this call."""
    if request_data is None:
        return {}, {}
    fields: dict[str, Any] = dict(request_data.json_parameters)
    files: dict[str, UploadedFile] = {}
    if request_data.contains_files:
        for part, (filename, content, mime_type) in request_data.multipart_data.items():
            files[part] = UploadedFile(part, filename or part, _read(content), mime_type)
    return fields, files


class OfflineBotApi(BotApiFacade, BaseRequest):
    """A ``BaseRequest`` answered by the in-memory fake Telegram (see the module docstring).

    ``core`` lets several request objects (or a server) share one fake Telegram; otherwise one
    is created from ``token`` and ``core_options`` (``strict_chats``, ``bot_username``...).
    """

    def __init__(
        self,
        token: str = FAKE_TOKEN,
        *,
        core: BotApiCore | None = None,
        read_timeout: float | None = 5.0,
        **core_options: Any,
    ) -> None:
        self.core = core if core is not None else BotApiCore(token, **core_options)
        self._read_timeout = read_timeout
        self.initialized = False

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout in seconds (python-telegram-bot adds long-poll time to it)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open; safe to call more than once (an Application calls it per slot)."""
        self.initialized = True

    async def shutdown(self) -> None:
        """Nothing to close; safe to call more than once."""
        self.initialized = False

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one call as Telegram would: ``(status, JSON body)``."""
        target = split_bot_url(url)
        if target is None:
            body = {"ok": False, "error_code": 404, "description": NOT_FOUND}
            return 404, json.dumps(body).encode()
        token, api_method = target
        fields, files = decode_request_data(request_data)
        timeout = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        call = self.core.handle(token, api_method, fields, files)
        try:
            if timeout is None:
                status, payload = await call
            else:
                status, payload = await asyncio.wait_for(call, timeout)
        except TimeoutError as exc:
            raise TimedOut(f"The fake Bot API did not answer {api_method} in {timeout} s") from exc
        except GatewayPage as page:
            return page.status, page.body()
        except NoAnswer as silence:  # as if the read timeout ran out
            raise TimedOut(f"The fake Bot API did not answer {api_method} (scripted)") from silence
        except ConnectionDropped as drop:
            # What HTTPXRequest raises when the connection goes before an answer.
            raise NetworkError(f"httpx.RemoteProtocolError: {drop}") from drop
        return status, json.dumps(payload).encode()
