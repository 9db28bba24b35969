"""The fake Telegram itself: one recorder/responder that both transports put in front of the bot.

``BotApiCore.handle(token, method, fields, files)`` is the whole seam.  ``OfflineBotApi`` (an
in-process ``telegram.request.BaseRequest``) and ``FakeBotApiServer`` (a real HTTP server) only
decode their requests into ``fields`` (wire strings or JSON values) and ``files``
(``UploadedFile`` parts), call ``handle``, and send back the ``(status, body)`` it returns.
Everything else lives here, once:

* validation against ``schema`` (methods, parameters, types, prose limits);
* what Telegram knows and checks beyond a single call: which chats exist and have started the bot
  (a private chat the bot was never contacted from is a 403 "bot can't initiate conversation"),
  who blocked the bot, which messages exist and who sent them (edits of unknown messages,
  of the respondent's messages, or edits that change nothing are refused as Telegram refuses
  them), which file ids and callback query ids are real, the webhook/getUpdates conflict;
* realistic results: Messages with increasing per-chat message_ids, the chat, date, text and
  entities after parsing, inline keyboards, documents and photo sizes;
* the update queue behind getUpdates with Telegram's offset/limit/timeout/allowed_updates rules;
* the record tests read: every call (``calls``), and what each respondent saw (``sent_to``:
  messages and edits in order; ``screen``: the chat as it looks now);
* scripted failures (``fail_next``, ``rate_limit``, ``block``), answered as Telegram's JSON, as
  the HTML page of its front proxy, or with the connection dropped (``answer``).

The core learns about chats, messages, files and callback queries from the updates it sees:
those pushed for getUpdates, those built by its bound factory (``core.updates``), and any given
to ``observe``.  State is guarded by one lock, so a server running in another thread and a test
reading the record never race; long polls wake through their own event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import copy
import functools
import json
import mimetypes
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar
from urllib.parse import urlsplit

from tests.telegram_fakes import schema
from tests.telegram_fakes.errors import (
    BAD_GATEWAY,
    BLOCKED_BY_USER,
    CANT_INITIATE,
    KICKED_FROM_GROUP,
    NOT_FOUND,
    NOT_MODIFIED,
    POLL_CONFLICT,
    QUERY_TOO_OLD,
    UNAUTHORIZED,
    WEBHOOK_CONFLICT,
    BotApiError,
    ConnectionDropped,
    GatewayPage,
    NoAnswer,
    bad_request,
    too_many_requests,
)
from tests.telegram_fakes.schema import UploadedFile
from tests.telegram_fakes.updates import (
    FakeGroup,
    FakeUser,
    UpdateFactory,
    new_file_ids,
    photo_sizes,
)

JsonDict = dict[str, Any]

FAKE_TOKEN = "123:ABC"
"""The token the fakes accept by default; the bot's id is the part before the colon."""
_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
P = ParamSpec("P")
R = TypeVar("R")

Intercept = Callable[[str, Mapping[str, Any]], Awaitable[tuple[int, JsonDict] | None]]
"""A test's hook in front of the fake (see ``BotApiCore.intercept``): given each call's method and
fields as they arrived, it returns None to let the call through (after holding it as long as it
likes), or ``(status, body)`` to answer in Telegram's place."""


# --- what tests read --------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiCall:
    """One call the bot made: the method, its parameters as typed values (uploads as
    ``UploadedFile``), and how the fake answered (status 200 with ``result``, or an error
    ``status`` with Telegram's ``description``; status 0 when the connection was dropped)."""

    method: str
    params: JsonDict
    status: int
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        """Whether Telegram would have accepted the call."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """The chat the call was about, if any."""
        return self.params.get("chat_id")

    @property
    def files(self) -> dict[str, UploadedFile]:
        """The files uploaded with this call, by parameter name."""
        return {k: v for k, v in self.params.items() if isinstance(v, UploadedFile)}


@dataclass(frozen=True)
class Button:
    """One inline button as the respondent sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Shown:
    """Something a respondent saw from the bot: a new message (``edited`` False) or a new
    version of one after an edit (``edited`` True).  ``text`` is the message text or caption
    after entity parsing; ``raw`` is the Message object the API returned at that moment (hand it
    to ``UpdateFactory.callback_query`` to press one of its buttons)."""

    chat_id: int
    message_id: int
    edited: bool
    text: str | None
    buttons: tuple[tuple[Button, ...], ...]
    raw: JsonDict
    upload: UploadedFile | None = None
    reply_keyboard: tuple[tuple[str, ...], ...] | None = None

    @property
    def kind(self) -> str:
        """ "document", "photo" or "text"."""
        for kind in ("document", "photo"):
            if kind in self.raw:
                return kind
        return "text"

    @property
    def labels(self) -> list[str]:
        """Labels of the inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    @property
    def callback_data(self) -> list[str | None]:
        """callback_data of the inline buttons, row by row (None for URL buttons)."""
        return [button.callback_data for row in self.buttons for button in row]

    @property
    def file_name(self) -> str | None:
        """The file name of a document, as the respondent sees it."""
        document = self.raw.get("document")
        return document.get("file_name") if document else None

    def button(self, label: str) -> Button:
        """The inline button labelled ``label``; LookupError if it is not on this message."""
        for row in self.buttons:
            for button in row:
                if button.text == label:
                    return button
        raise LookupError(f"no button {label!r} on message {self.message_id}: {self.labels}")


FailureAnswer = Literal["json", "page", "drop", "timeout"]
"""How a scripted failure reaches the bot: ``json``, the Bot API's own error body (what it sends
for 4xx, and for a 5xx of its own); ``page``, the HTML page of Telegram's front proxy (nginx
answers 502 or 504 that way while the Bot API server behind it is down); ``drop``, no answer at
all: the connection is closed first, as in a network outage; ``timeout``, no answer before the
bot's read timeout (see ``NoAnswer``)."""


