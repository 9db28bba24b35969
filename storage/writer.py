"""SQLite's write transactions on a thread of their own, each unit of work handed over whole.

aiosqlite runs every sqlite3 call on its own thread and hands the result back through the
event loop: about four round trips a statement, which cost more CPU than the statement. Calling
sqlite3 on the event loop instead would block it during an fsync, or for as long as another
process (a purge, a backup, a second replica) holds the write lock, up to the busy timeout.

So the hot path's transactions run here: one thread with an event loop of its own and one
connection (`storage.database.create_thread_engine`) whose sqlite3 calls run at once. The bot's
loop hands over a whole unit of work (a group-commit batch) and waits for it without blocking,
one hop each way; the unit's statements cost no hop at all. The code of a unit is the ordinary
storage API (`AsyncSession` and the helpers in storage/), so it is the same on PostgreSQL,
where the unit simply runs on the bot's loop.
"""

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.database import create_thread_engine, session_factory, sqlite_file

Result = TypeVar("Result")
Sessions = async_sessionmaker[AsyncSession]
Work = Callable[[Sessions], Coroutine[Any, Any, Result]]


class WriterThread:
    """A thread that runs units of work on its own connection to one SQLite file."""

    def __init__(self, url: str) -> None:
        self.engine = create_thread_engine(url)
        self.sessions = session_factory(self.engine)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="sqlite writer", daemon=True
        )
        self._thread.start()

    async def run(self, work: Work[Result]) -> Result:
        """`await work(sessions)` on the writer's thread; the caller's loop carries on meanwhile.

        Cancelling the caller cancels the work, whose open transaction then rolls back.
        """
        done = asyncio.run_coroutine_threadsafe(work(self.sessions), self._loop)
        return await asyncio.wrap_future(done)

    async def close(self) -> None:
        """Close the connection and stop the thread (after any unit of work still running)."""
        await self.run(lambda _sessions: self.engine.dispose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join)
        self._loop.close()


def needs_writer(sessions: Sessions) -> str | None:
    """The URL of the SQLite file `sessions` write to, which a WriterThread should serve; None
    for PostgreSQL (whose driver never blocks the loop) or an in-memory SQLite (which a second
    connection would not see)."""
    bind = sessions.kw.get("bind")
    return sqlite_file(bind) if isinstance(bind, AsyncEngine) else None
