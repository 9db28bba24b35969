"""Our own description of the Bot API methods consultation-bot calls, and the checks Telegram makes.

This is the single source of truth the fakes validate against. It is written by hand (not loaded
from any reference file) so that the fakes work in every clone of the project; the test
``tests/fakes_tests/test_schema_matches_reference.py`` cross-checks it against the official
reference whenever that reference is present beside the repository.

Seams:

* ``METHODS`` describes each method: every parameter's name, whether it is required, and the broad
  kinds of value it accepts (``Kind``).  ``lookup`` finds a method the way Telegram does
  (case-insensitively); unknown methods are a 404 "Not Found".
* ``normalize(method, params)`` turns a call's parameters into typed Python values and enforces
  everything Telegram enforces without knowing any state: unknown or missing parameters, wrong
  types, and the limits the reference states in prose (text 1-4096 characters after entity
  parsing, captions up to 1024, callback_data 1-64 bytes, inline buttons with exactly one action,
  answerCallbackQuery text up to 200, uploads up to 50 MB...).  ``validate`` is the same check
  when only the verdict matters.  Parameters may arrive as the wire sends them (form fields are
  strings, JSON-serialised objects are strings) or as native JSON values; uploaded files are
  ``UploadedFile`` objects.
* Failures raise ``BotApiError``, which carries the HTTP status and Telegram's error description
  (``"Bad Request: message is too long"``) and renders the exact error body Telegram sends.

One deliberate difference from Telegram: the real API silently ignores parameters it does not
know, the fakes reject them, so that a misspelt parameter fails a test instead of being dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tests.telegram_fakes import formatting
from tests.telegram_fakes.errors import NOT_FOUND, BotApiError, bad_request

# --- limits stated in the reference's prose --------------------------------------------------

MESSAGE_TEXT_MAX = 4096
"""sendMessage/editMessageText: 1-4096 characters after entities parsing."""
CAPTION_MAX = 1024
"""Media captions: 0-1024 characters after entities parsing."""
CALLBACK_DATA_MAX_BYTES = 64
"""InlineKeyboardButton.callback_data: 1-64 bytes (UTF-8)."""
CALLBACK_ANSWER_MAX = 200
"""answerCallbackQuery text: 0-200 characters."""
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
"""Bots can currently send files of any type of up to 50 MB in size."""
PHOTO_MAX_BYTES = 10 * 1024 * 1024
"""sendPhoto: the photo must be at most 10 MB in size."""
PHOTO_MAX_SIDES = 10_000
"""sendPhoto: the photo's width and height must not exceed 10000 in total."""
PHOTO_MAX_RATIO = 20
"""sendPhoto: width and height ratio must be at most 20."""
BOT_COMMANDS_MAX = 100
"""setMyCommands: at most 100 commands can be specified."""
BOT_COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
"""BotCommand.command: 1-32 characters, only lowercase English letters, digits and underscores."""
BOT_COMMAND_DESCRIPTION_MAX = 256
"""BotCommand.description: 1-256 characters."""
WEBHOOK_MAX_CONNECTIONS = (1, 100)
"""setWebhook.max_connections: 1-100."""
SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""setWebhook.secret_token: 1-256 characters, only A-Z, a-z, 0-9, _ and -."""
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
"""sendChatAction.action: the chat actions the reference lists."""
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
"""Formatting options, matched case-insensitively as Telegram does."""
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
"""InlineKeyboardButton: "You must use exactly one of the optional fields" among these."""
COMMAND_SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
"""BotCommandScope subtypes, by their ``type`` field."""
UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
"""Update kinds a bot may list in allowed_updates (the ones this project could meet)."""
NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
"""Telegram leaves these out unless allowed_updates names them explicitly."""


class Kind(StrEnum):
    """The broad type of a parameter's value, as far as the wire can tell them apart."""

    INTEGER = "integer"
    STRING = "string"
    BOOLEAN = "boolean"
    FLOAT = "float"
    OBJECT = "object"
    """A JSON object (serialised as a string in form bodies), e.g. InlineKeyboardMarkup."""
    ARRAY = "array"
    """A JSON array (serialised as a string in form bodies), e.g. Array of BotCommand."""
    INPUT_FILE = "input_file"
    """A file uploaded in a multipart body (directly or through ``attach://<name>``)."""


