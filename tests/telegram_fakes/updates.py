"""Build updates shaped exactly like the ones Telegram sends to a bot.

``UpdateFactory`` returns plain dicts, field for field what the Bot API delivers in getUpdates for
a private chat with a respondent (or a group): ``update_id``, ``message`` with ``message_id``,
``from`` (id, is_bot, first_name, username, language_code), ``chat`` (id, first_name, username,
type), ``date``, ``text`` and the ``entities`` Telegram detects (a leading ``/command`` is a
``bot_command`` at offset 0), callback queries carrying the bot's message, media messages
(stickers, photo sizes, voice notes, documents), locations, shared contacts, edits, group
messages and ``my_chat_member`` updates (the respondent blocked or unblocked the bot).

Tests turn them into objects with ``telegram.Update.de_json(data, bot)``, or hand them to a fake
(``api.push(update)`` queues them for getUpdates; ``api.process(application, update)`` runs one
through an Application directly).

Seams:

* Update ids increase per factory, from ``first_update_id``.
* Message ids come from a ``MessageIdSource`` when the factory is bound to a fake
  (``api.updates`` is such a factory), so the respondent's messages and the bot's share one
  increasing sequence per chat, as in Telegram.  A bound factory also shows every update it
  builds to the fake (``observe``), so the fake knows the chats, the files and the callback
  queries it will be asked about.  An unbound factory counts message ids itself.
* ``clock`` gives the Unix time for ``date`` fields (default: now).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from tests.telegram_fakes.formatting import utf16_len

JsonDict = dict[str, Any]


class MessageIdSource(Protocol):
    """Hands out message ids per chat and learns about updates (the fake's core does both)."""

    def next_message_id(self, chat_id: int) -> int:
        """The id the next message in ``chat_id`` gets."""
        ...

    def observe(self, update: Mapping[str, Any]) -> None:
        """Learn the chats, messages, files and queries an update carries."""
        ...


# --- identifiers ------------------------------------------------------------------------------

_FILE_ID_PREFIX = {
    "photo": "AgACAgIAAxkBAAI",
    "document": "BQACAgIAAxkBAAI",
    "voice": "AwACAgIAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
}
_file_counter = itertools.count(1)
_file_lock = threading.Lock()


def new_file_ids(kind: str) -> tuple[str, str]:
    """A fresh (file_id, file_unique_id) pair that looks like Telegram's for this kind of file."""
    with _file_lock:
        n = next(_file_counter)
    digest = hashlib.sha256(f"{kind}:{n}".encode()).digest()
    body = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    prefix = _FILE_ID_PREFIX.get(kind, "BQACAgIAAxkBAAI")
    return f"{prefix}{n:06d}{body}", f"AgAD{body[:12]}"


def chat_instance_for(chat_id: int) -> str:
    """A stable chat_instance for a chat, shaped like Telegram's (a signed 64-bit number)."""
    digest = hashlib.sha256(f"chat-instance:{chat_id}".encode()).digest()
    return str(-(int.from_bytes(digest[:8], "big") >> 1))


# --- people and chats -------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram account talking to the bot.  ``to_dict`` is the User object in updates;
    ``chat`` is their private chat with the bot (same id, as in Telegram)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False
    is_premium: bool = False

    def to_dict(self) -> JsonDict:
        """The User object exactly as updates carry it (optional fields only when set)."""
        user: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        if self.is_premium:
            user["is_premium"] = True
        return user

    def chat(self) -> JsonDict:
        """The private Chat with this user, as Telegram describes it."""
        chat: JsonDict = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        chat["type"] = "private"
        return chat


@dataclass(frozen=True)
class FakeGroup:
    """A group or supergroup the bot is a member of (supergroup ids start with -100)."""

    id: int
    title: str
    type: Literal["group", "supergroup"] = "supergroup"
    username: str | None = None

    def chat(self) -> JsonDict:
        """The Chat object of this group."""
        chat: JsonDict = {"id": self.id, "title": self.title}
        if self.username:
            chat["username"] = self.username
        chat["type"] = self.type
        return chat


DEFAULT_BOT = FakeUser(
    id=123,
    first_name="Consultation Bot",
    username="consultation_test_bot",
    language_code=None,
    is_bot=True,
)
"""The bot as other users see it (id from the default fake token ``123:ABC``)."""

_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}(?!\w)")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[A-Za-z_]\w*")
_URL = re.compile(r"(?<!\w)https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")
_EMAIL = re.compile(r"(?<![\w.])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?!\w)")


