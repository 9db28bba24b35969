"""The bot's config file: defaults without one, every mistake named, secrets from the env."""

from datetime import time
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from conversations.errors import ConsultbotError, FileProblem, FileProblems
from conversations.loader import default_consultation_path

FULL = """\
[telegram]
token = "123:from-the-file"
base_url = "http://127.0.0.1:8081/bot"

[storage]
url = "sqlite+aiosqlite:///data/answers.sqlite3"

[admins]
user_ids = [111, 222]

[consultation]
file = "flows/ours.toml"

[privacy]
pseudonym_secret = "a long random text"
retention_days = 30
delete_responses_after_retention = true

[reminders]
days_before_close = 2
quiet_hours = "21:30-08:15"
"""

MISTAKES = [
    (
        "an unknown table",
        "[telegarm]\ntoken = 'x'\n",
        "telegarm",
        "unknown key",
        "check the spelling; known keys here: "
        "admins, consultation, monitoring, outbox, privacy, reminders, safeguarding",
    ),
    (
        "an unknown key in a table",
        "[privacy]\nretention = 30\n",
        "privacy.retention",
        "unknown key",
        "known keys here: delete_responses_after_retention, pseudonym_secret, retention_days",
    ),
    (
        "admin ids as text",
        '[admins]\nuser_ids = "111, 222"\n',
        "admins.user_ids",
        "expected a list of whole numbers, found '111, 222'",
        "write user_ids as a list of whole numbers",
    ),
    (
        "an admin id in quotes",
        '[admins]\nuser_ids = [111, "222"]\n',
        "admins.user_ids",
        "every item must be a whole number",
        "write it like [123, 456]",
    ),
    (
        "an admin id as true",
        "[admins]\nuser_ids = [true]\n",
        "admins.user_ids",
        "every item must be a whole number",
        "write it like [123, 456]",
    ),
    (
        "quiet hours in words",
        '[reminders]\nquiet_hours = "8pm to 9am"\n',
        "reminders.quiet_hours",
        "'8pm to 9am' is not a time range",
        'write it like "20:00-09:00"',
    ),
    (
        "quiet hours past midnight",
        '[reminders]\nquiet_hours = "24:00-09:00"\n',
        "reminders.quiet_hours",
        "'24:00-09:00' is not a time range",
        'write it like "20:00-09:00"',
    ),
    (
        "quiet hours with 60 minutes",
        '[reminders]\nquiet_hours = "20:00-09:60"\n',
        "reminders.quiet_hours",
        "is not a time range",
        'write it like "20:00-09:00"',
    ),
    (
        "quiet hours without leading zeros",
        '[reminders]\nquiet_hours = "8:00-9:00"\n',
        "reminders.quiet_hours",
        "is not a time range",
        'write it like "20:00-09:00"',
    ),
    (
        "quiet hours as a number",
        "[reminders]\nquiet_hours = 2000\n",
        "reminders.quiet_hours",
        "expected text in quotes, found 2000",
        "write quiet_hours as text in quotes",
    ),
    (
        "a retention period out of range",
        "[privacy]\nretention_days = 5000\n",
        "privacy.retention_days",
        "5000 is out of range",
        "use a number from 0 to 3650",
    ),
    (
        "yes for a true-or-false setting",
        '[privacy]\ndelete_responses_after_retention = "yes"\n',
        "privacy.delete_responses_after_retention",
        "expected true or false, found 'yes'",
        "write delete_responses_after_retention as true or false",
    ),
    (
        "a monitoring port out of range",
        "[monitoring]\nport = 70000\n",
        "monitoring.port",
        "70000 is out of range",
        "use a number from 0 to 65535",
    ),
    (
        "no replicas",
        "[telegram]\nreplicas = 0\n",
        "telegram.replicas",
        "0 is out of range",
        "use a number from 1 to 100",
    ),
    (
        "a table written as a value",
        'telegram = "123:abc"\n',
        "telegram",
        "expected a table, found '123:abc'",
        "write telegram as a table",
    ),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "consultbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_every_setting_has_a_default_that_works_on_a_laptop():
    settings = load_settings(None, env={})

    assert settings == Settings()
    assert settings.token is None
    assert settings.consultation_file == default_consultation_path()
    assert settings.quiet_hours == (time(20, 0), time(9, 0))


def test_a_full_file_is_read_with_paths_taken_from_the_files_folder(tmp_path):
    settings = load_settings(write(tmp_path, FULL), env={})

    assert settings.token == "123:from-the-file"
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'answers.sqlite3'}"
    assert settings.admin_ids == frozenset({111, 222})
    assert settings.consultation_file == tmp_path / "flows" / "ours.toml"
    assert settings.pseudonym_secret == "a long random text"
    assert (settings.retention_days, settings.delete_responses_after_retention) == (30, True)
    assert settings.reminder_days_before_close == 2
    assert settings.quiet_hours == (time(21, 30), time(8, 15))
    assert settings.source == tmp_path / "consultbot.toml"


