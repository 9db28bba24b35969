"""Load a consultation file into frozen values, reporting every mistake with its key and fix."""

import hashlib
import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conversations.buttons import (
    CALLBACK_DATA_LIMIT,
    LABEL_LIMIT,
    PREFER_VALUE,
    button_data,
    question_at,
)
from conversations.control import privacy_full_text
from conversations.explanations import AREA_PREFIX, read_explanation
from conversations.language_loader import add_languages, load_locales
from conversations.languages import SOURCE_LANGUAGE, Locale
from conversations.model import (
    PREFER_NOT,
    PROFILE_AREA,
    RESERVED_AREAS,
    Area,
    Audience,
    Choice,
    Consultation,
    Kind,
    Question,
    Wording,
    standard_choices,
)
from conversations.reading_level import read_aims
from conversations.render import MESSAGE_LIMIT
from conversations.safeguarding import (
    Screening,
    default_rules,
    read_phrases,
    read_words,
    tokens,
)
from conversations.targets import profile_answer_keys, read_targets
from conversations.tomlreader import TableReader, load_toml

KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,32}$")
ID_PATTERN = re.compile(r"^[a-z0-9_-]{1,64}$")
DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_CONSULTATION = "medway-send-strategy-2022.toml"
SKIP_VALUE = "!skip"
DONE_VALUE = "!done"
YOUNG_AUDIENCES = ("young_person",)
"""Audiences given the young person's safeguarding help unless the file says otherwise."""
MIN_PHRASE = 3
BUTTON_MESSAGES = frozenset(
    {
        "consent_yes",
        "consent_privacy",
        "consent_no",
        "privacy_more",
        "stop_reminder",
        "stop_news",
        "areas_all",
        "review_send",
        "review_change",
        "change_back",
        "delete_yes",
        "delete_no",
        "skip",
        "prefer_not",
        "done",
        "yes",
        "no",
        "explain",
        "explain_area",
        "keep",
        "scale_agree_strongly",
        "scale_agree",
        "scale_not_sure",
        "scale_disagree",
        "scale_disagree_strongly",
    }
)
"""Built-in sentences shown on buttons, so an override is held to the button length too."""


def default_consultation_path() -> Path:
    """The consultation shipped with the package."""
    return Path(str(resources.files("conversations") / "flows" / DEFAULT_CONSULTATION))


def base_messages() -> dict[str, str]:
    """The built-in sentences, in English."""
    text = (resources.files("conversations") / "locales" / "en.toml").read_text("utf-8")
    return {key: value for key, value in tomllib.loads(text).items() if isinstance(value, str)}


def file_version(content: bytes) -> str:
    """The short hash of a consultation file's bytes that answers are stored with."""
    return hashlib.sha256(content).hexdigest()[:16]


def load_consultation(path: Path) -> Consultation:
    """Read and check a consultation file; raises FileProblems listing every mistake."""
    data = load_toml(path)
    root = TableReader.root(path, data)
    consultation = _Builder(root, file_version(path.read_bytes())).build()
    root.raise_problems()
    assert consultation is not None  # no problems means every part was built
    return consultation


