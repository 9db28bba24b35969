"""What reports need to know about a consultation: who was asked, in which words, in what order.

`reports.consultation.export_layout` builds one `ExportLayout` from the consultation file;
exports, statistics and charts read nothing else about the consultation. Rows for areas or
questions the layout does not name (say, a question removed mid-consultation) are still
exported in long formats and counted in statistics, under their keys.

Each audience may be asked a question in its own words. Figures are kept per audience, and
pooled only where `QuestionLayout.pooled` says every audience saw the same words (or the file
marks the question `comparable`), so no total mixes answers to different questions.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

COUNTED_KINDS = frozenset({"scale", "choice", "yesno", "multi"})
"""Question kinds whose answers are option keys, so they can be counted and charted."""


@dataclass(frozen=True, slots=True)
class QuestionWording:
    """The words one audience saw: the question and its options' labels, as (key, label)."""

    text: str
    choices: tuple[tuple[str, str], ...] = ()

    def label(self, choice: str) -> str:
        """The label for a choice key, or the key itself when the wording does not know it."""
        return next((label for key, label in self.choices if key == choice), choice)


@dataclass(frozen=True, slots=True)
class QuestionLayout:
    """One question: its key, its kind, its words and its options in display order.

    `kind` is one of "scale", "choice", "yesno", "multi" or "text". `text` and `choices` are
    the words anyone without their own wording saw; `by_audience` holds each audience's own
    words where they differ. `comparable` is the file's word that differently worded versions
    may still be pooled.
    """

    key: str
    text: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    by_audience: Mapping[str, QuestionWording] = field(default_factory=dict)
    comparable: bool = False

    @property
    def counted(self) -> bool:
        """Whether answers are option keys that statistics count and charts draw."""
        return self.kind in COUNTED_KINDS

    @property
    def option_keys(self) -> tuple[str, ...]:
        """The options' keys in display order."""
        return tuple(key for key, _ in self.choices)

    def wording(self, audience: str | None) -> QuestionWording:
        """The words this audience saw (the shared words for anyone without their own)."""
        if audience is not None and audience in self.by_audience:
            return self.by_audience[audience]
        return QuestionWording(self.text, self.choices)

    def label(self, choice: str) -> str:
        """The shared label for a choice key, or the key itself when the layout does not know it."""
        return self.wording(None).label(choice)

    def same_words(self, audiences: tuple[str | None, ...]) -> bool:
        """Whether these audiences all saw exactly the same question and labels."""
        return len({self.wording(audience) for audience in audiences}) <= 1

    def pooled(self, audiences: tuple[str | None, ...]) -> bool:
        """Whether a figure across these audiences means something: same words, or comparable."""
        return self.counted and (self.comparable or self.same_words(audiences))


@dataclass(frozen=True, slots=True)
class AreaLayout:
    """One priority area (or the final free question area): key, title and questions in order."""

    key: str
    title: str
    questions: tuple[QuestionLayout, ...]


@dataclass(frozen=True, slots=True)
class AudienceLayout:
    """One audience: its key and the name staff read ("Parent or carer", not parent_carer)."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class ExportLayout:
    """The areas of one consultation, in the order staff should read them, and its audiences."""

    areas: tuple[AreaLayout, ...]
    audiences: tuple[AudienceLayout, ...] = ()

    @property
    def audience_keys(self) -> tuple[str, ...]:
        """The audiences' keys, in the file's order."""
        return tuple(audience.key for audience in self.audiences)

    def audience_label(self, audience: str | None, not_recorded: str) -> str:
        """The name staff read for an audience; `not_recorded` when there is none."""
        if audience is None:
            return not_recorded
        return next((known.label for known in self.audiences if known.key == audience), audience)

    def all_questions(self) -> Iterator[tuple[AreaLayout, QuestionLayout]]:
        """Every question with its area, in reading order."""
        for area in self.areas:
            for question in area.questions:
                yield area, question

    def area_title(self, area: str) -> str:
        """The title of an area, or its key when the layout does not know it."""
        return next((known.title for known in self.areas if known.key == area), area)

    def question(self, area: str, question: str) -> QuestionLayout | None:
        """The layout of one question, or None when the layout does not know it."""
        return next(
            (
                known
                for owner, known in self.all_questions()
                if owner.key == area and known.key == question
            ),
            None,
        )

    def question_text(self, area: str, question: str, audience: str | None = None) -> str:
        """The wording an audience saw, or the question's key when the layout does not know it."""
        known = self.question(area, question)
        return known.wording(audience).text if known else question

    def choice_label(
        self, area: str, question: str, choice: str, audience: str | None = None
    ) -> str:
        """The label an audience saw for one option, or the option's key when unknown."""
        known = self.question(area, question)
        return known.wording(audience).label(choice) if known else choice
