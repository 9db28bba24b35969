"""Every mistake in a consultation file is reported with the file, the key path and the fix."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conversations.errors import ConsultbotError, FileProblem, FileProblems
from conversations.loader import default_consultation_path, load_consultation
from conversations.model import Kind
from tests.conversations.chatkit import SMALL


@dataclass(frozen=True)
class Mistake:
    """Given SMALL with these replacements, expect a problem at `key` saying `problem` and `fix`."""

    name: str
    edits: tuple[tuple[str, str], ...]
    key: str
    problem: str
    fix: str


COLOUR_CHOICES = """choices = [
    { key = "red", label = "Red" },
    { key = "blue", label = "Blue" },
]"""
TEXT_PARENT = 'text.parent_carer = "What colour is your child\'s school bag?"\n'
LONG = "a" * 32

MISTAKES = [
    Mistake(
        "two audiences with one key",
        (('key = "parent_carer"\nlabel', 'key = "young_person"\nlabel'), (TEXT_PARENT, "")),
        "audiences[young_person]",
        "this key is used twice",
        "give each a unique key",
    ),
    Mistake(
        "two areas with one key",
        (('key = "home"', 'key = "school"'),),
        "areas[school]",
        "this key is used twice",
        "give each a unique key",
    ),
    Mistake(
        "two questions with one key",
        (('key = "happy"', 'key = "colour"'),),
        "areas[school].questions[colour]",
        "this key is used twice",
        "give each a unique key",
    ),
    Mistake(
        "two choices with one key",
        (('key = "blue"', 'key = "red"'),),
        "areas[school].questions[colour].choices[red]",
        "this key is used twice",
        "give each a unique key",
    ),
    Mistake(
        "a question with no wording for one audience",
        ((TEXT_PARENT, ""),),
        "areas[school].questions[colour].text.parent_carer",
        "no wording for the audience 'parent_carer'",
        'add text.parent_carer = "..." or text.default = "..."',
    ),
    Mistake(
        "wording for an audience the file does not have",
        ((TEXT_PARENT, TEXT_PARENT + 'text.teacher = "Bag?"\n'),),
        "areas[school].questions[colour].text.teacher",
        "no such audience",
        "use an audience's key",
    ),
    Mistake(
        "a question with no wording at all",
        (('text = "I am happy at school."\n', ""),),
        "areas[school].questions[happy].text",
        "this key is missing",
        'add text = "..." or text.<audience>',
    ),
    Mistake(
        "an empty choice list",
        ((COLOUR_CHOICES, "choices = []"),),
        "areas[school].questions[colour].choices",
        "the list is empty",
        "add at least one [[choices]] table",
    ),
    Mistake(
        "a choice question without choices",
        ((COLOUR_CHOICES, ""),),
        "areas[school].questions[colour].choices",
        "this key is missing",
        "add choices",
    ),
    Mistake(
        "choices on a scale question",
        (('kind = "choice"', 'kind = "scale"'),),
        "areas[school].questions[colour].choices",
        "a scale question has no choices",
        "remove choices",
    ),
    Mistake(
        "a close before the open",
        (('opens_at = "2022-09-01T09:00"', 'opens_at = "2022-09-24T09:00"'),),
        "consultation.closes_at",
        "the close is not after the open",
        "make closes_at later",
    ),
    Mistake(
        "a close at the same moment as the open",
        (('opens_at = "2022-09-01T09:00"', 'opens_at = "2022-09-23T23:59"'),),
        "consultation.closes_at",
        "the close is not after the open",
        "make closes_at later",
    ),
    Mistake(
        "an unknown question kind",
        (('kind = "choice"', 'kind = "ranking"'),),
        "areas[school].questions[colour].kind",
        "unknown question kind 'ranking'",
        "use one of choice, multi, scale, yesno, text",
    ),
    Mistake(
        "a choice label over 40 characters",
        (('label = "Red"', f'label = "{"R" * 41}"'),),
        "areas[school].questions[colour].choices[red].label",
        "is 41 characters, too long for a button",
        "shorten it to 40 characters or fewer",
    ),
    Mistake(
        "an audience label over 40 characters",
        (('label = "I\'m a young person"', f'label = "{"Y" * 45}"'),),
        "audiences[young_person].label",
        "is 45 characters, too long for a button",
        "shorten it to 40 characters or fewer",
    ),
    Mistake(
        "an area title over 40 characters, shown on the list of areas as a button",
        (('title = "Home"', 'title = "Home, family, friends, pets and everything else"'),),
        "areas[home].title",
        "is 47 characters, too long for a button",
        "shorten it to 40 characters or fewer",
    ),
    Mistake(
        "a built-in button's words replaced by more than 40 characters",
        (
            (
                "[[audiences]]",
                '[messages]\nskip = "Skip this question and go on to the next one"\n\n'
                "[[audiences]]",
            ),
        ),
        "messages.skip",
        "is 44 characters, too long for a button",
        "shorten it to 40 characters or fewer",
    ),
    Mistake(
        "choice buttons whose data would be over 64 bytes",
        (
            ('key = "school"', f'key = "{LONG}"'),
            ('key = "colour"', f'key = "{LONG[:20]}"'),
            ('key = "blue"', 'key = "blue_with_white_spots"'),
        ),
        f"areas[{LONG}].questions[{LONG[:20]}].key",
        "is over Telegram's 64 bytes",
        "use shorter keys for this area, question or its choices",
    ),
    Mistake(
        "a skippable text question whose Skip button data would be over 64 bytes",
        (
            ('key = "school"', f'key = "{LONG}"'),
            ('key = "name"', f'key = "{LONG[:24]}"'),
            ("skippable = false\n", ""),
        ),
        f"areas[{LONG}].questions[{LONG[:24]}].key",
        f"button data 'q:{LONG}/{LONG[:24]}#!skip' is over Telegram's 64 bytes",
        "use shorter keys",
    ),
    Mistake(
        "a typo in a question's key name",
        (("skippable = false", "skipable = false"),),
        "areas[school].questions[name].skipable",
        "unknown key",
        "check the spelling; known keys here: choices, comparable, explain, explain_picture, "
        "key, kind, max_length, skippable, text",
    ),
    Mistake(
        "comparable written as text",
        (('key = "happy"\n', 'key = "happy"\ncomparable = "yes"\n'),),
        "areas[school].questions[happy].comparable",
        "expected true or false",
        "write comparable as true or false",
    ),
    Mistake(
        "a typed question marked comparable",
        (('key = "name"\n', 'key = "name"\ncomparable = true\n'),),
        "areas[school].questions[name].comparable",
        "typed answers have no figures to compare",
        "remove comparable, or use it on a question with buttons",
    ),
    Mistake(
        "an empty staff label for an audience",
        (('key = "parent_carer"\n', 'key = "parent_carer"\nstaff_label = ""\n'),),
        "audiences[parent_carer].staff_label",
        "this text is empty",
        "write the words, or remove the key",
    ),
    Mistake(
        "a typo in the consultation table",
        (('outcome = "on our website"', 'outcomes = "on our website"'),),
        "consultation.outcomes",
        "unknown key",
        "check the spelling; known keys here:",
    ),
    Mistake(
        "a typo in a table's name",
        (('[[areas]]\nkey = "home"', '[[area]]\nkey = "home"'),),
        "area",
        "unknown key",
        "check the spelling; known keys here: areas, audiences, consultation, final, messages",
    ),
    Mistake(
        "a message key the locale does not have",
        (("[[audiences]]", '[messages]\nwelcom = "Hi"\n\n[[audiences]]'),),
        "messages.welcom",
        "unknown message",
        "use a key from locales/en.toml",
    ),
    Mistake(
        "text where a whole number belongs",
        (("max_length = 10", 'max_length = "ten"'),),
        "areas[school].questions[name].max_length",
        "expected a whole number, found 'ten'",
        "write max_length as a whole number",
    ),
    Mistake(
        "true where a whole number belongs",
        (('outcome = "on our website"', 'outcome = "on our website"\nminutes = true'),),
        "consultation.minutes",
        "expected a whole number, found true",
        "write minutes as a whole number",
    ),
    Mistake(
        "text where true or false belongs",
        (("skippable = false", 'skippable = "no"'),),
        "areas[school].questions[name].skippable",
        "expected true or false, found 'no'",
        "write skippable as true or false",
    ),
    Mistake(
        "a number where text belongs",
        (('title = "A small plan"', "title = 7"),),
        "consultation.title",
        "expected text in quotes, found 7",
        "write title as text in quotes",
    ),
    Mistake(
        "empty text",
        (('summary = "We want to know what you think."', 'summary = "  "'),),
        "consultation.summary",
        "this text is empty",
        "write the words, or remove the key",
    ),
    Mistake(
        "a length limit out of range",
        (("max_length = 10", "max_length = 0"),),
        "areas[school].questions[name].max_length",
        "0 is out of range",
        "use a number from 1 to 4000",
    ),
    Mistake(
        "a key with spaces and capitals",
        (('key = "garden"', 'key = "Garden Size"'),),
        "areas[home].questions[Garden Size].key",
        "'Garden Size' is not a simple key",
        "use 1-32 of a-z, 0-9 and _",
    ),
    Mistake(
        "a bad time zone",
        (
            (
                'closes_at = "2022-09-23T23:59"',
                'closes_at = "2022-09-23T23:59"\ntimezone = "Europe/Londn"',
            ),
        ),
        "consultation.timezone",
        "unknown time zone 'Europe/Londn'",
        'use a name like "Europe/London"',
    ),
    Mistake(
        "a date that does not exist",
        (('closes_at = "2022-09-23T23:59"', 'closes_at = "2022-09-31T23:59"'),),
        "consultation.closes_at",
        "'2022-09-31T23:59' is not a date and time",
        'write closes_at = "2022-09-23T23:59"',
    ),
    Mistake(
        "a date in words",
        (('opens_at = "2022-09-01T09:00"', 'opens_at = "1st September"'),),
        "consultation.opens_at",
        "'1st September' is not a date and time",
        'write opens_at = "2022-09-23T23:59"',
    ),
    Mistake(
        "a time with an offset",
        (('closes_at = "2022-09-23T23:59"', 'closes_at = "2022-09-23T23:59+01:00"'),),
        "consultation.closes_at",
        "the time has an offset",
        "give a local time",
    ),
    Mistake(
        "a local time the clocks skip",
        (('closes_at = "2022-09-23T23:59"', 'closes_at = "2023-03-26T01:30"'),),
        "consultation.closes_at",
        "01:30 on 2023-03-26 never happens in Europe/London: the clocks go forward then",
        "choose a time outside the hour the clocks skip",
    ),
    Mistake(
        "no close time",
        (('closes_at = "2022-09-23T23:59"\n', ""),),
        "consultation.closes_at",
        "this key is missing",
        'add closes_at = "2022-09-23T23:59"',
    ),
    Mistake(
        "a number where a close time belongs",
        (('closes_at = "2022-09-23T23:59"', "closes_at = 20220923"),),
        "consultation.closes_at",
        "expected a date and time",
        'write closes_at = "2022-09-23T23:59"',
    ),
    Mistake(
        "a full privacy notice too long for one message",
        (
            (
                'privacy_notice = "We keep your answers safe."',
                'privacy_notice = "We keep your answers safe."\n'
                f'privacy_notice_full = "{"We keep them. " * 300}"',
            ),
        ),
        "consultation.privacy_notice_full",
        "the full notice is 4",
        "shorten it, and link to the longest parts on your website",
    ),
    Mistake(
        "data controllers written as one text",
        (
            (
                'privacy_notice = "We keep your answers safe."',
                'privacy_notice = "We keep your answers safe."\n'
                'data_controllers = "Medway Council, NHS Kent and Medway"',
            ),
        ),
        "consultation.data_controllers",
        "expected a list of texts in quotes",
        "write data_controllers as a list of texts in quotes",
    ),
]


def problems_in(path: Path) -> list[FileProblem]:
    with pytest.raises(ConsultbotError) as raised:
        load_consultation(path)
    error = raised.value
    return list(error.problems) if isinstance(error, FileProblems) else [error]


def edited(*edits: tuple[str, str]) -> str:
    text = SMALL
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda mistake: mistake.name)
def test_a_mistake_is_reported_with_the_file_the_key_path_and_a_fix(write_consultation, mistake):
    path = write_consultation(edited(*mistake.edits))

    problems = problems_in(path)

    matching = [problem for problem in problems if problem.key == mistake.key]
    assert matching, [str(problem) for problem in problems]
    problem = matching[0]
    assert problem.path == str(path)
    assert mistake.problem in problem.problem
    assert mistake.fix in problem.fix
    assert str(problem).startswith(f"{path}: {mistake.key}: ")
    assert f". Fix: {problem.fix}" in str(problem)


def test_an_unknown_kind_is_reported_once_without_a_second_problem_about_choices(
    write_consultation,
):
    path = write_consultation(edited(('kind = "choice"', 'kind = "ranking"')))

    assert [problem.key for problem in problems_in(path)] == [
        "areas[school].questions[colour].kind"
    ]


def test_every_problem_in_a_file_is_reported_together(write_consultation):
    path = write_consultation(
        edited(
            ('kind = "choice"', 'kind = "ranking"'),
            ("skippable = false", "skipable = false"),
            ('closes_at = "2022-09-23T23:59"', 'closes_at = "2022-09-31T23:59"'),
        )
    )

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    assert len(raised.value.problems) == 3
    assert str(raised.value).count(f"{path}: ") == 3


def test_a_toml_syntax_error_names_the_file_and_the_line(write_consultation):
    text = edited(('kind = "choice"', 'kind = "choice'))
    line = text.splitlines().index('kind = "choice') + 1
    path = write_consultation(text)

    (problem,) = problems_in(path)

    assert problem.key == "(syntax)"
    assert "this is not valid TOML" in problem.problem
    assert f"line {line}," in problem.problem
    assert problem.fix == "correct the line it names"
    assert str(problem).startswith(str(path))


def test_a_missing_file_is_named_with_a_fix(tmp_path):
    path = tmp_path / "nowhere.toml"

    (problem,) = problems_in(path)

    assert str(problem) == f"{path}: (file): the file does not exist. Fix: check the path"


def test_a_label_of_exactly_40_characters_fits_on_a_button(write_consultation):
    forty = "R" * 40
    consultation = load_consultation(
        write_consultation(edited(('label = "Red"', f'label = "{forty}"')))
    )

    colour = consultation.areas[0].questions[0]
    assert colour.choices[0].label.for_audience(None) == forty


def test_button_data_of_exactly_64_bytes_fits(write_consultation):
    question_key = "n" * 23
    consultation = load_consultation(
        write_consultation(
            edited(
                ('key = "school"', f'key = "{LONG}"'),
                ('key = "name"', f'key = "{question_key}"'),
                ("skippable = false\n", ""),
            )
        )
    )

    question = consultation.area(LONG).question(question_key)  # type: ignore[union-attr]
    assert question is not None
    assert len(f"q:{LONG}/{question_key}#!skip".encode()) == 64


def test_the_small_fixture_loads_with_every_kind_and_its_dates_in_london_time(small):
    kinds = [question.kind for area in small.areas for question in area.questions]

    assert set(kinds) == set(Kind)
    assert small.opens_at is not None
    assert small.opens_at.astimezone(UTC) == datetime(2022, 9, 1, 8, 0, tzinfo=UTC)
    assert small.timezone.key == "Europe/London"
    assert small.area("school").question("name").skippable is False  # type: ignore[union-attr]


def test_the_shipped_consultation_loads_with_six_areas_and_three_audiences():
    consultation = load_consultation(default_consultation_path())

    assert [audience.key for audience in consultation.audiences] == [
        "young_person",
        "parent_carer",
        "professional",
    ]
    assert len(consultation.areas) == 6
    assert len(consultation.version) == 16


def test_a_question_can_be_marked_comparable_and_an_audience_named_for_staff(
    write_consultation,
):
    path = write_consultation(
        edited(
            ('key = "colour"\n', 'key = "colour"\ncomparable = true\n'),
            ('key = "parent_carer"\n', 'key = "parent_carer"\nstaff_label = "Parent or carer"\n'),
        )
    )
    consultation = load_consultation(path)
    school = consultation.area("school")
    assert [q.comparable for q in school.questions] == [True, False, False, False, False]
    assert [a.name_for_staff for a in consultation.audiences] == [
        consultation.audiences[0].label,
        "Parent or carer",
    ]


def test_the_version_changes_when_the_file_changes(write_consultation):
    first = load_consultation(write_consultation(SMALL, "one.toml")).version
    again = load_consultation(write_consultation(SMALL, "two.toml")).version
    edited_version = load_consultation(
        write_consultation(edited(('label = "Red"', 'label = "Rouge"')), "three.toml")
    ).version

    assert first == again
    assert first != edited_version


def test_the_full_privacy_notice_and_data_controllers_are_optional_and_loaded_when_given(
    write_consultation,
):
    plain = load_consultation(write_consultation(SMALL))
    assert (plain.privacy_notice_full, plain.data_controllers) == (None, ())
    full = load_consultation(
        write_consultation(
            edited(
                (
                    'privacy_notice = "We keep your answers safe."',
                    'privacy_notice = "We keep your answers safe."\n'
                    'privacy_notice_full = "All the details."\n'
                    'data_controllers = ["A Council", "A Health Board"]',
                ),
            )
        )
    )
    assert (full.privacy_notice_full, full.data_controllers) == (
        "All the details.",
        ("A Council", "A Health Board"),
    )
