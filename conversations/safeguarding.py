"""Screening typed words for a possible disclosure of harm, before the next question is shown.

Pure and data-driven: the phrases and word fixes come from `safeguarding.toml` beside this
module (a good default list) and from the consultation file's `[safeguarding]` table. The
engine calls `Screening.matches` on every typed message; what to do about a match (a kind
reply now, an alert to staff after the commit) is decided by the engine and the service.

Matching errs on the side of care. It reads text and phrases the same way (see `tokens`):
case, accents, apostrophes, punctuation, look-alike digits ("k1ll"), letters spelled out one by
one ("k i l l"), repeated letters ("hurtttt", and "bulied" for "bullied"), then text-speak and
common misspellings ("kms", "myslef"). A phrase matches whole words in order; a word ending in
`*` matches any word it starts; long words match with one letter wrong; long phrases match with
the spaces left out. It cannot understand meaning: it will miss a disclosure put in words it
has never seen, and it will flag some ordinary sentences. It supports people, not replaces them.
"""

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from conversations.model import Wording

WILDCARD = "*"
LOOK_ALIKE = str.maketrans("0134578@$", "oieastbas")
"""Digits and symbols read as the letters they stand for, inside words that have letters."""
SHORT_WORDS = frozenset("iaurynbcx")
"""Single letters that are words or text-speak by themselves ("u r a"), so not spelled out."""
FUZZY_LENGTH = 7
"""Words this long match with one letter wrong, missing or extra."""
SWAP_LENGTH = 5
"""Words this long (and shorter than FUZZY_LENGTH) match with two neighbouring letters swapped."""
COMPACT_LENGTH = 8
"""Phrases with this many letters also match with the spaces left out ("killmyself")."""
SPELLED_OUT = 3
"""This many single letters in a row are one word spelled out ("d i e")."""


def _raw_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    plain = re.sub("['\u2019\u2018`\u00b4]", "", plain)  # apostrophes: "dont" is one word
    return re.findall(r"[\w@$*]+", plain)


def _joined_spelling(words: list[str]) -> list[str]:
    """Join runs of single letters ("k i l l") into the word they spell."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= SPELLED_OUT and not set(run) <= SHORT_WORDS:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if word:
            joined.append(word)
    return joined


def _plain_word(word: str) -> str:
    if any(char.isalpha() for char in word):
        word = word.translate(LOOK_ALIKE)
    return re.sub(r"(.)\1+", r"\1", word)


def tokens(text: str, words: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The words of a text as the screening reads them, with `words` fixes applied."""
    read: list[str] = []
    for word in _joined_spelling(_raw_tokens(text)):
        plain = _plain_word(word)
        read.extend(words.get(plain, (plain,)) if words else (plain,))
    return tuple(word for word in read if word)


def _swapped(a: str, b: str) -> bool:
    """Whether b is a with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    differ = [index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added or taken away, or two swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1 or _swapped(a, b)
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def _near(pattern: str, word: str) -> bool:
    """Whether a word is a misspelling of a pattern word close enough to count."""
    if len(pattern) >= FUZZY_LENGTH:
        return _one_edit(pattern, word)
    return len(pattern) >= SWAP_LENGTH and _swapped(pattern, word)


def _deletions(word: str) -> set[str]:
    """The word and each way of taking one letter out of it."""
    return {word, *(word[:index] + word[index + 1 :] for index in range(len(word)))}


class _Vocabulary:
    """Every word the phrases use, arranged to find quickly which of them a text word matches.

    Misspellings are found through deletions: a word within one edit of a pattern word shares
    a one-letter deletion with it, so a few dictionary look-ups find the candidates to check.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        self.exact: set[str] = set()
        self.prefixes: set[str] = set()
        self.near: dict[str, set[str]] = {}
        for pattern in patterns:
            if pattern.endswith(WILDCARD):
                self.prefixes.add(pattern[:-1])
                continue
            self.exact.add(pattern)
            if len(pattern) >= SWAP_LENGTH:
                for key in _deletions(pattern):
                    self.near.setdefault(key, set()).add(pattern)

    def matched_by(self, word: str) -> set[str]:
        """The pattern words this text word matches."""
        found = {word} & self.exact
        found.update(
            word[:end] + WILDCARD for end in range(1, len(word) + 1) if word[:end] in self.prefixes
        )
        for key in _deletions(word):
            found.update(p for p in self.near.get(key, ()) if p != word and _near(p, word))
        return found


