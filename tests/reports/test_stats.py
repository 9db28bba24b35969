from dataclasses import dataclass

import pytest

from reports.errors import ExportError
from reports.stats import GroupCount, OptionCount, StopCount, compute_stats

from .factories import LAYOUT, answer, sample_rows, stream


async def stats_of(rows, stopped_at=()):
    return await compute_stats(stream(rows), LAYOUT, stopped_at)


def question(stats, area, key):
    return next(q for a in stats.areas if a.area == area for q in a.questions if q.question == key)


async def test_respondents_are_counted_once_each_with_who_finished():
    stats = await stats_of(sample_rows())
    assert (stats.started, stats.finished, stats.respondents) == (4, 2, 4)
    assert (stats.answered, stats.skipped) == (13, 2)


async def test_respondents_are_counted_by_audience_and_by_source():
    stats = await stats_of(sample_rows())
    assert stats.by_audience == (
        GroupCount("young_person", 2, 1),
        GroupCount("parent_carer", 1, 1),
        GroupCount("professional", 1, 0),
    )
    assert stats.by_source == (
        GroupCount("school", 2, 1),
        GroupCount(None, 1, 0),
        GroupCount("poster", 1, 1),
    )


@dataclass(frozen=True)
class Tally:
    audience: str | None
    source: str | None
    consented: bool
    finished: bool
    count: int


async def test_per_respondent_counts_also_cover_people_who_answered_nothing():
    counts = [
        Tally("young_person", "poster", True, True, 1),
        Tally("young_person", "school", True, False, 3),
        Tally("parent_carer", "school", True, True, 1),
        Tally("professional", None, True, False, 1),
        Tally("professional", None, False, False, 5),
    ]
    stats = await compute_stats(stream(sample_rows()), LAYOUT, counts=counts)
    assert (stats.started, stats.finished, stats.respondents) == (6, 2, 4)
    assert stats.by_audience == (
        GroupCount("young_person", 4, 1),
        GroupCount("parent_carer", 1, 1),
        GroupCount("professional", 1, 0),
    )
    assert stats.by_source[0] == GroupCount("school", 4, 1)


async def test_areas_count_the_people_who_answered_there_and_their_answers():
    stats = await stats_of(sample_rows())
    assert [(a.area, a.respondents, a.answered, a.skipped) for a in stats.areas] == [
        ("early_help", 3, 6, 2),
        ("future", 3, 5, 0),
        ("final", 2, 2, 0),
    ]


async def test_a_scale_question_counts_every_option_in_order_including_unchosen_ones():
    agree = question(await stats_of(sample_rows()), "early_help", "agree")
    assert (agree.answered, agree.skipped) == (3, 0)
    assert agree.options == (
        OptionCount("agree_strongly", 2, pytest.approx(2 / 3)),
        OptionCount("agree", 1, pytest.approx(1 / 3)),
        OptionCount("not_sure", 0, 0.0),
        OptionCount("disagree", 0, 0.0),
        OptionCount("disagree_strongly", 0, 0.0),
    )


async def test_skips_are_counted_apart_and_left_out_of_the_shares():
    asked = question(await stats_of(sample_rows()), "early_help", "asked")
    assert (asked.answered, asked.skipped) == (2, 1)
    assert asked.options == (OptionCount("yes", 1, 0.5), OptionCount("no", 1, 0.5))


async def test_multiple_choice_counts_each_chosen_option_against_the_people_answering():
    where = question(await stats_of(sample_rows()), "future", "where")
    assert [(o.key, o.count, round(o.share, 2)) for o in where.options] == [
        ("school", 2, 0.67),
        ("family", 1, 0.33),
        ("online", 1, 0.33),
    ]


async def test_free_text_questions_have_counts_but_no_options():
    ideas = question(await stats_of(sample_rows()), "early_help", "ideas")
    assert (ideas.answered, ideas.skipped, ideas.options) == (1, 1, ())


async def test_answers_to_questions_the_layout_does_not_know_are_still_counted():
    rows = [*sample_rows(), answer("NEW1", "early_help", "retired", "kept")]
    stats = await stats_of(rows)
    retired = question(stats, "early_help", "retired")
    assert (retired.answered, retired.options) == (1, ())
    assert stats.areas[0].questions[-1] is retired


async def test_an_option_the_layout_does_not_know_is_counted_after_the_known_ones():
    rows = [answer("OLD1", "future", "best", "pets")]
    best = question(await stats_of(rows), "future", "best")
    assert [o.key for o in best.options] == ["jobs", "homes", "friends", "pets"]


async def test_drop_off_follows_the_question_order_then_other_places():
    stopped_at = ["q:future/where", "consent", "q:early_help/asked", "q:future/where"]
    stats = await stats_of(sample_rows(), stopped_at)
    assert stats.stopped == (
        StopCount("q:early_help/asked", "early_help", "asked", 1, 0.25),
        StopCount("q:future/where", "future", "where", 2, 0.5),
        StopCount("consent", None, None, 1, 0.25),
    )


async def test_no_drop_off_is_reported_when_no_positions_are_given():
    assert (await stats_of(sample_rows())).stopped == ()


async def test_rows_not_grouped_by_respondent_are_refused():
    rows = sample_rows()
    with pytest.raises(ExportError, match="K7Q2"):
        await stats_of([*rows, rows[0]])
