"""Group commit: several respondents' updates stored in one transaction, each acknowledged after it.

Committing is the dear part of a unit of work (on SQLite an fsync of the WAL, and a turn at the
one write lock). Here units of work are handed to one writer task. It takes whatever queued up
while the previous transaction ran (up to `max_batch`; nothing waits on a timer, so a lone
update is committed at once), runs each unit in one shared transaction, commits once, and only
then answers each caller: every update is still counted as handled only once its answers are
durable, and replies are still sent after the commit.

If any unit fails, the whole transaction rolls back and each unit of the batch is handled again
on its own, as the plain service would: one bad update costs its batch a retry but fails alone.
Two updates of one person are never in one batch, because the update runner hands over a
person's next update only after the previous one returned.

On a SQLite file the batch's transaction runs whole on a writer thread (storage.writer), so an
fsync or a wait for the write lock never blocks the event loop, and the loop makes one hop per
batch rather than several per statement. On PostgreSQL it runs on the loop, through asyncpg.
"""

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.metrics import Metrics
from bot.service import ConsultationService, Handled, Incoming
from conversations.model import Consultation
from storage.writer import Sessions, WriterThread, needs_writer

log = logging.getLogger(__name__)
Pending = tuple[Incoming, "asyncio.Future[Handled | None]"]


class GroupCommitService(ConsultationService):
    """The consultation service, with concurrent units of work committed together."""

    def __init__(
        self,
        consultation: Consultation,
        sessions: async_sessionmaker[AsyncSession],
        secret: bytes,
        clock: Clock,
        *,
        max_batch: int = 64,
        alert_to: frozenset[int] = frozenset(),
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__(consultation, sessions, secret, clock, alert_to=alert_to, metrics=metrics)
        self.max_batch = max_batch
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._committing: asyncio.Future[None] | None = None
        self._file = needs_writer(sessions)
        self._thread: WriterThread | None = None  # started at the first batch, stopped by close

    @property
    def writer(self) -> WriterThread | None:
        """The thread the batches run on (on a SQLite file, once the first batch came)."""
        return self._thread

    def batch_sessions(self) -> Sessions:
        """Sessions on the engine the batches commit on: the writer thread's on a SQLite file,
        else the shared one."""
        if self._file is None:
            return self.sessions
        if self._thread is None:
            self._thread = WriterThread(self._file)
        return self._thread.sessions

    @property
    def batch_engine(self) -> AsyncEngine:
        """The engine the batches commit on (its "commit" events count group commits)."""
        bind = self.batch_sessions().kw["bind"]
        assert isinstance(bind, AsyncEngine)
        return bind

    async def handle(self, incoming: Incoming) -> Handled | None:
        """Queue the unit of work; return once the transaction holding it has committed."""
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write(), name="group-commit writer")
        done: asyncio.Future[Handled | None] = loop.create_future()
        self._queue.put_nowait((incoming, done))
        return await done

    async def close(self) -> None:
        """Stop the writer, after the batch in hand (whose callers then have their answers)."""
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
        if self._committing is not None:
            await self._committing
        while not self._queue.empty():  # queued while the writer was stopping
            await self._commit(self._take(self._queue.get_nowait()))
        if self._thread is not None:
            await self._thread.close()
            self._thread = None

    async def _write(self) -> None:
        while True:
            batch = self._take(await self._queue.get())
            self._committing = asyncio.ensure_future(self._commit(batch))
            await asyncio.shield(self._committing)  # a stop waits for the commit, not cuts it

    def _take(self, first: Pending) -> list[Pending]:
        """A batch: `first` and whatever else is waiting, up to `max_batch`."""
        batch = [first]
        while len(batch) < self.max_batch and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _commit(self, batch: list[Pending]) -> None:
        try:
            results = await self._together([incoming for incoming, _ in batch])
        except Exception as error:
            if len(batch) == 1:
                _settle(batch[0][1], error=error)
            else:  # one unit failed, or the commit did: give each its own transaction
                log.info("a batch of %s failed (%s); handling each alone", len(batch), error)
                await self._one_by_one(batch)
            return
        self.metrics.batch_size.observe(len(batch))
        for (_, done), result in zip(batch, results, strict=True):
            self.count_committed(result)
            _settle(done, result)

    async def _one_by_one(self, batch: list[Pending]) -> None:
        for incoming, done in batch:
            try:
                (result,) = await self._together([incoming])
            except Exception as error:
                _settle(done, error=error)
            else:
                self.count_committed(result)
                _settle(done, result)

    async def _together(self, units: list[Incoming]) -> list[Handled | None]:
        """Handle `units` in one transaction, on the writer thread if there is one; committed
        when this returns."""

        async def work(sessions: Sessions) -> list[Handled | None]:
            async with sessions() as session, session.begin():
                return await self.handle_all(session, units)

        sessions = self.batch_sessions()
        if self._thread is None:
            return await work(sessions)
        return await self._thread.run(work)


def _settle(
    done: "asyncio.Future[Handled | None]", result: Any = None, error: Exception | None = None
) -> None:
    if done.done():  # the caller gave up waiting (cancelled)
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)
