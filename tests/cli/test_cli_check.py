"""`consultbot check`: a summary of a good file, and every problem of a broken one on stderr."""

import asyncio
from datetime import UTC, datetime

import pytest

from bot.cli import main
from storage.database import create_engine, session_factory
from storage.dead_letters import SetAside, store_dead_letter
from storage.upgrade import upgrade_database
from tests.conversations.chatkit import SMALL

MOMENT = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)

BROKEN = [
    (
        "an unknown question kind",
        SMALL.replace('kind = "choice"', 'kind = "ranking"'),
        [
            "areas[school].questions[colour].kind: unknown question kind 'ranking'. "
            "Fix: use one of choice, multi, scale, yesno, text"
        ],
    ),
    (
        "a typo and a bad time zone together",
        SMALL.replace("skippable = false", "skipable = false").replace(
            'outcome = "on our website"', 'outcome = "on our website"\ntimezone = "London"'
        ),
        [
            "areas[school].questions[name].skipable: unknown key",
            "consultation.timezone: unknown time zone 'London'. "
            'Fix: use a name like "Europe/London"',
        ],
    ),
    (
        "a TOML syntax error",
        SMALL.replace('title = "A small plan"', "title = A small plan"),
        ["(syntax): this is not valid TOML", "Fix: correct the line it names"],
    ),
]


def test_check_on_the_shipped_file_passes_with_a_summary(capsys):
    code = main(["check"])

    out = capsys.readouterr().out
    assert code == 0
    assert "medway-send-strategy-2022.toml: OK" in out
    assert "Closes: Friday 23 September 2022 at 11:59pm (Europe/London); closed" in out
    assert "Audiences: young_person, parent_carer, professional" in out
    assert "Areas (6):" in out
    assert "  vision: 3 questions (scale, choice, text)" in out
    assert "  future: 4 questions (scale, yesno, multi, text)" in out
    assert "Data controllers: Medway Council, NHS Kent and Medway" in out
    assert "Full privacy notice: " in out and " characters" in out
    assert (
        "Targets (12): audience young_person: 300 started; audience parent_carer: 500 started; "
        "audience professional: 150 started; source library_poster: 50 started; "
        "source school_newsletter: 100 started"
    ) in out


def test_check_on_a_good_file_names_both_dates(capsys, small_config):
    code = main(["check", "--config", str(small_config)])

    out = capsys.readouterr().out
    assert code == 0
    assert "Opens:  Thursday 1 September 2022 at 9:00am" in out
    assert "Closes: Friday 23 September 2022 at 11:59pm (Europe/London)" in out
    assert "Data controllers: " in out and "(as no data_controllers are named)" in out
    assert "Full privacy notice: none (only the plain one is shown)" in out
    assert "Targets: none (add [[targets]] to see who is under-represented in /stats)" in out


@pytest.mark.parametrize(("name", "text", "messages"), BROKEN, ids=[b[0] for b in BROKEN])
def test_check_on_a_broken_file_fails_with_each_problem_on_stderr(
    capsys, config_for, name, text, messages
):
    config = config_for(text)

    code = main(["check", "--config", str(config)])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith(f"consultbot: {config.parent / 'consultation.toml'}: ")
    for message in messages:
        assert message in captured.err


def test_check_with_a_missing_consultation_file_names_it(capsys, tmp_path):
    config = tmp_path / "consultbot.toml"
    config.write_text('[consultation]\nfile = "gone.toml"\n', encoding="utf-8")

    code = main(["check", "--config", str(config)])

    assert code == 2
    assert capsys.readouterr().err == (
        f"consultbot: {tmp_path / 'gone.toml'}: (file): the file does not exist. "
        "Fix: check the path\n"
    )


def test_check_with_a_broken_config_names_the_config_and_its_key(capsys, tmp_path):
    config = tmp_path / "consultbot.toml"
    config.write_text('[telegram]\ntokn = "123:abc"\n', encoding="utf-8")

    code = main(["check", "--config", str(config)])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"consultbot: {config}: telegram.tokn: unknown key. ")
    known = "base_url, messages_per_second, replicas, token, username"
    assert f"Fix: check the spelling; known keys here: {known}" in err


