"""A cheap readability guard: short sentences everywhere, and buttons short enough for a phone."""

import re

import pytest

from conversations.buttons import LABEL_LIMIT
from conversations.journey import PROFILE_PLACE
from conversations.loader import (
    BUTTON_MESSAGES,
    base_messages,
    default_consultation_path,
    load_consultation,
)
from conversations.render import TICK
from tests.conversations.chatkit import Chat, labels

SENTENCE_LIMIT = 20
"""WRITING.md asks for about 15 words; 20 leaves room for a placeholder or a long name."""

MESSAGES = base_messages()
MEDWAY = load_consultation(default_consultation_path())


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[.?!\n]+", text) if part.strip()]


def too_long(text: str) -> list[str]:
    return [sentence for sentence in sentences(text) if len(sentence.split()) > SENTENCE_LIMIT]


def medway_texts() -> list[tuple[str, str]]:
    """Every piece of the shipped consultation a respondent reads, named by where it is."""
    c = MEDWAY
    found = [
        ("title", c.title),
        ("summary", c.summary),
        ("outcome", c.outcome),
        ("privacy_notice", c.privacy_notice),
        ("privacy_notice_full", c.privacy_notice_full or ""),
        *((f"audiences[{a.key}].label", a.label) for a in c.audiences),
    ]
    assert c.profile is not None
    for area in (c.profile, *c.areas):
        for field in ("title", "summary"):
            wording = getattr(area, field)
            texts = [*wording.by_audience.items(), ("default", wording.default)]
            found += [(f"areas[{area.key}].{field}.{who}", text) for who, text in texts if text]
        for question in area.questions:
            where = f"areas[{area.key}].questions[{question.key}]"
            texts = [*question.text.by_audience.items(), ("default", question.text.default)]
            found += [(f"{where}.text.{who}", text) for who, text in texts if text]
            found += [
                (f"{where}.choices[{choice.key}]", choice.label.for_audience(None))
                for choice in question.choices
            ]
    final = c.final_question.text
    found += [(f"final.text.{who}", text) for who, text in final.by_audience.items()]
    return found


def long_sentences(texts: list[tuple[str, str]]) -> list[str]:
    """Every sentence over the limit, each as `where: sentence (N words)`."""
    return [
        f"{where}: {sentence} ({len(sentence.split())} words)"
        for where, text in texts
        for sentence in too_long(text)
    ]


def test_every_sentence_of_the_built_in_messages_and_the_medway_file_has_at_most_20_words():
    """Every built-in message and every text of the shipped consultation, in one check that
    lists every sentence to shorten."""
    built_in = [(f"messages[{key}]", text) for key, text in sorted(MESSAGES.items())]
    texts = built_in + medway_texts()
    assert len(built_in) > 150 and len(texts) > 300  # the lists are really read
    found = long_sentences(texts)
    assert not found, f"{len(found)} sentence(s) to shorten:\n" + "\n".join(found)


def test_the_guard_itself_catches_a_long_sentence_and_says_where():
    long = "We would like to find out, as part of our ongoing statutory duty, " * 2
    assert too_long(f"Short one. {long}?") != []
    assert too_long("Short one.\nAnother short one!") == []
    found = long_sentences([("welcome", "Short one."), ("help", f"Short one. {long}?")])
    assert found == [f"help: {long.strip()} (26 words)"]


def test_every_built_in_button_label_fits_on_a_phone():
    assert {key: MESSAGES[key] for key in BUTTON_MESSAGES if len(MESSAGES[key]) > LABEL_LIMIT} == {}


def test_every_medway_choice_audience_and_area_label_fits_on_a_phone():
    labels_in_file = [a.label for a in MEDWAY.audiences]
    for area in MEDWAY.areas:
        labels_in_file += [area.title.for_audience(a.key) for a in MEDWAY.audiences]
        for question in area.questions:
            labels_in_file += [choice.label.for_audience(None) for choice in question.choices]

    assert [label for label in labels_in_file if len(label) > LABEL_LIMIT] == []


@pytest.mark.parametrize("audience", ["young_person", "parent_carer", "professional"])
def test_every_button_shown_on_the_way_to_the_first_question_is_short(audience):
    chat = Chat(MEDWAY)
    shown = labels(chat.start()) + labels(chat.tap("Yes, let's start"))
    shown += labels(chat.tap(MEDWAY.audience(audience).label))  # type: ignore[union-attr]
    while chat.state is not None and chat.state.at.startswith(PROFILE_PLACE):
        shown += labels(chat.tap("Prefer not to say"))
    shown += labels(chat.tap("Yes")) + labels(chat.tap("All of them"))
    shown += labels(chat.tap("Done"))

    assert len(shown) > 10
    assert [label for label in shown if len(label.removeprefix(TICK)) > LABEL_LIMIT] == []
