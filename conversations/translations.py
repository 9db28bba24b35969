"""A consultation's own words in other languages: the `[translations.<code>]` tables of its file.

A translation mirrors the file's shape with the same keys, for example:

    [translations.pl.areas.inclusion]
    title = "..."
    summary.young_person = "..."

    [translations.pl.areas.inclusion.questions.important]
    text.young_person = "..."

Every text is named by a dotted path (`areas.inclusion.questions.important.text.young_person`);
`source_texts` lists the paths of the English words, `translate` builds the consultation in
another language from the paths translated, and `find_gaps` reports the missing and the stale.
A path missing from a translation falls back to the English words.
"""

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from conversations.languages import OPTIONAL_PLACEHOLDERS, placeholders, stamp
from conversations.model import (
    Area,
    Choice,
    Consultation,
    Explanation,
    Kind,
    Question,
    TranslationGap,
    Wording,
    standard_choices,
)

CONSULTATION_FIELDS = ("organisation", "title", "summary", "outcome", "privacy_notice")
OPTIONAL_FIELDS = ("other_ways", "privacy_notice_full")
SAFEGUARDING_HELP = ("safeguarding_help", "safeguarding_help_young")
"""The built-in help messages after a possible disclosure, shown in the respondent's language
from the locale files; a consultation's own [safeguarding] help is translated in its file, at
`safeguarding.help` (or `safeguarding.help.<audience>`), like its other words."""
RESERVED = frozenset({"draft", "stamps"})
"""Keys of a translation table that are about the translation, not texts."""


def wording_paths(path: str, wording: Wording) -> Iterator[tuple[str, str]]:
    """(path, text) for each text of a wording: one path, or one per audience."""
    if not wording.by_audience:
        if wording.default is not None:
            yield path, wording.default
        return
    for audience, text in wording.by_audience.items():
        yield f"{path}.{audience}", text
    if wording.default is not None:
        yield f"{path}.default", wording.default


def question_paths(path: str, question: Question) -> Iterator[tuple[str, str]]:
    """(path, text) for a question's own words: its text, choices and explanation."""
    yield from wording_paths(f"{path}.text", question.text)
    if question.kind in (Kind.CHOICE, Kind.MULTI):
        for choice in question.choices:
            yield from wording_paths(f"{path}.choices.{choice.key}", choice.label)
    yield from explanation_paths(f"{path}.explain", question.explain)


def explanation_paths(path: str, explanation: Explanation | None) -> Iterator[tuple[str, str]]:
    """(path, text) for an easy-read explanation's words, if there is one."""
    if explanation is not None:
        yield from wording_paths(path, explanation.text)


def source_texts(
    consultation: Consultation, overrides: Mapping[str, str], *, final_in_file: bool
) -> dict[str, str]:
    """Every text of the consultation's own, by path, with the built-in sentences it overrides."""
    texts = {f"consultation.{name}": getattr(consultation, name) for name in CONSULTATION_FIELDS}
    texts |= {
        f"consultation.{name}": getattr(consultation, name)
        for name in OPTIONAL_FIELDS
        if getattr(consultation, name) is not None
    }
    texts |= {f"audiences.{a.key}": a.label for a in consultation.audiences}
    texts |= dict(explanation_paths("consultation.explain_consent", consultation.consent_explain))
    for area in consultation.areas:
        where = f"areas.{area.key}"
        texts |= dict(wording_paths(f"{where}.title", area.title))
        texts |= dict(wording_paths(f"{where}.summary", area.summary))
        texts |= dict(explanation_paths(f"{where}.explain", area.explain))
        for question in area.questions:
            texts |= dict(question_paths(f"{where}.questions.{question.key}", question))
    if (profile := consultation.profile) is not None:
        texts |= dict(wording_paths("profile.intro", profile.summary))
        for question in profile.questions:
            texts |= dict(question_paths(f"profile.questions.{question.key}", question))
    if final_in_file:
        texts |= dict(wording_paths("final.text", consultation.final_question.text))
        texts |= dict(explanation_paths("final.explain", consultation.final_question.explain))
    texts |= {f"messages.{key}": text for key, text in overrides.items()}
    built_in = {consultation.messages[key] for key in SAFEGUARDING_HELP}
    own_help = wording_paths("safeguarding.help", consultation.screening.help)
    texts |= {path: text for path, text in own_help if text not in built_in}
    return texts


def flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """A nested table as (dotted path, value) pairs, leaving out the reserved keys at the top."""
    for key, value in data.items():
        if not prefix and key in RESERVED:
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from flatten(value, path)
        else:
            yield path, value


