"""`consultbot backup`: a consistent copy of the SQLite database taken while answers pour in.

A writer thread stores answers through the bot's own storage layer, one committed transaction
after another, and notes each answer once its commit returned. The backup is taken while it
writes. The copy must pass PRAGMA integrity_check, hold every answer committed before the backup
began, and work as the bot's database once restored.
"""

import asyncio
import shutil
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from conversations.outputs import Answer
from storage.answers import record_answers
from storage.database import create_engine, session_factory
from storage.respondents import get_or_create_respondent
from storage.upgrade import upgrade_database

MOST_WRITES = 20_000
"""Bounds the writer however long the test takes."""
BEFORE = 200
"""Answers committed before the backup begins."""
AFTER = 50
"""Answers the writer must commit after the backup began: it was still writing meanwhile."""
WAIT = 60.0


class Writer(threading.Thread):
    """Stores answers (person n, question q) one transaction each, until stopped."""

    def __init__(self, database: Path) -> None:
        super().__init__(daemon=True)
        self.url = f"sqlite+aiosqlite:///{database}"
        self.committed: list[tuple[str, str]] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._write())
        except BaseException as error:  # surfaced by the test, not lost in the thread
            self.error = error
        finally:
            with self.progress:
                self.progress.notify_all()

    async def _write(self) -> None:
        engine = create_engine(self.url)
        sessions = session_factory(engine)
        try:
            for n in range(MOST_WRITES):
                if self.stop.is_set():
                    return
                person, question = f"person-{n // 5}", f"q{n % 5}"
                async with sessions() as session, session.begin():
                    respondent = await get_or_create_respondent(
                        session,
                        consultation_id="backup-test",
                        pseudonym=person,
                        chat_id=None,
                        now=datetime.now(UTC),
                    )
                    await record_answers(
                        session,
                        respondent_id=respondent.id,
                        answers=[Answer("area", question, "A question?", "yes", "Yes")],
                        consultation_version="v1",
                        now=datetime.now(UTC),
                    )
                with self.progress:
                    self.committed.append((person, question))
                    self.progress.notify_all()
        finally:
            await engine.dispose()

    def wait_for(self, count: int) -> list[tuple[str, str]]:
        """The answers committed so far, once there are at least `count`."""
        with self.progress:
            done = self.progress.wait_for(
                lambda: len(self.committed) >= count or self.error or not self.is_alive(), WAIT
            )
            assert done and self.error is None, self.error
            assert len(self.committed) >= count
            return list(self.committed)


def stored(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT r.pseudonym, a.question FROM answers a JOIN respondents r "
            "ON r.id = a.respondent_id"
        ).fetchall()
    return set(rows)


@pytest.fixture
def bot_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bot"
    folder.mkdir()
    (folder / "config.toml").write_text("[storage]\nurl = 'sqlite+aiosqlite:///answers.db'\n")
    asyncio.run(upgrade_database(f"sqlite+aiosqlite:///{folder / 'answers.db'}"))
    return folder


@pytest.mark.slow
def test_a_backup_under_write_load_is_whole_and_restores(capsys, bot_folder, tmp_path):
    database = bot_folder / "answers.db"
    backup = tmp_path / "answers-backup.db"
    writer = Writer(database)
    writer.start()
    try:
        before = writer.wait_for(BEFORE)
        code = main(["backup", "--config", str(bot_folder / "config.toml"), str(backup)])
        after = writer.wait_for(len(before) + AFTER)
    finally:
        writer.stop.set()
        writer.join(WAIT)

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == f"Database: {database}\n"
    assert captured.out.startswith(f"{backup}: a consistent copy of {database} (")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    in_backup = stored(backup)
    assert set(before) <= in_backup
    assert in_backup <= set(after) | set(writer.committed)
    assert not list(tmp_path.glob(".*.part"))

    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(backup, restored / "answers.db")
    shutil.copy(bot_folder / "config.toml", restored / "config.toml")
    assert main(["db", "upgrade", "--config", str(restored / "config.toml")]) == 0
    assert stored(restored / "answers.db") == in_backup


def test_a_backup_never_overwrites_a_file(capsys, bot_folder, tmp_path):
    backup = tmp_path / "old-backup.db"
    backup.write_text("last week's backup")

    code = main(["backup", "--config", str(bot_folder / "config.toml"), str(backup)])

    assert code == 2
    assert capsys.readouterr().err.endswith(
        f"consultbot: {backup}: the file already exists. Fix: give a new name (with the date in "
        "it, say), or move the old backup away first\n"
    )
    assert backup.read_text() == "last week's backup"


def test_a_backup_of_postgresql_says_how_to_use_pg_dump(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(
        "CONSULTBOT_DATABASE_URL", "postgresql+asyncpg://consultbot:password-not-shown@db/bot"
    )

    code = main(["backup", str(tmp_path / "copy.db")])

    captured = capsys.readouterr()
    assert code == 2
    assert "password-not-shown" not in captured.err
    assert captured.err.startswith("Database: postgresql+asyncpg://consultbot:***@db/bot\n")
    assert "Fix: use pg_dump" in captured.err
    assert "pg_restore --dbname=" in captured.err
    assert not (tmp_path / "copy.db").exists()
