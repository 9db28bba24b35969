"""Loading a consultation's other languages: built-in sentences and `[translations.<code>]`.

Hard mistakes (a translated key the English does not have, placeholders that differ, a button
too long) are problems that stop the file loading, like any other mistake. Texts not yet
translated, or translated from English that has changed since, fall back to English and are
kept as gaps for `consultbot check` to report.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from conversations.buttons import LABEL_LIMIT
from conversations.errors import FileProblem
from conversations.languages import (
    SOURCE_LANGUAGE,
    Locale,
    load_locale,
    translated_keys,
)
from conversations.model import Consultation, TranslationGap
from conversations.tomlreader import TableReader
from conversations.translations import (
    find_gaps,
    flatten,
    placeholder_problem,
    source_texts,
    translate,
)

DRAFT_FIX = "ask a native speaker to check it, then remove draft = true"


def is_button(path: str, button_messages: frozenset[str]) -> bool:
    """Whether the text at this path is shown on a button, so held to the button length."""
    parts = path.split(".")
    return (
        parts[0] == "audiences"
        or (parts[0] == "areas" and len(parts) > 2 and parts[2] == "title")
        or "choices" in parts
        or (parts[0] == "messages" and parts[1] in button_messages)
    )


def load_locales(root: TableReader, languages: tuple[str, ...]) -> dict[str, Locale]:
    """The built-in sentences of each language, noting a language that has none."""
    locales = {}
    for code in dict.fromkeys((SOURCE_LANGUAGE, *languages)):
        try:
            locales[code] = load_locale(code)
        except FileProblem as problem:
            root.problem(
                "consultation.languages" if code in languages else "(file)",
                problem.problem,
                problem.fix,
            )
    return locales


def messages_in(
    locales: Mapping[str, Locale], code: str, button_messages: frozenset[str], root: TableReader
) -> dict[str, str]:
    """The built-in sentences in one language, English where a sentence is not translated."""
    english = locales[SOURCE_LANGUAGE].messages
    messages = dict(english)
    locale = locales.get(code)
    if locale is None or code == SOURCE_LANGUAGE:
        return messages
    for key, text in locale.messages.items():
        where = TableReader(locale.path, {}, "", root.problems)
        if key not in english:
            where.problem(key, "no such sentence in en.toml", "remove it, or check the spelling")
        elif problem := placeholder_problem(english[key], text, key):
            where.problem(key, problem, "use exactly the English placeholders")
        elif key in button_messages and len(text) > LABEL_LIMIT:
            where.problem(key, f"{len(text)} characters, too long for a button", "shorten it")
        else:
            messages[key] = text
    return messages


def add_languages(
    root: TableReader,
    consultation: Consultation,
    locales: Mapping[str, Locale],
    overrides: Mapping[str, str],
    button_messages: frozenset[str],
    *,
    final_in_file: bool,
) -> Consultation:
    """The consultation with a translated copy per other language, and the gaps found."""
    sources = source_texts(consultation, overrides, final_in_file=final_in_file)
    table = root.table("translations")
    tables: Mapping[str, Any] = table.data if table else {}
    for code in tables:
        if code not in consultation.languages[1:]:
            assert table is not None
            table.problem(code, "this language is not offered", f'add "{code}" to languages')
    names = {code: locales[code].name for code in consultation.languages if code in locales}
    consultation = replace(consultation, language_names=names)
    translated, gaps = {}, []
    english = locales.get(SOURCE_LANGUAGE)
    for code in consultation.languages[1:]:
        locale = locales.get(code)
        if locale is None or english is None:
            continue
        data = tables.get(code, {})
        reader = TableReader(root.path, data, f"translations.{code}", root.problems)
        texts = _texts(reader, data, sources, button_messages)
        messages = messages_in(locales, code, button_messages, root)
        for key, english_text in overrides.items():
            messages[key] = texts.get(f"messages.{key}", english_text)
        stamps = data.get("stamps", {})
        gaps += find_gaps(root.path, f"translations.{code}", code, sources, texts, stamps)
        source_messages = {key: english.messages[key] for key in translated_keys(english.messages)}
        gaps += find_gaps(locale.path, "", code, source_messages, locale.messages, locale.stamps)
        for path, what in ((root.path, data.get("draft")), (locale.path, locale.draft)):
            if what:
                note = f"{locale.name} ({code}) is a draft: not yet checked by a native speaker"
                gaps.append(TranslationGap(str(path), "draft", code, note, DRAFT_FIX, False))
        translated[code] = translate(
            consultation, code, texts, messages, final_in_file=final_in_file
        )
    return replace(
        consultation,
        translated=translated,
        translation_gaps=tuple(gaps),
    )


def _texts(
    reader: TableReader,
    data: Mapping[str, Any],
    sources: Mapping[str, str],
    button_messages: frozenset[str],
) -> dict[str, str]:
    """The translated texts by path, noting keys the English lacks and mismatched placeholders."""
    if not isinstance(data, dict):
        reader.problem("", "expected a table", f"write it as [{reader.where}]")
        return {}
    texts = {}
    if "draft" in data and not isinstance(data["draft"], bool):
        reader.problem("draft", "expected true or false", "write draft = true")
    for path, text in flatten(data):
        if path not in sources:
            reader.problem(path, "the English has no text here", "check the key, or remove it")
        elif not isinstance(text, str) or not text.strip():
            reader.problem(path, "expected text in quotes", f'write {path} = "..."')
        elif problem := placeholder_problem(sources[path], text):
            reader.problem(path, problem, "use exactly the English placeholders")
        elif is_button(path, button_messages) and len(text) > LABEL_LIMIT:
            reader.problem(path, f"{len(text)} characters, too long for a button", "shorten it")
        else:
            texts[path] = text
    return texts
