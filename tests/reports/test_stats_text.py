from reports.stats import compute_stats
from reports.stats_text import pack_messages, render_stats_text

from .factories import LAYOUT, sample_rows, stream


async def messages(limit=4096, stopped_at=()):
    stats = await compute_stats(stream(sample_rows()), LAYOUT, stopped_at)
    return render_stats_text(stats, LAYOUT, limit)


async def test_the_summary_reads_in_plain_words_with_audiences_named_for_staff():
    (text,) = await messages()
    assert "People who started: 4 (finished: 2, not finished: 2)" in text
    assert "People who answered at least one question: 4" in text
    assert "- Young person: 2 started, 1 finished" in text
    assert "- Not recorded: 1 started, 0 finished" in text
    assert "Getting help early\nPeople who answered here: Young person 2, Parent or carer 1" in text
    assert "young_person" not in text and "parent_carer" not in text


async def test_each_audience_s_figures_come_under_the_words_it_saw_and_are_never_pooled():
    (text,) = await messages()
    assert (
        "Young person saw: Is getting help early important to you?\n"
        "- Agree strongly: 2 (100%)\n- Agree: 0 (0%)\n- Not sure: 0 (0%)\n"
        "- Disagree: 0 (0%)\n- Disagree strongly: 0 (0%)\n2 answered, 0 skipped\n"
        "Parent or carer saw: Do you agree this should be a priority?\n"
        "- Agree strongly: 0 (0%)\n- Agree: 1 (100%)\n"
    ) in text
    agree = text[text.index("Young person saw: Is getting") : text.index("Everyone saw: Were")]
    assert "All audiences" not in agree
    assert "3 answered" not in agree and "(67%)" not in agree


async def test_a_question_with_the_same_words_for_everyone_also_gets_the_pooled_figure():
    (text,) = await messages()
    assert (
        "Everyone saw: Were you asked what help you wanted?\n"
        "Young person:\n- Yes: 1 (100%)\n- No: 0 (0%)\n1 answered, 1 skipped\n"
        "Parent or carer:\n- Yes: 0 (0%)\n- No: 1 (100%)\n1 answered, 0 skipped\n"
        "All audiences, same words for everyone:\n- Yes: 1 (50%)\n- No: 1 (50%)\n"
        "2 answered, 1 skipped"
    ) in text


async def test_a_comparable_question_shows_each_wording_then_the_pooled_figure():
    (text,) = await messages()
    assert (
        "Young person saw: Where do you get help now?\n"
        "- School or college: 1 (50%)\n- Family: 1 (50%)\n- Online: 1 (50%)\n"
        "2 answered, 0 skipped\n"
        "Professional saw: Where do you get help now?\n"
        "- School or college: 1 (100%)\n- Family: 0 (0%)\n- Online: 0 (0%)\n"
        "1 answered, 0 skipped\n"
        "All audiences, marked comparable in the consultation file:\n"
        "- School or college: 2 (67%)\n- Family: 1 (33%)\n- Online: 1 (33%)\n"
        "3 answered, 0 skipped\nPeople could choose more than one."
    ) in text


async def test_typed_answers_are_counted_per_audience_under_its_words():
    (text,) = await messages()
    assert (
        "Typed answers (every one is in the XLSX export):\n"
        "Young person saw: What would make help come sooner?\n1 answered, 0 skipped\n"
        "Parent or carer saw: What would get your child help sooner?\n0 answered, 1 skipped"
    ) in text


async def test_drop_off_is_per_audience_under_the_words_each_audience_saw():
    (text,) = await messages(
        stopped_at=[
            ("young_person", "q:future/where"),
            (None, "consent"),
            ("young_person", "q:early_help/asked"),
            ("parent_carer", "q:future/where"),
        ]
    )
    assert text.endswith(
        "Where people stopped (4 did not finish)\n"
        "Young person (2 did not finish):\n"
        "- Getting help early: Were you asked what help you wanted?: 1 (50%)\n"
        "- Getting ready for your future, early: Where do you get help now?: 1 (50%)\n"
        "Parent or carer (1 did not finish):\n"
        "- Getting ready for your future, early: Where does your child get help now?: 1 (100%)\n"
        "Not recorded (1 did not finish):\n"
        "- Before saying yes to taking part: 1 (100%)"
    )


async def test_long_summaries_are_split_into_messages_within_the_limit():
    whole = "\n\n".join(await messages())
    parts = await messages(limit=300)
    assert len(parts) > 1
    assert all(len(part) <= 300 for part in parts)
    assert [line for part in parts for line in part.split("\n") if line] == [
        line for line in whole.split("\n") if line
    ]


def test_a_section_longer_than_a_message_is_split_between_lines():
    section = "\n".join(f"line {n}" for n in range(100))
    parts = pack_messages([section], 50)
    assert all(len(part) <= 50 for part in parts)
    assert "\n".join(parts).split("\n") == section.split("\n")


def test_the_limit_counts_emoji_as_telegram_does():
    parts = pack_messages(["😀" * 30], 40)
    assert all(len(part.encode("utf-16-le")) // 2 <= 40 for part in parts)
    assert "".join(parts) == "😀" * 30