@pytest.mark.slow
def test_the_real_console_script_checks_the_shipped_file(consultbot):
    run = consultbot("check")

    assert run.returncode == 0, run.stderr
    assert "Friday 23 September 2022" in run.stdout
    assert run.stderr == ""


@pytest.mark.slow
def test_the_real_console_script_exits_2_with_the_problems_on_stderr(consultbot, config_for):
    config = config_for(SMALL.replace('label = "Red"', f'label = "{"R" * 41}"'))

    run = consultbot("check", "--config", str(config))

    assert run.returncode == 2
    assert run.stdout == ""
    assert "areas[school].questions[colour].choices[red].label" in run.stderr
    assert "is 41 characters, too long for a button" in run.stderr
    assert "Fix: shorten it to 40 characters or fewer" in run.stderr
    assert "Traceback" not in run.stderr


def test_check_shows_admins_storage_secret_and_webhook_without_secrets(
    capsys, monkeypatch, small_config
):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:token-never-shown")
    monkeypatch.delenv("CONSULTBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("CONSULTBOT_PSEUDONYM_SECRET", raising=False)
    small_config.write_text(
        small_config.read_text()
        + "[admins]\nuser_ids = [222, 111]\n"
        + '[webhook]\nurl = "https://consult.example.org/"\nport = 8443\n'
        + 'secret_token = "webhook-secret-never-shown"\n'
        + '[privacy]\npseudonym_secret = "pseudonym-secret-never-shown"\n'
    )

    code = main(["check", "--config", str(small_config)])

    out = capsys.readouterr().out
    assert code == 0
    folder = small_config.parent
    assert (
        f"Config: {small_config}\n"
        "Token: set\n"
        "Admins: 111, 222\n"
        f"Storage: SQLite file {folder / 'consultbot.sqlite3'} (made at the first start)\n"
        "Pseudonym secret: configured\n"
        "Webhook: https://consult.example.org/telegram, listening on 127.0.0.1:8443, secret set\n"
        "Languages: en (English); en is the default\n"
    ) in out
    assert "never-shown" not in out


def test_check_without_a_config_says_what_the_defaults_mean(capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("CONSULTBOT_DATABASE_URL", raising=False)

    assert main(["check"]) == 0

    out = capsys.readouterr().out
    assert "Config: none: defaults (give one with --config)\n" in out
    assert "Token: not set: `consultbot run` can only preview\n" in out
    assert "Admins: none: nobody can use /admin. Add their ids to [admins] user_ids\n" in out
    assert "Webhook: off: the bot polls Telegram\n" in out


def test_check_fails_on_settings_run_would_refuse(capsys, monkeypatch, small_config):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.delenv("CONSULTBOT_PSEUDONYM_SECRET", raising=False)
    monkeypatch.delenv("CONSULTBOT_WEBHOOK_SECRET", raising=False)
    small_config.write_text(
        small_config.read_text() + '[webhook]\nurl = "https://consult.example.org"\n'
    )

    code = main(["check", "--config", str(small_config)])

    captured = capsys.readouterr()
    assert code == 2
    assert "Webhook: https://consult.example.org/telegram, listening on 127.0.0.1:8080, NO " in (
        captured.out
    )
    assert captured.err.startswith("consultbot: the webhook is on, so the bot needs a pseudonym")


def test_check_lists_the_updates_set_aside_without_ids_or_text(consultbot, small_config, tmp_path):
    async def set_one_aside() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'consultbot.sqlite3'}")
        await upgrade_database(engine)
        letter = SetAside(41, "poll", None, "TypeError: persistent_id is required", "{}", 1)
        async with session_factory(engine)() as session, session.begin():
            await store_dead_letter(session, scope="small", letter=letter, now=MOMENT)
        await engine.dispose()

    assert "Dead letters" not in consultbot("check", "--config", str(small_config)).stdout
    asyncio.run(set_one_aside())

    out = consultbot("check", "--config", str(small_config)).stdout

    assert "Dead letters (updates set aside, newest first): 1" in out
    assert "2022-09-01 12:00 UTC  update 41  poll  1 tries  TypeError: persistent_id" in out
