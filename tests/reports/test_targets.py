"""Progress towards targets: counted from the people who started or finished, judged against the
pace from the opening to the closing time in force, with the clock set by each test."""

from datetime import UTC, datetime, timedelta

import pytest

from conversations.targets import Counting, Target, TargetKind
from reports.targets import Pace, ProfileAnswered, Standing, judge_targets
from storage.rows import RespondentCount

OPENS = datetime(2022, 9, 1, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=10)
HALFWAY = OPENS + timedelta(days=5)
YOUNG_300 = Target(TargetKind.AUDIENCE, "young_person", at_least=300)


def people(young: int, young_finished: int = 0, parents: int = 0, unknown: int = 0):
    """Counts as storage gives them: young people from a poster, parents from no link."""
    return [
        RespondentCount("young_person", "poster", True, False, young - young_finished),
        RespondentCount("young_person", "poster", True, True, young_finished),
        RespondentCount("parent_carer", None, True, False, parents),
        RespondentCount(None, None, True, False, unknown),
        RespondentCount("parent_carer", "poster", False, False, 1000),  # said no: never counted
    ]


def judge(targets, tallies, now, profile=None, answers=None, starts=OPENS, closes=CLOSES):
    return judge_targets(targets, tallies, profile or {}, answers or {}, Pace(starts, closes, now))


@pytest.mark.parametrize(
    ("young", "now", "needed", "standing"),
    [
        (150, HALFWAY, 150, Standing.ON_TRACK),
        (149, HALFWAY, 150, Standing.UNDER),
        (30, OPENS + timedelta(days=1), 30, Standing.ON_TRACK),
        (29, OPENS + timedelta(days=1), 30, Standing.UNDER),
        (300, OPENS + timedelta(hours=1), 2, Standing.REACHED),
        (299, CLOSES, 300, Standing.NOT_REACHED),
        (300, CLOSES, 300, Standing.REACHED),
        (0, OPENS - timedelta(seconds=1), 0, Standing.NOT_OPEN),
    ],
)
def test_a_number_of_people_is_judged_against_the_share_of_time_gone(young, now, needed, standing):
    (progress,) = judge([YOUNG_300], people(young, parents=10), now)

    assert (progress.so_far, progress.needed_now, progress.standing) == (young, needed, standing)
    assert progress.of_target == young / 300
    assert progress.under_represented is (standing is Standing.UNDER)


def test_the_same_count_turns_under_represented_as_the_clock_moves_on():
    tallies = people(120)
    early, late = OPENS + timedelta(days=3), OPENS + timedelta(days=5)

    assert judge([YOUNG_300], tallies, early)[0].standing is Standing.ON_TRACK
    assert judge([YOUNG_300], tallies, late)[0].standing is Standing.UNDER


def test_an_extended_close_gives_more_time_and_flips_the_flag_back():
    tallies = people(120)

    assert judge([YOUNG_300], tallies, HALFWAY)[0].standing is Standing.UNDER
    extended = judge([YOUNG_300], tallies, HALFWAY, closes=CLOSES + timedelta(days=5))
    assert (extended[0].needed_now, extended[0].standing) == (100, Standing.ON_TRACK)


def test_finished_targets_count_only_people_who_sent_their_answers():
    target = Target(TargetKind.AUDIENCE, "young_person", at_least=100, counting=Counting.FINISHED)

    (progress,) = judge([target], people(80, young_finished=49), HALFWAY)

    assert (progress.so_far, progress.needed_now, progress.standing) == (49, 50, Standing.UNDER)


def test_an_audience_share_is_of_people_who_said_who_they_are():
    target = Target(TargetKind.AUDIENCE, "parent_carer", share_at_least=0.25)

    (under,) = judge([target], people(31, parents=10, unknown=500), HALFWAY)
    (on_track,) = judge([target], people(30, parents=10, unknown=500), HALFWAY)

    assert (under.share, under.standing) == (10 / 41, Standing.UNDER)
    assert (on_track.share, on_track.standing) == (0.25, Standing.ON_TRACK)
    assert on_track.needed_now is None and on_track.of_target is None
    closed = judge([target], people(30, parents=10), CLOSES)[0]
    assert closed.standing is Standing.REACHED


