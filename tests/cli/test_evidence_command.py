"""`consultbot evidence` from a terminal, on the database the bot wrote: a folder holding the
page, the tables and the exports, audited; a folder already in use is refused plainly."""

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.audit import recent_audit
from storage.database import session_factory
from tests.bot.test_staff_scenario import People, assert_no_identifiers
from tests.cli.test_export_command import Run, answered, config, on_the_bots_sqlite_file

__all__ = ["answered", "config"]  # fixtures, shared with the export command's tests


@on_the_bots_sqlite_file
async def test_evidence_writes_the_record_to_a_new_folder_and_is_audited(
    answered: People, consultbot: Run, config: Path, tmp_path: Path, database: AsyncEngine
):
    output = tmp_path / "record"

    done = consultbot("evidence", "--config", str(config), "--output", str(output))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{output / 'index.html'}: 3 people, 13 answers"
    assert {path.name for path in output.iterdir()} >= {
        "index.html",
        "people.csv",
        "window-changes.csv",
        "consultation-file-versions.csv",
        "audit-log.csv",
        "responses.csv",
        "responses.xlsx",
        "responses.jsonl",
    }
    page = (output / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "Evidence record: Our plan for children and young people with SEND" in page
    for path in output.iterdir():
        assert_no_identifiers(path.read_bytes(), answered)
    async with session_factory(database)() as session:
        (entry,) = await recent_audit(session, limit=1)
    assert (entry.actor, entry.action, entry.rows) == ("command line", "evidence", 13)


def test_evidence_into_a_folder_already_in_use_says_so_and_writes_nothing(
    consultbot: Run, small_config: Path, tmp_path: Path
):
    output = tmp_path / "busy"
    output.mkdir()
    (output / "notes.txt").write_text("mine", encoding="utf-8")

    done = consultbot("evidence", "--config", str(small_config), "--output", str(output))

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"consultbot: {output}: this folder is not empty. Fix: give --output a new or empty folder"
    )
    assert [path.name for path in output.iterdir()] == ["notes.txt"]
