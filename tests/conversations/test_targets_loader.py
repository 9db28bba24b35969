"""A consultation file's [[targets]] are read as written, and every mistake in one is reported
with the file, the key and the fix."""

from datetime import UTC, datetime

import pytest

from conversations.errors import FileProblems
from conversations.loader import load_consultation
from conversations.summary import describe
from conversations.targets import Counting, Target, TargetKind
from tests.conversations.chatkit import PROFILE, SMALL


def with_targets(write_consultation, targets: str):
    return write_consultation(SMALL + "\n" + targets)


def test_audience_and_source_targets_are_read_with_their_aim_and_counting(write_consultation):
    path = with_targets(
        write_consultation,
        """
[[targets]]
audience = "young_person"
at_least = 300

[[targets]]
audience = "parent_carer"
share_at_least = 0.25
counting = "finished"

[[targets]]
source = "library_poster"
at_least = 50
""",
    )

    consultation = load_consultation(path)

    assert consultation.targets == (
        Target(TargetKind.AUDIENCE, "young_person", at_least=300),
        Target(
            TargetKind.AUDIENCE, "parent_carer", share_at_least=0.25, counting=Counting.FINISHED
        ),
        Target(TargetKind.SOURCE, "library_poster", at_least=50),
    )


def test_a_file_without_targets_has_none(small):
    assert small.targets == ()


MISTAKES = [
    (
        "an audience the file does not have",
        'audience = "teacher"\nat_least = 10',
        "targets[0].audience",
        "no audience 'teacher' in this file",
        "use one of young_person, parent_carer",
    ),
    (
        "no group",
        "at_least = 10",
        "targets[0].audience",
        "a target names one group of audience, source or profile; this has none of them",
        'keep one, e.g. audience = "young_person"',
    ),
    (
        "two groups",
        'audience = "young_person"\nsource = "poster"\nat_least = 10',
        "targets[0].audience",
        "this has audience, source",
        "write another [[targets]] for the rest",
    ),
    (
        "no aim",
        'audience = "young_person"',
        "targets[0].at_least",
        "a target needs one aim: at_least or share_at_least",
        "write at_least = 300 (people) or share_at_least = 0.10 (10% of them)",
    ),
    (
        "both aims",
        'audience = "young_person"\nat_least = 10\nshare_at_least = 0.1',
        "targets[0].at_least",
        "at_least or share_at_least, not both",
        "write at_least = 300",
    ),
    (
        "a number of people that is not a whole number",
        'audience = "young_person"\nat_least = 2.5',
        "targets[0].at_least",
        "2.5 is not a number of people",
        "write a whole number of 1 or more",
    ),
    (
        "no people at all",
        'audience = "young_person"\nat_least = 0',
        "targets[0].at_least",
        "0 is not a number of people",
        "write a whole number of 1 or more",
    ),
    (
        "a share written as a percentage",
        'audience = "young_person"\nshare_at_least = 10',
        "targets[0].share_at_least",
        "10 is not a share between 0 and 1 (for 10% write 0.1)",
        "10% is share_at_least = 0.10",
    ),
    (
        "a share in quotes",
        'audience = "young_person"\nshare_at_least = "10%"',
        "targets[0].share_at_least",
        "'10%' is not a share between 0 and 1",
        "10% is share_at_least = 0.10",
    ),
    (
        "a way of counting that does not exist",
        'audience = "young_person"\nat_least = 10\ncounting = "answered"',
        "targets[0].counting",
        "'answered' is not a way of counting people",
        'write counting = "started"',
    ),
    (
        "a source a link cannot carry",
        'source = "library poster"\nat_least = 10',
        "targets[0].source",
        "'library poster' has characters a Telegram link cannot carry",
        "use only letters, digits, _ and -",
    ),
    (
        "a source that is an audience key",
        'source = "parent_carer"\nat_least = 10',
        "targets[0].source",
        "'parent_carer' is an audience key",
        'write audience = "parent_carer" instead',
    ),
    (
        "an answer on an audience target",
        'audience = "young_person"\nanswer = "chatham"\nat_least = 10',
        "targets[0].answer",
        "only a profile target names an answer",
        "remove answer, or make it a profile target",
    ),
    (
        "a profile target in a file without profile questions",
        'profile = "area"\nshare_at_least = 0.1',
        "targets[0].profile",
        "no profile 'area' in this file",
        "add a [profile] table of questions first",
    ),
    (
        "a misspelt key",
        'audience = "young_person"\nat_lest = 10\nat_least = 10',
        "targets[0].at_lest",
        "unknown key",
        "check the spelling",
    ),
]


