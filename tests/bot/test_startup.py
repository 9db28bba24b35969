"""Start-up: the line that says a consultation is closed or not open yet, and paths by config."""

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.secrets import SECRET_FILE, pseudonym_secret
from bot.startup import report_window
from conversations.loader import default_consultation_path, load_consultation
from storage.database import session_factory
from storage.windows import set_window_override

SHIPPED = default_consultation_path()
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def window_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "bot.startup"]


async def test_a_closed_consultation_says_so_with_its_date_and_what_to_do(database, caplog):
    caplog.set_level(logging.INFO)

    await report_window(session_factory(database), load_consultation(SHIPPED), SHIPPED, NOW)

    assert window_lines(caplog) == [
        "medway-send-strategy-2022 closed on Friday 23 September 2022 at 11:59pm "
        "(Europe/London), so people who write are told it has closed and nothing is recorded. "
        f"To open it again, send /extend DATE as staff, or edit closes_at in {SHIPPED}"
    ]
    assert caplog.records[0].levelno == logging.WARNING


async def test_a_consultation_not_open_yet_says_when_it_opens(database, caplog, tmp_path):
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'closes_at = "2022-09-23T23:59"',
        'opens_at = "2099-06-01T09:00"\ncloses_at = "2099-07-01T23:59"',
    )
    shutil.copytree(SHIPPED.parent / "pictures", tmp_path / "pictures")  # explanations
    file = tmp_path / "later.toml"
    file.write_text(text, encoding="utf-8")
    caplog.set_level(logging.INFO)

    await report_window(session_factory(database), load_consultation(file), file, NOW)

    assert window_lines(caplog) == [
        "medway-send-strategy-2022 opens on Monday 1 June 2099 at 9:00am (Europe/London); until "
        f"then people who write are told when it opens. To open it sooner, edit opens_at in {file}"
    ]


async def test_an_open_consultation_or_one_staff_extended_says_nothing(database, caplog):
    sessions = session_factory(database)
    consultation = load_consultation(SHIPPED)
    async with sessions() as session, session.begin():
        await set_window_override(
            session,
            consultation_id=consultation.id,
            opens_at=None,
            closes_at=datetime(2099, 1, 1, tzinfo=UTC),
            actor="staff",
            now=NOW,
        )
    caplog.set_level(logging.INFO)

    await report_window(sessions, consultation, SHIPPED, NOW)

    assert window_lines(caplog) == []


def test_database_secret_and_consultation_are_found_beside_the_config(tmp_path, monkeypatch):
    folder = tmp_path / "deploy"
    folder.mkdir()
    (folder / "ours.toml").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    config = folder / "config.toml"
    config.write_text('[consultation]\nfile = "ours.toml"\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    settings = load_settings(config, {})
    secret = pseudonym_secret(settings)

    assert settings.database_url == f"sqlite+aiosqlite:///{folder / 'consultbot.sqlite3'}"
    assert settings.consultation_file == folder / "ours.toml"
    assert (folder / SECRET_FILE).read_text().strip().encode() == secret
    assert list(elsewhere.iterdir()) == []
    assert Path(folder / SECRET_FILE).stat().st_mode & 0o077 == 0
