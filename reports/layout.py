"""What an export needs to know about a consultation: area and question order, words and labels.

The engine's adapter builds one `ExportLayout` from the consultation file; exports, statistics and
charts read nothing else about the consultation. Rows for areas or questions the layout does not
name (say, a question removed mid-consultation) are still exported in long formats and counted
in statistics, under their keys.
"""

from collections.abc import Iterator
from dataclasses import dataclass

COUNTED_KINDS = frozenset({"scale", "choice", "yesno", "multi"})
"""Question kinds whose answers are option keys, so they can be counted and charted."""


@dataclass(frozen=True, slots=True)
class QuestionLayout:
    """One question: its key, its wording for staff, its kind and its options in display order.

    `kind` is one of "scale", "choice", "yesno", "multi" or "text"; `choices` are
    (key, label) pairs, empty for free text.
    """

    key: str
    text: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def counted(self) -> bool:
        """Whether answers are option keys that statistics count and charts draw."""
        return self.kind in COUNTED_KINDS

    def label(self, choice: str) -> str:
        """The label for a choice key, or the key itself when the layout does not know it."""
        return next((label for key, label in self.choices if key == choice), choice)


@dataclass(frozen=True, slots=True)
class AreaLayout:
    """One priority area (or the final free question area): key, title and questions in order."""

    key: str
    title: str
    questions: tuple[QuestionLayout, ...]


@dataclass(frozen=True, slots=True)
class ExportLayout:
    """The areas of one consultation, in the order staff should read them."""

    areas: tuple[AreaLayout, ...]

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

    def question_text(self, area: str, question: str) -> str:
        """The wording of a question, or its key when the layout does not know it."""
        known = self.question(area, question)
        return known.text if known else question

    def choice_label(self, area: str, question: str, choice: str) -> str:
        """The label of one option of a question, or the option's key when unknown."""
        known = self.question(area, question)
        return known.label(choice) if known else choice