@dataclass(frozen=True)
class Param:
    """One parameter of a method: its name, the kinds it accepts (in coercion order), and
    whether Telegram requires it."""

    name: str
    kinds: tuple[Kind, ...]
    required: bool = False


@dataclass(frozen=True)
class Method:
    """One Bot API method: its canonical name, parameters and what it returns on success."""

    name: str
    returns: str
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None when the method has no such parameter."""
        for param in self.params:
            if param.name == name:
                return param
        return None

    @property
    def required(self) -> frozenset[str]:
        """Names of the parameters Telegram insists on."""
        return frozenset(p.name for p in self.params if p.required)


@dataclass(frozen=True)
class UploadedFile:
    """A file that arrived in a multipart body: what the bot uploaded, byte for byte."""

    field: str
    filename: str
    content: bytes
    mime_type: str | None = None

    @property
    def size(self) -> int:
        """Size of the upload in bytes."""
        return len(self.content)

    def __repr__(self) -> str:
        return (
            f"UploadedFile(field={self.field!r}, filename={self.filename!r}, "
            f"size={self.size}, mime_type={self.mime_type!r})"
        )


# --- the methods ------------------------------------------------------------------------------

# Short names keep the tables below close to how the reference prints them.
INT, STR, BOOL = Kind.INTEGER, Kind.STRING, Kind.BOOLEAN
OBJ, ARR, FILE = Kind.OBJECT, Kind.ARRAY, Kind.INPUT_FILE


def _req(name: str, *kinds: Kind) -> Param:
    return Param(name, kinds, required=True)


def _opt(name: str, *kinds: Kind) -> Param:
    return Param(name, kinds, required=False)


_SEND_COMMON_HEAD = (
    _opt("business_connection_id", STR),
    _req("chat_id", INT, STR),
    _opt("message_thread_id", INT),
    _opt("direct_messages_topic_id", INT),
)
_SEND_COMMON_TAIL = (
    _opt("disable_notification", BOOL),
    _opt("protect_content", BOOL),
    _opt("allow_paid_broadcast", BOOL),
    _opt("message_effect_id", STR),
    _opt("suggested_post_parameters", OBJ),
    _opt("reply_parameters", OBJ),
    _opt("reply_markup", OBJ),
)
_EDIT_TARGET = (
    _opt("business_connection_id", STR),
    _opt("chat_id", INT, STR),
    _opt("message_id", INT),
    _opt("inline_message_id", STR),
)

_METHOD_LIST = (
    Method("getMe", "User"),
    Method(
        "getUpdates",
        "Array of Update",
        (
            _opt("offset", INT),
            _opt("limit", INT),
            _opt("timeout", INT),
            _opt("allowed_updates", ARR),
        ),
    ),
    Method(
        "setWebhook",
        "Boolean",
        (
            _req("url", STR),
            _opt("certificate", FILE),
            _opt("ip_address", STR),
            _opt("max_connections", INT),
            _opt("allowed_updates", ARR),
            _opt("drop_pending_updates", BOOL),
            _opt("secret_token", STR),
        ),
    ),
    Method("deleteWebhook", "Boolean", (_opt("drop_pending_updates", BOOL),)),
    Method("getWebhookInfo", "WebhookInfo"),
    Method(
        "sendMessage",
        "Message",
        (
            *_SEND_COMMON_HEAD,
            _req("text", STR),
            _opt("parse_mode", STR),
            _opt("entities", ARR),
            _opt("link_preview_options", OBJ),
            *_SEND_COMMON_TAIL,
        ),
    ),
    # editMessageText's reference also lists ``rich_message`` (InputRichMessage), which
    # python-telegram-bot 22.8 cannot send; we leave it out, so the fakes reject it.
    Method(
        "editMessageText",
        "Message",
        (
            *_EDIT_TARGET,
            _opt("text", STR),
            _opt("parse_mode", STR),
            _opt("entities", ARR),
            _opt("link_preview_options", OBJ),
            _opt("reply_markup", OBJ),
        ),
    ),
    Method("editMessageReplyMarkup", "Message", (*_EDIT_TARGET, _opt("reply_markup", OBJ))),
    Method(
        "answerCallbackQuery",
        "Boolean",
        (
            _req("callback_query_id", STR),
            _opt("text", STR),
            _opt("show_alert", BOOL),
            _opt("url", STR),
            _opt("cache_time", INT),
        ),
    ),
    Method(
        "sendDocument",
        "Message",
        (
            *_SEND_COMMON_HEAD,
            _req("document", FILE, STR),
            _opt("thumbnail", FILE, STR),
            _opt("caption", STR),
            _opt("parse_mode", STR),
            _opt("caption_entities", ARR),
            _opt("disable_content_type_detection", BOOL),
            *_SEND_COMMON_TAIL,
        ),
    ),
    Method(
        "sendPhoto",
        "Message",
        (
            *_SEND_COMMON_HEAD,
            _req("photo", FILE, STR),
            _opt("caption", STR),
            _opt("parse_mode", STR),
            _opt("caption_entities", ARR),
            _opt("show_caption_above_media", BOOL),
            _opt("has_spoiler", BOOL),
            *_SEND_COMMON_TAIL,
        ),
    ),
    Method(
        "setMyCommands",
        "Boolean",
        (_req("commands", ARR), _opt("scope", OBJ), _opt("language_code", STR)),
    ),
    Method("deleteMyCommands", "Boolean", (_opt("scope", OBJ), _opt("language_code", STR))),
    Method(
        "getMyCommands", "Array of BotCommand", (_opt("scope", OBJ), _opt("language_code", STR))
    ),
    Method(
        "sendChatAction",
        "Boolean",
        (
            _opt("business_connection_id", STR),
            _req("chat_id", INT, STR),
            _opt("message_thread_id", INT),
            _req("action", STR),
        ),
    ),
    Method("close", "Boolean"),
    Method("logOut", "Boolean"),
)

METHODS: dict[str, Method] = {m.name: m for m in _METHOD_LIST}
"""Every method the fakes answer, by canonical (camelCase) name."""
_BY_LOWER: dict[str, Method] = {name.lower(): m for name, m in METHODS.items()}


def lookup(method: str) -> Method:
    """The method Telegram would run for ``method`` (names are case-insensitive there).

    Raises ``BotApiError(404, "Not Found")`` for a method Telegram does not have (or that these
    fakes do not describe: add it to ``METHODS`` first, so that it is checked).
    """
    found = _BY_LOWER.get(method.lower())
    if found is None:
        raise BotApiError(404, NOT_FOUND)
    return found


# --- coercion of single values ----------------------------------------------------------------

_MISSING_DESCRIPTIONS = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "document": "there is no document in the request",
    "photo": "there is no photo in the request",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "action": "wrong parameter action in request",
    "url": "url is empty",
}
_PRETTY_KIND = {
    Kind.INTEGER: "Integer",
    Kind.STRING: "String",
    Kind.BOOLEAN: "Boolean",
    Kind.FLOAT: "Float",
    Kind.OBJECT: "Object",
    Kind.ARRAY: "Array",
    Kind.INPUT_FILE: "InputFile",
}
_INT_RE = re.compile(r"-?\d+")


class _NoMatch(Exception):
    """The value is not of the kind being tried."""


def _coerce_one(value: Any, kind: Kind) -> Any:
    if kind is Kind.INPUT_FILE:
        if isinstance(value, UploadedFile):
            return value
        raise _NoMatch
    if isinstance(value, UploadedFile):
        raise _NoMatch
    if kind is Kind.INTEGER:
        if isinstance(value, bool):
            raise _NoMatch
        if isinstance(value, int):
            return value
        if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
            return int(value.strip())
        raise _NoMatch
    if kind is Kind.FLOAT:
        if isinstance(value, bool):
            raise _NoMatch
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise _NoMatch from None
        raise _NoMatch
    if kind is Kind.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        raise _NoMatch
    if kind is Kind.STRING:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # Telegram reads numbers in string fields as their text
        raise _NoMatch
    wanted: type = dict if kind is Kind.OBJECT else list
    if isinstance(value, wanted):
        return value
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            raise _NoMatch from None
        if isinstance(decoded, wanted):
            return decoded
    raise _NoMatch


def _wrong_type(param: Param) -> BotApiError:
    if param.name == "reply_markup":
        return bad_request("can't parse reply keyboard markup JSON object")
    if param.name in ("entities", "caption_entities"):
        return bad_request("can't parse entities JSON object")
    if param.name == "commands":
        return bad_request("can't parse commands JSON object")
    kinds = " or ".join(_PRETTY_KIND[k] for k in param.kinds)
    return bad_request(f'field "{param.name}" must be of type {kinds}')


def _coerce(param: Param, value: Any) -> Any:
    for kind in param.kinds:
        try:
            return _coerce_one(value, kind)
        except _NoMatch:
            continue
    raise _wrong_type(param)


# --- the public checks ------------------------------------------------------------------------


def normalize(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check one call as Telegram would, and return its parameters as typed values.

    ``params`` maps parameter names to wire values (strings), native JSON values, or
    ``UploadedFile`` for uploads.  An empty string counts as absent, as it does for Telegram.
    Raises ``BotApiError`` for an unknown method (404), an unknown parameter, a missing required
    parameter, a value of the wrong type, or a prose limit exceeded (400; 413 for an upload over
    50 MB).
    """
    spec = lookup(method)
    typed: dict[str, Any] = {}
    for name, value in params.items():
        param = spec.param(name)
        if param is None:
            raise bad_request(f'unexpected parameter "{name}" for method {spec.name}')
        if value is None:
            continue
        if isinstance(value, str) and value == "" and Kind.STRING not in param.kinds:
            continue
        typed[name] = _coerce(param, value)
    for param in spec.params:
        if param.required and typed.get(param.name) in (None, ""):
            detail = _MISSING_DESCRIPTIONS.get(param.name, f'parameter "{param.name}" is required')
            raise bad_request(detail)
    checker = _CHECKS.get(spec.name)
    if checker is not None:
        checker(typed)
    return typed


