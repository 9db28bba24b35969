"""`consultbot check` on languages: every missing or stale translation, drafts, and stamping."""

import re

import pytest

from bot.cli import main
from conversations.errors import FileProblems
from conversations.loader import load_consultation
from tests.conversations.chatkit import SMALL

BILINGUAL = SMALL.replace(
    'privacy_notice = "We keep your answers safe."',
    'privacy_notice = "We keep your answers safe."\nlanguages = ["en", "pl"]',
)
HALF = (
    BILINGUAL
    + """
[translations.pl.consultation]
title = "Mały plan"
summary = "Chcemy wiedzieć, co myślisz."

[translations.pl.areas.school]
title = "Szkoła"
"""
)


def missing_keys(out: str) -> list[str]:
    return re.findall(r"consultation\.toml: (\S+) \[pl\]: no translation", out)


def test_check_fails_on_a_half_translated_file_listing_each_missing_text(capsys, config_for):
    code = main(["check", "--config", str(config_for(HALF))])

    out, err = capsys.readouterr()
    assert code == 1
    assert "some translations are missing or out of date" in err
    missing = missing_keys(out)
    assert "translations.pl.consultation.outcome" in missing
    assert "translations.pl.areas.school.questions.colour.text.young_person" in missing
    assert "translations.pl.areas.school.questions.clubs.choices.art" in missing
    assert "translations.pl.consultation.title" not in missing
    assert f"Polski (pl): {len(missing)} missing, 3 not marked as matching the English:" in out
    assert "Fix: translate: 'on our website'" in out


def test_a_full_translation_passes_once_stamped_and_fails_again_when_the_english_changes(
    capsys, config_for
):
    config = config_for(HALF)
    main(["check", "--config", str(config)])
    missing = missing_keys(capsys.readouterr().out)
    quoted = [
        f'"{key.removeprefix("translations.pl.")}" = "PL {n}"' for n, key in enumerate(missing)
    ]
    path = config.parent / "consultation.toml"
    table = "[translations.pl.consultation]"
    path.write_text(HALF.replace(table, "\n".join(["[translations.pl]", *quoted, table])), "utf-8")

    assert main(["check", "--config", str(config)]) == 1
    assert "not yet marked as matching the English" in capsys.readouterr().out

    assert main(["stamp", "--language", "pl", "--config", str(config)]) == 0
    assert "translations marked as matching the English" in capsys.readouterr().out
    assert main(["check", "--config", str(config)]) == 0
    assert "Polski (pl): every text is translated" in capsys.readouterr().out

    path.write_text(path.read_text("utf-8").replace('title = "A small plan"', 'title = "A plan"'))
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert (
        "translations.pl.consultation.title [pl]: the English has changed since this was "
        "translated. Fix: make it match 'A plan', then run consultbot stamp --language pl"
    ) in out


def test_the_shipped_file_is_complete_in_polish_and_says_the_polish_is_a_draft(capsys):
    assert main(["check"]) == 0

    out = capsys.readouterr().out
    assert "Languages: en (English), pl (Polski); en is the default" in out
    assert "Polski (pl): every text is translated" in out
    assert "medway-send-strategy-2022.toml: draft [pl]: Polski (pl) is a draft" in out
    assert "locales/pl.toml: draft [pl]: Polski (pl) is a draft" in out


@pytest.mark.parametrize(
    ("added", "message"),
    [
        (
            '[translations.pl.areas.school]\ntitel = "Szkoła"',
            "translations.pl.areas.school.titel: the English has no text here. "
            "Fix: check the key, or remove it",
        ),
        (
            '[translations.pl.messages]\nnothing = "x"',
            "translations.pl.messages.nothing: the English has no text here",
        ),
        (
            '[translations.de.consultation]\ntitle = "Ein kleiner Plan"',
            'translations.de: this language is not offered. Fix: add "de" to languages',
        ),
        (
            '[messages]\ntoo_long = "Too long: {length} of {limit}."\n'
            '[translations.pl.messages]\ntoo_long = "Za długie: {length}."',
            "translations.pl.messages.too_long: its placeholders ['length'] differ from the "
            "English ['length', 'limit']. Fix: use exactly the English placeholders",
        ),
        (
            '[translations.pl.audiences]\nyoung_person = "' + "M" * 41 + '"',
            "translations.pl.audiences.young_person: 41 characters, too long for a button",
        ),
    ],
)
def test_a_broken_translation_names_the_file_key_and_fix(write_file, added, message):
    path = write_file(BILINGUAL + "\n" + added + "\n")

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    assert f"{path}: {message}" in str(raised.value)


def test_a_language_without_built_in_sentences_is_refused_with_the_fix(write_file):
    path = write_file(BILINGUAL.replace('["en", "pl"]', '["en", "xx"]'))

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    assert "consultation.languages: there are no built-in sentences for the language 'xx'" in str(
        raised.value
    )
    assert "Fix: add conversations/locales/xx.toml" in str(raised.value)


@pytest.fixture
def write_file(tmp_path):
    def write(text: str):
        path = tmp_path / "consultation.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
