"""Failing well: every expected failure at start-up is a plain line or two and a non-zero exit.

Each case runs the real `consultbot` (or `main()` where a setting must be shrunk for the test)
and checks three things a service manager and a person reading its log care about: the exit
status is not 0, the message says what happened and the fix without a traceback, and no secret
(the token, the database password, the pseudonym secret) appears anywhere in the output.
"""

import os
import socket
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storage.database
from bot.cli import main
from bot.startup import MAKE_A_SECRET
from tests.cli.conftest import CONSULTBOT
from tests.telegram_fakes import FakeBotApiServer

Consultbot = Callable[..., subprocess.CompletedProcess[str]]
TOKEN = "4242:token-secret-that-must-never-show"
DB_PASSWORD = "database-password-never-shown"
PSEUDONYM_SECRET = "pseudonym-secret-never-shown"
SECRETS = (TOKEN.split(":")[1], DB_PASSWORD, PSEUDONYM_SECRET)


def failed_plainly(run: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The failure's own message (the `consultbot:` lines), after checking how it failed."""
    output = run.stdout + run.stderr
    assert run.returncode == code, output
    assert "Traceback" not in output
    for secret in SECRETS:
        assert secret not in output
    start = run.stderr.index("consultbot: ")
    message = run.stderr[start:].rstrip("\n").splitlines()
    assert 1 <= len(message) <= 2, run.stderr
    return "\n".join(message)


@pytest.fixture
def in_process(capsys, monkeypatch, tmp_path) -> Consultbot:
    """`main()` run in this process from `tmp_path`, with only the given environment variables
    of its own, its result shaped like a finished `consultbot` process."""
    for name in ("TELEGRAM_BOT_TOKEN", "CONSULTBOT_DATABASE_URL", "CONSULTBOT_PSEUDONYM_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*arguments: str, extra_env: dict[str, str] | None = None):
        for name, value in (extra_env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(list(arguments))
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(arguments, code, captured.out, captured.err)

    return run


def free_port() -> int:
    """A port nothing listens on (it was free a moment ago, and nothing here takes it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def telegram() -> Iterator[FakeBotApiServer]:
    with FakeBotApiServer().in_thread() as server:
        yield server


def write_config(folder: Path, text: str) -> Path:
    config = folder / "config.toml"
    config.write_text(f'[privacy]\npseudonym_secret = "{PSEUDONYM_SECRET}"\n{text}')
    return config


@pytest.mark.slow
def test_no_network_is_one_plain_line_naming_the_server(consultbot: Consultbot, tmp_path):
    port = free_port()
    config = write_config(tmp_path, f'[telegram]\nbase_url = "http://127.0.0.1:{port}"\n')

    run = consultbot("run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": TOKEN})

    message = failed_plainly(run)
    assert message.startswith(f"consultbot: could not reach Telegram at http://127.0.0.1:{port}")
    assert "Fix: check this machine's internet connection" in message


@pytest.mark.slow
def test_a_rejected_token_is_one_plain_line_without_the_token(
    consultbot: Consultbot, tmp_path, telegram
):
    config = write_config(tmp_path, f'[telegram]\nbase_url = "{telegram.url}"\n')

    run = consultbot("run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": TOKEN})

    assert failed_plainly(run) == (
        "consultbot: Telegram refused the bot token (401 Unauthorized). Fix: copy the token "
        "from @BotFather again into TELEGRAM_BOT_TOKEN or [telegram] token"
    )
    assert [call.method for call in telegram.calls] == ["getMe"]
    assert telegram.calls[0].status == 401


@pytest.mark.slow
def test_a_token_revoked_while_the_bot_runs_ends_it_with_the_same_plain_line(tmp_path):
    with FakeBotApiServer(TOKEN).in_thread() as telegram:
        run = running_until_the_token_is_revoked(tmp_path, telegram)

    assert failed_plainly(run) == (
        "consultbot: Telegram refused the bot token (401 Unauthorized). Fix: copy the token "
        "from @BotFather again into TELEGRAM_BOT_TOKEN or [telegram] token"
    )
    assert telegram.calls_of("getUpdates")[-1].status == 401


def running_until_the_token_is_revoked(
    tmp_path: Path, telegram: FakeBotApiServer
) -> subprocess.CompletedProcess[str]:
    """`consultbot run` polling the fake until the token is revoked; how the process ended."""
    config = write_config(tmp_path, f'[telegram]\nbase_url = "{telegram.url}"\n')
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "CONSULTBOT_"))
    }
    bot = subprocess.Popen(
        [str(CONSULTBOT), "run", "--config", str(config)],
        cwd=tmp_path,
        env={**environment, "TELEGRAM_BOT_TOKEN": TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        telegram.wait_until_sync(lambda: telegram.polling, timeout=30)
        telegram.core.token = "4242:the-new-token-from-botfather"  # revoked in @BotFather
        telegram.core.close_polls()  # the waiting long poll ends, as at its timeout
        stdout, stderr = bot.communicate(timeout=30)
    finally:
        bot.kill()
        bot.wait()
    return subprocess.CompletedProcess(bot.args, bot.returncode, stdout, stderr)


def test_an_unreachable_database_is_named_without_its_password(in_process: Consultbot, tmp_path):
    port = free_port()
    url = f"postgresql+asyncpg://consultbot:{DB_PASSWORD}@127.0.0.1:{port}/consultbot"

    run = in_process(
        "run",
        "--config",
        str(write_config(tmp_path, "")),
        extra_env={"TELEGRAM_BOT_TOKEN": TOKEN, "CONSULTBOT_DATABASE_URL": url},
    )

    message = failed_plainly(run)
    assert message.startswith(
        f"consultbot: could not open the database postgresql+asyncpg://consultbot:***@127.0.0.1:"
        f"{port}/consultbot: "
    )
    assert "Fix: check [storage] url (or CONSULTBOT_DATABASE_URL), and that the server is up" in (
        message
    )


def test_a_sqlite_file_that_cannot_be_opened_is_named(in_process: Consultbot, tmp_path):
    (tmp_path / "consultbot.sqlite3").mkdir()  # a folder where the file should be

    run = in_process("db", "upgrade", "--config", str(write_config(tmp_path, "")))

    message = failed_plainly(run)
    assert message.startswith(
        f"consultbot: could not open the database {tmp_path / 'consultbot.sqlite3'}: "
        "unable to open database file. Fix: "
    )


def test_a_locked_database_says_what_holds_it(capsys, monkeypatch, tmp_path):
    config = write_config(tmp_path, "")
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    monkeypatch.setattr(storage.database, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    holder = sqlite3.connect(tmp_path / "consultbot.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")
    capsys.readouterr()
    try:
        code = main(["run", "--config", str(config)])
    finally:
        holder.rollback()
        holder.close()

    err = capsys.readouterr().err
    assert code == 1
    assert err.endswith(
        f"consultbot: could not open the database {tmp_path / 'consultbot.sqlite3'}: database "
        "is locked. Fix: stop whatever holds it (another consultbot using the same file, an "
        "open sqlite3 shell), then start again\n"
    )
    assert TOKEN not in err


def test_a_failing_migration_says_so_and_how_to_recover(in_process: Consultbot, tmp_path):
    config = write_config(tmp_path, "")
    assert in_process("db", "upgrade", "--config", str(config)).returncode == 0
    with sqlite3.connect(tmp_path / "consultbot.sqlite3") as database:
        database.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")

    run = in_process("run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": TOKEN})

    message = failed_plainly(run)
    assert message.startswith(
        f"consultbot: could not bring the database {tmp_path / 'consultbot.sqlite3'} up to date: "
        "Can't locate revision identified by '0099_from_the_future'. Fix: if a newer consultbot "
        "used this database, run that version again (or restore a backup)"
    )


@pytest.mark.parametrize(
    ("config_text", "expected"),
    [
        ('[telegram]\ntokn = "x"\n', "telegram.tokn: unknown key"),
        ('[consultation]\nfile = "gone.toml"\n', "gone.toml: (file): the file does not exist"),
    ],
    ids=["a config typo", "a missing consultation file"],
)
def test_a_config_or_consultation_file_error_names_file_and_key(
    in_process: Consultbot, tmp_path, config_text, expected
):
    config = write_config(tmp_path, config_text)

    run = in_process("run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": TOKEN})

    assert expected in failed_plainly(run, code=2)


@pytest.mark.slow
def test_a_port_in_use_is_one_plain_line(consultbot: Consultbot, tmp_path, telegram):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(
            tmp_path,
            f'[telegram]\nbase_url = "{telegram.url}"\n'
            f'[webhook]\nurl = "https://consult.example.org"\nport = {port}\n'
            'secret_token = "webhook-secret"\n',
        )

        run = consultbot(
            "run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": telegram.token}
        )

    message = failed_plainly(run)
    assert f"('127.0.0.1', {port})" in message
    assert "address already in use" in message
    assert message.endswith(
        "Fix: stop the program using that port, or choose another port in the config file"
    )
    assert telegram.token not in run.stderr


def test_no_token_without_a_terminal_fails_instead_of_previewing(consultbot: Consultbot):
    run = consultbot("run", stdin="")

    assert failed_plainly(run, code=2) == (
        "consultbot: no Telegram bot token is set, so the bot cannot run.\n"
        "Fix: get a token from @BotFather and set TELEGRAM_BOT_TOKEN (or [telegram] token); "
        "`consultbot try` previews the consultation without one"
    )
    assert run.stdout == ""


class Terminal:
    """Standard input as a person at a terminal types it."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = iter(line + "\n" for line in lines)

    def isatty(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return self.lines

    def readline(self) -> str:
        return next(self.lines, "")


def test_no_token_at_a_terminal_previews_the_closed_shipped_consultation(capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr("sys.stdin", Terminal(["1"]))

    code = main(["run"])

    captured = capsys.readouterr()
    assert code == 0
    assert "No Telegram bot token is set, so here is a preview" in captured.err
    assert "Dates are ignored and nothing is saved." in captured.out
    assert "closed" not in captured.out
    assert "Yes, let's start\n\nWho are you?\n[1] I'm a young person" in captured.out


@pytest.mark.parametrize(
    ("config_text", "env", "needs"),
    [
        (
            "",
            {"CONSULTBOT_DATABASE_URL": "postgresql+asyncpg://consultbot@127.0.0.1/consultbot"},
            ["the database is PostgreSQL", "a pseudonym secret (CONSULTBOT_PSEUDONYM_SECRET"],
        ),
        (
            '[webhook]\nurl = "https://consult.example.org"\n',
            {},
            ["the webhook is on", "a pseudonym secret", "and a webhook secret"],
        ),
    ],
    ids=["PostgreSQL", "the webhook"],
)
def test_run_refuses_to_make_up_secrets_each_copy_would_differ_on(
    in_process: Consultbot, tmp_path, config_text, env, needs
):
    config = tmp_path / "config.toml"
    config.write_text(config_text)

    run = in_process("run", "--config", str(config), extra_env={"TELEGRAM_BOT_TOKEN": TOKEN, **env})

    message = failed_plainly(run, code=2)
    for words in needs:
        assert words in message
    assert f"Fix: make each one with  {MAKE_A_SECRET}" in message
    assert not (tmp_path / "consultbot.secret").exists()


def test_export_from_the_wrong_folder_does_not_make_an_empty_database(
    in_process: Consultbot, tmp_path
):
    run = in_process("export", "--format", "csv", "--output", str(tmp_path / "out.csv"))

    assert failed_plainly(run, code=2) == (
        f"consultbot: there is no database at {tmp_path / 'consultbot.sqlite3'}. Fix: give the "
        "bot's config with --config, or set CONSULTBOT_DATABASE_URL to the database the bot uses"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_an_unexpected_error_shows_its_traceback_without_any_secret(in_process, monkeypatch):
    async def broken(settings, **_: object) -> None:
        raise RuntimeError(f"a bug near {settings.token} and {settings.pseudonym_secret}")

    monkeypatch.setattr("bot.run.run_bot", broken)  # `run` imports it when it runs

    run = in_process(
        "run",
        extra_env={"TELEGRAM_BOT_TOKEN": TOKEN, "CONSULTBOT_PSEUDONYM_SECRET": PSEUDONYM_SECRET},
    )

    assert run.returncode == 1
    assert run.stderr.startswith("Traceback (most recent call last):")
    assert run.stderr.endswith("RuntimeError: a bug near *** and ***\n")
    for secret in SECRETS:
        assert secret not in run.stderr
