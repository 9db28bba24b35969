"""`consultbot check` prints the reading-level report and fails on text harder than its aims."""

import pytest

from bot.cli import main
from tests.conversations.chatkit import SMALL


def test_check_prints_the_reading_level_of_the_shipped_file_and_passes(capsys):
    assert main(["check"]) == 0

    out = capsys.readouterr().out
    assert "Reading level (Flesch reading ease: higher is easier" in out
    assert "  young_person: ease 9" in out and "(aim 80+)" in out
    assert "  parent_carer: ease " in out and "  professional: ease " in out


def test_check_fails_on_lines_with_plainer_alternatives_and_names_them(capsys, config_for):
    hard = (
        SMALL.replace(
            'summary = "We want to know what you think."',
            'summary = """Consultation\n'
            'We delete the link to your Telegram account after 90 days."""',
        )
        + '\n[messages]\ntoo_long = "That is {length} characters long. The most is {limit}."\n'
    )

    code = main(["check", "--config", str(config_for(hard))])

    out, err = capsys.readouterr()
    assert code == 1
    assert "some text is harder to read than the file aims for" in err
    assert "young_person: ease" in out and "FAILS: 3 lines use words with a plainer" in out
    assert (
        "consultation.summary: 'Consultation': say 'these questions' or 'asking what you "
        "think' instead of 'consultation'" in out
    )
    assert "say 'the details we use to message you' instead of 'link to your Telegram" in out
    assert (
        "messages.too_long: 'That is {length} characters long. The most is {limit}.': "
        "say 'letters' instead of 'characters'" in out
    )


def test_check_fails_on_a_file_below_the_thresholds_it_sets(capsys, config_for):
    strict = SMALL + "\n[reading_level.parent_carer]\nmin_ease = 110\nmax_sentence_words = 2\n"

    code = main(["check", "--config", str(config_for(strict))])

    out = capsys.readouterr().out
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("  parent_carer:"))
    assert "(aim 110+)" in line and "FAILS: reading ease" in line
    assert "words a sentence is over 2" in line
    assert next(line for line in out.splitlines() if line.startswith("  young_person:")).endswith(
        "passes"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[reading_level.pupil]\nmin_ease = 70", "reading_level.pupil: no such audience"),
        (
            "[reading_level.young_person]\nmin_ease = 500",
            "reading_level.young_person.min_ease: 500 is out of range",
        ),
        (
            "[reading_level.young_person]\nmin_eas = 70",
            "reading_level.young_person.min_eas: unknown key",
        ),
    ],
)
def test_broken_thresholds_name_the_key_and_the_fix(capsys, config_for, table, message):
    assert main(["check", "--config", str(config_for(SMALL + "\n" + table + "\n"))]) == 2

    assert message in capsys.readouterr().err
