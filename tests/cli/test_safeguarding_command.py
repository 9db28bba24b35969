"""`consultbot safeguarding` lists the alerts for the record; `consultbot check` says loudly
when nobody is set to receive them."""

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli import main
from conversations.loader import default_consultation_path, load_consultation
from storage.audit import recent_audit
from storage.database import session_factory
from tests.bot.harness import FrozenClock, make_harness
from tests.bot.steps import at_the_first_question

Run = Callable[..., subprocess.CompletedProcess[str]]
LEAD = 515151


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Path:
    path = tmp_path / "consultbot.toml"
    path.write_text(
        f'[storage]\nurl = "{database_url}"\n\n[safeguarding]\nuser_ids = [{LEAD}]\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_list_shows_each_alert_its_words_and_who_handled_it(
    database: AsyncEngine, consultbot: Run, config: Path
):
    bot = await make_harness(
        database,
        load_consultation(default_consultation_path()),
        FrozenClock(),
        safeguarding_ids=frozenset({LEAD}),
    )
    try:
        ada = bot.person("Ada", username="ada_secret_name")
        await at_the_first_question(bot, ada)
        await bot.tap(ada, "Agree")
        await bot.tap(ada, "Agree")
        await bot.type(ada, "they bully me every day")
        lead = bot.person("Lee", id=LEAD)
        await bot.send_outbox()
        await bot.tap(lead, "Handled", bot.api.last_message(LEAD))
        await bot.type(bot.person("Bea"), "i wanna kms")
    finally:
        await bot.close()

    done = consultbot("safeguarding", "--config", str(config))

    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("medway-send-strategy-2022: 2 safeguarding alerts, 1 not handled")
    assert "Alert 1 · R1 · Thursday 1 September 2022 at 1:00pm · HANDLED" in out
    assert "  They wrote: they bully me every day" in out
    assert "  Audience: I'm a young person" in out
    assert f"  Handled: Thursday 1 September 2022 at 1:00pm by staff:{LEAD}" in out
    assert "Alert 2 · R2 · Thursday 1 September 2022 at 1:00pm · OPEN" in out
    assert "  Question: none on screen (at: consent)" in out
    assert "ada_secret_name" not in out and str(ada.id) not in out
    async with session_factory(database)() as session:
        latest = (await recent_audit(session, limit=1))[0]
    assert (latest.actor, latest.action, latest.rows) == ("command line", "safeguarding_list", 2)


def test_check_says_loudly_when_admins_get_the_alerts(capsys, tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text("[admins]\nuser_ids = [1]\n", encoding="utf-8")

    assert main(["check", "--config", str(config)]) == 0

    out = capsys.readouterr().out
    assert "WARNING: no safeguarding staff are set ([safeguarding] user_ids)" in out
    assert "alerts go to the admins" in out


def test_check_says_loudly_when_nobody_gets_the_alerts(capsys):
    assert main(["check"]) == 0

    assert "WARNING: nobody will get safeguarding alerts" in capsys.readouterr().out


def test_check_is_quiet_about_it_when_safeguarding_staff_are_set(capsys, tmp_path: Path):
    config = tmp_path / "c.toml"
    config.write_text("[safeguarding]\nuser_ids = [5]\n", encoding="utf-8")

    assert main(["check", "--config", str(config)]) == 0

    assert "WARNING" not in capsys.readouterr().out
