from reports.stats import compute_stats
from reports.stats_text import pack_messages, render_stats_text

from .factories import LAYOUT, sample_rows, stream


async def messages(limit=4096, stopped_at=()):
    stats = await compute_stats(stream(sample_rows()), LAYOUT, stopped_at)
    return render_stats_text(stats, LAYOUT, limit)


async def test_the_summary_reads_in_plain_words_with_labels_and_percentages():
    (text,) = await messages()
    assert "People who started: 4 (finished: 2, not finished: 2)" in text
    assert "People who answered at least one question: 4" in text
    assert "- young_person: 2 started, 1 finished" in text
    assert "- not recorded: 1 started, 0 finished" in text
    assert "Getting help early\n3 people answered here: 6 answers, 2 skipped." in text
    assert (
        "Do you agree this should be a priority?\n- Agree strongly: 2 (67%)\n- Agree: 1 (33%)"
        in text
    )
    assert "What would make help come sooner? (typed answers): 1 answered, 1 skipped" in text
    assert "People could choose more than one." in text


async def test_drop_off_names_the_area_and_question_where_people_stopped():
    (text,) = await messages(stopped_at=["q:future/where", "consent"])
    assert "Where people stopped (2 did not finish)" in text
    assert "- Getting ready for your future, early: Where do you get help now?: 1 (50%)" in text
    assert "- consent: 1 (50%)" in text


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
