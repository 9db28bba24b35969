"""A ceiling for storage work: this bot with its state in a dict, nothing stored or committed.

Everything else is the real bot (build_application, handlers, engine, replies, UpdateRunner),
so its cost per update is what no storage change can go below.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

import bot.service
from bench.contenders.consultbot import ConsultBot
from bot.service import ConsultationService, Incoming
from conversations.engine import step
from conversations.state import State


class MemoryService(ConsultationService):
    """Steps the engine on a state kept in memory (serialised as the real service would)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.states: dict[int, State] = {}

    async def handle(self, incoming: Incoming) -> Any:
        """The engine step and the state's serialisation; no database."""
        result = step(
            self.consultation, self.states.get(incoming.user_id), incoming.event, self.clock()
        )
        self.states[incoming.user_id] = result.state
        result.state.to_dict()
        handled = getattr(bot.service, "Handled", None)
        return handled(result) if handled else result


class MemoryBot(ConsultBot):
    """This bot with MemoryService (the database is created but never used)."""

    note = "prototype: no storage at all, the state in a dict: the floor for this bot's own code"

    def make_service(self, engine: AsyncEngine) -> ConsultationService:
        """The in-memory service."""
        real = super().make_service(engine)
        return MemoryService(real.consultation, real.sessions, real.secret, real.clock)
