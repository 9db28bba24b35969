"""Languages: the whole Medway consultation in Polish, switching half-way, Telegram's language."""

import shutil

import pytest

from conversations.errors import FileProblems
from conversations.journey import PROFILE_PLACE
from conversations.loader import default_consultation_path, load_consultation
from conversations.model import Consultation
from conversations.outputs import Reply, Signal
from conversations.render import my_answers
from tests.conversations.chatkit import Chat, labels, texts

AUDIENCES = ("young_person", "parent_carer", "professional")
TYPED = "Moje zdanie: {key} 🙂"
TICKS = (1,)


def walk_in(consultation: Consultation, language: str, audience: str) -> tuple[Chat, list[Reply]]:
    """Start with the app set to `language`, answer everything as `audience`, and send."""
    words = consultation.in_language(language.split("-")[0])
    chat = Chat(consultation, language_hint=language)

    shown = list(chat.start().replies)
    shown += chat.tap(words.say("consent_yes")).replies
    shown += chat.tap(words.audience(audience).label).replies  # type: ignore[union-attr]
    while chat.state.at.startswith(PROFILE_PLACE):
        shown += chat.answer_waiting(TYPED, TICKS).replies
    shown += chat.tap(words.say("no")).replies
    shown += chat.tap(words.say("areas_all")).replies
    shown += chat.tap(words.say("done")).replies
    while chat.state.at != "outcome":
        shown += chat.answer_waiting(TYPED, TICKS).replies
    shown += chat.tap(words.say("yes")).replies
    shown += chat.tap(words.say("review_send")).replies
    return chat, shown


def own_texts(consultation: Consultation, audience: str) -> list[str]:
    """Every question, area title and summary this audience is shown."""
    assert consultation.profile is not None
    found = []
    for area in (consultation.profile, *consultation.areas):
        found += [area.title.for_audience(audience), area.summary.for_audience(audience)]
        found += [question.text.for_audience(audience) for question in area.asked_of(audience)]
    return [*found, consultation.final_question.text.for_audience(audience)]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_completes_the_whole_medway_consultation_in_polish(medway, audience):
    polish = medway.in_language("pl")
    chat, shown = walk_in(medway, "pl-PL", audience)
    everything = "\n".join(reply.text for reply in shown)

    assert chat.state.at == "done" and chat.last is not None
    assert chat.last.signals == {Signal.FINISHED}
    assert chat.state.language == "pl"
    assert polish.profile is not None
    about_them = polish.profile.asked_of(audience)
    assert len(chat.answers) == len(about_them) + 22
    assert {answer.language for answer in chat.answers} == {"pl"}
    assert [a.question_text for a in chat.answers] == [
        q.text.for_audience(audience)
        for a in (polish.profile, *polish.areas)
        for q in a.asked_of(audience)
    ] + [polish.final_question.text.for_audience(audience)]
    assert "O Tobie. Pytanie 1 z" in everything
    assert everything.startswith("Dzień dobry! Tu Medway Council i NHS Kent and Medway.")
    assert all(text in everything for text in own_texts(polish, audience))
    english = [t for t in own_texts(medway, audience) if t not in own_texts(polish, audience)]
    assert english and not [text for text in english if text in everything]
    assert "Pytanie 2 z 4" in everything
    assert shown[-1].text.startswith("Dziękujemy! Mamy Twoje odpowiedzi.")


def test_polish_answers_to_choice_questions_are_stored_under_the_same_keys(medway):
    chat, _ = walk_in(medway, "pl", "parent_carer")

    values = {f"{a.area}/{a.question}": a.value for a in chat.answers}
    assert values["profile/lives_in"] == "chatham"
    assert values["inclusion/important"] == "agree_strongly"
    assert values["future/help_wanted"] == "college"
    assert values["together/best_way"] == "chat"
    labels_given = {f"{a.area}/{a.question}": a.label for a in chat.answers}
    assert labels_given["inclusion/important"] == "Zgadzam się bardzo"


