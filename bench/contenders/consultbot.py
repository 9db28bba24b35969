"""This bot, as `consultbot run` wires it: GroupCommitService, build_application, UpdateRunner.

Each update is a unit of work (claim the update id, load the state, step the engine,
compare-and-set the state, record the answers) committed before its replies are sent and before
`UpdateRunner.run` returns; the units that queue up while a transaction runs share the next one
(bot/group_commit.py). So every answer is durably committed when its update counts as handled.
The clock jobs (a tick a minute) are not scheduled: they do no work per update.
"""

import json
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bench.contenders import Contender
from bench.fakeapi import TOKEN
from bench.server_cpu import ServerCpu
from bot.application import build_application
from bot.clock import system_clock
from bot.config import Settings
from bot.group_commit import GroupCommitService
from bot.heap import freeze_startup_objects
from bot.processing import UpdateRunner
from bot.service import ConsultationService
from conversations.loader import load_consultation
from storage.database import create_engine, session_factory
from storage.upgrade import upgrade_database

SURVEY = Path(__file__).resolve().parent.parent / "flows" / "survey.toml"
SECRET = "benchmark pseudonym secret"
UNCAPPED = 0
"""`[telegram] messages_per_second = 0`: no overall cap, so a run measures the bot, not 30/s."""


class ConsultBot(Contender):
    """This bot on the database at `url` (SQLite file or PostgreSQL)."""

    note = (
        "group commit (bot/group_commit.py): the updates that queued up meanwhile share one "
        "transaction, each handled only after that commit"
    )

    def __init__(self, name: str, url: str, *, messages_per_second: int = UNCAPPED) -> None:
        super().__init__()
        self.name = name
        self.url = url
        self.messages_per_second = messages_per_second
        self.engine: AsyncEngine | None = None
        self.runner: UpdateRunner | None = None
        self.commits = 0
        if messages_per_second:
            self.note = (
                f"as shipped: messages_per_second = {messages_per_second}, Telegram's own limit "
                "for a bot's messages overall (the other rows of this bot set 0, to measure the "
                "bot itself)"
            )

    def settings(self) -> Settings:
        """The settings `consultbot run` would read from a config file."""
        return Settings(
            token=TOKEN,
            database_url=self.url,
            consultation_file=SURVEY,
            pseudonym_secret=SECRET,
            messages_per_second=self.messages_per_second,
        )

    def create_engine(self) -> AsyncEngine:
        """The engine `consultbot run` makes for this URL."""
        return create_engine(self.url)

    def make_service(self, engine: AsyncEngine) -> ConsultationService:
        """The service as bot/run.py builds it."""
        return GroupCommitService(
            load_consultation(SURVEY), session_factory(engine), SECRET.encode(), system_clock
        )

    async def start(self) -> None:
        """Upgrade the database, then build and start the application and freeze what start-up
        made, as run_bot does."""
        self.engine = self.create_engine()
        await upgrade_database(self.engine)
        if self.engine.dialect.name == "postgresql":
            self.server = ServerCpu(str(make_url(self.url).database))
            await self.server.open()
        self.service = self.make_service(self.engine)
        if isinstance(self.service, GroupCommitService):  # its own engine on a SQLite file
            event.listen(self.service.batch_engine.sync_engine, "commit", self._count_commit)
        application = build_application(
            self.settings(), self.service, request=self.api, get_updates_request=self.api
        )
        self.runner = UpdateRunner(application)
        await self._start_application(application)
        freeze_startup_objects()

    def _count_commit(self, _connection: object) -> None:
        self.commits += 1

    async def handle(self, raw: bytes) -> bool:
        """As the webhook does: parse, then run through the UpdateRunner (True once committed)."""
        assert self.application is not None and self.runner is not None
        update = Update.de_json(json.loads(raw), self.application.bot)
        return await self.runner.run(update)

    async def stop(self) -> None:
        """Stop the application, drain the group commit, then close the database (as run_bot)."""
        await super().stop()
        if isinstance(self.service, GroupCommitService):
            await self.service.close()
        if self.engine is not None:
            await self.engine.dispose()
            self.engine = None
