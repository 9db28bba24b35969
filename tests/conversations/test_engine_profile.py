"""Questions about who is answering: asked after consent and the audience, always skippable."""

import json
from dataclasses import replace

import pytest

from conversations.loader import load_consultation
from conversations.model import PREFER_NOT, Consultation
from conversations.render import my_answers
from conversations.state import State
from tests.conversations.chatkit import PROFILE, SMALL, Chat, labels, texts


@pytest.fixture
def profiled(write_consultation) -> Consultation:
    """SMALL with two profile questions: an age worded per audience, and an EHC plan."""
    return load_consultation(write_consultation(SMALL + PROFILE))


def as_young_person(consultation: Consultation) -> Chat:
    chat = Chat(consultation)
    chat.start()
    chat.tap("Yes, let's start")
    chat.tap("I'm a young person")
    return chat


def test_after_consent_and_the_audience_the_intro_and_first_question_come(profiled):
    chat = Chat(profiled)
    chat.start()
    chat.tap("Yes, let's start")

    result = chat.tap("I'm a young person")

    intro, question = result.replies
    assert intro.text == "Now a few questions about you. You can skip them."
    assert question.text == "About you. Question 1 of 2\n\nHow old are you?"
    assert labels(result) == ["Under 11", "11 or older", "Prefer not to say"]
    assert chat.state.at == "q:profile/age"


def test_a_link_naming_the_audience_goes_from_consent_straight_to_the_profile(profiled):
    chat = Chat(profiled)
    chat.start("parent_carer__school_letter")

    result = chat.tap("Yes, let's start")

    assert "How old is your child?" in texts(result)
    assert chat.state.at == "q:profile/age"


def test_an_answer_a_prefer_not_to_say_and_a_skip_are_stored_apart(profiled):
    chat = as_young_person(profiled)

    chat.tap("11 or older")
    chat.command("back")
    chat.tap("Prefer not to say")
    after_plan = chat.command("skip")

    assert [(a.area, a.question, a.value, a.label) for a in chat.answers] == [
        ("profile", "age", "from_11", "11 or older"),
        ("profile", "age", PREFER_NOT, "Prefer not to say"),
        ("profile", "plan", None, "(skipped)"),
    ]
    assert texts(after_plan) == "If you stop before the end, can we send you 1 reminder?"
    assert chat.state.at == "reminders"


def test_the_profile_buttons_offer_prefer_not_to_say_instead_of_skip(profiled):
    chat = as_young_person(profiled)

    plan = chat.tap("Under 11")

    assert labels(plan) == ["Yes", "No", "Prefer not to say"]
    assert "Skip" not in labels(plan)


def test_typing_prefer_not_to_say_works_like_the_button(profiled):
    chat = as_young_person(profiled)

    chat.type("prefer not to say")

    assert chat.answers[-1].value == PREFER_NOT
    assert chat.state.at == "q:profile/plan"


def test_after_the_profile_come_the_reminder_then_the_areas(profiled):
    chat = as_young_person(profiled)
    chat.tap("Under 11")
    chat.tap("No")

    areas = chat.tap("No")

    assert chat.state.at == "areas"
    assert "School" in labels(areas)
    chat.tap("School")
    first = chat.tap("Done")
    assert texts(first).startswith("Part 1 of 1: School")


def test_back_from_the_reminder_question_shows_the_last_profile_answer(profiled):
    chat = as_young_person(profiled)
    chat.tap("Under 11")
    chat.tap("Yes")

    back = chat.command("back")

    assert chat.state.at == "q:profile/plan"
    assert "Your answer before: Yes" in texts(back)
    again = chat.tap("No")
    assert chat.state.answers["profile/plan"] == "no"
    assert texts(again) == "If you stop before the end, can we send you 1 reminder?"


def test_a_restart_mid_profile_carries_on_at_the_same_question(profiled):
    chat = as_young_person(profiled)
    chat.tap("Prefer not to say")
    saved = json.dumps(chat.command("stop").state.to_dict())

    later = Chat(profiled, state=State.from_dict(json.loads(saved)))
    result = later.start()

    assert texts(result).startswith("Welcome back! Let's carry on where you stopped.")
    assert "About you. Question 2 of 2\n\nIs there an EHC plan?" in texts(result)
    later.tap("Yes")
    assert later.state.answers == {"profile/age": PREFER_NOT, "profile/plan": "yes"}
    assert later.state.at == "reminders"


def test_the_review_and_my_answers_show_the_profile_answers_and_they_can_be_changed(profiled):
    chat = as_young_person(profiled)
    chat.tap("Prefer not to say")
    chat.command("skip")
    chat.tap("No")
    chat.tap("Home")
    chat.tap("Done")
    chat.tap("Yes")
    review = chat.type("Nothing else")
    review = chat.tap("No")

    first = review.replies[0].text
    assert first.startswith("Here are your answers:\n\nAbout you\n")
    assert "Your answer: Prefer not to say" in first and "Your answer: (skipped)" in first
    assert "About you" in "\n".join(reply.text for reply in my_answers(profiled, chat.state))
    chat.tap("Change Q1: How old are you?")
    back_to_review = chat.tap("11 or older")
    assert chat.state.answers["profile/age"] == "from_11"
    assert "Your answer: 11 or older" in back_to_review.replies[0].text


def test_a_question_for_some_audiences_is_not_asked_of_the_others(write_consultation):
    only_parents = PROFILE.replace(
        'text = "Is there an EHC plan?"',
        'text = "Is there an EHC plan?"\naudiences = ["parent_carer"]',
    )
    consultation = load_consultation(write_consultation(SMALL + only_parents))
    young = as_young_person(consultation)

    assert "About you. Question 1 of 1" in texts(young.last)  # type: ignore[arg-type]
    young.tap("Under 11")
    assert young.state.at == "reminders"


def test_a_profile_question_removed_from_the_file_moves_the_person_on(profiled):
    chat = as_young_person(profiled)
    chat.tap("Under 11")
    assert profiled.profile is not None
    edited = replace(
        profiled, profile=replace(profiled.profile, questions=profiled.profile.questions[:1])
    )

    later = Chat(edited, state=chat.state)
    result = later.start()

    assert later.state.at == "reminders"
    assert "can we send you 1 reminder?" in texts(result)


def test_without_profile_questions_the_reminder_follows_the_audience(small):
    chat = Chat(small)
    chat.start()
    chat.tap("Yes, let's start")

    chat.tap("I'm a young person")

    assert chat.state.at == "reminders"


def test_the_profile_comes_in_polish_for_a_polish_respondent(write_consultation):
    from tests.conversations.test_profile_loader import POLISH

    text = SMALL.replace('id = "small"', 'id = "small"\nlanguages = ["en", "pl"]')
    consultation = load_consultation(write_consultation(text + PROFILE + POLISH))
    chat = Chat(consultation, language_hint="pl")
    chat.start()
    chat.tap("Tak, zaczynajmy")

    result = chat.tap("I'm a young person")

    assert texts(result).startswith("Teraz kilka pytań o Ciebie. Możesz je pominąć.")
    assert "O Tobie. Pytanie 1 z 2\n\nIle masz lat?" in texts(result)
    assert labels(result) == ["Poniżej 11", "11 lub więcej", "Wolę nie mówić"]
    chat.tap("Wolę nie mówić")
    assert (chat.answers[-1].value, chat.answers[-1].label) == (PREFER_NOT, "Wolę nie mówić")
