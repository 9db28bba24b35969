"""Starting up: open the database, check what a deployment needs, and say plainly what is wrong.

Every failure a person can expect at start-up (no network, a rejected token, a database that
can't be opened or is locked, a migration that fails, a port in use, missing secrets) ends as a
`StartupFailure`: one or two lines that say what happened and the fix, with no secret in them.
"""

import errno
import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import storage.database
from bot.config import (
    SECRET_VARIABLE,
    TOKEN_VARIABLE,
    WEBHOOK_SECRET_VARIABLE,
    Settings,
)
from conversations.errors import ConsultbotError
from conversations.model import Consultation
from conversations.window import Phase, in_words
from storage.database import create_engine, sqlite_path
from storage.upgrade import upgrade_database

log = logging.getLogger(__name__)

MAKE_A_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'
"""The command the errors suggest for making a secret."""


class StartupFailure(ConsultbotError):
    """An expected reason the bot or a command cannot start, with the fix.

    The exit status is 1 for trouble outside the settings (the database, the network) and 2,
    as for a broken file, for settings that must change.
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def database_name(url: str) -> str:
    """The database as a person would name it: a SQLite file's path, or the URL sans password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        if database == ":memory:" or database.startswith("file:"):
            return database
        return str(Path(database).expanduser().resolve())
    return parsed.render_as_string(hide_password=True)


