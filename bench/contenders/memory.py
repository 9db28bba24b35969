"""A floor for storage work: this bot with its state in a dict, nothing stored or committed.

Everything else is the real bot (build_application, handlers, engine, replies, UpdateRunner),
so its cost per update is what no storage change can go below.
"""

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.contenders.consultbot import ConsultBot
from bot.service import ConsultationService, Handled, Incoming
from conversations.engine import step
from conversations.state import State


class MemoryService(ConsultationService):
    """Steps the engine on a state kept in memory (serialised as the real service would)."""

    states: dict[int, State]

    async def handle(self, incoming: Incoming) -> Handled | None:
        """The engine step and the state's serialisation; no database."""
        states = self.__dict__.setdefault("states", {})
        result = step(self.consultation, states.get(incoming.user_id), incoming.event, self.clock())
        states[incoming.user_id] = result.state
        result.state.to_dict()
        return Handled(result)


class MemoryBot(ConsultBot):
    """This bot with MemoryService (the database is created but never used)."""

    note = "no storage at all, the state in a dict: the floor for this bot's own code"

    def make_service(self, engine: AsyncEngine) -> ConsultationService:
        """The in-memory service."""
        real = super().make_service(engine)
        return MemoryService(real.consultation, real.sessions, real.secret, real.clock)