def validate(method: str, params: Mapping[str, Any]) -> None:
    """Raise ``BotApiError`` when Telegram would refuse this call; see ``normalize``."""
    normalize(method, params)


def formatted_text(
    params: Mapping[str, Any], text_field: str, entities_field: str
) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and entities Telegram derives from a text/caption and its formatting.

    Explicit entities win over parse_mode, as in Telegram.  Leading and trailing whitespace is
    trimmed, as Telegram trims it.  Raises a 400 "can't parse entities" for broken markup.
    """
    raw = params.get(text_field, "")
    if entities_field in params:
        return formatting.strip(raw, list(params[entities_field]))
    parse_mode = params.get("parse_mode")
    plain, entities = formatting.parse(raw, parse_mode)
    return formatting.strip(plain, entities)


def _check_parse_mode(params: Mapping[str, Any]) -> None:
    mode = params.get("parse_mode")
    if mode not in (None, "") and mode.lower() not in PARSE_MODES:
        raise bad_request("unsupported parse_mode")


def _check_entities(params: Mapping[str, Any], field: str) -> None:
    for entity in params.get(field, ()):
        if not isinstance(entity, dict):
            raise bad_request("can't parse entities JSON object")
        if not isinstance(entity.get("type"), str):
            raise bad_request('can\'t parse MessageEntity: Field "type" must be of type String')
        for key in ("offset", "length"):
            if not isinstance(entity.get(key), int) or isinstance(entity.get(key), bool):
                raise bad_request(
                    f'can\'t parse MessageEntity: Field "{key}" must be of type Integer'
                )


def _check_chat_id(params: Mapping[str, Any]) -> None:
    chat_id = params.get("chat_id")
    if isinstance(chat_id, str) and not chat_id.startswith("@"):
        raise bad_request("chat not found")


def _check_text(params: Mapping[str, Any]) -> None:
    _check_parse_mode(params)
    _check_entities(params, "entities")
    plain, _ = formatted_text(params, "text", "entities")
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MESSAGE_TEXT_MAX:
        raise bad_request("message is too long")


def _check_caption(params: Mapping[str, Any]) -> None:
    _check_parse_mode(params)
    _check_entities(params, "caption_entities")
    if "caption" not in params:
        return
    plain, _ = formatted_text(params, "caption", "caption_entities")
    if len(plain) > CAPTION_MAX:
        raise bad_request("message caption is too long")


def _button_error(detail: str) -> BotApiError:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def check_inline_keyboard(markup: Mapping[str, Any]) -> None:
    """Telegram's checks on an InlineKeyboardMarkup: an array of arrays of buttons, each with a
    non-empty text and exactly one action; callback_data 1-64 bytes; URLs http(s) or tg://."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise _button_error("InlineKeyboardButton must be an Object")
            text = button.get("text")
            if not isinstance(text, str):
                raise _button_error('Field "text" must be of type String')
            if not text.strip():
                raise bad_request("BUTTON_TEXT_EMPTY")
            actions = [key for key in INLINE_BUTTON_ACTIONS if button.get(key) is not None]
            if not actions:
                raise _button_error("Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise _button_error(
                    "exactly one of the optional fields must be used, got " + ", ".join(actions)
                )
            for key in ("url", "callback_data", "switch_inline_query"):
                if key in button and not isinstance(button[key], str):
                    raise _button_error(f'Field "{key}" must be of type String')
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"(https?|tg)://\S+$", url, re.IGNORECASE):
                raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
            if button.get("pay") is not None and button["pay"] is not True:
                raise _button_error('Field "pay" must be True')


