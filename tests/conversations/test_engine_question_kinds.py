"""Every kind of question, driven through the engine: given this input, expect these events."""

from dataclasses import dataclass, field

import pytest

from conversations.engine import step
from conversations.inputs import Command, CommandName, Input, Press, Text, Unsupported
from conversations.state import State
from tests.conversations.chatkit import OPEN_NOW, Chat, labels, texts

BEFORE = ("consent", "audience", "reminders", "areas")


def at(place: str, **changes: object) -> State:
    """A young person who chose both areas of the small consultation, waiting at `place`."""
    values: dict = {
        "at": place,
        "audience": "young_person",
        "areas": ("school", "home"),
        "history": BEFORE,
    }
    return State(**(values | changes))


@dataclass(frozen=True)
class Case:
    """Given a respondent at `place` and this input, expect these events."""

    name: str
    place: str
    event: Input
    recorded: tuple[tuple[str, str | None, str], ...] = ()
    """(question, value, label) of each answer to store; empty means nothing is stored."""
    moves_to: str | None = None
    """The place afterwards; None means the respondent stays where they were."""
    says: tuple[str, ...] = field(default_factory=tuple)


COLOUR, HAPPY, BUS, NAME = "q:school/colour", "q:school/happy", "q:school/bus", "q:school/name"
TAP_A_BUTTON = "Please tap one of the buttons, or type /help."
TEN_EMOJI = "🏫🌳📚🎒🎨🎵🚌🌈⚽🎉"

ACCEPTED = [
    Case(
        "a choice button records the choice's key and label",
        COLOUR,
        Press(f"{COLOUR}#blue"),
        (("colour", "blue", "Blue"),),
        HAPPY,
        ("School. Question 2 of 5", "I am happy at school."),
    ),
    Case(
        "typing a choice's label is taken as tapping it",
        COLOUR,
        Text("  blue "),
        (("colour", "blue", "Blue"),),
        HAPPY,
    ),
    Case(
        "a scale button records the point of the scale",
        HAPPY,
        Press(f"{HAPPY}#agree_strongly"),
        (("happy", "agree_strongly", "Agree a lot"),),
        "q:school/clubs",
        ("Which clubs do you go to?", "Tap all that fit. Then tap Done."),
    ),
    Case(
        "typing a scale label is taken as tapping it",
        HAPPY,
        Text("Not sure"),
        (("happy", "not_sure", "Not sure"),),
        "q:school/clubs",
    ),
    Case("a yes records yes", BUS, Press(f"{BUS}#yes"), (("bus", "yes", "Yes"),), NAME),
    Case("typing no records no", BUS, Text("NO"), (("bus", "no", "No"),), NAME),
    Case(
        "the skip button records a skip",
        COLOUR,
        Press(f"{COLOUR}#!skip"),
        (("colour", None, "(skipped)"),),
        HAPPY,
    ),
    Case(
        "the /skip command records a skip",
        BUS,
        Command(CommandName.SKIP),
        (("bus", None, "(skipped)"),),
        NAME,
    ),
    Case(
        "typing the word Skip is taken as tapping the skip button",
        HAPPY,
        Text("skip"),
        (("happy", None, "(skipped)"),),
        "q:school/clubs",
    ),
    Case(
        "free text exactly at the limit is accepted and the next area is introduced",
        NAME,
        Text("Oak School"),
        (("name", "Oak School", "Oak School"),),
        "q:home/garden",
        ("Part 2 of 2: Home", "About home.", "Home. Question 1 of 1"),
    ),
    Case(
        "spaces around free text are trimmed before it is measured and kept",
        NAME,
        Text("   Oak School   \n"),
        (("name", "Oak School", "Oak School"),),
        "q:home/garden",
    ),
    Case(
        "ten emoji fit a limit of ten: each counts as one character",
        NAME,
        Text(TEN_EMOJI),
        (("name", TEN_EMOJI, TEN_EMOJI),),
        "q:home/garden",
    ),
]

