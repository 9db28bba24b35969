"""Typed words that may disclose harm: kind help at once, the answer kept, the journey going on."""

from collections.abc import Callable
from pathlib import Path

import pytest

from conversations.errors import FileProblems
from conversations.loader import load_consultation
from conversations.model import Consultation
from tests.conversations.chatkit import SMALL, Chat, texts

DISCLOSURE = "I am being hurt at home and I want to die"


def at_the_ideas_question(medway: Consultation, audience: str) -> Chat:
    """A respondent of this audience, at the first typed question of the inclusion area."""
    chat = Chat(medway)
    chat.begin(audience, ("inclusion",))
    chat.tap("Agree")
    chat.tap("Not sure")
    return chat


def test_a_young_person_gets_the_young_persons_help_then_the_next_question(medway):
    chat = at_the_ideas_question(medway, "young_person")

    result = chat.type(DISCLOSURE)

    help_text = result.replies[0].text
    assert "You are not in trouble." in help_text
    assert "Childline: call 0800 1111. It is free, any time" in help_text
    assert "call 999" in help_text
    assert "kept" not in help_text  # said alike where nothing is kept as an answer
    assert result.replies[1].text.startswith("Last question")  # then it carries on
    assert "Is there anything else you want to tell us?" in texts(result)
    assert [answer.value for answer in result.answers] == [DISCLOSURE]
    assert result.disclosure is not None
    assert result.disclosure.text == DISCLOSURE
    assert result.disclosure.audience == "young_person"
    assert result.disclosure.at == "q:inclusion/ideas"
    assert result.disclosure.question.startswith("What would help")
    assert result.disclosure.phrases == ("want to die", "being hurt", "hurt at home")
    assert result.disclosure.categories == ("self_harm", "abuse")


@pytest.mark.parametrize("audience", ["parent_carer", "professional"])
def test_adults_get_the_adult_help_with_samaritans_and_the_nspcc(medway, audience):
    chat = at_the_ideas_question(medway, audience)

    help_text = chat.type("My child is being bullied and self harms").replies[0].text

    assert "You are not in trouble." not in help_text
    assert "Samaritans: call 116 123" in help_text
    assert "NSPCC on 0808 800 5000" in help_text
    assert "If you or a child are in danger now, call 999." in help_text


def test_an_ordinary_answer_gets_no_help_message_and_no_disclosure(medway):
    chat = at_the_ideas_question(medway, "young_person")

    result = chat.type("my brother hits the ball and I want a quiet room")

    assert result.disclosure is None
    assert result.replies[0].text.startswith("Last question")


def test_words_typed_where_a_button_is_wanted_are_screened_and_nothing_moves(medway):
    chat = Chat(medway)
    chat.begin("young_person", ("inclusion",))
    before = chat.state

    result = chat.type("my dad hits me")

    assert result.disclosure is not None and result.disclosure.phrases == ("hit* me",)
    assert "You are not in trouble." in result.replies[0].text
    assert result.replies[1].text == "Please tap one of the buttons, or type /help."
    assert result.state == before and result.answers == ()


def test_someone_who_has_not_said_who_they_are_gets_the_young_persons_words(medway):
    chat = Chat(medway)
    chat.start()

    result = chat.type("i wanna kms")

    assert result.disclosure is not None and result.disclosure.audience is None
    assert "You are not in trouble." in result.replies[0].text


def test_words_sent_after_finishing_or_after_the_close_are_still_screened(medway):
    from datetime import UTC, datetime

    closed = Chat(medway, now=datetime(2023, 1, 1, tzinfo=UTC))
    result = closed.type("nobody looks after me")
    assert result.disclosure is not None
    assert "Childline" in result.replies[0].text
    assert "This closed on" in result.replies[1].text


def test_the_last_open_question_is_screened_and_its_answer_kept(medway):
    chat = at_the_ideas_question(medway, "parent_carer")
    chat.type("More help with forms")

    result = chat.type("my partner hits me")

    assert result.disclosure is not None and result.disclosure.at == "final"
    assert [answer.question for answer in result.answers] == ["anything_else"]
    assert "Do you want a message when we share what we did?" in texts(result)


