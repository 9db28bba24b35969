"""`consultbot try`: the engine in a terminal, fed typed lines, showing what a respondent sees."""

import io
from datetime import UTC, datetime

import pytest

from bot.cli import main
from conversations.loader import default_consultation_path, load_consultation
from conversations.terminal import run_preview
from tests.conversations.chatkit import SMALL

LONG_AFTER = datetime(2030, 1, 1, tzinfo=UTC)
"""Years after every consultation here closed: a preview ignores the dates."""

YOUNG_PERSON_TO_THE_END = [
    "1",  # Yes, let's start (the audience came with --as)
    "3",  # About you: 11 to 15 years
    "1",  # Chatham
    "4",  # EHC plan: Prefer not to say
    "2",  # no reminder
    "2",  # tick: Getting ready for your future
    "8",  # Done
    "1",  # Agree a lot
    "2",  # No
    "1",  # tick: Finding a job
    "3",  # tick: Money
    "7",  # Done
    "More help with money",
    "Thanks for asking me",
    "2",  # no message about the outcome
    "1",  # Send my answers
]


def preview(lines: list[str], audience: str | None = "young_person", consultation=None):
    shown: list[str] = []
    state = run_preview(
        consultation or load_consultation(default_consultation_path()),
        lines,
        shown.append,
        lambda: LONG_AFTER,
        audience=audience,
    )
    return state, "\n".join(shown)


def test_the_preview_starts_with_a_banner_saying_dates_are_ignored_and_nothing_saved():
    _, shown = preview([])

    assert shown.startswith(
        "PREVIEW of 'Our plan for children and young people with SEND (special educational"
    )
    assert "Dates are ignored and nothing is saved." in shown


def test_a_preview_years_after_the_close_walks_a_young_person_to_the_thank_you():
    state, shown = preview(YOUNG_PERSON_TO_THE_END)

    assert state.at == "done"
    assert state.answers == {
        "profile/age": "11_15",
        "profile/lives_in": "chatham",
        "profile/ehc_plan": "prefer_not_to_say",
        "future/important": "agree_strongly",
        "future/talked": "no",
        "future/help_wanted": "work,money",
        "future/ideas": "More help with money",
        "final/anything_else": "Thanks for asking me",
    }
    assert "This closed" not in shown
    assert "Getting ready for my future is important to me." in shown
    assert "Getting ready for your future. Question 2 of 4" in shown
    assert shown.rstrip().endswith("To see your answers, type /myanswers.")


def test_buttons_are_numbered_and_taps_are_acknowledged():
    _, shown = preview(YOUNG_PERSON_TO_THE_END[:8])

    assert "[1] Yes, let's start\n[2] How we use your answers\n[3] No thanks" in shown
    assert "[1] Yes   [2] No\n[3] Skip" in shown
    assert "  Your answer: Agree a lot" in shown


def test_without_an_audience_the_preview_asks_who_you_are():
    state, shown = preview(["1"], audience=None)

    assert state.at == "audience"
    assert "Who are you?\n[1] I'm a young person\n[2] I'm a parent or carer" in shown


def test_commands_work_in_the_preview_and_quit_leaves_early():
    state, shown = preview(["1", "/help", "/privacy", "/quit", "1"])

    assert "go back 1 question" in shown
    assert "How we use your answers:\n\nWe are Medway Council and NHS Kent and Medway." in shown
    assert state.at == "q:profile/age"


def test_privacy_full_and_nonews_work_in_the_preview():
    _, shown = preview(["/privacy full", "/nonews"])

    assert (
        "Full privacy notice\n\nWho is responsible for your answers:\n• Medway Council\n" in shown
    )
    assert "We are not going to send you news." in shown


def test_a_number_typed_for_a_question_without_buttons_is_an_answer_not_an_old_tap(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    to_the_name_question = ["1", "2", "1", "4", "2", "1", "5", "1"]

    state, shown = preview([*to_the_name_question, "2"], consultation=load_consultation(path))

    assert state.answers["school/name"] == "2"
    assert state.at == "final"
    assert "That button is from an earlier message" not in shown


def test_the_try_command_runs_the_preview_on_standard_input(monkeypatch, capsys, small_config):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n2\n1\n4\n"))

    code = main(["try", "--config", str(small_config), "--as", "parent_carer"])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("PREVIEW of 'A small plan'")
    assert "What colour is your child's school bag?" in out


def test_the_try_command_refuses_an_unknown_audience(capsys):
    code = main(["try", "--as", "teacher"])

    assert code == 2
    assert capsys.readouterr().err == (
        "consultbot: no audience 'teacher'; use one of young_person, parent_carer, professional\n"
    )


@pytest.mark.slow
def test_the_real_console_script_walks_a_young_person_to_the_thank_you(consultbot):
    run = consultbot("try", "--as", "young_person", stdin="\n".join(YOUNG_PERSON_TO_THE_END) + "\n")

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("PREVIEW of 'Our plan for children and young people with SEND")
    assert "Dates are ignored and nothing is saved." in run.stdout
    assert "Hello! This is Medway Council and NHS Kent and Medway." in run.stdout
    assert "This closed" not in run.stdout
    assert "Being included is important to me." not in run.stdout
    assert "Getting ready for my future is important to me." in run.stdout
    assert "Thank you! We have your answers." in run.stdout
    assert run.stderr == ""


@pytest.mark.slow
def test_the_real_console_script_previews_a_consultation_that_has_not_opened(
    consultbot, config_for
):
    future = SMALL.replace("2022-09-01T09:00", "2099-09-01T09:00").replace(
        "2022-09-23T23:59", "2099-09-23T23:59"
    )
    config = config_for(future)

    run = consultbot("try", "--config", str(config), stdin="1\n2\n2\n")

    assert run.returncode == 0, run.stderr
    assert "This opens on" not in run.stdout
    assert "Hello! This is Testshire Council." in run.stdout
    assert "Which parts do you want to talk about?" in run.stdout
