"""The real `consultbot run` on the shipped consultation (closed in 2022) says so as it starts."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conversations.loader import default_consultation_path
from tests.telegram_fakes import FakeBotApiServer

CONSULTBOT = Path(sys.executable).with_name("consultbot")
WAIT = 30.0
"""Seconds the process may take to start and say it (bounds the test, asserts nothing)."""


@pytest.mark.slow
def test_a_bot_started_on_a_closed_consultation_says_so_in_one_line(tmp_path):
    with FakeBotApiServer().in_thread() as telegram:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{telegram.url}"\n[privacy]\npseudonym_secret = "s"\n'
        )
        log = tmp_path / "bot.log"
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CONSULTBOT_"))
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(CONSULTBOT), "run", "--config", str(config)],
                env={**env, "TELEGRAM_BOT_TOKEN": telegram.token},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + WAIT
            while "serving medway" not in log.read_text() and process.poll() is None:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=WAIT)

    output = log.read_text()
    assert status == 0, output
    closed = [line for line in output.splitlines() if "closed on" in line]
    assert len(closed) == 1, output
    assert closed[0].endswith(
        "WARNING bot.startup: medway-send-strategy-2022 closed on Friday 23 September 2022 at "
        "11:59pm (Europe/London), so people who write are told it has closed and nothing is "
        "recorded. To open it again, send /extend DATE as staff, or edit closes_at in "
        f"{default_consultation_path()}"
    )
    assert f"using the database {tmp_path / 'consultbot.sqlite3'}" in output