REFUSED = [
    Case(
        "eleven emoji are one over a limit of ten",
        NAME,
        Text(TEN_EMOJI + "🎉"),
        says=("You can use up to 10 letters. You used 11.",),
    ),
    Case(
        "free text one over the limit is refused kindly",
        NAME,
        Text("Oak Schools"),
        says=("You can use up to 10 letters. You used 11.", "Please make it shorter"),
    ),
    Case(
        "whitespace-only text is refused with a hint to type an answer",
        NAME,
        Text("   \n\t "),
        says=("Type your answer.",),
    ),
    Case(
        "/skip on a question that cannot be skipped asks for an answer",
        NAME,
        Command(CommandName.SKIP),
        says=("Please answer this one. It cannot be skipped.",),
    ),
    Case(
        "a forged skip button on a question that cannot be skipped records nothing",
        NAME,
        Press(f"{NAME}#!skip"),
        says=(TAP_A_BUTTON,),
    ),
    Case(
        "words that match no button ask for a tap",
        COLOUR,
        Text("purple"),
        says=(TAP_A_BUTTON,),
    ),
    Case(
        "a button for a choice the question no longer has records nothing",
        COLOUR,
        Press(f"{COLOUR}#green"),
        says=(TAP_A_BUTTON,),
    ),
    Case(
        "a sticker gets the kind reply",
        COLOUR,
        Unsupported("sticker"),
        says=("Sorry, we can only read typed words and button taps.",),
    ),
    Case(
        "a photo on a free-text question gets the kind reply",
        NAME,
        Unsupported("photo"),
        says=("Please type your answer or tap a button.",),
    ),
    Case(
        "an edited message is explained and changes nothing",
        BUS,
        Unsupported("edited"),
        says=("Edits don't change your answer.", "type /back or /review"),
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_an_accepted_answer_is_recorded_and_the_next_question_asked(small, case):
    before = at(case.place)
    result = step(small, before, case.event, OPEN_NOW)

    recorded = tuple((answer.question, answer.value, answer.label) for answer in result.answers)
    assert recorded == case.recorded
    assert all(answer.area == "school" for answer in result.answers)
    assert result.state.at == case.moves_to
    assert result.state.history[-1] == case.place
    assert result.acknowledge == f"Your answer: {case.recorded[0][2]}"
    for words in case.says:
        assert words in texts(result)


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_a_refused_input_gets_a_kind_reply_and_changes_nothing(small, case):
    before = at(case.place)
    result = step(small, before, case.event, OPEN_NOW)

    assert result.answers == ()
    assert result.state == before
    assert result.signals == frozenset()
    for words in case.says:
        assert words in texts(result)


MULTI = "q:school/clubs"

TOGGLES = [
    (["art", "music"], "art,music", "Art, Music"),
    (["music", "art"], "art,music", "Art, Music"),
    (["art", "sport", "art"], "sport", "Sport"),
    (["art", "sport", "music", "sport"], "art,music", "Art, Music"),
]


@pytest.mark.parametrize(("taps", "value", "label"), TOGGLES, ids=str)
def test_multiple_choice_records_what_is_ticked_when_done_in_the_files_order(
    small, taps, value, label
):
    state = at(MULTI)
    for key in taps:
        result = step(small, state, Press(f"{MULTI}#{key}"), OPEN_NOW)
        assert result.answers == ()
        assert result.state.at == MULTI
        state = result.state

    result = step(small, state, Press(f"{MULTI}#!done"), OPEN_NOW)

    assert [(a.question, a.value, a.label) for a in result.answers] == [("clubs", value, label)]
    assert result.state.at == BUS
    assert result.state.draft == ()


def test_ticking_redraws_the_question_in_place_with_the_ticked_option_marked(small):
    result = step(small, at(MULTI), Press(f"{MULTI}#sport"), OPEN_NOW)

    (reply,) = result.replies
    assert reply.replace is True
    assert labels(result) == ["Art", "Sport ✅", "Music", "Done", "Skip"]
    assert result.state.draft == ("sport",)


def test_done_with_nothing_ticked_asks_for_at_least_one_and_records_nothing(small):
    before = at(MULTI)
    result = step(small, before, Press(f"{MULTI}#!done"), OPEN_NOW)

    assert texts(result) == "Please tap at least 1 answer. Then tap Done."
    assert result.answers == ()
    assert result.state == before


def test_skipping_a_multiple_choice_question_records_a_skip_even_with_options_ticked(small):
    ticked = at(MULTI, draft=("art",))
    result = step(small, ticked, Press(f"{MULTI}#!skip"), OPEN_NOW)

    assert [(a.question, a.value) for a in result.answers] == [("clubs", None)]
    assert result.state.at == BUS


LAYOUTS = [
    (COLOUR, [["Red"], ["Blue"], ["Skip"]]),
    (HAPPY, [["Agree a lot"], ["Agree"], ["Not sure"], ["Disagree"], ["Disagree a lot"], ["Skip"]]),
    (MULTI, [["Art"], ["Sport"], ["Music"], ["Done"], ["Skip"]]),
    (BUS, [["Yes", "No"], ["Skip"]]),
    (NAME, []),
]


@pytest.mark.parametrize(("place", "rows"), LAYOUTS, ids=[place for place, _ in LAYOUTS])
def test_each_kind_of_question_shows_its_buttons_one_per_row_with_yes_and_no_side_by_side(
    small, place, rows
):
    result = step(small, at(place), Command(CommandName.HELP), OPEN_NOW)
    question = result.replies[-1]

    assert [[button.label for button in row] for row in question.buttons] == rows
    assert all(button.data.startswith(f"{place}#") for row in question.buttons for button in row)


def test_a_question_that_cannot_be_skipped_shows_no_skip_button_and_says_type(small):
    result = step(small, at(BUS), Press(f"{BUS}#no"), OPEN_NOW)

    assert labels(result) == []
    assert texts(result).endswith("What is your school called?\n\nType your answer.")


def test_a_skippable_text_question_offers_skip_in_words_and_as_a_button(medway):
    chat = Chat(medway)
    chat.begin("young_person", areas=("inclusion",))
    chat.tap("Agree")
    result = chat.tap("Agree")

    assert "Type your answer, or tap Skip." in texts(result)
    assert labels(result) == ["Skip", "Explain this"]
    assert chat.type("   ").replies[0].text == "Type your answer, or tap Skip."
    assert chat.state.at == "q:inclusion/ideas"
