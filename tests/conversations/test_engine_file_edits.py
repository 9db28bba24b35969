"""Editing a consultation file while people are half-way through it breaks nobody's progress."""

import json

import pytest

from conversations.engine import step
from conversations.inputs import Command, CommandName, Press, Start, Text
from conversations.loader import load_consultation
from conversations.state import State
from tests.conversations.chatkit import OPEN_NOW, Chat, texts

HEAD = """\
[consultation]
id = "edits"
organisation = "Testshire Council"
title = "A plan"
summary = "Tell us what you think."
document_url = "https://example.org"
closes_at = "2022-09-23T23:59"
outcome = "on our website"
privacy_notice = "We keep your answers safe."

[[audiences]]
key = "young_person"
label = "I'm a young person"
"""

SCHOOL = """
[[areas]]
key = "school"
title = "School"
summary = "About school."
"""

HOME = """
[[areas]]
key = "home"
title = "Home"
summary = "About home."

[[areas.questions]]
key = "garden"
kind = "yesno"
text = "Do you have a garden?"
"""


def question(key: str, words: str) -> str:
    return f'\n[[areas.questions]]\nkey = "{key}"\nkind = "yesno"\ntext = "{words}"\n'


COLOUR = question("colour", "Is your bag red?")
HAPPY = question("happy", "Are you happy at school?")
BUS = question("bus", "Do you go by bus?")
NAME = question("lunch", "Do you have school dinners?")

BOTH = ("school", "home")
SETTLED = ("consent", "audience", "reminders", "areas")


@pytest.fixture
def version(write_consultation):
    """Load a version of the file; each version overwrites the last, as an edit would."""

    def load(*parts: str):
        return load_consultation(write_consultation("".join((HEAD, *parts))))

    return load


def respondent(at: str, answers: dict[str, str | None], history: tuple[str, ...] = ()) -> State:
    return State(
        at=at,
        audience="young_person",
        areas=BOTH,
        answers=answers,
        history=(*SETTLED, *history),
    )


def test_state_names_areas_and_questions_by_key_not_position():
    state = respondent("q:school/bus", {"school/colour": "yes"}, ("q:school/colour",))
    saved = json.loads(json.dumps(state.to_dict()))

    assert saved["at"] == "q:school/bus"
    assert saved["areas"] == ["school", "home"]
    assert saved["answers"] == {"school/colour": "yes"}
    assert saved["history"][-1] == "q:school/colour"


def test_a_respondent_at_a_removed_question_is_moved_to_the_next_one_on_return(version):
    before = version(SCHOOL, COLOUR, BUS, NAME, HOME)
    chat = Chat(before)
    chat.begin("young_person")
    chat.tap("Yes")
    assert chat.state.at == "q:school/bus"

    after = version(SCHOOL, COLOUR, NAME, HOME)
    result = step(after, chat.state, Start(), OPEN_NOW)

    assert texts(result).startswith("Welcome back!")
    assert "Do you have school dinners?" in texts(result)
    assert result.state.at == "q:school/lunch"
    assert result.state.answers == {"school/colour": "yes"}


def test_a_button_for_a_removed_question_records_nothing_and_shows_the_current_question(version):
    state = respondent("q:school/bus", {"school/colour": "yes"}, ("q:school/colour",))
    after = version(SCHOOL, COLOUR, NAME, HOME)

    result = step(after, state, Press("q:school/bus#yes"), OPEN_NOW)

    assert result.answers == ()
    assert result.state.at == "q:school/lunch"
    assert "That button is from an earlier message." in texts(result)
    assert "Do you have school dinners?" in texts(result)


def test_a_respondent_in_a_removed_area_carries_on_with_the_next_area(version):
    state = respondent("q:school/bus", {"school/colour": "no"}, ("q:school/colour",))
    after = version(HOME)

    result = step(after, state, Text("yes"), OPEN_NOW)

    assert [(a.area, a.question, a.value) for a in result.answers] == [("home", "garden", "yes")]
    assert result.state.at == "final"


def test_back_passes_over_a_question_removed_since_it_was_answered(version):
    state = respondent(
        "q:school/lunch",
        {"school/colour": "yes", "school/bus": "no"},
        ("q:school/colour", "q:school/bus"),
    )
    after = version(SCHOOL, COLOUR, NAME, HOME)

    result = step(after, state, Command(CommandName.BACK), OPEN_NOW)

    assert result.state.at == "q:school/colour"
    assert "Is your bag red?" in texts(result)


