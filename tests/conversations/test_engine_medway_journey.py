"""The shipped Medway consultation, walked in full by each of its audiences."""

import re

import pytest

from conversations.journey import PROFILE_PLACE
from conversations.model import Consultation
from conversations.outputs import Reply, Signal
from tests.conversations.chatkit import Chat, texts

AUDIENCES = ("young_person", "parent_carer", "professional")
AREA_TITLES = {
    "young_person": (
        "Being included and taking part",
        "Getting ready for your future",
        "Working with you and your family",
        "The right help at the right time",
        "Getting back on track after Covid",
        "Our vision and making it happen",
    ),
    "parent_carer": (
        "Being included and taking part",
        "Your child's future",
        "Working with you and your child",
        "The right help at the right time",
        "Getting back on track after Covid",
        "Our vision and making it happen",
    ),
    "professional": (
        "Being included and taking part",
        "Preparing for adult life",
        "Working together with families",
        "The right help at the right time",
        "Getting back on track after Covid",
        "Our vision and making it happen",
    ),
}
"""Area titles fit the audience: a parent is not told about "your future" for their child."""


def walk(consultation: Consultation, audience: str) -> tuple[Chat, list[Reply]]:
    """Answer every question about who they are and of every area as this audience, and keep
    every message shown."""
    chat = Chat(consultation)
    chat.start()
    chat.tap("Yes, let's start")
    label = consultation.audience(audience).label  # type: ignore[union-attr]
    shown: list[Reply] = list(chat.tap(label).replies)
    while chat.state.at.startswith(PROFILE_PLACE):
        shown += chat.answer_waiting("My thoughts on {key}", (0, 2)).replies
    assert chat.state.at == "reminders"
    shown += chat.tap("No").replies
    chat.tap("All of them")
    shown += chat.tap("Done").replies
    while chat.state.at != "outcome":
        shown += chat.answer_waiting("My thoughts on {key}", (0, 2)).replies
    shown += chat.tap("Yes").replies
    shown += chat.tap("Send my answers").replies
    return chat, shown


@pytest.fixture(scope="module")
def journeys(medway) -> dict[str, tuple[Chat, list[Reply]]]:
    return {audience: walk(medway, audience) for audience in AUDIENCES}


def question_texts(consultation: Consultation, audience: str) -> list[str]:
    assert consultation.profile is not None
    areas = (consultation.profile, *consultation.areas)
    texts = [q.text.for_audience(audience) for a in areas for q in a.asked_of(audience)]
    return [*texts, consultation.final_question.text.for_audience(audience)]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_can_answer_every_question_and_send(medway, journeys, audience):
    chat, shown = journeys[audience]

    assert chat.state.at == "done"
    assert chat.last is not None and chat.last.signals == {Signal.FINISHED}
    about_them = 2 if audience == "professional" else 3  # no EHC plan question for them
    assert len(chat.answers) == about_them + 21 + 1
    assert [a.area for a in chat.answers[:about_them]] == ["profile"] * about_them
    assert shown[-1].text.startswith("Thank you! We have your answers.")
    assert [a.question_text for a in chat.answers] == question_texts(medway, audience)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_question_is_asked_in_the_audiences_own_words_and_no_one_elses(
    medway, journeys, audience
):
    _, shown = journeys[audience]
    everything = "\n".join(reply.text for reply in shown)
    own = question_texts(medway, audience)
    others = {
        wording
        for other in AUDIENCES
        if other != audience
        for wording in question_texts(medway, other)
        if wording not in own
    }

    assert all(wording in everything for wording in own)
    assert others
    assert not [wording for wording in others if wording in everything]


def test_the_wording_differs_per_audience_for_the_same_question(journeys):
    first_questions = {
        audience: next(r.text for r in shown if r.text.startswith("Being included and taking"))
        for audience, (_, shown) in journeys.items()
    }

    assert first_questions == {
        "young_person": "Being included and taking part. Question 1 of 3\n\n"
        "Being included is important to me.",
        "parent_carer": "Being included and taking part. Question 1 of 3\n\n"
        "This should be one of our main aims for the next 3 years.",
        "professional": "Being included and taking part. Question 1 of 3\n\n"
        "This ambition is the right priority for 2022 to 2025.",
    }