@dataclass(frozen=True)
class Phrase:
    """One phrase to look for: its category, its words as read, and as written."""

    category: str
    words: tuple[str, ...]
    written: str

    @cached_property
    def compact(self) -> str | None:
        """The phrase without spaces, when long enough to look for that way too."""
        if any(word.endswith(WILDCARD) for word in self.words):
            return None
        joined = "".join(self.words)
        return joined if len(joined) >= COMPACT_LENGTH else None

    def found_in(self, places: Mapping[str, list[int]], compact: str) -> bool:
        """Whether the phrase is in a text; `places` lists where each pattern word matched."""
        for start in places.get(self.words[0], ()):
            if all(
                start + offset in places.get(pattern, ())
                for offset, pattern in enumerate(self.words[1:], 1)
            ):
                return True
        joined = self.compact
        return joined is not None and joined in compact


@dataclass(frozen=True)
class Screening:
    """A consultation's screening rules and the help shown when something matches.

    `help` is the message for each audience; `unsure_audience` is whose wording serves someone
    who has not said who they are yet (a young person's, to err on the side of care).
    `flag_all_text` flags every typed answer for staff to review, matched or not (the help
    message is shown only on a match).
    """

    phrases: tuple[Phrase, ...]
    words: Mapping[str, tuple[str, ...]]
    help: Wording
    unsure_audience: str | None = None
    flag_all_text: bool = False

    @cached_property
    def _vocabulary(self) -> _Vocabulary:
        return _Vocabulary({word for phrase in self.phrases for word in phrase.words})

    def matches(self, text: str) -> tuple[Phrase, ...]:
        """Every phrase found in the text (none for an ordinary answer)."""
        words = tokens(text, self.words)
        matched = {word: self._vocabulary.matched_by(word) for word in set(words)}
        places: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            for pattern in matched[word]:
                places.setdefault(pattern, []).append(index)
        compact = "".join(words)
        return tuple(phrase for phrase in self.phrases if phrase.found_in(places, compact))

    def help_for(self, audience: str | None) -> str:
        """The help message in this audience's words."""
        return self.help.for_audience(audience if audience is not None else self.unsure_audience)


@dataclass(frozen=True)
class Defaults:
    """The shipped phrase list and word fixes, as written in `safeguarding.toml`."""

    phrases: Mapping[str, tuple[str, ...]]
    words: Mapping[str, str]


def default_rules() -> Defaults:
    """The phrases and word fixes shipped with the package."""
    text = (resources.files("conversations") / "safeguarding.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Defaults(
        phrases={category: tuple(items) for category, items in data["phrases"].items()},
        words=dict(data["words"]),
    )


def read_words(written: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Word fixes as written ("kms" = "kill myself") into the form matching uses."""
    read: dict[str, tuple[str, ...]] = {}
    for word, meaning in written.items():
        for key in tokens(word):
            read[key] = tokens(meaning)
    return read


def read_phrases(
    written: Mapping[str, Iterable[str]], words: Mapping[str, tuple[str, ...]]
) -> tuple[Phrase, ...]:
    """Phrases as written, per category, into the form matching uses (duplicates dropped)."""
    seen: set[tuple[str, ...]] = set()
    phrases = []
    for category, items in written.items():
        for item in items:
            read = tokens(item, words)
            if read and read not in seen:
                seen.add(read)
                phrases.append(Phrase(category, read, item))
    return tuple(phrases)
