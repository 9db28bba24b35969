"""How easy a line is to read: Flesch reading ease, sentence length and long words, offline.

Flesch reading ease is 206.835 - 1.015 x (words per sentence) - 84.6 x (syllables per word):
90-100 reads easily at about 10-11 years old, 80-90 at 11-12, 60-70 is plain English for adults,
under 50 is hard. It is a measure for English, so only English text is scored.

Syllables come from pyphen's hyphenation dictionary (shipped with it, nothing is downloaded),
checked against the word's vowel groups: a hyphenation dictionary leaves some words whole
("strategy") and splits off a lone letter ("character-s"), so the larger of the two counts of
vowel-bearing parts is taken.
"""

import re
from dataclasses import dataclass
from functools import cache

import pyphen

VOWELS = re.compile(r"[aeiouy]+")
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d+")
IGNORED = re.compile(r"\{[^}]*\}|/[a-z]+|https?://\S+")
"""Placeholders, commands and links: not words a reader has to read as words."""
SENTENCE_END = re.compile(r"[.!?:;\n]+")
LONG_WORD = 3
"""A word of this many syllables or more counts as long."""


@dataclass(frozen=True)
class Score:
    """The counts behind a reading-ease score, which add up across lines."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    long_words: tuple[str, ...] = ()

    def __add__(self, other: "Score") -> "Score":
        return Score(
            self.words + other.words,
            self.sentences + other.sentences,
            self.syllables + other.syllables,
            self.long_words + other.long_words,
        )

    @property
    def ease(self) -> float:
        """Flesch reading ease: higher is easier."""
        if not self.words:
            return 100.0
        per_sentence = self.words / max(self.sentences, 1)
        return 206.835 - 1.015 * per_sentence - 84.6 * (self.syllables / self.words)

    @property
    def words_per_sentence(self) -> float:
        return self.words / max(self.sentences, 1)

    @property
    def long_percent(self) -> float:
        return 100 * len(self.long_words) / max(self.words, 1)


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB", left=1, right=1)


@cache
def syllables(word: str) -> int:
    """How many syllables a word has (digits count as one: they are read at a glance)."""
    if word.isdigit():
        return 1
    lower = word.lower().replace("\u2019", "'")
    sounded = "_" + lower[1:] if lower.startswith("y") else lower  # a first y is a consonant
    pieces = _dictionary().inserted(sounded).split("-")
    parts = [part for part in pieces if VOWELS.search(part)]
    groups = len(VOWELS.findall(sounded))
    if lower.endswith("e") and not lower.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # a silent e: "same", "make"
    elif lower.endswith("es") and lower[-3:-2] not in ("s", "x", "z", "c", "g") and groups > 1:
        groups -= 1  # and in "minutes", "takes"
    elif lower.endswith("ed") and lower[-3:-2] not in ("t", "d") and groups > 1:
        groups -= 1  # and in "listened", "asked"
    return max(1, len(parts), groups)


def words_of(text: str) -> list[str]:
    """The words a reader reads, leaving out {placeholders}, /commands and links."""
    return WORD.findall(IGNORED.sub(" ", text))


def score(text: str) -> Score:
    """The counts for one piece of text."""
    sentences = [part for part in SENTENCE_END.split(IGNORED.sub(" ", text)) if words_of(part)]
    words = words_of(text)
    counts = [syllables(word) for word in words]
    long_words = tuple(w for w, n in zip(words, counts, strict=True) if n >= LONG_WORD)
    return Score(len(words), len(sentences), sum(counts), long_words)