@dataclass
class ScriptedFailure:
    """A failure a test ordered: the next ``times`` matching calls (None: every one) get this
    status and description, answered as ``answer`` says.  A failure with neither ``method`` nor
    ``chat_id`` matches any call except getUpdates (so that scripting a send failure does not
    break polling)."""

    status: int
    description: str
    method: str | None = None
    chat_id: int | str | None = None
    times: int | None = 1
    retry_after: int | None = None
    answer: FailureAnswer = "json"

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        """Whether this failure applies to a call of ``method`` with ``params``."""
        if self.method is not None and self.method.lower() != method.lower():
            return False
        if self.chat_id is not None and params.get("chat_id") != self.chat_id:
            return False
        return not (self.method is None and self.chat_id is None and method == "getUpdates")

    def error(self) -> BotApiError | GatewayPage | ConnectionDropped:
        """The error to answer with (the transports turn the last two into a page or a drop)."""
        if self.answer == "page":
            return GatewayPage(self.status, self.description)
        if self.answer == "drop":
            return ConnectionDropped(self.description)
        if self.answer == "timeout":
            return NoAnswer(self.description)
        return BotApiError(self.status, self.description, retry_after=self.retry_after)


@dataclass
class _Stored:
    message: JsonDict
    by_bot: bool
    upload: UploadedFile | None = None
    reply_keyboard: tuple[tuple[str, ...], ...] | None = None


@dataclass
class _FileRecord:
    kind: str
    meta: Any
    upload: UploadedFile | None = None


@dataclass(eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)

    def wake(self) -> None:
        # RuntimeError: that loop is closed, so nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.event.set)


def _inline_markup(markup: Any) -> JsonDict | None:
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        rows = [[dict(button) for button in row] for row in markup["inline_keyboard"] if row]
        return {"inline_keyboard": rows} if rows else None
    return None


def _reply_keyboard(markup: Any) -> tuple[tuple[str, ...], ...] | None:
    if isinstance(markup, dict) and "keyboard" in markup:
        return tuple(
            tuple(b if isinstance(b, str) else b["text"] for b in row) for row in markup["keyboard"]
        )
    return None


def _buttons(message: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    markup = message.get("reply_markup") or {}
    return tuple(
        tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row)
        for row in markup.get("inline_keyboard", ())
    )


# --- the core ---------------------------------------------------------------------------------


