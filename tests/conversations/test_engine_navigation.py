"""Moving around: skip, back, review and change, stop and resume, the commands, consent, links."""

import json

import pytest

from conversations.engine import step
from conversations.inputs import Command, CommandName, Press, Start, Text, Unsupported
from conversations.outputs import Signal
from conversations.state import State
from tests.conversations.chatkit import OPEN_NOW, Chat, labels, texts


def answer_everything(chat: Chat) -> None:
    """Answer every question of the small consultation as a young person, up to the review."""
    chat.begin("young_person")
    chat.tap("Red")
    chat.tap("Agree")
    chat.tap("Art")
    chat.tap("Done")
    chat.tap("Yes")
    chat.type("Oak School")
    chat.tap("No")
    chat.type("Thank you")
    chat.tap("Yes")


def answer_everything_after_areas(chat: Chat) -> None:
    """Answer the school area's questions, skip the last question and say no to news."""
    for label in ("Red", "Agree", "Art", "Done", "Yes"):
        chat.tap(label)
    chat.type("Oak")
    chat.command("skip")
    chat.tap("No")


# -- starting, consent and links -------------------------------------------------------------


def test_a_new_respondent_is_welcomed_and_asked_for_consent_first(small):
    result = Chat(small).start()

    assert texts(result).startswith("Hello! This is Testshire Council.\n\nA small plan")
    assert "It takes about 10 minutes." in texts(result)
    assert labels(result) == ["Yes, let's start", "How we use your answers", "No thanks"]
    assert result.state == State(at="consent")


@pytest.mark.parametrize(
    "first", [Text("hi"), Command(CommandName.HELP), Unsupported("sticker")], ids=repr
)
def test_a_new_respondents_first_message_of_any_kind_starts_the_conversation(small, first):
    result = step(small, None, first, OPEN_NOW)

    assert result.state.at == "consent"
    assert texts(result).startswith("Hello! This is Testshire Council.")


def test_consenting_is_signalled_and_asks_who_the_respondent_is(small):
    chat = Chat(small)
    chat.start()
    result = chat.tap("Yes, let's start")

    assert result.signals == {Signal.CONSENTED}
    assert result.acknowledge == "Your answer: Yes, let's start"
    assert texts(result) == "Who are you?"
    assert labels(result) == ["I'm a young person", "I'm a parent or carer"]


def test_declining_consent_keeps_nothing_and_says_how_to_change_your_mind(small):
    chat = Chat(small, state=None)
    chat.start("parent_carer__school_newsletter")
    result = chat.tap("No thanks")

    assert result.signals == {Signal.DECLINED}
    assert result.state == State(at="declined")
    assert result.answers == ()
    assert "We have not kept anything." in texts(result)
    assert "type /start" in texts(result)


def test_words_typed_after_declining_repeat_how_to_start_again_and_change_nothing(small):
    chat = Chat(small)
    chat.start()
    chat.tap("No thanks")
    result = chat.type("hello?")

    assert "If you change your mind, type /start." in texts(result)
    assert result.state == State(at="declined")


def test_start_after_declining_welcomes_the_respondent_afresh(small):
    chat = Chat(small)
    chat.start()
    chat.tap("No thanks")
    result = chat.start()

    assert texts(result).startswith("Hello!")
    assert result.state.at == "consent"


def test_the_consent_privacy_button_shows_the_notice_and_asks_again(small):
    chat = Chat(small)
    chat.start()
    result = chat.tap("How we use your answers")

    assert texts(result).startswith("How we use your answers:\n\nWe keep your answers safe.")
    assert labels(result) == ["Yes, let's start", "How we use your answers", "No thanks"]
    assert result.state.at == "consent"


PAYLOADS = [
    ("parent_carer__poster_library", "parent_carer", "poster_library"),
    ("poster_library__parent_carer", "parent_carer", "poster_library"),
    ("young_person", "young_person", None),
    ("school_42", None, "school_42"),
    ("", None, None),
    ("x" * 100, None, "x" * 64),
]


@pytest.mark.parametrize(("payload", "audience", "source"), PAYLOADS, ids=repr)
def test_a_link_payload_preselects_the_audience_and_records_the_source(
    small, payload, audience, source
):
    result = step(small, None, Start(payload), OPEN_NOW)

    assert (result.state.audience, result.state.source) == (audience, source)


def test_a_link_for_parents_skips_the_audience_question_and_asks_in_parents_words(small):
    chat = Chat(small)
    chat.start("parent_carer__poster_library")
    reminders = chat.tap("Yes, let's start")

    assert reminders.state.at == "reminders"
    chat.tap("No")
    chat.tap("School")
    question = chat.tap("Done")
    assert "What colour is your child's school bag?" in texts(question)
    assert chat.state.source == "poster_library"
    chat.tap("Blue")
    assert chat.answers[0].question_text == "What colour is your child's school bag?"


