"""Profile questions in a consultation file: read, translated, and refused with the fix."""

import pytest

from conversations.errors import ConsultbotError, FileProblems
from conversations.loader import load_consultation
from conversations.model import PREFER_NOT, PROFILE_AREA, Kind
from conversations.summary import describe
from tests.conversations.chatkit import OPEN_NOW, PROFILE, SMALL

POLISH = """
[translations.pl.profile]
intro.young_person = "Teraz kilka pytań o Ciebie. Możesz je pominąć."
intro.default = "Teraz kilka pytań o to, kto odpowiada. Możesz je pominąć."

[translations.pl.profile.questions.age]
text.young_person = "Ile masz lat?"
text.parent_carer = "Ile lat ma Twoje dziecko?"
choices.under_11 = "Poniżej 11"
choices.from_11 = "11 lub więcej"
"""


def load(write_consultation, text: str):
    return load_consultation(write_consultation(text))


def problems(write_consultation, text: str) -> dict[str, tuple[str, str]]:
    """Each problem's key path, with what is wrong and the fix; the file is named in each."""
    path = write_consultation(text)
    with pytest.raises(ConsultbotError) as raised:
        load_consultation(path)
    error = raised.value
    found = error.problems if isinstance(error, FileProblems) else [error]
    assert all(problem.path == str(path) for problem in found)
    return {problem.key: (problem.problem, problem.fix) for problem in found}


def test_a_file_without_profile_questions_has_none(small):
    assert small.profile is None


def test_profile_questions_are_read_with_their_words_per_audience(write_consultation):
    consultation = load(write_consultation, SMALL + PROFILE)

    profile = consultation.profile
    assert profile is not None
    assert profile.key == PROFILE_AREA
    assert profile.title.for_audience("young_person") == "About you"
    assert profile.summary.for_audience("parent_carer").startswith("Now a few questions about who")
    age, plan = profile.questions
    assert (age.key, age.kind, plan.kind) == ("age", Kind.CHOICE, Kind.YESNO)
    assert age.text.for_audience("parent_carer") == "How old is your child?"
    assert [c.key for c in age.choices] == ["under_11", "from_11"]
    assert [c.key for c in plan.choices] == ["yes", "no"]
    assert age.skippable and plan.skippable
    assert consultation.area(PROFILE_AREA) is None, "not one of the areas people choose"


def test_profile_words_are_translated_like_any_other_and_missing_ones_are_gaps(
    write_consultation,
):
    text = SMALL.replace('id = "small"', 'id = "small"\nlanguages = ["en", "pl"]')
    consultation = load(write_consultation, text + PROFILE + POLISH)

    polish = consultation.in_language("pl")
    assert polish.profile is not None
    assert polish.profile.title.for_audience(None) == "O Tobie"
    age, plan = polish.profile.questions
    assert age.text.for_audience("young_person") == "Ile masz lat?"
    assert age.choice("from_11").label.for_audience(None) == "11 lub więcej"
    assert [c.label.for_audience(None) for c in plan.choices] == ["Tak", "Nie"]
    assert plan.text.for_audience(None) == "Is there an EHC plan?", "untranslated: English"
    gaps = {gap.key for gap in consultation.translation_gaps if gap.problem == "no translation"}
    assert "translations.pl.profile.questions.plan.text" in gaps
    assert "translations.pl.profile.questions.age.text.young_person" not in gaps


def test_a_polish_profile_key_the_english_lacks_is_refused(write_consultation):
    text = SMALL.replace('id = "small"', 'id = "small"\nlanguages = ["en", "pl"]')
    wrong = POLISH.replace("choices.from_11", "choices.over_11")

    found = problems(write_consultation, text + PROFILE + wrong)

    key = "translations.pl.profile.questions.age.choices.over_11"
    assert found[key] == ("the English has no text here", "check the key, or remove it")


