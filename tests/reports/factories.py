"""A small consultation layout and answer rows built from it, for export tests."""

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from reports.layout import (
    AreaLayout,
    AudienceLayout,
    ExportLayout,
    QuestionLayout,
    QuestionWording,
)
from reports.write import AnswerSink
from storage.rows import ExportRow

SCALE = (
    ("agree_strongly", "Agree strongly"),
    ("agree", "Agree"),
    ("not_sure", "Not sure"),
    ("disagree", "Disagree"),
    ("disagree_strongly", "Disagree strongly"),
)
YESNO = (("yes", "Yes"), ("no", "No"))
WHERE_CHOICES = (("school", "School or college"), ("family", "Family"), ("online", "Online"))

AUDIENCES = (
    AudienceLayout("young_person", "Young person"),
    AudienceLayout("parent_carer", "Parent or carer"),
    AudienceLayout("professional", "Professional"),
)

PRIORITY_FOR_YOUNG_PEOPLE = "Is getting help early important to you?"
PRIORITY = "Do you agree this should be a priority?"
WHERE_FOR_PARENTS = "Where does your child get help now?"
WHERE = "Where do you get help now?"

LAYOUT = ExportLayout(
    areas=(
        AreaLayout(
            "early_help",
            "Getting help early",
            (
                # Young people and the others are asked different questions: never pooled.
                QuestionLayout(
                    "agree",
                    PRIORITY,
                    "scale",
                    SCALE,
                    by_audience={"young_person": QuestionWording(PRIORITY_FOR_YOUNG_PEOPLE, SCALE)},
                ),
                # The same words for everyone: pooled.
                QuestionLayout("asked", "Were you asked what help you wanted?", "yesno", YESNO),
                QuestionLayout(
                    "ideas",
                    "What would make help come sooner?",
                    "text",
                    by_audience={
                        "parent_carer": QuestionWording("What would get your child help sooner?")
                    },
                ),
            ),
        ),
        AreaLayout(
            "future",
            "Getting ready for your future, early",
            (
                # Different words, but the file marks it comparable: pooled.
                QuestionLayout(
                    "where",
                    WHERE,
                    "multi",
                    WHERE_CHOICES,
                    by_audience={"parent_carer": QuestionWording(WHERE_FOR_PARENTS, WHERE_CHOICES)},
                    comparable=True,
                ),
                QuestionLayout(
                    "best",
                    "Which matters most?",
                    "choice",
                    (("jobs", "Jobs"), ("homes", "Homes"), ("friends", "Friends")),
                ),
            ),
        ),
        AreaLayout(
            "final",
            "Anything else",
            (
                QuestionLayout(
                    "anything_else", "Is there anything else you want to tell us?", "text"
                ),
            ),
        ),
    ),
    audiences=AUDIENCES,
)

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def stored(moment: datetime) -> str:
    """A UTC time as storage hands it to exports: `2025-03-01 09:31:00.000000`."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def answer(
    respondent: str,
    area: str,
    question: str,
    value: str | None,
    *,
    audience: str | None = "young_person",
    source: str | None = "school",
    finished: bool = True,
    minute: int = 0,
) -> ExportRow:
    """One row as storage would build it: labels and wording the audience saw, from `LAYOUT`."""
    known = LAYOUT.question(area, question)
    if value is None:
        shown = "Skipped"
    elif known and known.counted:
        wording = known.wording(audience)
        shown = ", ".join(wording.label(key) for key in value.split(","))
    else:
        shown = value
    return ExportRow(
        respondent=respondent,
        audience=audience,
        source=source,
        finished=finished,
        area=area,
        question=question,
        question_text=LAYOUT.question_text(area, question, audience),
        value=value,
        answer=shown,
        answered_at=stored(START + timedelta(minutes=minute)),
        version=FILE_VERSION,
    )


FILE_VERSION = "a1b2c3d4e5f6a7b8"
"""The consultation file hash every sample answer was given under."""


def sample_rows() -> list[ExportRow]:
    """Four respondents, small enough to count by hand (the expected numbers are in tests)."""
    first = {"audience": "young_person", "source": "poster", "finished": True}
    second = {"audience": "parent_carer", "source": "school", "finished": True}
    third = {"audience": "young_person", "source": "school", "finished": False}
    fourth = {"audience": "professional", "source": None, "finished": False}
    return [
        answer("K7Q2", "early_help", "agree", "agree_strongly", **first, minute=1),
        answer("K7Q2", "early_help", "asked", "yes", **first, minute=2),
        answer("K7Q2", "early_help", "ideas", "Ask me first, at the café 😀", **first, minute=3),
        answer("K7Q2", "future", "where", "school,family", **first, minute=4),
        answer("K7Q2", "future", "best", "jobs", **first, minute=5),
        answer("K7Q2", "final", "anything_else", "Two lines,\nwith a comma", **first, minute=6),
        answer("M4T8", "early_help", "agree", "agree", **second, minute=10),
        answer("M4T8", "early_help", "asked", "no", **second, minute=11),
        answer("M4T8", "early_help", "ideas", None, **second, minute=12),
        answer("M4T8", "final", "anything_else", "Thank you", **second, minute=13),
        answer("Z9B1", "early_help", "agree", "agree_strongly", **third, minute=20),
        answer("Z9B1", "early_help", "asked", None, **third, minute=21),
        answer("Z9B1", "future", "where", "online", **third, minute=22),
        answer("A2C5", "future", "best", "homes", **fourth, minute=30),
        answer("A2C5", "future", "where", "school", **fourth, minute=31),
    ]


HOSTILE = (
    '=HYPERLINK("http://example.com/steal","Click")',
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
)


def hostile_rows() -> list[ExportRow]:
    """One respondent per hostile answer, each typed where free text is allowed."""
    return [
        answer(f"H{n}", "early_help", "ideas", text, minute=n) for n, text in enumerate(HOSTILE)
    ]


def fill(sink: AnswerSink, rows: Iterable[ExportRow]) -> None:
    """Give `sink` each respondent's answers together, in the order the respondents first come,
    then close it: what the export does once the rows are grouped."""
    respondents: dict[str, list[ExportRow]] = {}
    for row in rows:
        respondents.setdefault(row.respondent, []).append(row)
    sink.add(list(respondents.values()))
    sink.close()


async def stream(rows: Sequence[ExportRow], batch: int = 4) -> AsyncIterator[list[tuple]]:
    """The rows as the database query hands them over: plain tuples, `batch` at a time, so a
    respondent's answers are often split between two batches."""
    for start in range(0, len(rows), batch):
        yield [tuple(row) for row in rows[start : start + batch]]


async def generated_rows(answers: int, batch: int = 1000) -> AsyncIterator[list[tuple]]:
    """`answers` rows made on the fly (never held together), in batches of plain tuples: each
    respondent answers every question in turn, with some skips and a spread of options,
    audiences and finishes. Built directly (no look-ups per row) so that timing measures the
    export, not this."""
    questions = [(area.key, question) for area, question in LAYOUT.all_questions()]
    audiences = ("young_person", "parent_carer", "professional")
    rows: list[tuple] = []
    for n in range(answers):
        person, position = divmod(n, len(questions))
        area, question = questions[position]
        if n % 13 == 0:
            value, shown = None, "Skipped"
        elif question.counted:
            value, shown = question.choices[(n // 11) % len(question.choices)]
        else:
            value = shown = f"Typed answer number {n}, with a few words in it"
        audience = audiences[person % 3]
        rows.append(
            (
                f"R{person:06X}",
                audience,
                "school",
                person % 4 != 0,
                area,
                question.key,
                question.wording(audience).text,
                value,
                shown,
                stored(START + timedelta(seconds=n)),
                "",
                None,
            )
        )
        if len(rows) == batch:
            yield rows
            rows = []
    if rows:
        yield rows