@pytest.mark.parametrize(
    ("body", "key", "problem", "fix"),
    [mistake[1:] for mistake in MISTAKES],
    ids=[mistake[0] for mistake in MISTAKES],
)
def test_a_mistake_in_a_target_names_the_file_the_key_and_the_fix(
    write_consultation, body, key, problem, fix
):
    path = with_targets(write_consultation, f"[[targets]]\n{body}\n")

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    found = {one.key: one for one in raised.value.problems}
    assert key in found, [str(one) for one in raised.value.problems]
    assert problem in found[key].problem
    assert fix in found[key].fix
    assert str(found[key]).startswith(f"{path}: {key}: ")


def test_the_same_target_twice_is_reported(write_consultation):
    target = '[[targets]]\nsource = "poster"\nat_least = 10\n'
    path = with_targets(write_consultation, target + "\n" + target.replace("10", "20"))

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    (problem,) = raised.value.problems
    assert (problem.key, problem.problem, problem.fix) == (
        "targets",
        "two targets aim at source 'poster' the same way",
        "keep one of them",
    )


def test_audience_shares_that_ask_for_more_than_everyone_are_reported(write_consultation):
    path = with_targets(
        write_consultation,
        '[[targets]]\naudience = "young_person"\nshare_at_least = 0.6\n\n'
        '[[targets]]\naudience = "parent_carer"\nshare_at_least = 0.5\n',
    )

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    (problem,) = raised.value.problems
    assert problem.problem == "the shares for the audiences add up to 110%, more than everyone"


def test_profile_targets_aim_at_one_answer_or_at_each(write_consultation):
    path = write_consultation(
        SMALL
        + PROFILE
        + '\n[[targets]]\nprofile = "age"\nshare_at_least = 0.3\n'
        + '\n[[targets]]\nprofile = "plan"\nanswer = "yes"\nat_least = 20\n'
        + '\n[[targets]]\nprofile = "age"\namong = ["parent_carer"]\nshare_at_least = 0.4\n'
    )

    consultation = load_consultation(path)

    assert consultation.targets == (
        Target(TargetKind.PROFILE, "age", share_at_least=0.3),
        Target(TargetKind.PROFILE, "plan", at_least=20, answer="yes"),
        Target(TargetKind.PROFILE, "age", share_at_least=0.4, among=("parent_carer",)),
    )
    assert (
        "Targets (3): profile age each answer: 30% or more of those who started; "
        "profile plan yes: 20 started; "
        "profile age each answer among parent_carer: 40% or more of those who started"
    ) in describe(consultation, datetime(2022, 9, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("body", "key", "problem", "fix"),
    [
        (
            'profile = "age"\nanswer = "over_90"\nat_least = 5',
            "targets[0].answer",
            "the profile question 'age' has no answer 'over_90' to aim for",
            "use one of under_11, from_11, or leave answer out to aim for each",
        ),
        (
            'profile = "postcode"\nat_least = 5',
            "targets[0].profile",
            "no profile 'postcode' in this file",
            "use one of age, plan",
        ),
        (
            'profile = "age"\nat_least = 5\namong = ["teacher"]',
            "targets[0].among",
            "no audience 'teacher' in this file",
            "use audiences from young_person, parent_carer",
        ),
        (
            'audience = "young_person"\nat_least = 5\namong = ["parent_carer"]',
            "targets[0].among",
            "only a profile target counts some audiences' answers",
            "remove among",
        ),
        (
            'profile = "age"\nat_least = 5\ncounting = "finished"',
            "targets[0].counting",
            "a profile target counts everyone who gave the answer, finished or not",
            "remove counting from this target",
        ),
        (
            'profile = "age"\nshare_at_least = 0.6',
            "targets",
            "the shares for the answers of 'age' add up to 120%, more than everyone",
            "lower share_at_least",
        ),
    ],
)
def test_a_mistake_in_a_profile_target_names_the_key_and_the_fix(
    write_consultation, body, key, problem, fix
):
    path = write_consultation(SMALL + PROFILE + f"\n[[targets]]\n{body}\n")

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    found = {one.key: one for one in raised.value.problems}
    assert key in found, [str(one) for one in raised.value.problems]
    assert (found[key].problem, fix in found[key].fix) == (problem, True)
