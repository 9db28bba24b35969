"""This bot, as `consultbot run` wires it: build_application, ConsultationService, UpdateRunner.

Each update is one unit of work (claim the update id, load the state, step the engine,
compare-and-set the state, record the answers, commit) before its replies are sent and before
`UpdateRunner.run` returns, so every answer is durably committed when the update counts as
handled. The clock jobs (a tick a minute) are not scheduled: they do no work per update.
"""

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import AIORateLimiter

import bot.application
from bench.contenders import Contender
from bench.fakeapi import TOKEN
from bench.groupcommit import GroupCommitService
from bench.inline_sqlite import create_inline_engine
from bench.prebuilt import patched as prebuilt_helpers
from bot.application import build_application
from bot.clock import system_clock
from bot.config import Settings
from bot.processing import UpdateRunner
from bot.service import ConsultationService
from conversations.loader import load_consultation
from storage.database import create_engine, session_factory
from storage.upgrade import upgrade_database

SURVEY = Path(__file__).resolve().parent.parent / "flows" / "survey.toml"
SECRET = "benchmark pseudonym secret"


@contextlib.contextmanager
def unthrottled() -> Iterator[None]:
    """Build the application with the rate limiter's code path but without its 30 msg/s cap.

    build_application installs `AIORateLimiter(max_retries=3)`, whose default overall limit of
    30 chat messages per second would make every run measure that limit instead of the bot.
    """
    shipped = bot.application.AIORateLimiter

    def limiter(max_retries: int = 0) -> AIORateLimiter:
        return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=max_retries)

    bot.application.AIORateLimiter = limiter  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        bot.application.AIORateLimiter = shipped  # type: ignore[misc]


class ConsultBot(Contender):
    """This bot on the database at `url` (SQLite file or PostgreSQL)."""

    note = "every answer committed (one transaction per update) before the update is handled"

    def __init__(
        self,
        name: str,
        url: str,
        *,
        throttled: bool = False,
        group_commit: bool = False,
        inline: bool = False,
        prebuilt: bool = False,
    ) -> None:
        super().__init__()
        self.name = name
        self.url = url
        self.throttled = throttled
        self.group_commit = group_commit
        self.inline = inline
        self.prebuilt = prebuilt
        self._patch: contextlib.ExitStack | None = None
        if group_commit:
            self.note = (
                "prototype (bench/groupcommit.py): the updates that queued up meanwhile share one "
                "transaction, each handled only after that commit"
            )
        if inline:
            self.note += "; sqlite3 called on the event loop, not aiosqlite's thread"
        if prebuilt:
            self.note += "; query helpers with statements built once (bench/prebuilt.py)"
        if throttled:
            self.note = (
                "as shipped, with AIORateLimiter's default overall limit of 30 messages a second "
                "(the other rows of this bot lift that cap, to measure the bot itself)"
            )

    def settings(self) -> Settings:
        """The settings `consultbot run` would read from a config file."""
        return Settings(
            token=TOKEN,
            database_url=self.url,
            consultation_file=SURVEY,
            pseudonym_secret=SECRET,
        )

    def make_service(self, engine: AsyncEngine) -> ConsultationService:
        """The unit-of-work service, or the group-commit prototype."""
        kind = GroupCommitService if self.group_commit else ConsultationService
        return kind(
            load_consultation(SURVEY), session_factory(engine), SECRET.encode(), system_clock
        )

    async def start(self) -> None:
        """Upgrade the database, then build and start the application as run_bot does."""
        settings = self.settings()
        if self.prebuilt:
            self._patch = contextlib.ExitStack()
            self._patch.enter_context(prebuilt_helpers())
        self.engine = create_inline_engine(self.url) if self.inline else create_engine(self.url)
        await upgrade_database(self.engine)
        self.service = self.make_service(self.engine)
        limits = contextlib.nullcontext() if self.throttled else unthrottled()
        with limits:
            application = build_application(
                settings, self.service, request=self.api, get_updates_request=self.api
            )
        self.runner = UpdateRunner(application)
        await self._start_application(application)

    async def handle(self, raw: bytes) -> bool:
        """As the webhook does: parse, then run through the UpdateRunner (True once committed)."""
        assert self.application is not None and self.runner is not None
        update = Update.de_json(json.loads(raw), self.application.bot)
        return await self.runner.run(update)

    async def stop(self) -> None:
        """Stop the application, then close the database."""
        await super().stop()
        if isinstance(self.service, GroupCommitService):
            await self.service.close()
        if self.engine is not None:
            await self.engine.dispose()
            self.engine = None
        if self._patch is not None:
            self._patch.close()
            self._patch = None