# -- skip and back ---------------------------------------------------------------------------


def test_skip_where_there_is_no_question_says_so_and_changes_nothing(small):
    chat = Chat(small)
    chat.start()
    chat.tap("Yes, let's start")
    before = chat.state
    result = chat.command("skip")

    assert texts(result) == "There is nothing to skip here."
    assert result.state == before


def test_back_at_the_start_says_there_is_nothing_to_go_back_to(small):
    chat = Chat(small)
    chat.start()
    result = chat.command("back")

    assert texts(result) == "You are at the start. There is nothing to go back to."
    assert result.state == State(at="consent")


def test_back_returns_to_the_previous_question_which_can_be_answered_again(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Red")
    back = chat.command("back")

    assert back.state.at == "q:school/colour"
    assert "School. Question 1 of 5" in texts(back)
    assert back.answers == ()
    chat.tap("Blue")
    assert [(a.question, a.value) for a in chat.answers] == [("colour", "red"), ("colour", "blue")]
    assert chat.state.answers == {"school/colour": "blue"}
    assert chat.state.at == "q:school/happy"


def test_back_to_a_multiple_choice_question_shows_the_earlier_ticks(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Red")
    chat.tap("Agree")
    chat.tap("Music")
    chat.tap("Art")
    chat.tap("Done")
    back = chat.command("back")

    assert labels(back) == ["Art ✅", "Sport", "Music ✅", "Done", "Skip"]
    assert back.state.draft == ("art", "music")


def test_back_from_the_first_question_reopens_the_list_of_areas_with_the_ticks_kept(small):
    chat = Chat(small)
    chat.begin("young_person", areas=("home",))
    back = chat.command("back")

    assert back.state.at == "areas"
    assert labels(back) == ["School", "Home ✅", "All of them", "Done"]


def test_back_after_sending_is_refused(small):
    chat = Chat(small)
    answer_everything(chat)
    chat.tap("Send my answers")
    result = chat.command("back")

    assert texts(result) == "You are at the start. There is nothing to go back to."
    assert result.state.at == "done"


# -- review and change -----------------------------------------------------------------------

CHANGE_BUTTONS = [
    "Change Q1: What colour is your school b…",
    "Change Q2: I am happy at school.",
    "Change Q3: Which clubs do you go to?",
    "Change Q4: Do you go by bus?",
    "Change Q5: What is your school called?",
    "Change Q6: Do you have a garden?",
    "Change Q7: Is there anything else you w…",
]
"""Change buttons name their question, cut to fit a phone's button width."""


def test_a_change_button_in_the_review_goes_straight_to_its_question(small):
    chat = Chat(small)
    answer_everything(chat)

    question = chat.tap("Change Q6: Do you have a garden?")

    assert question.state.at == "q:home/garden" and question.state.reviewing
    assert "Your answer before: No" in texts(question)
    changed = chat.tap("Yes")
    assert changed.state.at == "review"
    assert "6. Do you have a garden?\nYour answer: Yes" in texts(changed)


def test_the_review_lists_every_answer_under_its_area_with_send_and_change(small):
    chat = Chat(small)
    answer_everything(chat)
    review = chat.last
    assert review is not None

    assert review.state.at == "review"
    assert texts(review) == (
        "Here are your answers:\n\n"
        "School\n\n"
        "1. What colour is your school bag?\nYour answer: Red\n\n"
        "2. I am happy at school.\nYour answer: Agree\n\n"
        "3. Which clubs do you go to?\nYour answer: Art\n\n"
        "4. Do you go by bus?\nYour answer: Yes\n\n"
        "5. What is your school called?\nYour answer: Oak School\n\n"
        "Home\n\n"
        "6. Do you have a garden?\nYour answer: No\n\n"
        "Anything else\n\n"
        "7. Is there anything else you want to tell us?\nYour answer: Thank you\n\n"
        "That is all your answers.\nIs that right?"
    )
    assert labels(review) == [*CHANGE_BUTTONS[:7], "Send my answers", "Change an answer"]


def test_changing_one_answer_from_the_review_lands_back_on_the_review(small):
    chat = Chat(small)
    answer_everything(chat)
    change = chat.tap("Change an answer")
    assert texts(change) == "Which answer do you want to change? Tap its number."
    assert labels(change) == [*CHANGE_BUTTONS, "Back to my answers"]

    question = chat.tap("Change Q4: Do you go by bus?")
    assert question.state.at == "q:school/bus"
    assert texts(question).startswith("School. Question 4 of 5")
    assert "Part 1 of 2" not in texts(question)

    changed = chat.tap("No")
    assert changed.state.at == "review"
    assert [(a.question, a.value, a.label) for a in changed.answers] == [("bus", "no", "No")]
    assert "4. Do you go by bus?\nYour answer: No" in texts(changed)
    assert changed.state.answers["school/bus"] == "no"


def test_skipping_a_question_picked_from_the_review_also_lands_back_on_the_review(small):
    chat = Chat(small)
    answer_everything(chat)
    chat.tap("Change an answer")
    chat.tap(CHANGE_BUTTONS[6])
    result = chat.command("skip")

    assert result.state.at == "review"
    assert "7. Is there anything else you want to tell us?\nYour answer: (skipped)" in texts(result)


def test_back_to_my_answers_leaves_the_change_list_without_changing_anything(small):
    chat = Chat(small)
    answer_everything(chat)
    before = dict(chat.state.answers)
    chat.tap("Change an answer")
    result = chat.tap("Back to my answers")

    assert result.state.at == "review"
    assert result.answers == ()
    assert result.state.answers == before


def test_sending_from_the_review_finishes_and_says_thank_you(small):
    chat = Chat(small)
    answer_everything(chat)
    result = chat.tap("Send my answers")

    assert result.signals == {Signal.FINISHED}
    assert result.state.at == "done"
    assert texts(result).startswith("Thank you! We have your answers.")
    assert "We will share what we did on our website." in texts(result)


def test_after_sending_words_and_start_say_the_answers_are_already_in(small):
    chat = Chat(small)
    answer_everything(chat)
    chat.tap("Send my answers")

    for result in (chat.type("hello"), chat.start()):
        assert texts(result).startswith("You have already sent your answers. Thank you!")
        assert result.state.at == "done"


# -- stop and resume -------------------------------------------------------------------------


def test_stop_then_a_restart_from_the_saved_state_carries_on_at_the_same_question(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Red")
    stopped = chat.command("stop")
    assert (
        texts(stopped) == "OK. We have saved your answers.\nWhen you want to carry on, type /start."
    )
    saved = json.dumps(stopped.state.to_dict())

    later = Chat(small, state=State.from_dict(json.loads(saved)))
    assert later.state == stopped.state
    result = later.start()

    assert texts(result).startswith("Welcome back! Let's carry on where you stopped.")
    assert "I am happy at school." in texts(result)
    assert result.state.at == "q:school/happy"
    later.tap("Agree")
    assert later.state.answers == {"school/colour": "red", "school/happy": "agree"}


def test_a_restored_state_takes_the_button_it_was_waiting_for_without_a_restart(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Red")
    chat.tap("Agree")
    chat.tap("Sport")
    restored = State.from_dict(json.loads(json.dumps(chat.state.to_dict())))

    result = step(small, restored, Press("q:school/clubs#!done"), OPEN_NOW)

    assert [(a.question, a.value) for a in result.answers] == [("clubs", "sport")]


def test_a_saved_state_from_a_newer_version_with_extra_keys_still_loads(small):
    data = State(at="areas", audience="young_person").to_dict() | {"mood": "happy"}

    assert State.from_dict(data) == State(at="areas", audience="young_person")


# -- the commands ----------------------------------------------------------------------------


def test_help_lists_the_commands_then_asks_the_current_question_again(small):
    chat = Chat(small)
    chat.begin("young_person")
    result = chat.command("help")

    assert texts(result).startswith("Tap a button or type your answer.")
    for command in ("/back", "/skip", "/review", "/stop", "/myanswers", "/delete", "/privacy"):
        assert command in result.replies[0].text
    assert "What colour is your school bag?" in result.replies[1].text
    assert result.state.at == "q:school/colour"


def test_review_half_way_shows_the_answers_so_far_and_asks_the_current_question(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Blue")
    result = chat.command("review")

    assert "1. What colour is your school bag?\nYour answer: Blue" in result.replies[0].text
    assert "I am happy at school." in result.replies[-1].text
    assert result.state.at == "q:school/happy"


def test_my_answers_gives_a_copy_of_everything_answered_and_changes_nothing(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Blue")
    chat.command("skip")
    before = chat.state
    result = chat.command("myanswers")

    assert texts(result) == (
        "Your answers so far:\n\nSchool\n\n"
        "1. What colour is your school bag?\nYour answer: Blue\n\n"
        "2. I am happy at school.\nYour answer: (skipped)"
    )
    assert result.state == before


def test_my_answers_after_sending_says_these_are_the_answers_sent(small):
    chat = Chat(small)
    answer_everything(chat)
    chat.tap("Send my answers")

    shown = texts(chat.command("myanswers"))

    assert shown.startswith("These are the answers you sent:\n\nSchool\n\n")
    assert "so far" not in shown


def test_my_answers_before_answering_anything_says_there_are_none_yet(small):
    chat = Chat(small)
    chat.start()

    assert texts(chat.command("myanswers")) == "You have not answered any questions yet."


def test_privacy_shows_the_consultations_notice(small):
    chat = Chat(small)
    chat.begin("young_person")
    before = chat.state
    result = chat.command("privacy")

    assert texts(result) == "How we use your answers:\n\nWe keep your answers safe."
    assert result.state == before


def test_delete_asks_to_confirm_and_yes_erases_everything(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Blue")
    confirm = chat.command("delete")
    assert "Do you want to delete all your answers?" in texts(confirm)
    assert labels(confirm) == ["Yes, delete them", "No, keep them"]
    assert confirm.state.answers == {"school/colour": "blue"}

    erased = chat.tap("Yes, delete them")

    assert erased.signals == {Signal.ERASE}
    assert erased.state == State(at="declined")
    assert erased.answers == ()
    assert "We have deleted your answers." in texts(erased)
    assert chat.start().state.at == "consent"


def test_delete_then_no_keeps_the_answers_and_the_place(small):
    chat = Chat(small)
    chat.begin("young_person")
    chat.tap("Blue")
    before = chat.state
    chat.command("delete")
    result = chat.tap("No, keep them")

    assert texts(result) == "OK. We have kept your answers."
    assert result.signals == frozenset()
    assert result.state == before


def test_delete_with_nothing_kept_says_there_is_nothing(small):
    chat = Chat(small)
    chat.start()
    result = chat.command("delete")

    assert texts(result) == "We do not have any answers from you."
    assert labels(result) == []


# -- old buttons and typed labels ------------------------------------------------------------


def test_an_old_question_button_tapped_again_changes_nothing_and_shows_the_current_place(small):
    chat = Chat(small)
    chat.begin("young_person")
    old_red = chat.button("Red")
    chat.tap("Blue")
    before = chat.state
    result = chat.send(Press(old_red.data))

    assert result.answers == ()
    assert result.state == before
    assert texts(result).startswith("That button is from an earlier message. Here is where you are")
    assert "I am happy at school." in texts(result)


def test_old_buttons_from_each_earlier_step_change_nothing(small):
    chat = Chat(small)
    chat.start()
    shown = {"consent": chat.button("Yes, let's start")}
    chat.tap("Yes, let's start")
    shown["audience"] = chat.button("I'm a parent or carer")
    chat.tap("I'm a young person")
    shown["reminders"] = chat.button("Yes")
    chat.tap("No")
    shown["areas"] = chat.button("Home")
    chat.tap("School")
    shown["done"] = chat.button("Done")
    chat.tap("Done")
    answer_everything_after_areas(chat)
    shown["review"] = chat.button("Send my answers")
    chat.tap("Change an answer")

    for place, button in shown.items():
        before = chat.state
        result = chat.send(Press(button.data))
        assert result.state == before, place
        assert result.answers == (), place
        assert result.signals == frozenset(), place


def test_any_button_after_sending_changes_nothing(small):
    chat = Chat(small)
    answer_everything(chat)
    send = chat.button("Send my answers")
    chat.tap("Send my answers")
    result = chat.send(Press(send.data))

    assert result.state.at == "done"
    assert result.signals == frozenset()
    assert "You have already sent your answers." in texts(result)


TYPED = [
    ("consent", "yes, let's start", "audience"),
    ("audience", "I'M A PARENT OR CARER", "reminders"),
    ("reminders", " no ", "areas"),
    ("outcome", "Yes", "review"),
]


@pytest.mark.parametrize(("place", "typed", "moves_to"), TYPED, ids=[t[0] for t in TYPED])
def test_typing_a_buttons_label_is_taken_as_tapping_it(small, place, typed, moves_to):
    audience = None if place in ("consent", "audience") else "young_person"
    state = State(at=place, audience=audience, areas=("home",))
    result = step(small, state, Text(typed), OPEN_NOW)

    assert result.state.at == moves_to


def test_typing_the_send_label_on_the_review_sends_the_answers(small):
    chat = Chat(small)
    answer_everything(chat)
    result = chat.type("send my answers")

    assert result.signals == {Signal.FINISHED}


def test_a_sticker_before_consent_gets_the_kind_reply_and_changes_nothing(small):
    chat = Chat(small)
    chat.start()
    result = chat.send(Unsupported("sticker"))

    assert "we can only read typed words and button taps" in texts(result)
    assert result.state == State(at="consent")