class BotApiCore:
    """Telegram's side of the conversation, shared by ``OfflineBotApi`` and ``FakeBotApiServer``.

    ``token`` is the only token accepted (another well-formed one is 401 "Unauthorized", a
    malformed one 404 "Not Found", as in Telegram).  ``strict_chats`` (default on, as Telegram)
    refuses sends to chats the fake has never seen; turn it off, or introduce the chat with
    ``add_chat``, for tests that just fire messages at an id.  ``keep_calls`` caps the call
    history at the newest N calls (benchmarks); what respondents saw is always kept.
    """

    def __init__(
        self,
        token: str = FAKE_TOKEN,
        *,
        bot_first_name: str = "Consultation Bot",
        bot_username: str = "consultation_test_bot",
        strict_chats: bool = True,
        clock: Callable[[], float] = time.time,
        keep_calls: int | None = None,
    ) -> None:
        if not _TOKEN_SHAPE.fullmatch(token):
            raise ValueError(f"{token!r} is not shaped like a bot token (<digits>:<secret>)")
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = FakeUser(
            id=self.bot_id,
            first_name=bot_first_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.strict_chats = strict_chats
        self._clock = clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._calls: collections.deque[ApiCall] = collections.deque(maxlen=keep_calls)
        self._chats: dict[int, JsonDict] = {}
        self._usernames: dict[str, int] = {}
        self._blocked: dict[int, str] = {}
        self._messages: dict[tuple[int, int], _Stored] = {}
        self._last_message_id: dict[int, int] = {}
        self._shown: dict[int, list[Shown]] = {}
        self._files: dict[str, _FileRecord] = {}
        self._queries: dict[str, bool] = {}
        self._failures: list[ScriptedFailure] = []
        self._pending: list[JsonDict] = []
        self._last_update_id = 0
        self._allowed_updates: frozenset[str] | None = None
        self._webhook: JsonDict | None = None
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._poll_generation = 0
        self._waiters: set[_Waiter] = set()
        self._closing = False
        self._intercepts: list[Intercept] = []
        self.updates = UpdateFactory(bot=self.bot_user, message_ids=self, clock=clock)
        """A factory bound to this fake: its updates share message ids and are observed."""

    # --- the seam ---------------------------------------------------------------------------

    async def handle(
        self,
        token: str,
        method: str,
        fields: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
    ) -> tuple[int, JsonDict]:
        """Answer one Bot API call: ``(HTTP status, JSON body)`` exactly as Telegram would.

        ``fields`` are the call's parameters as they arrived (query string, form or JSON body);
        ``files`` the multipart file parts by part name (``attach://<name>`` references resolve
        against them).  The call is recorded whatever the outcome, unless an ``intercept`` hook
        answers it first.  A scripted failure that is not answered in JSON raises
        ``GatewayPage`` or ``ConnectionDropped`` (recorded with status 0) for the transport.
        """
        with self._lock:
            hooks = tuple(self._intercepts)
        for hook in hooks:
            answer = await hook(method, fields)
            if answer is not None:
                return answer
        name = method
        params: JsonDict = dict(fields)
        try:
            self._check_token(token)
            spec = schema.lookup(method)
            name = spec.name
            params = self._merge_files(spec, fields, files or {})
            params = schema.normalize(name, params)
            with self._lock:
                self._scripted_failure(name, params)
            if name == "getUpdates":
                result = await self._get_updates(params)
                extra = {}
            else:
                with self._lock:
                    result, extra = self._dispatch(name, params)
        except BotApiError as error:
            self._record(ApiCall(name, params, error.status, description=error.description))
            return error.status, error.payload()
        except GatewayPage as page:
            self._record(ApiCall(name, params, page.status, description=page.reason))
            raise
        except ConnectionDropped as drop:
            self._record(ApiCall(name, params, 0, description=str(drop)))
            raise
        self._record(ApiCall(name, params, 200, result=copy.deepcopy(result)))
        return 200, {"ok": True, "result": result, **extra}

    def intercept(self, hook: Intercept) -> None:
        """Put ``hook`` in front of every call from now on (hooks run in the order added): a test
        holds a call to see what happens meanwhile, watches calls, or answers one itself (a 502,
        say) so the fake never sees it."""
        with self._lock:
            self._intercepts.append(hook)

    def _check_token(self, token: str) -> None:
        if not _TOKEN_SHAPE.fullmatch(token):
            raise BotApiError(404, NOT_FOUND)
        if token != self.token:
            raise BotApiError(401, UNAUTHORIZED)

    @staticmethod
    def _merge_files(
        spec: schema.Method, fields: Mapping[str, Any], files: Mapping[str, UploadedFile]
    ) -> JsonDict:
        params = dict(fields)
        used: set[str] = set()
        for key, value in fields.items():
            if isinstance(value, str) and value.startswith("attach://"):
                part = value[len("attach://") :]
                if part in files:
                    params[key] = files[part]
                    used.add(part)
        for part, upload in files.items():
            if part in used:
                continue
            if spec.param(part) is None:
                raise bad_request(f'unexpected file part "{part}" for method {spec.name}')
            params[part] = upload
        return params

    def _scripted_failure(self, method: str, params: Mapping[str, Any]) -> None:
        for failure in self._failures:
            if failure.matches(method, params):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                raise failure.error()

    def _record(self, call: ApiCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _dispatch(self, method: str, params: JsonDict) -> tuple[Any, JsonDict]:
        handler = getattr(self, f"_do_{method}")
        result = handler(params)
        if isinstance(result, tuple):
            return result
        return result, {}

    # --- identity, chats and messages -------------------------------------------------------

    def now(self) -> int:
        """The Unix time stamped on messages."""
        return int(self._clock())

    def get_me(self) -> JsonDict:
        """The bot's User object as getMe returns it."""
        return {
            **self.bot_user.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
            "has_topics_enabled": False,
            "allows_users_to_create_topics": False,
        }

    def next_message_id(self, chat_id: int) -> int:
        """Allocate the next message id in a chat (shared by the bot and the respondent)."""
        with self._lock:
            value = self._last_message_id.get(chat_id, 0) + 1
            self._last_message_id[chat_id] = value
            return value

    def add_chat(self, chat: FakeUser | FakeGroup | Mapping[str, Any]) -> None:
        """Introduce a chat as if its user had started the bot (or the bot were in the group)."""
        if isinstance(chat, FakeUser | FakeGroup):
            chat = chat.chat()
        with self._lock:
            self._learn_chat(dict(chat))

    def _learn_chat(self, chat: JsonDict) -> None:
        self._chats[chat["id"]] = chat
        if chat.get("username"):
            self._usernames[chat["username"].lower()] = chat["id"]

    def _target_chat(self, chat_id: int | str) -> JsonDict:
        if isinstance(chat_id, str):
            known = self._usernames.get(chat_id[1:].lower())
            if known is None:
                raise bad_request("chat not found")
            chat_id = known
        chat = self._chats.get(chat_id)
        if chat is None:
            if self.strict_chats:
                if chat_id > 0:
                    raise BotApiError(403, CANT_INITIATE)
                raise bad_request("chat not found")
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
            chat.update({"first_name": "Respondent"} if chat_id > 0 else {"title": "Group"})
            self._learn_chat(chat)
        if chat_id in self._blocked:
            raise BotApiError(403, self._blocked[chat_id])
        return chat

    def _new_message(self, chat: JsonDict, params: Mapping[str, Any]) -> JsonDict:
        message: JsonDict = {
            "message_id": self.next_message_id(chat["id"]),
            "from": self.bot_user.to_dict(),
            "chat": dict(chat),
            "date": self.now(),
        }
        reply = params.get("reply_parameters")
        if reply is not None:
            target_chat = reply.get("chat_id", chat["id"])
            target = self._messages.get((target_chat, reply["message_id"]))
            if target is not None:
                message["reply_to_message"] = _without_reply(target.message)
            elif not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        if params.get("protect_content"):
            message["has_protected_content"] = True
        return message

    def _store_and_show(
        self,
        message: JsonDict,
        params: Mapping[str, Any],
        *,
        upload: UploadedFile | None = None,
    ) -> JsonDict:
        markup = params.get("reply_markup")
        inline = _inline_markup(markup)
        if inline:
            message["reply_markup"] = inline
        stored = _Stored(
            message, by_bot=True, upload=upload, reply_keyboard=_reply_keyboard(markup)
        )
        self._messages[(message["chat"]["id"], message["message_id"])] = stored
        self._show(stored, edited=False)
        return copy.deepcopy(message)

    def _show(self, stored: _Stored, *, edited: bool) -> None:
        message = copy.deepcopy(stored.message)
        self._shown.setdefault(message["chat"]["id"], []).append(
            Shown(
                chat_id=message["chat"]["id"],
                message_id=message["message_id"],
                edited=edited,
                text=message.get("text", message.get("caption")),
                buttons=_buttons(message),
                raw=message,
                upload=stored.upload,
                reply_keyboard=stored.reply_keyboard,
            )
        )
        self._changed.notify_all()

    def _editable(self, params: Mapping[str, Any]) -> _Stored:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._target_chat(params["chat_id"])
        stored = self._messages.get((chat["id"], params["message_id"]))
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.by_bot:
            raise bad_request("message can't be edited")
        return stored

    # --- files ------------------------------------------------------------------------------

    def _register_file(
        self, kind: str, file_id: str, meta: Any, upload: UploadedFile | None
    ) -> None:
        self._files[file_id] = _FileRecord(kind, meta, upload)

    def _existing_file(self, value: str, kind: str) -> _FileRecord | None:
        """A file sent by file_id (must be one Telegram issued) or None for an HTTP URL."""
        if re.match(r"https?://", value, re.IGNORECASE):
            return None
        record = self._files.get(value)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record.kind != kind:
            raise bad_request(f"can't use file of type {record.kind.title()} as {kind.title()}")
        return record

    # --- method handlers (called under the lock) --------------------------------------------

    def _do_getMe(self, params: JsonDict) -> JsonDict:
        return self.get_me()

    def _do_sendMessage(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params["chat_id"])
        text, entities = schema.formatted_text(params, "text", "entities")
        message = self._new_message(chat, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if "link_preview_options" in params:
            message["link_preview_options"] = params["link_preview_options"]
        return self._store_and_show(message, params)

    def _caption(self, message: JsonDict, params: Mapping[str, Any]) -> None:
        if "caption" not in params:
            return
        caption, entities = schema.formatted_text(params, "caption", "caption_entities")
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        if params.get("show_caption_above_media"):
            message["show_caption_above_media"] = True

    def _do_sendDocument(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params["chat_id"])
        value = params["document"]
        upload = value if isinstance(value, UploadedFile) else None
        if upload is not None:
            file_id, unique_id = new_file_ids("document")
            mime = upload.mime_type or mimetypes.guess_type(upload.filename)[0]
            document = {
                "file_name": upload.filename,
                "mime_type": mime or "application/octet-stream",
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_size": upload.size,
            }
            self._register_file("document", file_id, document, upload)
        else:
            record = self._existing_file(value, "document")
            if record is not None:
                document, upload = dict(record.meta), record.upload
            else:
                file_id, unique_id = new_file_ids("document")
                name = urlsplit(value).path.rsplit("/", 1)[-1] or "file"
                document = {
                    "file_name": name,
                    "mime_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": 1,
                }
                self._register_file("document", file_id, document, None)
        message = self._new_message(chat, params)
        message["document"] = document
        self._caption(message, params)
        return self._store_and_show(message, params, upload=upload)

    def _do_sendPhoto(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params["chat_id"])
        value = params["photo"]
        upload = value if isinstance(value, UploadedFile) else None
        if upload is not None:
            sizes = photo_sizes(*schema.photo_dimensions(upload))
        else:
            record = self._existing_file(value, "photo")
            sizes = copy.deepcopy(record.meta) if record is not None else photo_sizes(800, 600)
            upload = record.upload if record is not None else None
        for size in sizes:
            self._register_file("photo", size["file_id"], sizes, upload)
        message = self._new_message(chat, params)
        message["photo"] = sizes
        self._caption(message, params)
        if params.get("has_spoiler"):
            message["has_media_spoiler"] = True
        return self._store_and_show(message, params, upload=upload)

    def _do_editMessageText(self, params: JsonDict) -> JsonDict:
        stored = self._editable(params)
        message = stored.message
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = schema.formatted_text(params, "text", "entities")
        markup = _inline_markup(params.get("reply_markup"))
        unchanged = (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        )
        if unchanged:
            raise BotApiError(400, NOT_MODIFIED)
        message["text"] = text
        _set_or_drop(message, "entities", entities)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        self._show(stored, edited=True)
        return copy.deepcopy(message)

    def _do_editMessageReplyMarkup(self, params: JsonDict) -> JsonDict:
        stored = self._editable(params)
        message = stored.message
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise BotApiError(400, NOT_MODIFIED)
        _set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = self.now()
        self._show(stored, edited=True)
        return copy.deepcopy(message)

    def _do_answerCallbackQuery(self, params: JsonDict) -> bool:
        query_id = params["callback_query_id"]
        if self._queries.get(query_id, True):
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        self._queries[query_id] = True
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code", "")

    def _do_setMyCommands(self, params: JsonDict) -> bool:
        commands = [
            {"command": c["command"], "description": c["description"]} for c in params["commands"]
        ]
        self._commands[self._commands_key(params)] = commands
        return True

    def _do_deleteMyCommands(self, params: JsonDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _do_getMyCommands(self, params: JsonDict) -> list[JsonDict]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _do_sendChatAction(self, params: JsonDict) -> bool:
        self._target_chat(params["chat_id"])
        return True

    def _do_setWebhook(self, params: JsonDict) -> tuple[bool, JsonDict]:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if not params.get("url"):
            was_set = self._webhook is not None
            self._webhook = None
            return True, {
                "description": "Webhook was deleted" if was_set else "Webhook is already deleted"
            }
        self._webhook = {
            "url": params["url"],
            "has_custom_certificate": "certificate" in params,
            "max_connections": params.get("max_connections", 40),
        }
        if "ip_address" in params:
            self._webhook["ip_address"] = params["ip_address"]
        if "allowed_updates" in params:
            self._webhook["allowed_updates"] = list(params["allowed_updates"])
        self._wake_all()
        return True, {"description": "Webhook was set"}

    def _do_deleteWebhook(self, params: JsonDict) -> tuple[bool, JsonDict]:
        if params.get("drop_pending_updates"):
            self._pending.clear()
        was_set = self._webhook is not None
        self._webhook = None
        return True, {
            "description": "Webhook was deleted" if was_set else "Webhook is already deleted"
        }

    def _do_getWebhookInfo(self, params: JsonDict) -> JsonDict:
        if self._webhook is None:
            return {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._pending),
            }
        info = {**self._webhook, "pending_update_count": len(self._pending)}
        return {
            "url": info.pop("url"),
            "has_custom_certificate": info.pop("has_custom_certificate"),
            "pending_update_count": info.pop("pending_update_count"),
            **info,
        }

    def _do_close(self, params: JsonDict) -> bool:
        return True

    def _do_logOut(self, params: JsonDict) -> bool:
        return True

    # --- getUpdates -------------------------------------------------------------------------

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def _deliverable(self, update: Mapping[str, Any]) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in schema.NOT_DELIVERED_BY_DEFAULT
        return kind in self._allowed_updates

    def _take(self, limit: int) -> list[JsonDict]:
        self._pending = [u for u in self._pending if self._deliverable(u)]
        return copy.deepcopy(self._pending[:limit])

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        offset = params.get("offset", 0)
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = max(params.get("timeout", 0), 0)
        with self._lock:
            if self._webhook is not None:
                raise BotApiError(409, WEBHOOK_CONFLICT)
            self._poll_generation += 1
            generation = self._poll_generation
            self._wake_all()  # a waiting poll learns it was replaced
            if "allowed_updates" in params:
                allowed = frozenset(params["allowed_updates"])
                self._allowed_updates = allowed or None
            self._confirm(offset)
            batch = self._take(limit)
            if batch or timeout == 0 or self._closing:
                return batch
            waiter = _Waiter(asyncio.get_running_loop())
            self._waiters.add(waiter)
        try:
            deadline = waiter.loop.time() + timeout
            while True:
                remaining = deadline - waiter.loop.time()
                if remaining <= 0:
                    return []
                try:
                    await asyncio.wait_for(waiter.event.wait(), remaining)
                except TimeoutError:
                    return []
                waiter.event.clear()
                with self._lock:
                    if self._poll_generation != generation:
                        raise BotApiError(409, POLL_CONFLICT)
                    if self._webhook is not None:
                        raise BotApiError(409, WEBHOOK_CONFLICT)
                    if self._closing:
                        return []
                    batch = self._take(limit)
                    if batch:
                        return batch
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def _wake_all(self) -> None:
        for waiter in list(self._waiters):
            waiter.wake()

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now (the bot is up and listening)."""
        with self._lock:
            return bool(self._waiters)

    def close_polls(self) -> None:
        """Answer every waiting getUpdates now (with no updates): used when a server stops."""
        with self._lock:
            self._closing = True
            self._wake_all()

    def reopen_polls(self) -> None:
        """Let getUpdates wait again after ``close_polls``."""
        with self._lock:
            self._closing = False

    # --- feeding updates --------------------------------------------------------------------

    def push(self, update: Mapping[str, Any]) -> JsonDict:
        """Queue an update for getUpdates (thread-safe; wakes a waiting long poll).

        Without ``update_id`` the next id is assigned.  Ids must increase, as Telegram's do.
        The update is also observed (see ``observe``).  Returns the queued update.
        """
        with self._lock:
            queued = copy.deepcopy(dict(update))
            if "update_id" not in queued:
                queued = {"update_id": self._last_update_id + 1, **queued}
            if queued["update_id"] <= self._last_update_id:
                raise ValueError(
                    f"update_id {queued['update_id']} does not follow {self._last_update_id}: "
                    "Telegram's update ids increase (use one UpdateFactory, e.g. api.updates)"
                )
            self._last_update_id = queued["update_id"]
            self._observe(queued)
            self._pending.append(queued)
            self._wake_all()
            self._changed.notify_all()
        return queued

    def pending_updates(self) -> list[JsonDict]:
        """Updates queued and not yet confirmed by an offset."""
        with self._lock:
            return copy.deepcopy(self._pending)

    def observe(self, update: Mapping[str, Any]) -> None:
        """Learn what an update tells Telegram's side: chats and users (so the bot may write
        to them), messages (to reply to; the respondent's cannot be edited by the bot), file ids
        (so they can be re-sent), callback query ids (so they can be answered once) and
        blocking (a my_chat_member with status kicked).  Idempotent."""
        with self._lock:
            self._observe(update)

    def _observe(self, update: Mapping[str, Any]) -> None:
        for key in _MESSAGE_KEYS:
            if isinstance(update.get(key), Mapping):
                self._learn_message(update[key], edit=key.startswith("edited"))
        query = update.get("callback_query")
        if isinstance(query, Mapping):
            self._queries.setdefault(query["id"], False)
            message = query.get("message")
            if isinstance(message, Mapping) and message.get("date"):
                self._learn_message(message, edit=False)
        member = update.get("my_chat_member")
        if isinstance(member, Mapping):
            self._learn_membership(member)

    def _learn_message(self, message: Mapping[str, Any], *, edit: bool) -> None:
        chat = dict(message["chat"])
        self._learn_chat(chat)
        sender = message.get("from")
        if isinstance(sender, Mapping) and sender.get("username") and chat["type"] == "private":
            self._usernames[sender["username"].lower()] = chat["id"]
        message_id = message["message_id"]
        last = self._last_message_id.get(chat["id"], 0)
        self._last_message_id[chat["id"]] = max(last, message_id)
        by_bot = isinstance(sender, Mapping) and sender.get("id") == self.bot_id
        key = (chat["id"], message_id)
        if key not in self._messages or (edit and not by_bot):
            self._messages[key] = _Stored(copy.deepcopy(dict(message)), by_bot=by_bot)
        if isinstance(message.get("reply_to_message"), Mapping):
            self._learn_message(message["reply_to_message"], edit=False)
        self._learn_files(message)

    def _learn_files(self, message: Mapping[str, Any]) -> None:
        photo = message.get("photo")
        if isinstance(photo, list):
            for size in photo:
                self._files.setdefault(size["file_id"], _FileRecord("photo", photo))
        for kind in ("document", "voice", "sticker"):
            media = message.get(kind)
            if isinstance(media, Mapping):
                self._files.setdefault(media["file_id"], _FileRecord(kind, dict(media)))

    def _learn_membership(self, member: Mapping[str, Any]) -> None:
        chat = dict(member["chat"])
        self._learn_chat(chat)
        new = member["new_chat_member"]
        if new["user"]["id"] != self.bot_id:
            return
        if new["status"] in ("kicked", "left"):
            private = chat["type"] == "private"
            self._blocked[chat["id"]] = BLOCKED_BY_USER if private else KICKED_FROM_GROUP
        else:
            self._blocked.pop(chat["id"], None)

    # --- scripted failures ------------------------------------------------------------------

    def fail_next(
        self,
        status: int = 403,
        description: str = BLOCKED_BY_USER,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
        retry_after: int | None = None,
        answer: FailureAnswer = "json",
    ) -> ScriptedFailure:
        """Make the next ``times`` matching calls fail (after they pass validation) with this
        status and Telegram description, answered as ``answer`` says (see ``FailureAnswer``);
        returns the failure so a test may inspect it."""
        failure = ScriptedFailure(status, description, method, chat_id, times, retry_after, answer)
        with self._lock:
            self._failures.append(failure)
        return failure

    def rate_limit(
        self,
        retry_after: int = 3,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> ScriptedFailure:
        """Flood control: the next matching calls get 429 "Too Many Requests: retry after N"
        with ``parameters.retry_after`` (python-telegram-bot raises ``RetryAfter``)."""
        error = too_many_requests(retry_after)
        return self.fail_next(
            429,
            error.description,
            method=method,
            chat_id=chat_id,
            times=times,
            retry_after=retry_after,
        )

    def time_out(
        self,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> ScriptedFailure:
        """The next matching calls get no answer before the bot's read timeout (offline,
        python-telegram-bot raises ``TimedOut``): nothing is done for them, as for a request
        that never reached Telegram."""
        return self.fail_next(
            0,
            "no answer (timed out)",
            method=method,
            chat_id=chat_id,
            times=times,
            answer="timeout",
        )

    def server_error(
        self,
        *,
        method: str | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> ScriptedFailure:
        """Telegram's side fails: the next matching calls get 502 "Bad Gateway" in the Bot API's
        JSON (python-telegram-bot raises ``NetworkError``)."""
        return self.fail_next(502, BAD_GATEWAY, method=method, chat_id=chat_id, times=times)

    def block(self, chat_id: int, description: str = BLOCKED_BY_USER) -> None:
        """The respondent blocked the bot: every call about this chat gets 403 until
        ``unblock`` (the same happens when a my_chat_member update with status kicked is seen)."""
        with self._lock:
            self._blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        """The respondent unblocked the bot."""
        with self._lock:
            self._blocked.pop(chat_id, None)

    def clear_failures(self) -> None:
        """Forget scripted failures that have not fired yet."""
        with self._lock:
            self._failures.clear()

    # --- reading the record -----------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every call so far, in order (including refused ones)."""
        with self._lock:
            return list(self._calls)

    def calls_of(
        self, method: str | None = None, *, chat_id: int | str | None = None, ok: bool | None = None
    ) -> list[ApiCall]:
        """Calls of one method (case-insensitive; None: all), optionally about one chat and
        only accepted (``ok=True``) or refused (``ok=False``) ones."""
        with self._lock:
            return [
                call
                for call in self._calls
                if (method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.chat_id == chat_id)
                and (ok is None or call.ok == ok)
            ]

    def failed_calls(self, *, include_polling: bool = False) -> list[ApiCall]:
        """Calls Telegram would have refused (getUpdates conflicts left out unless asked:
        they are how Telegram ends a long poll the client already abandoned)."""
        return [
            call
            for call in self.calls_of(ok=False)
            if include_polling or call.method != "getUpdates"
        ]

    def sent_to(self, chat_id: int) -> list[Shown]:
        """What the respondent in ``chat_id`` saw, in order: every message the bot sent there
        and every edit of one (as its new version)."""
        with self._lock:
            return list(self._shown.get(chat_id, ()))

    def screen(self, chat_id: int) -> list[Shown]:
        """The bot's messages in ``chat_id`` as they look now (latest version of each)."""
        latest: dict[int, Shown] = {}
        for shown in self.sent_to(chat_id):
            latest[shown.message_id] = shown
        return sorted(latest.values(), key=lambda s: s.message_id)

    def last_message(self, chat_id: int) -> Shown:
        """The newest bot message in ``chat_id`` as it looks now; LookupError if none."""
        current = self.screen(chat_id)
        if not current:
            raise LookupError(f"the bot has shown nothing in chat {chat_id}")
        return current[-1]

    def texts(self, chat_id: int) -> list[str | None]:
        """The text (or caption) of everything shown in ``chat_id``, edits included."""
        return [shown.text for shown in self.sent_to(chat_id)]

    def tap(
        self,
        user: FakeUser,
        label: str | None = None,
        *,
        data: str | None = None,
        chat_id: int | None = None,
        message_id: int | None = None,
    ) -> JsonDict:
        """The callback_query update for the respondent pressing the button labelled ``label``
        (or carrying ``data``) on the newest bot message in their chat that shows it *now*.

        LookupError if no message currently shows such a button (a respondent cannot press a
        button that was edited away), or if it is a URL button (those send no callback).
        """
        chat_id = user.id if chat_id is None else chat_id
        for shown in reversed(self.screen(chat_id)):
            if message_id is not None and shown.message_id != message_id:
                continue
            for row in shown.buttons:
                for button in row:
                    if (label is not None and button.text == label) or (
                        data is not None and button.callback_data == data
                    ):
                        if button.callback_data is None:
                            raise LookupError(f"button {button.text!r} opens a URL; no callback")
                        return self.updates.callback_query(user, shown.raw, button.callback_data)
        showing = [s.labels for s in self.screen(chat_id)]
        raise LookupError(f"no button {label or data!r} is shown in chat {chat_id}: {showing}")

    def commands(
        self, *, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JsonDict]:
        """The command list set for a scope and language (what getMyCommands would return)."""
        params: JsonDict = {"language_code": language_code}
        if scope is not None:
            params["scope"] = dict(scope)
        with self._lock:
            return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    # --- waiting ----------------------------------------------------------------------------

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 2.0) -> None:
        """Wait (in any event loop) until ``predicate()`` holds; TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.01)

    def wait_until_sync(self, predicate: Callable[[], bool], timeout: float = 2.0) -> None:
        """Block the calling thread until ``predicate()`` holds (for a server in another thread
        or a bot in another process); TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout} s")
                self._changed.wait(min(remaining, 0.05))

    async def wait_for_calls(
        self,
        method: str | None = None,
        *,
        chat_id: int | str | None = None,
        count: int = 1,
        timeout: float = 2.0,
    ) -> list[ApiCall]:
        """Wait until at least ``count`` calls of ``method`` (about ``chat_id``) were made."""
        await self.wait_until(lambda: len(self.calls_of(method, chat_id=chat_id)) >= count, timeout)
        return self.calls_of(method, chat_id=chat_id)

    def wait_for_calls_sync(
        self,
        method: str | None = None,
        *,
        chat_id: int | str | None = None,
        count: int = 1,
        timeout: float = 2.0,
    ) -> list[ApiCall]:
        """Blocking twin of ``wait_for_calls``."""
        self.wait_until_sync(lambda: len(self.calls_of(method, chat_id=chat_id)) >= count, timeout)
        return self.calls_of(method, chat_id=chat_id)