def translate(
    consultation: Consultation,
    language: str,
    texts: Mapping[str, str],
    messages: Mapping[str, str],
    *,
    final_in_file: bool,
) -> Consultation:
    """The consultation with every translated path replaced; anything else stays in English."""

    def words(path: str, wording: Wording) -> Wording:
        if not wording.by_audience:
            return Wording({}, texts.get(path, wording.default))
        by_audience = {
            audience: texts.get(f"{path}.{audience}", text)
            for audience, text in wording.by_audience.items()
        }
        default = wording.default
        return Wording(by_audience, texts.get(f"{path}.default", default) if default else None)

    def explained(path: str, explanation: Explanation | None) -> Explanation | None:
        if explanation is None:
            return None
        return replace(explanation, text=words(path, explanation.text))

    def question(path: str, asked: Question) -> Question:
        if asked.kind in (Kind.CHOICE, Kind.MULTI):
            choices = tuple(
                Choice(c.key, words(f"{path}.choices.{c.key}", c.label)) for c in asked.choices
            )
        else:
            choices = standard_choices(asked.kind, messages)
        return replace(
            asked,
            text=words(f"{path}.text", asked.text),
            choices=choices,
            explain=explained(f"{path}.explain", asked.explain),
        )

    def area(item: Area) -> Area:
        where = f"areas.{item.key}"
        return replace(
            item,
            title=words(f"{where}.title", item.title),
            summary=words(f"{where}.summary", item.summary),
            explain=explained(f"{where}.explain", item.explain),
            questions=tuple(question(f"{where}.questions.{q.key}", q) for q in item.questions),
        )

    profile = consultation.profile
    if profile is not None:
        profile = replace(
            profile,
            title=Wording({}, messages["profile_title"]),
            summary=words("profile.intro", profile.summary),
            questions=tuple(question(f"profile.questions.{q.key}", q) for q in profile.questions),
        )
    final = consultation.final_question
    if final_in_file:
        final_text = words("final.text", final.text)
    else:
        final_text = Wording({}, messages["final_question"])
    fields = {
        name: texts.get(f"consultation.{name}", getattr(consultation, name))
        for name in (*CONSULTATION_FIELDS, *OPTIONAL_FIELDS)
    }
    built_in = {consultation.messages[key]: messages[key] for key in SAFEGUARDING_HELP}
    screening_help = consultation.screening.help
    help_text = words(
        "safeguarding.help",
        Wording(
            {k: built_in.get(v, v) for k, v in screening_help.by_audience.items()},
            built_in.get(screening_help.default, screening_help.default)
            if screening_help.default is not None
            else None,
        ),
    )
    return replace(
        consultation,
        screening=replace(consultation.screening, help=help_text),
        language=language,
        consent_explain=explained("consultation.explain_consent", consultation.consent_explain),
        audiences=tuple(
            replace(a, label=texts.get(f"audiences.{a.key}", a.label))
            for a in consultation.audiences
        ),
        areas=tuple(area(item) for item in consultation.areas),
        profile=profile,
        final_question=replace(
            final, text=final_text, explain=explained("final.explain", final.explain)
        ),
        messages=messages,
        translated={},
        translation_gaps=(),
        **fields,
    )


def find_gaps(
    path: Path,
    where: str,
    language: str,
    sources: Mapping[str, str],
    texts: Mapping[str, str],
    stamps: Mapping[str, str],
) -> list[TranslationGap]:
    """Each source text with no translation, or translated from English that has changed since.

    `where` is the table the translation sits in (a prefix for the keys reported).
    """
    gaps = []
    for key, text in sources.items():
        shown = f"{where}.{key}" if where else key
        if key not in texts:
            gaps.append(
                TranslationGap(
                    str(path), shown, language, "no translation", f"translate: {_quote(text)}"
                )
            )
        elif stamps.get(key) != stamp(text):
            problem = (
                "not yet marked as matching the English"
                if key not in stamps
                else "the English has changed since this was translated"
            )
            gaps.append(
                TranslationGap(
                    str(path),
                    shown,
                    language,
                    problem,
                    f"make it match {_quote(text)}, "
                    f"then run consultbot stamp --language {language}",
                    restamp=(key, stamp(text)),
                )
            )
    return gaps


def placeholder_problem(english: str, translated: str, key: str = "") -> str | None:
    """Why a translation's {placeholders} don't match the English, if they don't."""
    want, have = placeholders(english), placeholders(translated)
    if want == have or have <= OPTIONAL_PLACEHOLDERS.get(key, frozenset()):
        return None
    return f"its placeholders {sorted(have)} differ from the English {sorted(want)}"


def _quote(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")