def test_back_when_every_earlier_place_was_removed_says_there_is_nothing_to_go_back_to(version):
    state = State(
        at="q:home/garden",
        audience="young_person",
        areas=BOTH,
        answers={"school/bus": "no"},
        history=("q:school/bus",),
    )
    after = version(SCHOOL, COLOUR, HOME)

    result = step(after, state, Command(CommandName.BACK), OPEN_NOW)

    assert texts(result) == "You are at the start. There is nothing to go back to."
    assert result.state == state


def test_a_question_added_before_the_respondents_place_is_asked_before_the_last_question(
    version,
):
    before = version(SCHOOL, COLOUR, BUS, NAME, HOME)
    chat = Chat(before)
    chat.begin("young_person")
    chat.tap("Yes")
    assert chat.state.at == "q:school/bus"

    chat.consultation = version(SCHOOL, COLOUR, HAPPY, BUS, NAME, HOME)
    shown = [chat.tap(answer) for answer in ("No", "Yes", "No", "Yes")]

    assert [result.state.at for result in shown] == [
        "q:school/lunch",
        "q:home/garden",
        "q:school/happy",
        "final",
    ]
    assert "School. Question 2 of 4\n\nAre you happy at school?" in texts(shown[2])
    assert [a.question for a in chat.answers] == ["colour", "bus", "lunch", "garden", "happy"]


def test_after_the_added_question_the_respondent_is_not_asked_again_what_they_answered(version):
    state = respondent(
        "q:school/happy",
        {"school/colour": "yes", "school/bus": "no", "school/lunch": "yes", "home/garden": "no"},
        ("q:school/colour", "q:school/bus", "q:school/lunch", "q:home/garden"),
    )
    edited = version(SCHOOL, COLOUR, HAPPY, BUS, NAME, HOME)

    result = step(edited, state, Press("q:school/happy#yes"), OPEN_NOW)

    assert result.state.at == "final"
    assert texts(result).startswith("Last question")


def test_a_question_added_while_the_respondent_is_at_the_last_question_is_asked_next(version):
    answered = {"school/colour": "yes", "school/bus": "no", "home/garden": "no"}
    state = respondent("final", answered, ("q:school/colour", "q:school/bus", "q:home/garden"))
    edited = version(SCHOOL, COLOUR, BUS, NAME, HOME)

    to_added = step(edited, state, Text("That's all"), OPEN_NOW)
    assert to_added.state.at == "q:school/lunch"
    assert "Do you have school dinners?" in texts(to_added)

    after_added = step(edited, to_added.state, Press("q:school/lunch#no"), OPEN_NOW)
    assert after_added.state.at == "outcome"


def test_going_back_and_answering_again_still_walks_forward_one_question_at_a_time(version):
    consultation = version(SCHOOL, COLOUR, BUS, NAME, HOME)
    chat = Chat(consultation)
    chat.begin("young_person")
    for answer in ("Yes", "No", "Yes"):
        chat.tap(answer)
    chat.command("back")
    chat.command("back")
    assert chat.state.at == "q:school/bus"

    assert chat.tap("Yes").state.at == "q:school/lunch"
    assert chat.tap("Yes").state.at == "q:home/garden"


def test_reordered_questions_keep_every_answer_and_review_in_the_new_order(version):
    state = respondent(
        "review",
        {
            "school/colour": "yes",
            "school/bus": "no",
            "home/garden": "yes",
            "final/anything_else": None,
        },
    )
    reordered = version(HOME, SCHOOL, BUS, COLOUR)

    result = step(reordered, state, Command(CommandName.MY_ANSWERS), OPEN_NOW)

    assert texts(result) == (
        "Your answers so far:\n\n"
        "Home\n\n1. Do you have a garden?\nYour answer: Yes\n\n"
        "School\n\n2. Do you go by bus?\nYour answer: No\n\n"
        "3. Is your bag red?\nYour answer: Yes\n\n"
        "4. Is there anything else you want to tell us?\nYour answer: (skipped)"
    )


def test_a_reworded_question_is_shown_in_its_new_words_and_keeps_its_answer(version):
    state = respondent("q:school/bus", {"school/colour": "yes"}, ("q:school/colour",))
    reworded = version(SCHOOL, question("colour", "Is your school bag red?"), BUS, HOME)

    result = step(reworded, state, Command(CommandName.REVIEW), OPEN_NOW)

    assert "1. Is your school bag red?\nYour answer: Yes" in texts(result)
    assert result.state.answers == {"school/colour": "yes"}
