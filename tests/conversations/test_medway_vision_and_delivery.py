"""The Medway consultation asks about the vision and principles, and whether the plan can be
delivered and what would show it is working, in each audience's own words; and it names both
of the plan's authors wherever it says who is asking."""

import pytest

from conversations.model import Kind
from tests.conversations.chatkit import Chat, texts

AUDIENCES = ("young_person", "parent_carer", "professional")
AUTHORS = "Medway Council and NHS Kent and Medway"


def test_the_welcome_and_the_privacy_notice_name_both_authors(medway):
    chat = Chat(medway)

    assert texts(chat.start()).startswith(f"Hello! This is {AUTHORS}.")
    assert texts(chat.command("privacy")).startswith(
        f"How we use your answers:\n\nWe are {AUTHORS}."
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_vision_part_is_introduced_then_asks_about_the_vision_delivery_and_signs(
    medway, audience
):
    chat = Chat(medway)
    intro = chat.begin(audience, ("vision",))
    vision = medway.area("vision")
    assert vision is not None

    assert texts(intro).startswith(
        f"Part 1 of 1: Our vision and making it happen\n\n{vision.summary.for_audience(audience)}"
    )
    assert "Question 1 of 3" in texts(intro)
    chat.tap("Agree")
    delivery = chat.last
    assert delivery is not None
    assert [b.label for r in delivery.replies for row in r.buttons for b in row] == [
        "Yes",
        "Not sure",
        "No",
        "Skip",
        *(["Explain this"] if audience == "young_person" else []),
    ]
    chat.tap("Not sure")
    chat.type("Shorter waits for help")

    assert [(a.area, a.question, a.value) for a in chat.answers if a.area != "profile"] == [
        ("vision", "agree", "agree"),
        ("vision", "can_deliver", "not_sure"),
        ("vision", "signs", "Shorter waits for help"),
    ]
    assert chat.state.at == "final"


def test_each_audience_is_asked_about_delivery_and_signs_in_words_of_its_own(medway):
    vision = medway.area("vision")
    assert vision is not None
    for key, kind in (("agree", Kind.SCALE), ("can_deliver", Kind.CHOICE), ("signs", Kind.TEXT)):
        question = vision.question(key)
        assert question is not None and question.kind is kind
        wordings = {question.text.for_audience(audience) for audience in AUDIENCES}
        assert len(wordings) == 3, key
    summaries = {vision.summary.for_audience(audience) for audience in AUDIENCES}
    assert len(summaries) == 3


def test_the_young_persons_words_avoid_council_language(medway):
    vision = medway.area("vision")
    assert vision is not None
    words = " ".join(
        [vision.summary.for_audience("young_person")]
        + [q.text.for_audience("young_person") for q in vision.questions]
    ).lower()

    for council_word in ("strategy", "provision", "deliver", "co-produce", "principles"):
        assert council_word not in words