MISTAKES = [
    (
        "a profile question that cannot be skipped",
        'text = "Is there an EHC plan?"',
        'text = "Is there an EHC plan?"\nskippable = false',
        "profile.questions[plan].skippable",
        "can always be skipped",
        "remove skippable = false",
    ),
    (
        "a typed profile question",
        'kind = "yesno"',
        'kind = "text"',
        "profile.questions[plan].kind",
        "can identify them",
        "use choice, multi, yesno or scale",
    ),
    (
        "a choice of its own for prefer not to say",
        '{ key = "from_11", label = "11 or older" },',
        '{ key = "from_11", label = "11 or older" },\n'
        '    { key = "prefer_not_to_say", label = "No thanks" },',
        "profile.questions[age].choices[prefer_not_to_say]",
        'gets "Prefer not to say" by itself',
        "remove this choice",
    ),
    (
        "no intro",
        'intro.young_person = "Now a few questions about you. You can skip them."\n'
        'intro.default = "Now a few questions about who is answering. You can skip them."\n',
        "",
        "profile.intro",
        "this key is missing",
        'add intro = "..." or intro.<audience>',
    ),
    (
        "no questions",
        "[[profile.questions]]",
        "[[profile.asked]]",
        "profile.questions",
        "this key is missing",
        "add questions",
    ),
    (
        "two profile questions with one key",
        'key = "plan"',
        'key = "age"',
        "profile.questions[age]",
        "this key is used twice",
        "give each a unique key",
    ),
    (
        "a profile question for an audience the file lacks",
        'text = "Is there an EHC plan?"',
        'text = "Is there an EHC plan?"\naudiences = ["teacher"]',
        "profile.questions[plan].audiences",
        "no audience 'teacher'",
        "use the audiences' keys",
    ),
    (
        "a profile question for some audiences without words for one of them",
        'text = "Is there an EHC plan?"',
        'text.young_person = "Your EHC plan?"\naudiences = ["young_person", "parent_carer"]',
        "profile.questions[plan].text.parent_carer",
        "no wording for the audience 'parent_carer'",
        'add text.parent_carer = "..." or text.default = "..."',
    ),
    (
        "a profile question worded for an audience the file lacks",
        'text.parent_carer = "How old is your child?"',
        'text.parent_carer = "How old is your child?"\ntext.teacher = "Age?"',
        "profile.questions[age].text.teacher",
        "no such audience",
        "use an audience's key",
    ),
]
"""(name, text in PROFILE, replaced by, key path reported, problem, fix)."""


@pytest.mark.parametrize(
    ("name", "old", "new", "key", "problem", "fix"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_a_profile_mistake_names_its_key_and_the_fix(
    write_consultation, name, old, new, key, problem, fix
):
    assert old in PROFILE, name
    found = problems(write_consultation, SMALL + PROFILE.replace(old, new))

    assert key in found, found
    assert problem in found[key][0]
    assert fix in found[key][1]


def test_an_area_may_not_take_the_profile_key(write_consultation):
    found = problems(write_consultation, SMALL.replace('key = "home"', 'key = "profile"'))

    assert found["areas[profile].key"] == (
        "'profile' is kept for the bot's own answers",
        "give the area another key",
    )


def test_a_target_can_name_a_profile_answer_but_not_prefer_not_to_say(write_consultation):
    target = '\n[[targets]]\nprofile = "age"\nanswer = "{answer}"\nat_least = 5\n'

    consultation = load(write_consultation, SMALL + PROFILE + target.format(answer="under_11"))
    refused = problems(write_consultation, SMALL + PROFILE + target.format(answer=PREFER_NOT))

    [aim] = consultation.targets
    assert (aim.key, aim.answer, aim.at_least) == ("age", "under_11", 5)
    assert list(refused) == ["targets[0].answer"]


def test_the_summary_for_staff_counts_the_questions_about_them(write_consultation):
    consultation = load(write_consultation, SMALL + PROFILE)

    summary = describe(consultation, OPEN_NOW)

    assert "About you (kept apart in exports): 2 questions (choice, yesno)" in summary
    assert (
        "Questions for young_person: up to 9 (including the last one and 2 about them)" in summary
    )