def _without_reply(message: Mapping[str, Any]) -> JsonDict:
    """A replied-to message as Telegram nests it (one level deep only)."""
    nested = copy.deepcopy(dict(message))
    nested.pop("reply_to_message", None)
    return nested


def _set_or_drop(message: JsonDict, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


# --- the facade both transports share ---------------------------------------------------------


def _from_core(
    method: Callable[Concatenate[BotApiCore, P], R],
) -> Callable[Concatenate[BotApiFacade, P], R]:
    """A ``BotApiFacade`` method that is the core's method of the same name: same parameters
    and docstring; looked up on ``self.core`` at each call (so a patch of the core is seen)."""
    name = method.__name__

    @functools.wraps(method)
    def delegate(self: BotApiFacade, *args: P.args, **kwargs: P.kwargs) -> R:
        return getattr(self.core, name)(*args, **kwargs)

    return delegate


class BotApiFacade:
    """What tests use on either fake; everything is delegated to ``self.core``.

    Subclasses set ``self.core`` (a ``BotApiCore``) in their constructor.
    """

    core: BotApiCore

    @property
    def token(self) -> str:
        """The token the fake accepts."""
        return self.core.token

    @property
    def bot_user(self) -> FakeUser:
        """The bot's own account."""
        return self.core.bot_user

    @property
    def updates(self) -> UpdateFactory:
        """An update factory bound to this fake (shared message ids; updates are observed)."""
        return self.core.updates

    @property
    def calls(self) -> list[ApiCall]:
        """Every call so far, in order (including refused ones)."""
        return self.core.calls

    @property
    def polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self.core.polling

    push = _from_core(BotApiCore.push)
    pending_updates = _from_core(BotApiCore.pending_updates)
    observe = _from_core(BotApiCore.observe)
    add_chat = _from_core(BotApiCore.add_chat)
    calls_of = _from_core(BotApiCore.calls_of)
    failed_calls = _from_core(BotApiCore.failed_calls)
    sent_to = _from_core(BotApiCore.sent_to)
    screen = _from_core(BotApiCore.screen)
    last_message = _from_core(BotApiCore.last_message)
    texts = _from_core(BotApiCore.texts)
    tap = _from_core(BotApiCore.tap)
    commands = _from_core(BotApiCore.commands)
    fail_next = _from_core(BotApiCore.fail_next)
    rate_limit = _from_core(BotApiCore.rate_limit)
    time_out = _from_core(BotApiCore.time_out)
    server_error = _from_core(BotApiCore.server_error)
    block = _from_core(BotApiCore.block)
    unblock = _from_core(BotApiCore.unblock)
    clear_failures = _from_core(BotApiCore.clear_failures)
    intercept = _from_core(BotApiCore.intercept)
    wait_for_calls = _from_core(BotApiCore.wait_for_calls)
    wait_for_calls_sync = _from_core(BotApiCore.wait_for_calls_sync)
    wait_until = _from_core(BotApiCore.wait_until)
    wait_until_sync = _from_core(BotApiCore.wait_until_sync)

    async def process(self, application: Any, update: Mapping[str, Any]) -> None:
        """Run one update through ``application`` directly (no polling): observe it, build the
        ``telegram.Update`` and await ``application.process_update``."""
        from telegram import Update

        self.core.observe(update)
        await application.process_update(
            Update.de_json(copy.deepcopy(dict(update)), application.bot)
        )