@pytest.fixture
def consultation_with(
    write_consultation: Callable[[str], Path],
) -> Callable[[str], Consultation]:
    def load(safeguarding: str) -> Consultation:
        return load_consultation(write_consultation(SMALL + "\n" + safeguarding))

    return load


def to_the_name_question(consultation: Consultation, audience: str = "young_person") -> Chat:
    chat = Chat(consultation)
    chat.begin(audience, ("school",))
    chat.tap("Red")
    chat.tap("Agree")
    chat.tap("Art")
    chat.tap("Done")
    chat.tap("Yes")
    return chat


def test_a_too_long_answer_is_screened_though_it_is_not_kept(small):
    chat = to_the_name_question(small)

    result = chat.type("they beat me up every day at the gates")

    assert result.answers == ()
    assert result.disclosure is not None
    assert "You can use up to 10 letters" in result.replies[1].text


def test_a_council_adds_phrases_and_word_fixes_and_replaces_the_help(consultation_with):
    consultation = consultation_with(
        """[safeguarding]
phrases = ["swamp monster"]
words = { smonster = "swamp monster" }
help.young_person = "Call our team on 01234 567890."
help.parent_carer = "Parents: call 01234 000000."
"""
    )
    young = to_the_name_question(consultation)
    parent = to_the_name_question(consultation, "parent_carer")

    assert young.type("smonster").replies[0].text == "Call our team on 01234 567890."
    assert parent.type("the swamp monster").replies[0].text == "Parents: call 01234 000000."
    assert consultation.screening.matches("i want to die")  # the shipped list still applies


def test_a_council_can_drop_the_shipped_phrases(consultation_with):
    consultation = consultation_with('[safeguarding]\ndefault_phrases = false\nphrases = ["abc"]\n')

    assert consultation.screening.matches("i want to die") == ()
    assert [phrase.written for phrase in consultation.screening.matches("ABC")] == ["abc"]


def test_flag_all_text_flags_every_typed_answer_without_the_help_message(consultation_with):
    consultation = consultation_with("[safeguarding]\nflag_all_text = true\n")
    chat = to_the_name_question(consultation)

    result = chat.type("Oak Lane")

    assert result.disclosure is not None
    assert result.disclosure.matched is False and result.disclosure.text == "Oak Lane"
    assert "Childline" not in texts(result)
    assert [answer.value for answer in result.answers] == ["Oak Lane"]


def test_young_audiences_choose_who_gets_the_young_persons_words(consultation_with):
    consultation = consultation_with('[safeguarding]\nyoung_audiences = ["parent_carer"]\n')
    chat = to_the_name_question(consultation, "parent_carer")

    assert "You are not in trouble." in chat.type("i want to die").replies[0].text


@pytest.mark.parametrize(
    ("table", "key", "problem"),
    [
        ('phrases = ["me"]', "safeguarding.phrases", "'me' is too short"),
        ('young_audiences = ["pupil"]', "safeguarding.young_audiences", "no audience 'pupil'"),
        ("flag_all_text = 1", "safeguarding.flag_all_text", "expected true or false"),
        ('words = ["kms"]', "safeguarding.words", "expected a table of texts"),
        ('help.pupil = "Hi"', "safeguarding.help.pupil", "no such audience"),
        ('phrase = ["x"]', "safeguarding.phrase", "unknown key"),
    ],
)
def test_mistakes_in_the_safeguarding_table_name_the_key_and_the_fix(
    consultation_with, table, key, problem
):
    with pytest.raises(FileProblems) as raised:
        consultation_with(f"[safeguarding]\n{table}\n")

    found = [(p.key, p.problem) for p in raised.value.problems]
    assert any(k == key and problem in text for k, text in found), found


def test_words_typed_after_a_command_are_screened_too(medway):
    from conversations.inputs import Command, CommandName

    chat = at_the_ideas_question(medway, "young_person")

    result = chat.send(Command(CommandName.STOP, "because my dad hits me"))

    assert result.disclosure is not None and result.disclosure.text == "because my dad hits me"
    assert "You are not in trouble." in result.replies[0].text
    assert chat.send(Command(CommandName.PRIVACY, "full")).disclosure is None
