"""The screening against a labelled set of short texts: recall and false alarms, measured."""

import tomllib
from pathlib import Path

import pytest

from conversations.model import Consultation

CASES = tomllib.loads(
    (Path(__file__).with_name("safeguarding_cases.toml")).read_text(encoding="utf-8")
)
DISCLOSURES = CASES["disclosures"] + CASES["held_out"]
ORDINARY = CASES["ordinary"]
RECALL_AT_LEAST = 0.95
FALSE_ALARMS_AT_MOST = 0.10
"""Erring on the side of care costs some false alarms: staff read a few ordinary answers."""


def test_the_labelled_set_has_at_least_150_texts_of_both_kinds():
    assert len(DISCLOSURES) + len(ORDINARY) >= 150
    assert len(ORDINARY) >= 50 and len(CASES["held_out"]) >= 20
    assert not set(DISCLOSURES) & set(ORDINARY)


def test_recall_on_disclosures_is_at_least_95_percent_with_few_false_alarms(
    medway: Consultation, capsys: pytest.CaptureFixture[str]
):
    screening = medway.screening
    missed = [text for text in DISCLOSURES if not screening.matches(text)]
    held_out_missed = [text for text in CASES["held_out"] if not screening.matches(text)]
    alarms = [text for text in ORDINARY if screening.matches(text)]
    recall = 1 - len(missed) / len(DISCLOSURES)
    held_out_recall = 1 - len(held_out_missed) / len(CASES["held_out"])
    false_alarm_rate = len(alarms) / len(ORDINARY)
    with capsys.disabled():
        print(
            f"\nsafeguarding screening: recall {recall:.3f} "
            f"({len(DISCLOSURES) - len(missed)} of {len(DISCLOSURES)} disclosures; "
            f"held out {held_out_recall:.3f}), false alarms {false_alarm_rate:.3f} "
            f"({len(alarms)} of {len(ORDINARY)} ordinary answers)"
        )
        for text in missed:
            print(f"  missed: {text!r}")
        for text in alarms:
            print(f"  false alarm: {text!r}")

    assert recall >= RECALL_AT_LEAST, missed
    assert false_alarm_rate <= FALSE_ALARMS_AT_MOST, alarms


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I WANT TO DIEEEE", "want to die"),
        ("i wanna kms", "kill myself"),
        ("k i l l myself", "kill myself"),
        ("k1ll mys3lf", "kill myself"),
        ("killmyself", "kill myself"),
        ("i want to kill myslef", "kill myself"),
        ("i think about suicde", "suicide"),
        ("my dad hitting me", "hit* me"),
        ("I don't feel safe", "do not feel safe"),
        ("i dont feel safe", "do not feel safe"),
    ],
)
def test_case_spacing_repeats_look_alikes_misspellings_and_text_speak_are_read_through(
    medway: Consultation, text: str, phrase: str
):
    assert phrase in [found.written for found in medway.screening.matches(text)]


def test_each_match_names_its_category(medway: Consultation):
    found = medway.screening.matches("my dad hits me and I want to die")

    assert {(phrase.category, phrase.written) for phrase in found} >= {
        ("abuse", "hit* me"),
        ("self_harm", "want to die"),
    }