@pytest.mark.parametrize(
    ("name", "text", "key", "problem", "fix"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_a_config_mistake_is_reported_with_the_file_the_key_and_a_fix(
    tmp_path, name, text, key, problem, fix
):
    path = write(tmp_path, text)

    with pytest.raises(FileProblems) as raised:
        load_settings(path, env={})

    matching = [found for found in raised.value.problems if found.key == key]
    assert matching, str(raised.value)
    assert matching[0].path == str(path)
    assert problem in matching[0].problem
    assert fix in matching[0].fix


def test_every_config_mistake_is_reported_at_once(tmp_path):
    path = write(tmp_path, '[admins]\nuser_ids = "1"\n[reminders]\nquiet_hours = "late"\n')

    with pytest.raises(FileProblems) as raised:
        load_settings(path, env={})

    assert [problem.key for problem in raised.value.problems] == [
        "admins.user_ids",
        "reminders.quiet_hours",
    ]


def test_a_missing_config_file_is_named(tmp_path):
    path = tmp_path / "missing.toml"

    with pytest.raises(FileProblem) as raised:
        load_settings(path, env={})

    assert str(raised.value) == f"{path}: (file): the file does not exist. Fix: check the path"


def test_a_config_syntax_error_is_a_project_error_naming_the_file(tmp_path):
    path = write(tmp_path, "[telegram\ntoken = 1\n")

    with pytest.raises(ConsultbotError, match=r"\(syntax\): this is not valid TOML"):
        load_settings(path, env={})


def test_the_token_in_the_environment_overrides_the_files(tmp_path):
    settings = load_settings(write(tmp_path, FULL), env={"TELEGRAM_BOT_TOKEN": "999:from-env"})

    assert settings.token == "999:from-env"


def test_the_token_in_the_environment_is_used_without_a_file():
    assert load_settings(None, env={"TELEGRAM_BOT_TOKEN": "999:from-env"}).token == "999:from-env"


def test_an_empty_token_variable_leaves_the_files_token(tmp_path):
    settings = load_settings(write(tmp_path, FULL), env={"TELEGRAM_BOT_TOKEN": ""})

    assert settings.token == "123:from-the-file"


def test_the_secret_and_database_come_from_the_environment_over_the_file(tmp_path):
    env = {
        "CONSULTBOT_PSEUDONYM_SECRET": "from the environment",
        "CONSULTBOT_DATABASE_URL": "postgresql+asyncpg://db/consult",
    }

    settings = load_settings(write(tmp_path, FULL), env=env)

    assert settings.pseudonym_secret == "from the environment"
    assert settings.database_url == "postgresql+asyncpg://db/consult"


def test_an_absolute_or_other_database_url_is_kept_as_written(tmp_path):
    text = '[storage]\nurl = "sqlite+aiosqlite:////var/lib/consultbot.sqlite3"\n'

    settings = load_settings(write(tmp_path, text), env={})

    assert settings.database_url == "sqlite+aiosqlite:////var/lib/consultbot.sqlite3"


def test_each_replica_paces_itself_to_its_share_of_the_bots_sending_limit(tmp_path):
    alone = load_settings(write(tmp_path, "[telegram]\nmessages_per_second = 30\n"), env={})
    three = load_settings(
        write(tmp_path, "[telegram]\nmessages_per_second = 30\nreplicas = 3\n"), env={}
    )

    assert (alone.replicas, alone.send_rate) == (1, 30)
    assert (three.replicas, three.send_rate) == (3, 10)


def test_health_and_metrics_get_a_port_of_their_own_only_when_one_is_given(tmp_path):
    given = load_settings(
        write(tmp_path, '[monitoring]\nlisten = "0.0.0.0"\nport = 9464\n'), env={}
    )

    assert (Settings().monitoring_listen, Settings().monitoring_port) == ("127.0.0.1", None)
    assert (given.monitoring_listen, given.monitoring_port) == ("0.0.0.0", 9464)
