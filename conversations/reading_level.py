"""The reading-level check: every line each audience can see, scored, against the file's aims.

Thresholds are set per audience in the consultation file:

    [reading_level.young_person]
    min_ease = 80               # Flesch reading ease of all their text together
    max_sentence_words = 12     # average words a sentence
    max_long_words_percent = 15 # words of 3 syllables or more
    plain_words = true          # fail on words with a plainer alternative

A line fails if it uses a word with a plainer alternative (for audiences with plain_words); an
audience fails if its text as a whole is below its aims. Only English is scored.
"""

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from conversations.languages import for_staff
from conversations.model import Consultation, Question, ReadingAim
from conversations.readability import Score, score
from conversations.tomlreader import TableReader

SCORED_LANGUAGE = "en"
NOT_PROSE = frozenset({"weekdays", "months", "am_pm", "moment"})
"""Built-in sentences that are parts of a date, not sentences to read."""
HARDEST = 5
"""How many of each audience's hardest lines check lists."""
LONG_SENTENCE = 12
MIN_SCORED_WORDS = 4
"""Shorter lines (buttons, titles) are listed only for plainer words: one long word in a
two-word line makes its own score meaningless."""


DEFAULT_AIMS = {
    # Flesch 80+ reads at about 11; with short sentences and few long words, around 9-11.
    "young_person": ReadingAim(80.0, 12.0, 15.0, True),
    "parent_carer": ReadingAim(65.0, 15.0, 20.0, False),
    "professional": ReadingAim(45.0, 20.0, 30.0, False),
}


def read_aims(root: TableReader, audiences: tuple[str, ...]) -> dict[str, ReadingAim]:
    """The aims for each audience: the file's `[reading_level.<audience>]`, else the defaults."""
    aims = {key: DEFAULT_AIMS.get(key, ReadingAim()) for key in audiences}
    table = root.table("reading_level")
    if table is None:
        return aims
    for name in table.data:
        if name not in audiences:
            table.problem(name, "no such audience", "use an audience's key")
            continue
        one = table.table(name)
        if one is None:
            continue
        base = aims[name]
        aims[name] = ReadingAim(
            one.integer("min_ease", default=int(base.min_ease), minimum=0, maximum=120),
            one.integer("max_sentence_words", default=int(base.max_sentence_words), minimum=1),
            one.integer(
                "max_long_words_percent",
                default=int(base.max_long_words_percent),
                minimum=0,
                maximum=100,
            ),
            one.boolean("plain_words", default=base.plain_words),
        )
        one.finish()
    return aims


@cache
def plain_words(language: str = SCORED_LANGUAGE) -> Mapping[str, str]:
    """Hard words and phrases, each with a plainer suggestion."""
    text = (resources.files("conversations") / "plain_words.toml").read_text("utf-8")
    return tomllib.loads(text).get(language, {})


def hard_words(line: str) -> list[tuple[str, str]]:
    """(word or phrase, suggestion) for each hard word in a line, longest phrase first."""
    found = []
    lower = f" {' '.join(line.lower().split())} "
    for phrase, suggestion in sorted(plain_words().items(), key=lambda item: -len(item[0])):
        for ending in (" ", ".", ",", "?", "!", ":", "'", "s "):
            if f" {phrase.lower()}{ending}" in lower:
                found.append((phrase, suggestion))
                lower = lower.replace(phrase.lower(), "")
                break
    return found


@dataclass(frozen=True)
class Line:
    """One line an audience can see, named by where it comes from."""

    where: str
    text: str
    score: Score = field(default_factory=Score)


def lines_for(consultation: Consultation, audience: str) -> Iterator[Line]:
    """Every line this audience can see: built-in sentences and the consultation's own."""
    c = consultation
    texts: list[tuple[str, str]] = [
        (f"messages.{key}", text)
        for key, text in c.messages.items()
        if not for_staff(key) and key not in NOT_PROSE
    ]
    texts += [(f"consultation.{name}", getattr(c, name)) for name in ("title", "summary")]
    texts += [
        ("consultation.outcome", c.outcome),
        ("consultation.privacy_notice", c.privacy_notice),
    ]
    texts += [("consultation.other_ways", c.other_ways)] if c.other_ways else []
    texts += [(f"audiences.{a.key}", a.label) for a in c.audiences]
    if c.consent_explain and (words := c.consent_explain.text.get(audience)):
        texts.append(("consultation.explain_consent", words))
    for area in c.areas:
        where = f"areas.{area.key}"
        texts += [
            (f"{where}.title", area.title.for_audience(audience)),
            (f"{where}.summary", area.summary.for_audience(audience)),
        ]
        if area.explain and (words := area.explain.text.get(audience)):
            texts.append((f"{where}.explain", words))
        texts += _question_texts(where, area.questions, audience)
    if c.profile is not None:
        texts.append(("profile.intro", c.profile.summary.for_audience(audience)))
        texts += _question_texts("profile", c.profile.questions, audience)
    texts.append(("final.text", c.final_question.text.for_audience(audience)))
    for where, text in texts:
        for line in text.split("\n"):
            if line.strip():
                yield Line(where, line.strip(), score(line))