def detect_entities(text: str) -> list[JsonDict]:
    """The entities Telegram marks in a text a person typed: bot commands, @mentions, #hashtags,
    http(s) URLs and e-mail addresses (offsets and lengths in UTF-16 code units)."""
    found: list[tuple[int, int, str]] = []
    taken: list[range] = []
    for kind, pattern in (
        ("url", _URL),
        ("email", _EMAIL),
        ("bot_command", _COMMAND),
        ("mention", _MENTION),
        ("hashtag", _HASHTAG),
    ):
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            taken.append(range(match.start(), match.end()))
            found.append((match.start(), match.end(), kind))
    entities = []
    for start, end, kind in sorted(found):
        offset = utf16_len(text[:start])
        entities.append({"offset": offset, "length": utf16_len(text[start:end]), "type": kind})
    return entities


# --- the factory ------------------------------------------------------------------------------


class UpdateFactory:
    """Builds update dicts with increasing update ids.

    ``bot`` is the bot's own account (used in callback queries and my_chat_member updates);
    ``message_ids`` binds the factory to a fake (see the module docstring).
    """

    def __init__(
        self,
        *,
        bot: FakeUser = DEFAULT_BOT,
        first_update_id: int = 581_000_001,
        first_user_id: int = 700_000_001,
        message_ids: MessageIdSource | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot = bot
        self._update_ids = itertools.count(first_update_id)
        self._user_ids = itertools.count(first_user_id)
        self._query_ids = itertools.count(1)
        self._source = message_ids
        self._own_message_ids: dict[int, itertools.count[int]] = {}
        self._clock = clock
        self._lock = threading.Lock()

    # people ------------------------------------------------------------------------------

    def user(
        self,
        first_name: str = "Ada",
        *,
        id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_premium: bool = False,
    ) -> FakeUser:
        """A new respondent (ids are unique per factory unless given)."""
        with self._lock:
            user_id = id if id is not None else next(self._user_ids)
        return FakeUser(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username if username is not None else _username(first_name, user_id),
            language_code=language_code,
            is_premium=is_premium,
        )

    @staticmethod
    def group(
        title: str = "Consultation group",
        *,
        id: int = -1001234567890,
        type: Literal["group", "supergroup"] = "supergroup",
    ) -> FakeGroup:
        """A group chat the bot is in."""
        return FakeGroup(id=id, title=title, type=type)

    # plumbing ----------------------------------------------------------------------------

    def now(self) -> int:
        """The Unix time this factory stamps on updates."""
        return int(self._clock())

    def _next_update_id(self) -> int:
        with self._lock:
            return next(self._update_ids)

    def _next_message_id(self, chat_id: int) -> int:
        if self._source is not None:
            return self._source.next_message_id(chat_id)
        with self._lock:
            counter = self._own_message_ids.setdefault(chat_id, itertools.count(1))
            return next(counter)

    def _emit(self, update: JsonDict) -> JsonDict:
        if self._source is not None:
            self._source.observe(update)
        return update

    def _message(
        self,
        user: FakeUser,
        chat: FakeGroup | None,
        content: JsonDict,
        *,
        reply_to: Mapping[str, Any] | None = None,
    ) -> JsonDict:
        chat_dict = chat.chat() if chat is not None else user.chat()
        message: JsonDict = {
            "message_id": self._next_message_id(chat_dict["id"]),
            "from": user.to_dict(),
            "chat": chat_dict,
            "date": self.now(),
        }
        if reply_to is not None:
            message["reply_to_message"] = dict(_message_of(reply_to))
        message.update(content)
        return message

    def _update(self, kind: str, payload: JsonDict) -> JsonDict:
        return self._emit({"update_id": self._next_update_id(), kind: payload})

    # messages ----------------------------------------------------------------------------

    def message(
        self,
        user: FakeUser,
        text: str,
        *,
        chat: FakeGroup | None = None,
        reply_to: Mapping[str, Any] | None = None,
    ) -> JsonDict:
        """The respondent typed ``text`` (entities detected as Telegram does)."""
        content: JsonDict = {"text": text}
        entities = detect_entities(text)
        if entities:
            content["entities"] = entities
        return self._update("message", self._message(user, chat, content, reply_to=reply_to))

    def command(
        self, user: FakeUser, command: str, args: str = "", *, chat: FakeGroup | None = None
    ) -> JsonDict:
        """The respondent sent ``/command args`` (in a group: ``/command@botname``)."""
        name = command.lstrip("/")
        if chat is not None and self.bot.username:
            name = f"{name}@{self.bot.username}"
        text = f"/{name} {args}".rstrip()
        return self.message(user, text, chat=chat)

    def group_message(self, user: FakeUser, group: FakeGroup, text: str) -> JsonDict:
        """Someone wrote ``text`` in a group the bot is in."""
        return self.message(user, text, chat=group)

    def edited_message(self, original: Mapping[str, Any], text: str) -> JsonDict:
        """The respondent edited an earlier text message (an update or message dict) to ``text``."""
        message = dict(_message_of(original))
        message.pop("entities", None)
        message["edit_date"] = max(self.now(), message["date"] + 1)
        message["text"] = text
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        return self._update("edited_message", message)

    def sticker(
        self,
        user: FakeUser,
        *,
        emoji: str = "\N{THUMBS UP SIGN}",
        set_name: str = "HotCherry",
        chat: FakeGroup | None = None,
    ) -> JsonDict:
        """The respondent sent a sticker."""
        file_id, unique_id = new_file_ids("sticker")
        thumb_id, thumb_unique = new_file_ids("photo")
        sticker = {
            "width": 512,
            "height": 512,
            "emoji": emoji,
            "set_name": set_name,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "thumbnail": {
                "file_id": thumb_id,
                "file_unique_id": thumb_unique,
                "file_size": 5416,
                "width": 128,
                "height": 128,
            },
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": 29_440,
        }
        return self._update("message", self._message(user, chat, {"sticker": sticker}))

    def photo(
        self,
        user: FakeUser,
        *,
        width: int = 1280,
        height: int = 960,
        caption: str | None = None,
        chat: FakeGroup | None = None,
    ) -> JsonDict:
        """The respondent sent a photo: an array of PhotoSize, smallest first, as Telegram
        stores thumbnails at 90, 320, 800 and 1280 pixels on the longest side."""
        content: JsonDict = {"photo": photo_sizes(width, height)}
        if caption:
            content["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                content["caption_entities"] = entities
        return self._update("message", self._message(user, chat, content))

    def voice(
        self, user: FakeUser, *, duration: int = 3, chat: FakeGroup | None = None
    ) -> JsonDict:
        """The respondent sent a voice note."""
        file_id, unique_id = new_file_ids("voice")
        voice = {
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": 4_000 * duration,
        }
        return self._update("message", self._message(user, chat, {"voice": voice}))

    def document(
        self,
        user: FakeUser,
        *,
        file_name: str = "comments.pdf",
        mime_type: str = "application/pdf",
        file_size: int = 48_213,
        caption: str | None = None,
        chat: FakeGroup | None = None,
    ) -> JsonDict:
        """The respondent sent a file."""
        file_id, unique_id = new_file_ids("document")
        document = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": file_size,
        }
        content: JsonDict = {"document": document}
        if caption:
            content["caption"] = caption
        return self._update("message", self._message(user, chat, content))

    def location(
        self,
        user: FakeUser,
        latitude: float = 51.507351,
        longitude: float = -0.127758,
        *,
        chat: FakeGroup | None = None,
    ) -> JsonDict:
        """The respondent shared a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._update("message", self._message(user, chat, {"location": location}))

    def contact(
        self,
        user: FakeUser,
        phone_number: str = "447700900123",
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
        chat: FakeGroup | None = None,
    ) -> JsonDict:
        """The respondent shared a contact (by default their own, which carries their user_id)."""
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": first_name or user.first_name,
        }
        if last_name or (first_name is None and user.last_name):
            contact["last_name"] = last_name or user.last_name
        contact["user_id"] = user_id if user_id is not None else user.id
        return self._update("message", self._message(user, chat, {"contact": contact}))

    # button presses ----------------------------------------------------------------------

    def callback_query(self, user: FakeUser, message: Mapping[str, Any], data: str) -> JsonDict:
        """The respondent pressed an inline button with ``data`` under the bot's ``message``
        (a Message dict as the fake returned it, e.g. ``api.last_message(chat_id).raw``)."""
        message = dict(_message_of(message))
        with self._lock:
            serial = next(self._query_ids)
        query = {
            "id": str(user.id * 4_294_967_296 % 10**19 + serial),
            "from": user.to_dict(),
            "message": message,
            "chat_instance": chat_instance_for(message["chat"]["id"]),
            "data": data,
        }
        return self._update("callback_query", query)

    # membership --------------------------------------------------------------------------

    def my_chat_member(
        self, user: FakeUser, *, old_status: str = "member", new_status: str = "kicked"
    ) -> JsonDict:
        """The bot's membership in the respondent's private chat changed (``kicked``: the
        respondent blocked the bot; back to ``member``: they unblocked it)."""
        bot = self.bot.to_dict()
        return self._update(
            "my_chat_member",
            {
                "chat": user.chat(),
                "from": user.to_dict(),
                "date": self.now(),
                "old_chat_member": _member(bot, old_status),
                "new_chat_member": _member(bot, new_status),
            },
        )

    def bot_blocked(self, user: FakeUser) -> JsonDict:
        """The respondent blocked the bot: Telegram's my_chat_member update (status kicked)."""
        return self.my_chat_member(user, old_status="member", new_status="kicked")

    def bot_unblocked(self, user: FakeUser) -> JsonDict:
        """The respondent unblocked the bot (status back to member)."""
        return self.my_chat_member(user, old_status="kicked", new_status="member")


def _username(first_name: str, user_id: int) -> str:
    """A valid Telegram username (5-32 letters, digits, underscores) for a made-up person."""
    slug = re.sub(r"[^a-z0-9_]", "", first_name.lower()) or "user"
    return f"{slug[:20]}_{user_id % 10_000:04d}"


def _member(user: JsonDict, status: str) -> JsonDict:
    if status == "kicked":
        return {"user": user, "status": "kicked", "until_date": 0}
    return {"user": user, "status": status}


def _message_of(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept a Message dict, an update dict carrying one, or a fake's Shown record."""
    raw = getattr(value, "raw", None)
    if isinstance(raw, Mapping):
        return raw
    for key in ("message", "edited_message"):
        inner = value.get(key)
        if "update_id" in value and isinstance(inner, Mapping):
            return inner
    return value


def photo_sizes(width: int, height: int) -> list[JsonDict]:
    """PhotoSize entries Telegram keeps for a photo of this size, smallest first."""
    sizes = []
    longest = max(width, height)
    for side in (90, 320, 800, 1280):
        scale = min(1.0, side / longest)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        file_id, unique_id = new_file_ids("photo")
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_size": max(1, w * h // 12),
                "width": w,
                "height": h,
            }
        )
        if scale == 1.0:
            break
    return sizes
