"""Easy-read "Explain this": the button, the explanation and picture, then the same question."""

import pytest

from conversations.errors import FileProblems
from conversations.loader import load_consultation
from conversations.model import Kind
from tests.conversations.chatkit import SMALL, Chat, labels

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

EXPLAINED = (
    SMALL.replace(
        'text.parent_carer = "What colour is your child\'s school bag?"',
        'text.parent_carer = "What colour is your child\'s school bag?"\n'
        'explain.young_person = "We ask about colours. It helps us test this. Pick 1."\n'
        'explain_picture = "bag.png"',
    )
    .replace(
        'summary = "About school."',
        'summary = "About school."\nexplain = "This part is about school."',
    )
    .replace(
        'privacy_notice = "We keep your answers safe."',
        'privacy_notice = "We keep your answers safe."\n'
        'explain_consent = "We save your answers. Not your name."',
    )
)


@pytest.fixture
def explained(tmp_path):
    (tmp_path / "bag.png").write_bytes(PNG)
    path = tmp_path / "consultation.toml"
    path.write_text(EXPLAINED, encoding="utf-8")
    return load_consultation(path)


def test_a_question_with_an_explanation_shows_the_button_and_then_asks_the_same_again(explained):
    chat = Chat(explained)
    chat.begin("young_person", ("school",))
    before = chat.state
    asked = chat.last.replies[-1]  # type: ignore[union-attr]
    assert labels(chat.last)[-1] == "Explain this"  # type: ignore[arg-type]

    result = chat.tap("Explain this")

    explanation, again = result.replies
    assert explanation.text == "We ask about colours. It helps us test this. Pick 1."
    assert explanation.picture is not None and explanation.picture.endswith("bag.png")
    assert again == asked
    assert result.state == before and result.answers == ()
    chat.tap("Red")
    assert chat.state.answers == {"school/colour": "red"}


def test_an_audience_without_an_explanation_gets_no_button(explained):
    chat = Chat(explained)
    chat.begin("parent_carer", ("school",))

    assert "Explain this" not in labels(chat.last)  # type: ignore[arg-type]


def test_the_area_summary_and_the_consent_step_can_be_explained_too(explained):
    chat = Chat(explained)
    start = chat.start()
    assert labels(start)[-1] == "Explain this"
    consent = chat.tap("Explain this")
    assert consent.replies[0].text == "We save your answers. Not your name."
    assert consent.replies[0].picture is None
    assert consent.replies[1].text.startswith("We would like to keep your answers.")
    assert chat.state.at == "consent"

    chat.tap("Yes, let's start")
    chat.tap("I'm a parent or carer")
    chat.tap("No")
    chat.tap("School")
    first = chat.tap("Done")
    intro = first.replies[0]
    assert intro.text.startswith("Part 1 of 1: School")
    assert labels(first)[0] == "Explain this part"
    shown = chat.tap("Explain this part")
    assert shown.replies[0].text == "This part is about school."
    assert shown.replies[1].text.startswith("School. Question 1 of 5")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("Pick 1.", "Pick 1. Then tap. Then go."),
            "explain.young_person: an explanation is 1 to 3 very short sentences; this has 5. "
            "Fix: cut it to 3 short sentences or fewer",
        ),
        (('"bag.png"', '"gone.png"'), "explain_picture: there is no file"),
        (('"bag.png"', '"notes.txt"'), "explain_picture: notes.txt is not a PNG picture"),
        (
            ('explain.young_person = "We ask about colours. It helps us test this. Pick 1."\n', ""),
            "explain_picture: a picture with no explanation",
        ),
    ],
)
def test_a_broken_explanation_names_the_key_and_the_fix(tmp_path, change, message):
    (tmp_path / "bag.png").write_bytes(PNG)
    (tmp_path / "notes.txt").write_text("not a picture")
    path = tmp_path / "consultation.toml"
    path.write_text(EXPLAINED.replace(*change), encoding="utf-8")

    with pytest.raises(FileProblems) as raised:
        load_consultation(path)

    assert f"{path}: areas[school].questions[colour].{message}" in str(raised.value)


def test_every_medway_question_is_explained_for_young_people_in_at_most_3_sentences(medway):
    from conversations.explanations import sentence_count

    questions = [q for area in medway.areas for q in area.questions]
    for question in [*questions, medway.final_question]:
        assert question.explain is not None, question.key
        text = question.explain.text.get("young_person")
        assert text is not None and 1 <= sentence_count(text) <= 3, question.key
        if question.kind is Kind.SCALE:
            assert question.explain.picture is not None and question.explain.picture.exists()
    for area in medway.areas:
        assert area.explain is not None and area.explain.text.get("parent_carer")
    assert medway.consent_explain is not None


def test_explanations_come_in_polish_for_a_polish_respondent(medway):
    chat = Chat(medway, language_hint="pl")
    chat.start()
    chat.tap("Tak, zaczynajmy")
    chat.tap("Jestem młodą osobą")
    chat.pass_profile()
    chat.tap("Nie")
    chat.tap("Wszystkie")
    chat.tap("Gotowe")

    result = chat.tap("Wyjaśnij to")

    assert result.replies[0].text.startswith("Powiedz nam, czy bycie włączonym")
    assert result.replies[0].picture is not None
    assert result.replies[0].picture.endswith("agree-scale.png")
    assert result.replies[1].text.startswith("Być włączonym i brać udział. Pytanie 1 z 3")