class _Builder:
    """Builds a Consultation from the reader, noting problems instead of stopping at the first."""

    def __init__(self, root: TableReader, version: str) -> None:
        self.root = root
        self.version = version
        self.audience_keys: tuple[str, ...] = ()
        self.overrides: dict[str, str] = {}

    def build(self) -> Consultation | None:
        info = self.root.table("consultation", required=True)
        languages = self._languages(info)
        locales = load_locales(self.root, languages)
        audiences = self._audiences()
        messages = self._messages(locales, languages[0])
        areas = tuple(
            area for area in (self._area(table, messages) for table in self._areas()) if area
        )
        profile = self._profile(messages)
        final = self._final(messages)
        screening = self._screening(messages)
        final_in_file = self.root.has("final")
        aims = read_aims(self.root, self.audience_keys)
        targets = read_targets(self.root, self.audience_keys, profile_answer_keys(profile))
        self.root.has("translations")  # read once the English is built, in add_languages
        self.root.finish()
        if info is None:
            return None
        zone = self._timezone(info)
        opens_at = self._moment(info, "opens_at", zone, required=False)
        closes_at = self._moment(info, "closes_at", zone, required=True)
        if opens_at and closes_at and closes_at <= opens_at:
            info.problem("closes_at", "the close is not after the open", "make closes_at later")
        identifier = info.text("id")
        if identifier and not ID_PATTERN.match(identifier):
            info.problem("id", f"{identifier!r} has unusual characters", "use a-z, 0-9, - or _")
        built = dict(
            id=identifier,
            title=info.text("title"),
            summary=info.text("summary"),
            organisation=info.text("organisation"),
            document_url=info.text("document_url"),
            minutes=info.integer("minutes", default=10, minimum=1, maximum=120),
            outcome=info.text("outcome"),
            privacy_notice=info.text("privacy_notice"),
            privacy_notice_full=info.text("privacy_notice_full", required=False),
            data_controllers=info.strings("data_controllers"),
            consent_explain=read_explanation(info, self.audience_keys, "explain_consent"),
            other_ways=info.text("other_ways", required=False),
        )
        info.finish()
        if self.root.problems or closes_at is None or final is None or screening is None:
            return None
        consultation = Consultation(
            language=languages[0],
            languages=languages,
            opens_at=opens_at,
            closes_at=closes_at,
            timezone=zone,
            audiences=audiences,
            areas=areas,
            final_question=final,
            messages=messages,
            version=self.version,
            screening=screening,
            reading_aims=aims,
            targets=targets,
            profile=profile,
            **built,  # type: ignore[arg-type]  # every value was checked above
        )
        if len(full := privacy_full_text(consultation)) > MESSAGE_LIMIT:
            info.problem(
                "privacy_notice_full",
                f"the full notice is {len(full)} characters; one message holds {MESSAGE_LIMIT}",
                "shorten it, and link to the longest parts on your website",
            )
            return None
        return add_languages(
            self.root,
            consultation,
            locales,
            self.overrides,
            BUTTON_MESSAGES,
            final_in_file=final_in_file,
        )

    def _languages(self, info: TableReader | None) -> tuple[str, ...]:
        """The languages offered, the default first; English unless the file says otherwise."""
        if info is None:
            return (SOURCE_LANGUAGE,)
        languages = info.strings("languages", default=(SOURCE_LANGUAGE,))
        if not languages:
            info.problem("languages", "the list is empty", 'write languages = ["en"]')
            return (SOURCE_LANGUAGE,)
        self._unique(info, "languages", list(languages))
        return tuple(dict.fromkeys(languages))

    def _audiences(self) -> tuple[Audience, ...]:
        audiences = []
        for table in self.root.tables("audiences"):
            key, label = self._key(table), table.text("label")
            if label:
                self._label(table, "label", label)
            staff_label = table.text("staff_label", required=False) or ""
            table.finish()
            if key and label:
                audiences.append(Audience(key, label, staff_label))
        self._unique(self.root, "audiences", [audience.key for audience in audiences])
        self.audience_keys = tuple(audience.key for audience in audiences)
        return tuple(audiences)

    def _messages(self, locales: dict[str, Locale], language: str) -> dict[str, str]:
        messages = base_messages()
        if language in locales:
            messages |= locales[language].messages
        overrides = self.root.table("messages")
        if overrides is None:
            return messages
        for key in overrides.data:
            if key not in messages:
                overrides.problem(key, "unknown message", "use a key from locales/en.toml")
            elif (value := overrides.text(key)) is not None:
                if key in BUTTON_MESSAGES:
                    self._label(overrides, key, value)
                messages[key] = value
                self.overrides[key] = value
        return messages

    def _areas(self) -> list[TableReader]:
        tables = self.root.tables("areas")
        keys = [table.data.get("key") for table in tables]
        self._unique(self.root, "areas", [key for key in keys if isinstance(key, str)])
        return tables

    def _area(self, table: TableReader, messages: Mapping[str, str]) -> Area | None:
        key = self._key(table)
        if key in RESERVED_AREAS:
            table.problem(
                "key",
                f"{key!r} is kept for the bot's own answers",
                "give the area another key",
            )
            key = None
        title = self._wording(table, "title")
        if title:
            for text in (*title.by_audience.values(), title.default):
                if text is not None:
                    self._label(table, "title", text)
        summary = self._wording(table, "summary")
        explain = read_explanation(table, self.audience_keys)
        if key and explain:
            self._fits(table, f"{AREA_PREFIX}{key}")
        questions = []
        question_tables = table.tables("questions")
        self._unique(table, "questions", [str(t.data.get("key")) for t in question_tables])
        for question_table in question_tables:
            question = self._question(question_table, messages, key or "")
            if question:
                questions.append(question)
        table.finish()
        if key and title and summary and questions:
            return Area(key, title, summary, tuple(questions), explain)
        return None

    def _profile(self, messages: Mapping[str, str]) -> Area | None:
        """The optional [profile] table: an intro and questions about who is answering."""
        table = self.root.table("profile")
        if table is None:
            return None
        intro = self._wording(table, "intro")
        question_tables = table.tables("questions")
        self._unique(table, "questions", [str(t.data.get("key")) for t in question_tables])
        questions = [self._profile_question(t, messages) for t in question_tables]
        table.finish()
        if intro is None or not question_tables or None in questions:
            return None
        title = Wording({}, messages["profile_title"])
        return Area(PROFILE_AREA, title, intro, tuple(q for q in questions if q))

    def _profile_question(self, table: TableReader, messages: Mapping[str, str]) -> Question | None:
        """A profile question: counted (so not typed), and always skippable."""
        if table.data.get("skippable") is False:
            table.problem(
                "skippable",
                "questions about who is answering can always be skipped",
                "remove skippable = false",
            )
        if table.data.get("kind") == Kind.TEXT.value:
            table.problem(
                "kind",
                "a typed answer about someone can identify them, and cannot be counted",
                "use choice, multi, yesno or scale",
            )
        choices = table.data.get("choices")
        if isinstance(choices, list) and any(
            isinstance(c, dict) and c.get("key") == PREFER_NOT for c in choices
        ):
            table.problem(
                f"choices[{PREFER_NOT}]",
                'every profile question gets "Prefer not to say" by itself',
                "remove this choice",
            )
        audiences = table.strings("audiences")
        for audience in audiences:
            if audience not in self.audience_keys:
                table.problem("audiences", f"no audience {audience!r}", "use the audiences' keys")
        return self._question(table, messages, PROFILE_AREA, asked=audiences, profile=True)

    def _final(self, messages: Mapping[str, str]) -> Question | None:
        table = self.root.table("final")
        if table is None:
            text = Wording({}, messages["final_question"])
            return Question("anything_else", Kind.TEXT, text, max_length=2000)
        text = self._wording(table, "text")
        max_length = table.integer("max_length", default=2000, minimum=1, maximum=4000)
        explain = read_explanation(table, self.audience_keys)
        table.finish()
        if not text:
            return None
        return Question("anything_else", Kind.TEXT, text, max_length=max_length, explain=explain)

    def _screening(self, messages: Mapping[str, str]) -> Screening | None:
        """The [safeguarding] table: phrases and word fixes added to the shipped ones, help."""
        table = self.root.table("safeguarding")
        defaults = default_rules()
        young = tuple(key for key in YOUNG_AUDIENCES if key in self.audience_keys)
        help_text: Wording | None = None
        phrases: dict[str, tuple[str, ...]] = dict(defaults.phrases)
        written_words = dict(defaults.words)
        flag_all = False
        if table is not None:
            if not table.boolean("default_phrases", default=True):
                phrases = {}
            phrases["custom"] = table.strings("phrases")
            extra = table.raw("words") or {}
            if not isinstance(extra, dict) or not all(isinstance(v, str) for v in extra.values()):
                table.problem(
                    "words", "expected a table of texts", 'write words = { kms = "kill myself" }'
                )
            else:
                written_words.update(extra)
            flag_all = table.boolean("flag_all_text", default=False)
            young = table.strings("young_audiences", default=young)
            for key in young:
                if key not in self.audience_keys:
                    table.problem(
                        "young_audiences", f"no audience {key!r}", "use an audience's key"
                    )
            if table.has("help"):
                help_text = self._wording(table, "help")
            table.finish()
        words = read_words(written_words)
        for phrase in phrases.get("custom", ()):
            read = tokens(phrase, words)
            if not read or (len(read) == 1 and len(read[0].rstrip("*")) < MIN_PHRASE):
                assert table is not None
                table.problem(
                    "phrases",
                    f"{phrase!r} is too short: it would flag ordinary answers",
                    f"use {MIN_PHRASE} letters or more, or a few words",
                )
        if help_text is None:
            young_words = messages["safeguarding_help_young"]
            help_text = Wording({key: young_words for key in young}, messages["safeguarding_help"])
        return Screening(
            phrases=read_phrases(phrases, words),
            words=words,
            help=help_text,
            unsure_audience=young[0] if young else None,
            flag_all_text=flag_all,
        )

    def _question(
        self,
        table: TableReader,
        messages: Mapping[str, str],
        area: str,
        *,
        asked: tuple[str, ...] = (),
        profile: bool = False,
    ) -> Question | None:
        """One question; `asked` are the audiences asked it, when not all of them."""
        key = self._key(table)
        text = self._wording(table, "text", asked)
        kind_name = table.text("kind")
        kind = None
        if kind_name is not None:
            try:
                kind = Kind(kind_name)
            except ValueError:
                kinds = ", ".join(kind.value for kind in Kind)
                table.problem("kind", f"unknown question kind {kind_name!r}", f"use one of {kinds}")
        skippable = table.boolean("skippable", default=True)
        max_length = table.integer("max_length", default=1000, minimum=1, maximum=4000)
        comparable = table.boolean("comparable", default=False)
        if comparable and kind is Kind.TEXT:
            table.problem(
                "comparable",
                "typed answers have no figures to compare",
                "remove comparable, or use it on a question with buttons",
            )
        choices = self._choices(table, kind, messages)
        explain = read_explanation(table, self.audience_keys)
        table.finish()
        if not (key and text and kind):
            return None
        values = [choice.key for choice in choices]
        values += [SKIP_VALUE] if skippable else []
        values += [DONE_VALUE] if kind is Kind.MULTI else []
        values += [PREFER_VALUE] if profile else []
        for value in values:
            data = button_data(question_at(area, key), value)
            if len(data.encode()) > CALLBACK_DATA_LIMIT:
                table.problem(
                    "key",
                    f"button data {data!r} is over Telegram's {CALLBACK_DATA_LIMIT} bytes",
                    "use shorter keys for this area, question or its choices",
                )
                return None
        if explain is not None and not self._fits(table, question_at(area, key)):
            return None
        return Question(
            key,
            kind,
            text,
            choices,
            skippable,
            max_length,
            comparable,
            explain=explain,
            audiences=asked,
        )

    def _choices(
        self, table: TableReader, kind: Kind | None, messages: Mapping[str, str]
    ) -> tuple[Choice, ...]:
        if kind not in (Kind.CHOICE, Kind.MULTI):
            if table.has("choices") and kind is not None:
                table.problem("choices", f"a {kind} question has no choices", "remove choices")
            return standard_choices(kind, messages) if kind is not None else ()
        choices = []
        tables = table.tables("choices")
        for choice_table in tables:
            key = self._key(choice_table)
            label = self._wording(choice_table, "label")
            choice_table.finish()
            if key and label:
                choices.append(Choice(key, label))
        self._unique(table, "choices", [choice.key for choice in choices])
        return tuple(choices)

    def _key(self, table: TableReader) -> str | None:
        key = table.text("key")
        if key is not None and not KEY_PATTERN.match(key):
            table.problem("key", f"{key!r} is not a simple key", "use 1-32 of a-z, 0-9 and _")
            return None
        return key

    def _wording(self, table: TableReader, key: str, asked: tuple[str, ...] = ()) -> Wording | None:
        """Words that are one text for everyone, or a table with one text per audience (each
        audience in `asked`, or every audience when it is empty)."""
        value = table.raw(key)
        if value is None:
            table.problem(key, "this key is missing", f'add {key} = "..." or {key}.<audience>')
            return None
        if isinstance(value, str):
            wording = Wording({}, value)
        elif isinstance(value, dict) and all(isinstance(text, str) for text in value.values()):
            default = value.get("default")
            by_audience = {name: text for name, text in value.items() if name != "default"}
            for name in by_audience:
                if name not in self.audience_keys:
                    table.problem(f"{key}.{name}", "no such audience", "use an audience's key")
            if default is None:
                for audience in asked or self.audience_keys:
                    if audience not in by_audience:
                        table.problem(
                            f"{key}.{audience}",
                            f"no wording for the audience {audience!r}",
                            f'add {key}.{audience} = "..." or {key}.default = "..."',
                        )
            wording = Wording(by_audience, default)
        else:
            table.problem(key, "expected text or a table of texts", f'write {key} = "..."')
            return None
        if key == "label":
            for text in (*wording.by_audience.values(), wording.default):
                if text is not None:
                    self._label(table, key, text)
        return wording

    @staticmethod
    def _fits(table: TableReader, at: str) -> bool:
        """Whether an "Explain this" button for this place fits Telegram's button data."""
        data = button_data("explain", at)
        if len(data.encode()) <= CALLBACK_DATA_LIMIT:
            return True
        table.problem(
            "key",
            f"button data {data!r} is over Telegram's {CALLBACK_DATA_LIMIT} bytes",
            "use shorter keys for this area or question",
        )
        return False

    @staticmethod
    def _label(table: TableReader, key: str, text: str) -> None:
        if len(text) > LABEL_LIMIT:
            table.problem(
                key,
                f"{text!r} is {len(text)} characters, too long for a button",
                f"shorten it to {LABEL_LIMIT} characters or fewer",
            )

    @staticmethod
    def _unique(table: TableReader, key: str, keys: list[str]) -> None:
        seen: set[str] = set()
        for item in keys:
            if item in seen:
                table.problem(f"{key}[{item}]", "this key is used twice", "give each a unique key")
            seen.add(item)

    @staticmethod
    def _timezone(info: TableReader) -> ZoneInfo:
        name = info.text("timezone", required=False, default=DEFAULT_TIMEZONE) or DEFAULT_TIMEZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            info.problem(
                "timezone", f"unknown time zone {name!r}", 'use a name like "Europe/London"'
            )
            return ZoneInfo(DEFAULT_TIMEZONE)

    @staticmethod
    def _moment(info: TableReader, key: str, zone: ZoneInfo, *, required: bool) -> datetime | None:
        value: Any = info.raw(key)
        example = f'{key} = "2022-09-23T23:59"'
        if value is None:
            if required:
                info.problem(key, "this key is missing", f"add {example}")
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                info.problem(key, f"{value!r} is not a date and time", f"write {example}")
                return None
        if not isinstance(value, datetime):
            info.problem(key, "expected a date and time", f"write {example}")
            return None
        if value.tzinfo is not None:
            info.problem(key, "the time has an offset", f"give a local time, {example}")
            return None
        moment = value.replace(tzinfo=zone)
        if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
            info.problem(
                key,
                f"{value:%H:%M} on {value:%Y-%m-%d} never happens in {zone.key}: "
                "the clocks go forward then",
                "choose a time outside the hour the clocks skip",
            )
            return None
        return moment