def test_a_source_counts_the_people_its_link_brought_and_its_share_is_of_everyone():
    poster = Target(TargetKind.SOURCE, "poster", at_least=40)
    poster_share = Target(TargetKind.SOURCE, "poster", share_at_least=0.5)

    count, share = judge([poster, poster_share], people(40, parents=30, unknown=10), HALFWAY)

    assert (count.so_far, count.standing) == (40, Standing.REACHED)
    assert (share.so_far, share.share, share.standing) == (40, 0.5, Standing.ON_TRACK)


def test_a_profile_share_gives_a_row_per_answer_of_people_who_told_us():
    target = Target(TargetKind.PROFILE, "area", share_at_least=0.1)
    answered = {("area", ()): ProfileAnswered(people=50, chose={"chatham": 30, "gillingham": 15})}
    answers = {"area": ("chatham", "gillingham", "rainham")}

    rows = judge([target], [], HALFWAY, answered, answers)

    assert [(row.answer, row.so_far, row.share, row.standing) for row in rows] == [
        ("chatham", 30, 0.6, Standing.ON_TRACK),
        ("gillingham", 15, 0.3, Standing.ON_TRACK),
        ("rainham", 0, 0.0, Standing.UNDER),
    ]


def test_a_profile_answer_with_a_number_of_people_follows_the_pace():
    target = Target(TargetKind.PROFILE, "area", at_least=40, answer="chatham")
    answered = {("area", ()): ProfileAnswered(people=50, chose={"chatham": 19})}

    (row,) = judge([target], [], HALFWAY, answered, {"area": ("chatham", "strood")})

    assert (row.answer, row.so_far, row.needed_now, row.standing) == (
        "chatham",
        19,
        20,
        Standing.UNDER,
    )


def test_with_no_opening_time_and_nobody_yet_no_time_has_gone():
    pace = Pace(None, CLOSES, HALFWAY)

    assert pace.time_gone == 0.0
    (progress,) = judge([YOUNG_300], [], HALFWAY, starts=None)
    assert (progress.needed_now, progress.share, progress.standing) == (0, None, Standing.ON_TRACK)


def test_a_profile_target_among_some_audiences_reads_their_answers_only():
    target = Target(TargetKind.PROFILE, "area", at_least=10, answer="chatham", among=("pc",))
    answered = {
        ("area", ()): ProfileAnswered(people=50, chose={"chatham": 30}),
        ("area", ("pc",)): ProfileAnswered(people=20, chose={"chatham": 4}),
    }

    (row,) = judge([target], [], HALFWAY, answered, {"area": ("chatham",)})

    assert (row.so_far, row.share, row.standing) == (4, 0.2, Standing.UNDER)


def test_a_share_of_fewer_than_20_people_is_not_judged_while_open():
    target = Target(TargetKind.PROFILE, "area", share_at_least=0.1, answer="chatham")
    answers = {"area": ("chatham",)}
    nineteen = {("area", ()): ProfileAnswered(people=19, chose={"chatham": 0})}
    twenty = {("area", ()): ProfileAnswered(people=20, chose={"chatham": 0})}

    (few,) = judge([target], [], HALFWAY, nineteen, answers)
    (enough,) = judge([target], [], HALFWAY, twenty, answers)
    (nobody_closed,) = judge([target], [], CLOSES, {}, answers)

    assert (few.share, few.standing, few.under_represented) == (0.0, Standing.TOO_FEW, False)
    assert (enough.share, enough.standing) == (0.0, Standing.UNDER)
    assert (nobody_closed.share, nobody_closed.standing) == (None, Standing.NOT_REACHED)
