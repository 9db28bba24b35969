"""The bots compared: each is a real python-telegram-bot Application on the same offline API."""

import json
from abc import ABC, abstractmethod

from telegram import Update
from telegram.ext import Application

from bench.fakeapi import LightBotApi
from bench.server_cpu import ServerCpu


class Contender(ABC):
    """One bot under test: started once, handed raw update JSON, stopped at the end."""

    name: str
    """How the table names it."""
    note: str
    """One line for the report: what it stores and when."""

    def __init__(self) -> None:
        self.api = LightBotApi()
        self.application: Application | None = None
        self.server: ServerCpu | None = None
        """The database server's processes, when it is one (PostgreSQL): their CPU is counted."""

    async def server_cpu(self) -> dict[int, float]:
        """CPU seconds so far of the database server's processes serving this contender."""
        return await self.server.sample() if self.server is not None else {}

    @abstractmethod
    async def start(self) -> None:
        """Build, initialise and start the application (and its storage)."""

    async def handle(self, raw: bytes) -> bool:
        """Parse one update as a webhook or getUpdates would and process it; True if handled."""
        assert self.application is not None
        update = Update.de_json(json.loads(raw), self.application.bot)
        await self.application.process_update(update)
        return True

    async def stop(self) -> None:
        """Stop and shut down the application (persistence is flushed here, if any)."""
        if self.server is not None:
            await self.server.close()
            self.server = None
        if self.application is not None:
            await self.application.stop()
            await self.application.shutdown()
            self.application = None

    async def _start_application(self, application: Application) -> None:
        self.application = application
        await application.initialize()
        await application.start()