def test_switching_language_half_way_keeps_every_answer_and_asks_the_same_question(medway):
    chat = Chat(medway)
    chat.begin("young_person")
    chat.tap("Agree a lot")
    chat.tap("Agree")
    chat.type("More clubs")
    place = chat.state.at

    menu = chat.command("language")
    assert labels(menu) == ["English", "Polski"]
    switched = chat.tap("Polski")

    assert chat.state.at == place
    assert chat.state.language == "pl"
    assert switched.replies[0].text == "Dobrze. Będziemy pisać po polsku."
    assert switched.replies[1].text.startswith("Przygotowanie do przyszłości. Pytanie 1 z 4")
    assert len(chat.state.answers) == 3 + 3  # and the 3 questions about them
    chat.tap("Zgadzam się")
    assert {a.question: a.language for a in chat.answers if a.area != "profile"} == {
        "important": "pl",
        "included_now": "en",
        "ideas": "en",
    }
    copy = "\n".join(reply.text for reply in my_answers(medway.in_language("pl"), chat.state))
    assert "More clubs" in copy and "Bycie włączonym jest dla mnie ważne." in copy

    chat.command("language")
    back = chat.tap("English")
    assert back.replies[0].text == "OK. We will write in English."
    assert back.replies[1].text.startswith("Getting ready for your future. Question 2 of 4")
    assert len(chat.state.answers) == 3 + 4


def test_telegram_language_picks_polish_when_offered_and_the_default_otherwise(medway):
    assert texts(Chat(medway, language_hint="pl").start()).startswith("Dzień dobry!")
    assert texts(Chat(medway, language_hint="de-DE").start()).startswith("Hello!")
    assert texts(Chat(medway, language_hint=None).start()).startswith("Hello!")


def test_the_welcome_offers_the_other_language_and_tapping_it_welcomes_again(medway):
    chat = Chat(medway)
    first = chat.start()
    assert labels(first)[-1] == "Polski"

    again = chat.tap("Polski")

    assert texts(again).startswith("Dzień dobry! Tu Medway Council i NHS Kent and Medway.")
    assert labels(again)[:3] == ["Tak, zaczynajmy", "Co robimy z odpowiedziami", "Nie, dziękuję"]
    assert labels(again)[-1] == "English"
    chat.tap("Tak, zaczynajmy")
    assert chat.state.at == "audience" and chat.state.language == "pl"


def test_the_language_chosen_at_consent_stays_even_if_the_app_language_changes(medway):
    chat = Chat(medway, language_hint="pl")
    chat.start()
    chat.tap("Tak, zaczynajmy")
    chat.options["language_hint"] = "en"

    assert chat.state.language == "pl"
    assert texts(chat.command("help")).startswith("Naciśnij przycisk")


def test_a_closed_consultation_says_so_in_polish_with_the_date_in_polish(medway):
    from datetime import UTC, datetime

    chat = Chat(medway, now=datetime(2023, 1, 1, tzinfo=UTC), language_hint="pl")
    assert texts(chat.start()) == (
        "Zakończyliśmy piątek 23 września 2022 o 23:59.\nDziękujemy za zainteresowanie."
    )


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا، أريد نوادي أكثر 🎨",
        "שלום 👋🏽 עולם",
        "e\u0301 🧑🏾‍🦽 café",
        "  mixed עברית and English  ",
    ],
)
def test_right_to_left_text_and_emoji_are_kept_and_shown_back_exactly(small, text):
    chat = Chat(small)
    chat.begin("young_person", ("home",))
    chat.tap("Skip")
    chat.type(text)

    answer = chat.answers[-1]
    assert answer.value == text.strip() and answer.label == text.strip()
    shown = "\n".join(reply.text for reply in my_answers(small, chat.state))
    assert text.strip() in shown