def _check_reply_keyboard(markup: Mapping[str, Any]) -> None:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else None
            if isinstance(button, dict):
                text = button.get("text")
            if not isinstance(text, str):
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            if not text:
                raise bad_request("keyboard button text is empty")


def check_reply_markup(markup: Any, *, inline_only: bool) -> None:
    """Check a reply_markup: one of InlineKeyboardMarkup, ReplyKeyboardMarkup,
    ReplyKeyboardRemove or ForceReply (edits take inline keyboards only)."""
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup)
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_reply_keyboard(markup)
    elif "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise bad_request('field "remove_keyboard" of the ReplyKeyboardRemove must be True')
    elif "force_reply" in markup:
        if markup["force_reply"] is not True:
            raise bad_request('field "force_reply" of the ForceReply must be True')
    else:
        raise bad_request("can't parse reply keyboard markup JSON object")


def _check_send_common(params: Mapping[str, Any]) -> None:
    _check_chat_id(params)
    if "reply_markup" in params:
        check_reply_markup(params["reply_markup"], inline_only=False)
    reply = params.get("reply_parameters")
    if reply is not None and not isinstance(reply.get("message_id"), int):
        raise bad_request(
            'can\'t parse ReplyParameters: Field "message_id" must be of type Integer'
        )


def _check_send_message(params: Mapping[str, Any]) -> None:
    _check_send_common(params)
    _check_text(params)


