"""The reading-level check: syllables offline, Flesch reading ease, and what fails."""

import pytest

from conversations.model import ReadingAim
from conversations.readability import score, syllables
from conversations.reading_level import assess, hard_words, reading_report


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("yes", 1),
        ("help", 1),
        ("answer", 2),
        ("minutes", 2),
        ("listened", 2),
        ("important", 3),
        ("strategy", 3),
        ("characters", 3),
        ("consultation", 4),
        ("2022", 1),
    ],
)
def test_syllables_are_counted_offline(word, count):
    assert syllables(word) == count


def test_flesch_reading_ease_follows_the_formula():
    counts = score("The cat sat on the mat. It was happy.")

    assert (counts.words, counts.sentences, counts.syllables) == (9, 2, 10)
    expected = 206.835 - 1.015 * 9 / 2 - 84.6 * 10 / 9
    assert counts.ease == pytest.approx(expected)


def test_placeholders_commands_and_links_are_not_read_as_words():
    assert score("Type /start to see {answers} at https://example.org/a-long-page").words == 4


@pytest.mark.parametrize(
    ("line", "word", "plainer"),
    [
        ("Consultation", "consultation", "'these questions' or 'asking what you think'"),
        (
            "We delete the link to your Telegram account after 90 days.",
            "link to your Telegram account",
            "'the details we use to message you'",
        ),
        ("That is 1299 characters long. The most is 1000.", "characters", "'letters'"),
    ],
)
def test_the_lines_the_issue_names_are_caught_with_a_plainer_suggestion(line, word, plainer):
    assert hard_words(line)[0] == (word, plainer)


def test_plain_lines_have_no_hard_words():
    assert hard_words("Being included is important to me.") == []
    assert hard_words("Tap 1 answer. Then tap Done.") == []


def test_the_shipped_consultation_passes_for_every_audience_in_english(medway):
    readings = assess(medway, medway.reading_aims)

    assert {r.audience: r.problems for r in readings} == {
        "young_person": [],
        "parent_carer": [],
        "professional": [],
    }
    young = next(r for r in readings if r.audience == "young_person")
    assert young.total.ease >= 80
    assert young.total.words_per_sentence <= 12
    assert len(young.lines) > 200


def test_a_file_below_its_aims_fails_and_says_why(medway):
    strict = {key: ReadingAim(101.0, 3.0, 1.0, True) for key in medway.reading_aims}

    lines, failed = reading_report(medway, strict)

    assert failed
    young = next(line for line in lines if line.startswith("  young_person:"))
    assert "FAILS: reading ease" in young and "is below 101" in young
    assert "words a sentence is over 3" in young
    assert any(line.startswith("    hard to read (") for line in lines)
