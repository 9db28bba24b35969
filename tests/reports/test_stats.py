from dataclasses import dataclass

import pytest

from reports.errors import ExportError
from reports.stats import Answers, GroupCount, OptionCount, StopCount, compute_stats

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


async def test_a_question_is_counted_per_audience_with_every_option_in_order():
    agree = question(await stats_of(sample_rows()), "early_help", "agree")
    assert agree.of("young_person") == Answers(
        "young_person",
        2,
        0,
        (
            OptionCount("agree_strongly", 2, 1.0),
            OptionCount("agree", 0, 0.0),
            OptionCount("not_sure", 0, 0.0),
            OptionCount("disagree", 0, 0.0),
            OptionCount("disagree_strongly", 0, 0.0),
        ),
    )
    assert agree.of("parent_carer").options[:2] == (
        OptionCount("agree_strongly", 0, 0.0),
        OptionCount("agree", 1, 1.0),
    )
    assert (agree.of("professional").answered, agree.of("professional").skipped) == (0, 0)


async def test_answers_to_different_words_are_never_pooled():
    agree = question(await stats_of(sample_rows()), "early_help", "agree")
    assert LAYOUT.question("early_help", "agree").comparable is False
    assert agree.combined is None


async def test_answers_to_the_same_words_are_also_pooled():
    asked = question(await stats_of(sample_rows()), "early_help", "asked")
    assert (asked.of("young_person").answered, asked.of("young_person").skipped) == (1, 1)
    assert asked.of("young_person").options == (
        OptionCount("yes", 1, 1.0),
        OptionCount("no", 0, 0.0),
    )
    assert asked.of("parent_carer").options == (
        OptionCount("yes", 0, 0.0),
        OptionCount("no", 1, 1.0),
    )
    assert asked.combined == Answers(
        None, 2, 1, (OptionCount("yes", 1, 0.5), OptionCount("no", 1, 0.5))
    )


async def test_a_question_marked_comparable_is_pooled_though_its_words_differ():
    where = question(await stats_of(sample_rows()), "future", "where")
    assert [(o.key, o.count, o.share) for o in where.of("young_person").options] == [
        ("school", 1, 0.5),
        ("family", 1, 0.5),
        ("online", 1, 0.5),
    ]
    assert [(o.key, o.count) for o in where.of("professional").options] == [
        ("school", 1),
        ("family", 0),
        ("online", 0),
    ]
    assert where.combined is not None
    assert [(o.key, o.count, round(o.share, 2)) for o in where.combined.options] == [
        ("school", 2, 0.67),
        ("family", 1, 0.33),
        ("online", 1, 0.33),
    ]


async def test_every_audience_of_the_layout_gets_figures_even_with_no_answers():
    stats = await stats_of(sample_rows())
    assert stats.audiences == ("young_person", "parent_carer", "professional")
    best = question(stats, "future", "best")
    assert [answers.audience for answers in best.by_audience] == list(stats.audiences)
    assert best.of("parent_carer") == Answers(
        "parent_carer",
        0,
        0,
        (OptionCount("jobs", 0, 0.0), OptionCount("homes", 0, 0.0), OptionCount("friends", 0, 0.0)),
    )


async def test_an_audience_the_layout_does_not_name_is_counted_apart():
    rows = [*sample_rows(), answer("N0NE", "future", "best", "friends", audience=None)]
    stats = await stats_of(rows)
    assert stats.audiences == ("young_person", "parent_carer", "professional", None)
    best = question(stats, "future", "best")
    assert best.of(None).options[2] == OptionCount("friends", 1, 1.0)
    assert best.of("young_person").options[2] == OptionCount("friends", 0, 0.0)


async def test_areas_count_the_people_who_answered_there_per_audience():
    stats = await stats_of(sample_rows())
    assert [(p.audience, p.count) for p in stats.areas[1].by_audience] == [
        ("young_person", 2),
        ("parent_carer", 0),
        ("professional", 1),
    ]


async def test_free_text_questions_have_counts_but_no_options():
    ideas = question(await stats_of(sample_rows()), "early_help", "ideas")
    assert (ideas.counted, ideas.answered, ideas.skipped, ideas.combined) == (False, 1, 1, None)
    assert ideas.of("young_person") == Answers("young_person", 1, 0, ())
    assert ideas.of("parent_carer") == Answers("parent_carer", 0, 1, ())


async def test_answers_to_questions_the_layout_does_not_know_are_still_counted():
    rows = [*sample_rows(), answer("NEW1", "early_help", "retired", "kept")]
    stats = await stats_of(rows)
    retired = question(stats, "early_help", "retired")
    assert (retired.answered, retired.counted, retired.combined) == (1, False, None)
    assert stats.areas[0].questions[-1] is retired


async def test_an_option_the_layout_does_not_know_is_counted_after_the_known_ones():
    rows = [answer("OLD1", "future", "best", "pets")]
    best = question(await stats_of(rows), "future", "best")
    assert [o.key for o in best.of("young_person").options] == ["jobs", "homes", "friends", "pets"]
    assert [o.key for o in best.combined.options] == ["jobs", "homes", "friends", "pets"]


async def test_drop_off_is_per_audience_in_question_order_then_other_places():
    stopped_at = [
        ("parent_carer", "q:future/where"),
        (None, "consent"),
        ("young_person", "q:early_help/asked"),
        ("young_person", "q:future/where"),
        ("young_person", "q:future/where"),
        ("young_person", "areas"),
    ]
    stats = await stats_of(sample_rows(), stopped_at)
    assert stats.stopped == (
        StopCount("young_person", "q:early_help/asked", "early_help", "asked", 1, 0.25),
        StopCount("young_person", "q:future/where", "future", "where", 2, 0.5),
        StopCount("young_person", "areas", None, None, 1, 0.25),
        StopCount("parent_carer", "q:future/where", "future", "where", 1, 1.0),
        StopCount(None, "consent", None, None, 1, 1.0),
    )


async def test_no_drop_off_is_reported_when_no_positions_are_given():
    assert (await stats_of(sample_rows())).stopped == ()


async def test_rows_not_grouped_by_respondent_are_refused():
    rows = sample_rows()
    with pytest.raises(ExportError, match="K7Q2"):
        await stats_of([*rows, rows[0]])