def _check_edit_target(params: Mapping[str, Any]) -> None:
    if "inline_message_id" in params:
        return
    if "chat_id" not in params:
        raise bad_request("chat_id is empty")
    _check_chat_id(params)
    if "message_id" not in params:
        raise bad_request("message identifier is not specified")
    if "reply_markup" in params:
        check_reply_markup(params["reply_markup"], inline_only=True)


def _check_edit_text(params: Mapping[str, Any]) -> None:
    _check_edit_target(params)
    if "inline_message_id" in params and "reply_markup" in params:
        check_reply_markup(params["reply_markup"], inline_only=True)
    if not params.get("text"):
        raise bad_request("message text is empty")
    _check_text(params)


def _check_edit_markup(params: Mapping[str, Any]) -> None:
    _check_edit_target(params)
    if "inline_message_id" in params and "reply_markup" in params:
        check_reply_markup(params["reply_markup"], inline_only=True)


def _check_answer_callback(params: Mapping[str, Any]) -> None:
    if len(params.get("text", "")) > CALLBACK_ANSWER_MAX:
        raise bad_request("MESSAGE_TOO_LONG")
    if params.get("cache_time", 0) < 0:
        raise bad_request("cache_time must be non-negative")


def _check_upload(params: Mapping[str, Any], field: str, limit: int) -> None:
    value = params[field]
    if isinstance(value, UploadedFile):
        if value.size == 0:
            raise bad_request("file must be non-empty")
        if value.size > limit:
            raise BotApiError(413, "Request Entity Too Large")
    elif value.startswith("attach://"):
        raise bad_request(f'can\'t find attached file "{value[len("attach://") :]}"')