def is_sqlite(url: str) -> bool:
    """Whether the URL names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file_missing(url: str) -> bool:
    """Whether the URL names a SQLite file that does not exist yet."""
    path = sqlite_path(url)
    return path is not None and not path.exists()


async def prepare_database(settings: Settings, *, must_exist: bool = False) -> AsyncEngine:
    """The process's database engine, reachable and upgraded to the current schema.

    With `must_exist`, a SQLite file that isn't there is an error rather than a new empty
    database: a command reading responses from the wrong folder must say so, not report 0.
    """
    url = settings.database_url
    name = database_name(url)
    log.info("using the database %s", name)
    if must_exist and sqlite_file_missing(url):
        raise StartupFailure(
            f"there is no database at {name}. Fix: give the bot's config with --config, or "
            "set CONSULTBOT_DATABASE_URL to the database the bot uses",
            exit_code=2,
        )
    try:
        engine = create_engine(url)
    except ModuleNotFoundError as error:
        raise StartupFailure(
            f"the database driver {error.name} is not installed (for {name}). "
            "Fix: pip install 'consultation-bot[postgres]'"
        ) from None
    try:
        await _reach(engine, name)
        try:
            await upgrade_database(engine)
        except Exception as error:
            raise StartupFailure(
                f"could not bring the database {name} up to date: {_first_line(error)}. Fix: "
                "if a newer consultbot used this database, run that version again (or restore "
                "a backup); otherwise see the database's own log"
            ) from None
    except BaseException:
        await engine.dispose()
        raise
    return engine


async def _reach(engine: AsyncEngine, name: str) -> None:
    """Open a (write) transaction once, so an unreachable or locked database is found now.

    A SQLite file is tried with the standard library's driver: aiosqlite, failing to open a
    file, can leave a thread that prints a traceback as the process exits.
    """
    try:
        if engine.dialect.name == "sqlite":
            _take_sqlite_write_lock(engine.url.database)
        else:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        reason = _first_line(error)
        if "locked" in reason:
            fix = (
                "stop whatever holds it (another consultbot using the same file, an open "
                "sqlite3 shell), then start again"
            )
        elif engine.dialect.name == "sqlite":
            fix = (
                "check that [storage] url (or CONSULTBOT_DATABASE_URL) names a file in a "
                "folder this user may write to"
            )
        else:
            fix = "check [storage] url (or CONSULTBOT_DATABASE_URL), and that the server is up"
        raise StartupFailure(f"could not open the database {name}: {reason}. Fix: {fix}") from None


def _take_sqlite_write_lock(database: str | None) -> None:
    """Open the file and take (and give back) its write lock, as every writer will."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    timeout = storage.database.BUSY_TIMEOUT_MS / 1000
    connection = sqlite3.connect(database, timeout=timeout, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def require_shared_secrets(settings: Settings) -> None:
    """Refuse settings under which replicas would each make up their own secrets.

    On PostgreSQL (which several processes may share) every process must turn one Telegram id
    into the same pseudonym, so the secret must be configured, not made up in a local file. A
    webhook needs its secret configured too, or each start (and each replica) picks another.
    """
    missing = []
    if not settings.pseudonym_secret and (
        settings.webhook_url or not is_sqlite(settings.database_url)
    ):
        missing.append(f"a pseudonym secret ({SECRET_VARIABLE} or [privacy] pseudonym_secret)")
    if settings.webhook_url and not settings.webhook_secret:
        missing.append(f"a webhook secret ({WEBHOOK_SECRET_VARIABLE} or [webhook] secret_token)")
    if not missing:
        return
    why = "the webhook is on" if settings.webhook_url else "the database is PostgreSQL"
    raise StartupFailure(
        f"{why}, so the bot needs {' and '.join(missing)}, the same for every copy of the bot.\n"
        f"Fix: make each one with  {MAKE_A_SECRET}  and keep it safe: a changed pseudonym "
        "secret makes every returning respondent a stranger",
        exit_code=2,
    )


def explain(error: BaseException, settings: Settings) -> str | None:
    """One or two plain lines for an expected failure at start-up, or None if unexpected."""
    # Imported here: every command calls this, most never load python-telegram-bot or the bot.
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.application import api_urls

    if isinstance(error, InvalidToken):
        return (
            "Telegram refused the bot token (401 Unauthorized). Fix: copy the token from "
            f"@BotFather again into {TOKEN_VARIABLE} or [telegram] token"
        )
    if isinstance(error, NetworkError):
        server = api_urls(settings.base_url)[0].removesuffix("/bot")
        return (
            f"could not reach Telegram at {server}: {error.message}. Fix: check this "
            "machine's internet connection, proxy or firewall, and [telegram] base_url"
        )
    if isinstance(error, TelegramError):
        return f"Telegram refused to start the bot: {error.message}"
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return (
            f"{_first_line(error)}. Fix: stop the program using that port, or choose "
            "another port in the config file"
        )
    return None


def redact(message: str, settings: Settings) -> str:
    """The message with every secret in the settings replaced by ***."""
    secrets = [settings.token, settings.pseudonym_secret, settings.webhook_secret]
    password = make_url(settings.database_url).password
    secrets.append(str(password) if password else None)
    if settings.token and ":" in settings.token:
        secrets.append(settings.token.split(":", 1)[1])  # the secret half alone
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


async def report_window(
    sessions: async_sessionmaker[AsyncSession],
    consultation: Consultation,
    file: Path,
    now: datetime,
) -> None:
    """Say in one line at start-up if the consultation is closed or not open yet, and why."""
    from bot.service import current_window  # the bot's module: only `run` says this

    async with sessions() as session:
        window = await current_window(session, consultation)
    phase = window.phase(now)
    if phase is Phase.OPEN:
        return
    zone = consultation.timezone
    if phase is Phase.CLOSED:
        log.warning(
            "%s closed on %s (%s), so people who write are told it has closed and nothing is "
            "recorded. To open it again, send /extend DATE as staff, or edit closes_at in %s",
            consultation.id,
            in_words(window.closes_at, zone),
            zone.key,
            file,
        )
    else:
        assert window.opens_at is not None  # only a window with an opening time is not open yet
        log.warning(
            "%s opens on %s (%s); until then people who write are told when it opens. "
            "To open it sooner, edit opens_at in %s",
            consultation.id,
            in_words(window.opens_at, zone),
            zone.key,
            file,
        )


def _first_line(error: BaseException) -> str:
    """The error's own first line: SQLAlchemy's wrapper adds the SQL and a link after it."""
    orig = getattr(error, "orig", None)
    text_ = str(orig if orig is not None else error).strip() or type(error).__name__
    return text_.splitlines()[0].rstrip(".")
