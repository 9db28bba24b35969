"""Telegram's formatting options (HTML, MarkdownV2, legacy Markdown) as plain text + entities.

Telegram measures message limits *after* entity parsing and refuses markup it cannot parse, so
the fakes need the same two answers: what text the respondent will read, and whether the markup
is valid.  ``parse(text, parse_mode)`` returns ``(plain_text, entities)`` with entity offsets and
lengths in UTF-16 code units (as the Bot API counts them), or raises the 400 error Telegram sends
(``"Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0"``).

The parsers follow the rules the reference spells out for each mode (supported tags and
entities, which characters must be escaped).  They are deliberately no more lenient than
Telegram: a stray ``<`` in HTML or an unescaped ``.`` in MarkdownV2 is an error, because it is one
in production.  Byte offsets in messages are UTF-8 offsets into the text as sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.telegram_fakes import errors


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units: how the Bot API counts entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _error(detail: str) -> errors.BotApiError:
    return errors.bad_request(f"can't parse entities: {detail}")


def parse(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities for ``text`` under ``parse_mode`` (None: text as is)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _HtmlParser(text).run()
    if mode == "markdownv2":
        return _MarkdownV2Parser(text).run()
    if mode == "markdown":
        return _LegacyMarkdownParser(text).run()
    return text, []


def strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim leading/trailing whitespace as Telegram does, moving entities along with the text."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


@dataclass
class _Open:
    """An entity whose start has been read and whose end is awaited."""

    name: str
    entity: dict[str, Any]
    start: int
    byte_offset: int


@dataclass
class _Builder:
    """Accumulates plain text and closed entities while a parser walks the source."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def close(self, opened: _Open) -> None:
        length = self.length - opened.start
        if length > 0 and opened.entity.get("type"):
            self.entities.append({**opened.entity, "offset": opened.start, "length": length})

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        ordered = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), ordered


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


# --- HTML -------------------------------------------------------------------------------------