def _question_texts(
    where: str, questions: Iterable[Question], audience: str
) -> list[tuple[str, str]]:
    """(path, text) for what this audience reads of each question: words, choices, explanation."""
    texts = []
    for question in questions:
        here = f"{where}.questions.{question.key}"
        texts.append((f"{here}.text", question.text.for_audience(audience)))
        texts += [
            (f"{here}.choices.{ch.key}", ch.label.for_audience(audience)) for ch in question.choices
        ]
        if question.explain and (words := question.explain.text.get(audience)):
            texts.append((f"{here}.explain", words))
    return texts


@dataclass(frozen=True)
class AudienceReading:
    """One audience's scores, against its aims."""

    audience: str
    aim: ReadingAim
    total: Score
    lines: tuple[Line, ...]
    hard: tuple[tuple[Line, list[tuple[str, str]]], ...]

    @property
    def problems(self) -> list[str]:
        """What falls short of the aims, in words."""
        found = []
        if self.total.ease < self.aim.min_ease:
            found.append(f"reading ease {self.total.ease:.0f} is below {self.aim.min_ease:.0f}")
        if self.total.words_per_sentence > self.aim.max_sentence_words:
            found.append(
                f"{self.total.words_per_sentence:.1f} words a sentence is over "
                f"{self.aim.max_sentence_words:.0f}"
            )
        if self.total.long_percent > self.aim.max_long_words_percent:
            found.append(
                f"{self.total.long_percent:.0f}% long words is over "
                f"{self.aim.max_long_words_percent:.0f}%"
            )
        if self.aim.plain_words and self.hard:
            found.append(f"{len(self.hard)} lines use words with a plainer alternative")
        return found


def assess(consultation: Consultation, aims: Mapping[str, ReadingAim]) -> list[AudienceReading]:
    """Each audience's reading level (English only)."""
    readings = []
    for audience in consultation.audiences:
        lines = tuple(dict.fromkeys(lines_for(consultation, audience.key)))
        total = sum((line.score for line in lines), Score())
        hard = tuple((line, found) for line in lines if (found := hard_words(line.text)))
        readings.append(AudienceReading(audience.key, aims[audience.key], total, lines, hard))
    return readings


def reading_report(
    consultation: Consultation, aims: Mapping[str, ReadingAim]
) -> tuple[list[str], bool]:
    """Lines for `consultbot check`, and whether any audience falls short."""
    english = consultation.in_language(SCORED_LANGUAGE)
    if english.language != SCORED_LANGUAGE:
        return ["Reading level: not scored (Flesch reading ease is for English)"], False
    lines = ["Reading level (Flesch reading ease: higher is easier; 80+ reads at about 9-11):"]
    failed = False
    for reading in assess(english, aims):
        total, aim = reading.total, reading.aim
        problems = reading.problems
        failed = failed or bool(problems)
        verdict = f"FAILS: {'; '.join(problems)}" if problems else "passes"
        lines.append(
            f"  {reading.audience}: ease {total.ease:.0f} (aim {aim.min_ease:.0f}+), "
            f"{total.words_per_sentence:.1f} words a sentence "
            f"(aim {aim.max_sentence_words:.0f} or fewer), {total.long_percent:.0f}% long words "
            f"(aim {aim.max_long_words_percent:.0f}% or fewer), {len(reading.lines)} lines: "
            f"{verdict}"
        )
        if aim.plain_words:
            for line, found in reading.hard:
                swaps = "; ".join(f"say {plain} instead of '{word}'" for word, plain in found)
                lines.append(f"    {line.where}: {line.text!r}: {swaps}")
        below = {  # one entry per text, however many places show it
            line.text: line
            for line in reversed(reading.lines)
            if line.score.ease < aim.min_ease and line.score.words >= MIN_SCORED_WORDS
        }
        for line in sorted(below.values(), key=lambda one: one.score.ease)[:HARDEST]:
            lines.append(
                f"    hard to read ({line.score.ease:.0f}): {line.where}: {line.text!r}: "
                f"{suggestion(line.score)}"
            )
    return lines, failed


def suggestion(counts: Score) -> str:
    """A plain suggestion for making one line easier."""
    advice = []
    if counts.words_per_sentence > LONG_SENTENCE:
        advice.append("split it into shorter sentences")
    if counts.long_words:
        advice.append(f"find shorter words for {', '.join(dict.fromkeys(counts.long_words))}")
    return "; ".join(advice) or "read it aloud and cut any word you can"
