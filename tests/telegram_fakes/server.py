"""``FakeBotApiServer``: the fake Telegram as a real HTTP server on 127.0.0.1.

It serves ``/bot<token>/<method>`` the way api.telegram.org does: GET or POST, parameters in the
query string, a form-encoded body, a JSON body or a multipart body with file parts (as
python-telegram-bot's ``HTTPXRequest`` sends them), answered ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code", "description"}`` with the matching HTTP status (a scripted failure
may instead be the front proxy's HTML page, or a dropped connection).  Decoding is all it
does: validation, recording, scripted failures and the long-polling getUpdates queue (offset,
limit, timeout) are the shared ``BotApiCore``, the same one behind ``OfflineBotApi``.

Two ways to run it:

* inside a test's event loop::

      async with FakeBotApiServer() as server:
          app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()

* in a background thread with its own loop, for a bot under test that runs as a separate OS
  process (pass ``server.base_url`` to it, e.g. through the environment)::

      with FakeBotApiServer().in_thread() as server:
          bot = subprocess.Popen([...], env={..., "TELEGRAM_BASE_URL": server.base_url})
          server.push(server.updates.command(ada, "start"))
          server.wait_for_calls_sync("sendMessage", chat_id=ada.id)

The port is a free one the OS picks (``port=0``) unless given.  ``base_url`` has the form
python-telegram-bot's ``ApplicationBuilder().base_url(...)`` expects
(``http://127.0.0.1:PORT/bot``; the token is appended), ``base_file_url`` likewise for files.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.telegram_fakes.core import FAKE_TOKEN, BotApiCore, BotApiFacade
from tests.telegram_fakes.errors import NOT_FOUND, ConnectionDropped, GatewayPage
from tests.telegram_fakes.schema import DOCUMENT_MAX_BYTES, UploadedFile

_BODY_LIMIT = DOCUMENT_MAX_BYTES + 8 * 1024 * 1024
"""Bodies up to a 50 MB upload plus room for the other parts; larger ones get 413."""


def _error_response(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status)


class FakeBotApiServer(BotApiFacade):
    """An aiohttp server answering Bot API calls from the shared fake core (see module doc).

    ``core`` lets the server share a fake Telegram with other fakes; otherwise one is created
    from ``token`` and ``core_options`` (``strict_chats``, ``bot_username``...).
    """

    def __init__(
        self,
        token: str = FAKE_TOKEN,
        *,
        core: BotApiCore | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        **core_options: Any,
    ) -> None:
        self.core = core if core is not None else BotApiCore(token, **core_options)
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    # --- addresses --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port the server listens on (after ``start``)."""
        if self._port is None:
            raise RuntimeError("the fake Bot API server is not running")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``: ``.../bot``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``: ``.../file/bot``."""
        return f"{self.url}/file/bot"

    # --- running inside the caller's event loop ---------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=_BODY_LIMIT)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    async def start(self) -> FakeBotApiServer:
        """Start listening (in the running event loop)."""
        if self._runner is not None:
            return self
        self.core.reopen_polls()
        runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        site = web.SockSite(runner, sock)
        await site.start()
        self._port = sock.getsockname()[1]
        self._runner = runner
        return self

    async def stop(self) -> None:
        """Answer waiting long polls and stop listening."""
        if self._runner is None:
            return
        self.core.close_polls()
        await self._runner.cleanup()
        self._runner = None
        self._port = None

    async def __aenter__(self) -> FakeBotApiServer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- running in a thread of its own -----------------------------------------------------

    def start_in_thread(self, timeout: float = 5.0) -> FakeBotApiServer:
        """Start the server on a new event loop in a daemon thread; returns once it listens."""
        if self._thread is not None:
            return self
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._thread_loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.stop())
                loop.close()

        self._thread = threading.Thread(target=run, name="fake-bot-api-server", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise TimeoutError("the fake Bot API server did not start")
        if failure:
            self._thread = None
            raise failure[0]
        return self

    def stop_thread(self, timeout: float = 5.0) -> None:
        """Stop a server started with ``start_in_thread`` and join its thread."""
        thread, loop = self._thread, self._thread_loop
        if thread is None or loop is None:
            return
        self.core.close_polls()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None
        self._thread_loop = None

    @contextmanager
    def in_thread(self) -> Iterator[FakeBotApiServer]:
        """``with server.in_thread():`` runs the server in a background thread meanwhile."""
        self.start_in_thread()
        try:
            yield self
        finally:
            self.stop_thread()

    # --- requests ---------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        return _error_response(404, NOT_FOUND)

    async def _handle(self, request: web.Request) -> web.Response:
        fields: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        try:
            if request.body_exists:
                if request.content_type == "application/json":
                    try:
                        body = await request.json()
                    except ValueError:
                        return _error_response(400, "Bad Request: can't parse JSON object")
                    if not isinstance(body, dict):
                        return _error_response(400, "Bad Request: JSON object expected")
                    fields.update(body)
                elif request.content_type in (
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                ):
                    form = await request.post()
                    for name, value in form.items():
                        if isinstance(value, web.FileField):
                            content = value.file.read()
                            files[name] = UploadedFile(
                                name, value.filename or name, content, value.content_type
                            )
                        else:
                            fields[name] = value
        except web.HTTPRequestEntityTooLarge:
            return _error_response(413, "Request Entity Too Large")
        try:
            status, payload = await self.core.handle(
                request.match_info["token"], request.match_info["method"], fields, files
            )
        except GatewayPage as page:
            return web.Response(status=page.status, body=page.body(), content_type="text/html")
        except ConnectionDropped:
            assert request.transport is not None
            request.transport.abort()  # the client sees the connection go, with no answer
            raise web.HTTPServiceUnavailable() from None  # never sent: nothing is connected
        return web.json_response(payload, status=status)