_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
    "tg-time": "date_time",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTRIBUTE = re.compile(r"""\s*([a-zA-Z_-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class _HtmlParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()
        self.stack: list[_Open] = []

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            if char == "<":
                i = self._tag(i)
            elif char == "&":
                i = self._entity(i)
            else:
                nxt = min(p for p in (text.find("<", i), text.find("&", i), len(text)) if p >= 0)
                self.out.add(text[i:nxt])
                i = nxt
        if self.stack:
            raise _error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        return self.out.result()

    def _entity(self, i: int) -> int:
        end = self.text.find(";", i, i + 12)
        if end > 0:
            name = self.text[i + 1 : end]
            decoded = _NAMED_HTML_ENTITIES.get(name)
            if decoded is None and re.fullmatch(r"#\d+", name):
                decoded = chr(int(name[1:]))
            elif decoded is None and re.fullmatch(r"#[xX][0-9a-fA-F]+", name):
                decoded = chr(int(name[2:], 16))
            if decoded is not None:
                self.out.add(decoded)
                return end + 1
        self.out.add("&")  # Telegram keeps an unknown entity as literal text
        return i + 1

    def _tag(self, i: int) -> int:
        offset = _byte_offset(self.text, i)
        end = self.text.find(">", i)
        if end < 0:
            raise _error(f"Unclosed start tag at byte offset {offset}")
        inner = self.text[i + 1 : end]
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if not self.stack:
                raise _error(f"Unexpected end tag at byte offset {offset}")
            opened = self.stack.pop()
            if opened.name != name:
                raise _error(
                    f'Unmatched end tag at byte offset {offset}, expected "</{opened.name}>", '
                    f'found "</{name}>"'
                )
            self.out.close(opened)
            return end + 1
        match = re.match(r"[^\s/>]*", inner)
        name = match.group(0).lower() if match else ""
        if name not in _HTML_ENTITY_TYPES:
            raise _error(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = {
            m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _ATTRIBUTE.finditer(inner[len(name) :])
            if m.group(1)
        }
        entity = self._entity_for(name, attributes, offset)
        if self.stack and self.stack[-1].name in ("pre", "code") and name != "code":
            entity = {}  # Telegram does not nest entities inside pre/code
        self.stack.append(_Open(name, entity, self.out.length, offset))
        return end + 1

    def _entity_for(self, name: str, attributes: dict[str, str], offset: int) -> dict[str, Any]:
        kind = _HTML_ENTITY_TYPES[name]
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise _error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if name == "a":
            href = attributes.get("href", "")
            if not href:
                return {}
            match = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if match:
                return {"type": "text_mention", "user": {"id": int(match.group(1))}}
            return {"type": kind, "url": href}
        if name == "tg-emoji":
            if "emoji-id" not in attributes:
                raise _error(
                    f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}'
                )
            return {"type": kind, "custom_emoji_id": attributes["emoji-id"]}
        if name == "code" and self.stack and self.stack[-1].name == "pre":
            language = attributes.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].entity["language"] = language[len("language-") :]
            return {}
        if name == "blockquote" and "expandable" in attributes:
            return {"type": "expandable_blockquote"}
        if name == "tg-time":
            return {
                "type": kind,
                "unix_time": int(attributes.get("unix", "0") or 0),
                **({"date_time_format": attributes["format"]} if "format" in attributes else {}),
            }
        return {"type": kind}


# --- MarkdownV2 -------------------------------------------------------------------------------

_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_MARKERS = {
    "*": ("bold", "Bold"),
    "_": ("italic", "Italic"),
    "__": ("underline", "Underline"),
    "~": ("strikethrough", "Strikethrough"),
    "||": ("spoiler", "Spoiler"),
}


class _MarkdownV2Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()
        self.stack: list[_Open] = []
        self.quote: _Open | None = None

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, i = self.text, 0
        while i < len(text):
            at_line_start = i == 0 or text[i - 1] == "\n"
            char = text[i]
            if at_line_start:
                i = self._line_start(i)
                if i >= len(text):
                    break
                char = text[i]
            if char == "\\":
                if i + 1 < len(text) and 1 <= ord(text[i + 1]) <= 126:
                    self.out.add(text[i + 1])
                    i += 2
                    continue
                raise _error(self._reserved(char))
            if char == "`":
                i = self._code(i)
                continue
            two = text[i : i + 2]
            if two in ("__", "||"):
                self._toggle(two, i)
                i += 2
                continue
            if char in ("*", "_", "~"):
                self._toggle(char, i)
                i += 1
                continue
            if char == "[":
                self.stack.append(_Open("[", {}, self.out.length, _byte_offset(text, i)))
                i += 1
                continue
            if char == "]" and self.stack and self.stack[-1].name == "[":
                i = self._link_end(i)
                continue
            if char in _V2_RESERVED:
                raise _error(self._reserved(char))
            self.out.add(char)
            i += 1
        self._end_quote()
        if self.stack:
            opened = self.stack[-1]
            kind = "TextUrl" if opened.name == "[" else _V2_MARKERS[opened.name][1]
            raise _error(f"Can't find end of {kind} entity at byte offset {opened.byte_offset}")
        return self.out.result()

    @staticmethod
    def _reserved(char: str) -> str:
        return f"Character '{char}' is reserved and must be escaped with the preceding '\\'"

    def _line_start(self, i: int) -> int:
        text = self.text
        quoted = text.startswith(">", i) or text.startswith("**>", i)
        if quoted and self.quote is None:
            expandable = text.startswith("**>", i)
            kind = "expandable_blockquote" if expandable else "blockquote"
            self.quote = _Open(">", {"type": kind}, self.out.length, _byte_offset(text, i))
        elif not quoted:
            self._end_quote()
        if text.startswith("**>", i):
            return i + 3
        return i + 1 if quoted else i

    def _end_quote(self) -> None:
        if self.quote is not None:
            self.out.close(self.quote)
            self.quote = None

    def _toggle(self, marker: str, i: int) -> None:
        if self.stack and self.stack[-1].name == marker:
            self.out.close(self.stack.pop())
            return
        if any(opened.name == marker for opened in self.stack):
            raise _error(
                f"Can't find end of {_V2_MARKERS[marker][1]} entity at byte offset "
                f"{next(o.byte_offset for o in self.stack if o.name == marker)}"
            )
        entity = {"type": _V2_MARKERS[marker][0]}
        self.stack.append(_Open(marker, entity, self.out.length, _byte_offset(self.text, i)))

    def _code(self, i: int) -> int:
        text = self.text
        fence = "```" if text.startswith("```", i) else "`"
        j = i + len(fence)
        language = ""
        if fence == "```":
            newline = text.find("\n", j)
            first_line = text[j:newline] if newline >= 0 else ""
            if newline >= 0 and first_line and " " not in first_line and "`" not in first_line:
                language, j = first_line, newline + 1
        body: list[str] = []
        while j < len(text):
            if text[j] == "\\" and j + 1 < len(text):
                body.append(text[j + 1])
                j += 2
                continue
            if text.startswith(fence, j):
                start = self.out.length
                self.out.add("".join(body))
                entity: dict[str, Any] = {"type": "pre" if fence == "```" else "code"}
                if language:
                    entity["language"] = language
                self.out.close(_Open(fence, entity, start, 0))
                return j + len(fence)
            body.append(text[j])
            j += 1
        kind = "Pre" if fence == "```" else "Code"
        raise _error(f"Can't find end of {kind} entity at byte offset {_byte_offset(text, i)}")

    def _link_end(self, i: int) -> int:
        text = self.text
        opened = self.stack.pop()
        if not text.startswith("(", i + 1):
            raise _error(self._reserved("]"))
        j, url = i + 2, []
        while j < len(text) and text[j] != ")":
            if text[j] == "\\" and j + 1 < len(text):
                url.append(text[j + 1])
                j += 2
                continue
            url.append(text[j])
            j += 1
        if j >= len(text):
            raise _error(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
        opened.entity = {"type": "text_link", "url": "".join(url)}
        self.out.close(opened)
        return j + 1


# --- legacy Markdown --------------------------------------------------------------------------

_LEGACY_MARKERS = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}


class _LegacyMarkdownParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = _Builder()

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
                self.out.add(text[i + 1])
                i += 2
            elif text.startswith("```", i) or char in "*_`":
                i = self._span(i)
            elif char == "[":
                i = self._link(i)
            else:
                self.out.add(char)
                i += 1
        return self.out.result()

    def _unclosed(self, i: int) -> errors.BotApiError:
        return _error(
            f"can't find end of the entity starting at byte offset {_byte_offset(self.text, i)}"
        )

    def _span(self, i: int) -> int:
        marker = "```" if self.text.startswith("```", i) else self.text[i]
        end = self.text.find(marker, i + len(marker))
        if end < 0:
            raise self._unclosed(i)
        body = self.text[i + len(marker) : end]
        start = self.out.length
        entity: dict[str, Any] = {"type": _LEGACY_MARKERS[marker]}
        if marker == "```" and "\n" in body:
            first, rest = body.split("\n", 1)
            if first and " " not in first:
                entity["language"], body = first, rest
        self.out.add(body)
        self.out.close(_Open(marker, entity, start, 0))
        return end + len(marker)

    def _link(self, i: int) -> int:
        close = self.text.find("]", i)
        if close < 0:
            raise self._unclosed(i)
        label = self.text[i + 1 : close]
        if not self.text.startswith("(", close + 1):
            self.out.add(f"[{label}]")
            return close + 1
        end = self.text.find(")", close)
        if end < 0:
            raise self._unclosed(i)
        start = self.out.length
        self.out.add(label)
        url = self.text[close + 2 : end]
        self.out.close(_Open("[", {"type": "text_link", "url": url}, start, 0))
        return end + 1
