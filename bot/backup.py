"""`consultbot backup PATH`: a consistent copy of the SQLite database, taken while the bot runs.

SQLite's online backup API copies every page inside one read transaction. In WAL mode (the
bot's) a reader never blocks the bot's writers nor sees their later commits, so the copy is the
database exactly as it stood when the backup began, however busy the bot is. The copy is
written beside PATH under a hidden name, checked with PRAGMA integrity_check, switched to a
single self-contained file (no -wal), and only then given its name.

PostgreSQL has its own tool for this, pg_dump; `POSTGRES_ADVICE` says how.
"""

import sqlite3
from pathlib import Path

import storage.database
from bot.startup import StartupFailure

POSTGRES_ADVICE = (
    "consultbot backup copies SQLite files, and this database is PostgreSQL.\n"
    "Fix: use pg_dump, which also copies a running database consistently: "
    "pg_dump --format=custom --file=consultbot-$(date +%F).dump postgresql://USER@HOST/DB, "
    "and restore into an empty database with pg_restore --dbname=postgresql://USER@HOST/DB FILE"
)


def backup_sqlite(database: Path, target: Path) -> int:
    """Copy the SQLite file `database` to `target` (which must not exist); the copy's size."""
    if not database.exists():
        raise StartupFailure(
            f"there is no database at {database}. Fix: give the bot's config with --config, or "
            "set CONSULTBOT_DATABASE_URL to the database the bot uses",
            exit_code=2,
        )
    if target.exists():
        raise StartupFailure(
            f"{target}: the file already exists. Fix: give a new name (with the date in it, "
            "say), or move the old backup away first",
            exit_code=2,
        )
    if not target.parent.is_dir():
        raise StartupFailure(
            f"{target.parent}: there is no such folder. Fix: create it, or give a file in a "
            "folder that exists",
            exit_code=2,
        )
    partial = target.with_name(f".{target.name}.part")
    try:
        _copy(database, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _copy(database: Path, partial: Path) -> None:
    timeout = storage.database.BUSY_TIMEOUT_MS / 1000
    source = sqlite3.connect(database, timeout=timeout)
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(copy)  # all pages in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            result = copy.execute("PRAGMA integrity_check").fetchall()
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise StartupFailure(
            f"could not copy the database {database}: {error}. Fix: check there is room for "
            "the copy and that this user may write there"
        ) from None
    finally:
        source.close()
    if result != [("ok",)]:
        problems = "; ".join(row[0] for row in result[:3])
        raise StartupFailure(
            f"the copy of {database} failed its integrity check ({problems}). Fix: run "
            f"sqlite3 {database} 'PRAGMA integrity_check' to see if the database itself is damaged"
        )