def _check_send_document(params: Mapping[str, Any]) -> None:
    _check_send_common(params)
    _check_caption(params)
    _check_upload(params, "document", DOCUMENT_MAX_BYTES)
    if "thumbnail" in params:
        _check_upload(params, "thumbnail", 200 * 1024)


def photo_dimensions(upload: UploadedFile) -> tuple[int, int]:
    """Width and height of an uploaded photo; a 400 "IMAGE_PROCESS_FAILED" when it is not an
    image Telegram could read, "PHOTO_INVALID_DIMENSIONS" when it breaks the size rules."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(upload.content)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise bad_request("IMAGE_PROCESS_FAILED") from None
    if width + height > PHOTO_MAX_SIDES or max(width, height) > PHOTO_MAX_RATIO * min(
        width, height
    ):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height


def _check_send_photo(params: Mapping[str, Any]) -> None:
    _check_send_common(params)
    _check_caption(params)
    _check_upload(params, "photo", PHOTO_MAX_BYTES)
    if isinstance(params["photo"], UploadedFile):
        photo_dimensions(params["photo"])


def _check_scope(params: Mapping[str, Any]) -> None:
    scope = params.get("scope")
    if scope is not None and scope.get("type") not in COMMAND_SCOPE_TYPES:
        raise bad_request("wrong parameter scope")
    if scope is not None and scope["type"].startswith("chat") and "chat_id" not in scope:
        raise bad_request("chat_id is empty")
    language = params.get("language_code", "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")


def _check_set_commands(params: Mapping[str, Any]) -> None:
    _check_scope(params)
    commands = params["commands"]
    if len(commands) > BOT_COMMANDS_MAX:
        raise bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        name = command.get("command")
        description = command.get("description")
        if not isinstance(name, str) or not isinstance(description, str):
            raise bad_request(
                "can't parse BotCommand: fields command and description must be String"
            )
        if not BOT_COMMAND_PATTERN.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not description.strip() or len(description) > BOT_COMMAND_DESCRIPTION_MAX:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def _check_chat_action(params: Mapping[str, Any]) -> None:
    _check_chat_id(params)
    if params["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def _check_allowed_updates(params: Mapping[str, Any]) -> None:
    for kind in params.get("allowed_updates", ()):
        if not isinstance(kind, str):
            raise bad_request("can't parse allowed updates: Array of String expected")


def _check_set_webhook(params: Mapping[str, Any]) -> None:
    _check_allowed_updates(params)
    url = params.get("url", "")
    if url and not url.lower().startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    low, high = WEBHOOK_MAX_CONNECTIONS
    if "max_connections" in params and not low <= params["max_connections"] <= high:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    token = params.get("secret_token")
    if token is not None and not SECRET_TOKEN_PATTERN.fullmatch(token):
        raise bad_request("secret token contains unallowed characters")


_CHECKS = {
    "getUpdates": _check_allowed_updates,
    "setWebhook": _check_set_webhook,
    "sendMessage": _check_send_message,
    "editMessageText": _check_edit_text,
    "editMessageReplyMarkup": _check_edit_markup,
    "answerCallbackQuery": _check_answer_callback,
    "sendDocument": _check_send_document,
    "sendPhoto": _check_send_photo,
    "setMyCommands": _check_set_commands,
    "deleteMyCommands": _check_scope,
    "getMyCommands": _check_scope,
    "sendChatAction": _check_chat_action,
}