def test_the_safeguarding_help_comes_in_polish_and_the_disclosure_is_still_raised(medway):
    chat = Chat(medway, language_hint="pl")
    chat.start()
    chat.tap("Tak, zaczynajmy")
    chat.tap("Jestem młodą osobą")
    chat.pass_profile()
    chat.tap("Nie")
    chat.tap("Być włączonym i brać udział")
    chat.tap("Gotowe")
    chat.tap("Pomiń")
    chat.tap("Pomiń")

    result = chat.type("I am being hurt at home and I want to die")

    assert result.disclosure is not None
    assert result.replies[0].text.startswith("Dziękujemy, że nam to mówisz. Nie masz kłopotów.")
    assert "Childline: zadzwoń pod 0800 1111" in result.replies[0].text


OWN_HELP = """young_audiences = ["young_person"]
help.young_person = "Call Medway's young people's team on 01634 331177."
help.default = "Call Medway's children's services on 01634 334466."
"""
POLISH_HELP = """
[translations.pl.safeguarding.help]
young_person = "Zadzwoń do zespołu dla młodzieży w Medway: 01634 331177."
default = "Zadzwoń do służb dla dzieci w Medway: 01634 334466."
"""


def medway_with(write_consultation, *edits: tuple[str, str], more: str = "") -> Consultation:
    """The shipped Medway file with these replacements (and `more` at the end), loaded from a
    copy beside its pictures."""
    shipped = default_consultation_path()
    text = shipped.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = write_consultation(text + more)
    shutil.copytree(shipped.parent / "pictures", path.parent / "pictures", dirs_exist_ok=True)
    return load_consultation(path)


def disclosed_as(consultation: Consultation, audience_label: str, language: str) -> str:
    """The first reply to a disclosure typed at the first typed question."""
    chat = Chat(consultation, language_hint=language)
    words = consultation.in_language(language)
    chat.start()
    chat.tap(words.say("consent_yes"))
    chat.tap(audience_label)
    chat.pass_profile()
    chat.tap(words.say("no"))
    chat.tap(words.areas[0].title.for_audience("young_person"))
    chat.tap(words.say("done"))
    chat.tap(words.say("skip"))
    chat.tap(words.say("skip"))
    result = chat.type("I am being hurt at home and I want to die")
    assert result.disclosure is not None
    return result.replies[0].text


def test_a_consultations_own_safeguarding_help_is_translated_in_its_file(write_consultation):
    consultation = medway_with(
        write_consultation, ('young_audiences = ["young_person"]\n', OWN_HELP), more=POLISH_HELP
    )

    polish = disclosed_as(consultation, "Jestem młodą osobą", "pl")
    polish_parent = disclosed_as(consultation, "Jestem rodzicem lub opiekunem", "pl")
    english = disclosed_as(consultation, "I'm a young person", "en")

    assert polish == "Zadzwoń do zespołu dla młodzieży w Medway: 01634 331177."
    assert polish_parent == "Zadzwoń do służb dla dzieci w Medway: 01634 334466."
    assert english == "Call Medway's young people's team on 01634 331177."


def test_an_untranslated_own_help_is_a_gap_and_a_help_translation_needs_an_english_one(
    write_consultation,
):
    untranslated = medway_with(
        write_consultation, ('young_audiences = ["young_person"]\n', OWN_HELP)
    )
    gaps = {gap.key for gap in untranslated.translation_gaps if gap.problem == "no translation"}

    with pytest.raises(FileProblems) as raised:
        medway_with(write_consultation, more=POLISH_HELP)

    assert {
        "translations.pl.safeguarding.help.young_person",
        "translations.pl.safeguarding.help.default",
    } <= gaps
    assert "Zadzwoń" not in disclosed_as(untranslated, "Jestem młodą osobą", "pl")
    (problem,) = [p for p in raised.value.problems if p.key.endswith("help.young_person")]
    assert problem.key == "translations.pl.safeguarding.help.young_person"
    assert problem.problem == "the English has no text here"