def test_area_summaries_differ_per_audience(journeys):
    intros = {
        audience: [r.text for r in shown if r.text.startswith("Part ")]
        for audience, (_, shown) in journeys.items()
    }

    assert intros["young_person"][0].endswith(
        "You should be able to take part, like everyone else."
    )
    assert intros["parent_carer"][0].endswith("in school, college and their community.")
    assert len({tuple(texts) for texts in intros.values()}) == 3


@pytest.mark.parametrize("audience", AUDIENCES)
def test_progress_reads_question_n_of_the_areas_total(journeys, audience):
    _, shown = journeys[audience]
    headers = [
        match.group(0)
        for reply in shown
        if (match := re.match(r"^(.+). Question (\d) of (\d)$", reply.text.split("\n")[0]))
    ]

    about_them = 2 if audience == "professional" else 3
    titles = ("About you", *AREA_TITLES[audience])
    assert f"{AREA_TITLES[audience][1]}. Question 2 of 4" in headers
    assert headers == [
        f"{title}. Question {number} of {total}"
        for title, total in zip(titles, (about_them, 3, 4, 4, 4, 3, 3), strict=True)
        for number in range(1, total + 1)
    ]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_area_is_introduced_just_before_its_first_question(medway, journeys, audience):
    _, shown = journeys[audience]

    for number, area in enumerate(medway.areas, start=1):
        title = area.title.for_audience(audience)
        first = next(i for i, r in enumerate(shown) if r.text.startswith(f"{title}. Question 1"))
        assert shown[first - 1].text == (
            f"Part {number} of 6: {title}\n\n{area.summary.for_audience(audience)}"
        )
    assert sum(reply.text.startswith("Part ") for reply in shown) == 6


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_message_asks_at_most_one_question(medway, journeys, audience):
    _, shown = journeys[audience]
    wordings = question_texts(medway, audience)

    for reply in shown:
        if "\nYour answer: " in reply.text:  # the review and copies of the answers
            continue
        assert sum(wording in reply.text for wording in set(wordings)) <= 1, reply.text
    asking = [reply for reply in shown if any(wording in reply.text for wording in wordings)]
    assert len(asking) >= len(wordings)


def test_the_last_question_comes_after_every_area_and_before_the_outcome_question(journeys):
    _, shown = journeys["parent_carer"]
    order = [reply.text.split("\n")[0] for reply in shown]

    last = order.index("Last question")
    assert order[last - 1] == "Our vision and making it happen. Question 3 of 3"
    assert order[last + 1] == "Do you want a message when we share what we did?"


def test_the_review_comes_in_one_message_per_area_each_with_buttons_naming_its_questions(
    journeys,
):
    _, shown = journeys["professional"]
    first = next(i for i, reply in enumerate(shown) if reply.text.startswith("Here are your"))
    parts = shown[first : first + 8]
    closing = shown[first + 8]

    assert sum(part.text.count("\nYour answer: ") for part in parts) == 2 + 22
    assert parts[0].text.startswith("Here are your answers:\n\nAbout you\n")
    assert "Your answer: 0 to 4 years" in parts[0].text
    titles = ["About you", *AREA_TITLES["professional"], "Anything else"]
    assert [
        part.text.removeprefix("Here are your answers:\n\n").split("\n")[0] for part in parts
    ] == (titles)
    assert "Your answer: Finding a job, Money" in parts[2].text
    buttons = [button.label for part in parts for row in part.buttons for button in row]
    assert len(buttons) == 2 + 22
    assert buttons[0] == "Change Q1: Which age group do you work …"
    assert buttons[2] == "Change Q3: This ambition is the right p…"
    assert buttons[6].startswith("Change Q7: Do young people you work")
    assert all(len(label) <= 40 for label in buttons)
    assert closing.text == "That is all your answers.\nIs that right?"
    assert [b.label for row in closing.buttons for b in row] == [
        "Send my answers",
        "Change an answer",
    ]


def test_the_welcome_names_the_council_the_plan_and_how_long_it_takes(medway):
    welcome = Chat(medway).start()

    assert texts(welcome).startswith(
        "Hello! This is Medway Council and NHS Kent and Medway.\n\nOur plan for children"
    )
    assert "It takes about 10 minutes." in texts(welcome)
