"""Small screens and screen readers: earlier answers shown on /back, Keep it, other ways to answer,
and buttons that say what they are."""

from conversations.inputs import Unsupported
from tests.conversations.chatkit import Chat, labels, texts


def at_the_typed_question(medway) -> Chat:
    chat = Chat(medway)
    chat.begin("young_person", ("inclusion",))
    chat.tap("Agree a lot")
    chat.tap("Not sure")
    return chat


def test_back_to_a_typed_answer_quotes_it_and_keep_it_keeps_it(medway):
    chat = at_the_typed_question(medway)
    chat.type("A quiet room at lunch 🙂")
    assert chat.state.at == "final"

    back = chat.command("back")

    assert chat.state.at == "q:inclusion/ideas"
    assert 'You wrote before:\n"A quiet room at lunch 🙂"\nType a new answer, or tap Keep it.' in (
        texts(back)
    )
    assert labels(back)[0] == "Keep it"
    kept = chat.tap("Keep it")
    assert chat.state.at == "final"
    assert chat.state.answers["inclusion/ideas"] == "A quiet room at lunch 🙂"
    assert kept.answers[0].value == "A quiet room at lunch 🙂"


def test_back_to_a_typed_answer_can_still_take_a_new_one(medway):
    chat = at_the_typed_question(medway)
    chat.type("Clubs")
    chat.command("back")

    chat.type("More clubs after school")

    assert chat.state.answers["inclusion/ideas"] == "More clubs after school"


def test_back_to_a_button_question_says_what_was_chosen(medway):
    chat = at_the_typed_question(medway)

    back = chat.command("back")

    assert "Your answer before: Not sure" in texts(back)
    assert "Not sure" in labels(back)


def test_a_voice_note_gets_a_kind_reply_the_other_ways_to_answer_and_the_buttons_again(medway):
    chat = Chat(medway)
    chat.begin("young_person", ("inclusion",))
    question = chat.last.replies[-1]  # type: ignore[union-attr]

    result = chat.send(Unsupported("voice"))

    kind, again = result.replies
    assert kind.text.startswith("Sorry, we can only read typed words and button taps.")
    assert "You can also answer another way:\nPhone Medway Council on 01634 333333" in kind.text
    assert again == question


def test_help_lists_the_other_ways_to_answer_in_the_respondents_language(medway):
    english, polish = Chat(medway), Chat(medway, language_hint="pl")
    english.start()
    polish.start()

    assert "Phone Medway Council on 01634 333333" in texts(english.command("help"))
    assert "Możesz też odpowiedzieć inaczej:\nZadzwoń do Medway Council" in texts(
        polish.command("help")
    )
