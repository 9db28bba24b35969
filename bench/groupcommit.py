"""A prototype of group commit for ConsultationService, to measure what it would gain.

Today every update is its own transaction: BEGIN IMMEDIATE, about six statements, COMMIT (an
fsync of the WAL on SQLite), and on SQLite concurrent units of work queue for the one write lock
inside SQLite's busy handler, which sleeps and retries. Here updates are handed to one writer
task instead. It takes whatever has queued up while the previous transaction ran (up to
`max_batch`; nothing waits on a timer, so a lone update is committed at once), runs each unit
of work in one shared transaction, commits once, and only then resolves each caller's future:
so each update is still acknowledged only after its answers are durable, and the replies are
still sent after commit by the caller, exactly as today.

Each unit of work is the real, unchanged `ConsultationService.handle`, run by an inner service
whose session factory hands out the batch's session with `begin()` made a no-op (the batch's
transaction is already open). If any unit raises (StaleProgress, a database error), the whole
transaction is rolled back and every unit of the batch is handled again on its own, in its own
transaction, by the unchanged service: one bad update costs its batch a retry but fails alone,
with today's semantics. Two updates of one respondent are never in one batch: UpdateRunner
hands over a person's next update only after the previous one returned.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.service import ConsultationService, Incoming
from conversations.model import Consultation
from conversations.window import Window

Pending = tuple[Incoming, "asyncio.Future[Any]"]


class _BatchSession:
    """The batch's session, for one unit of work: `begin()` joins the open transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[None]:
        """Nothing to begin or commit: the writer commits the whole batch."""
        yield

    async def __aenter__(self) -> "_BatchSession":
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _BatchService(ConsultationService):
    """The unchanged unit of work, on the current batch's session, reading the dates once."""

    def __init__(self, consultation: Consultation, secret: bytes, clock: Clock) -> None:
        super().__init__(consultation, self._session, secret, clock)  # type: ignore[arg-type]
        self.batch: _BatchSession | None = None
        self.dates: Window | None = None

    def _session(self) -> _BatchSession:
        assert self.batch is not None
        return self.batch

    async def window(self, session: AsyncSession) -> Window:
        """Read once per batch, inside the batch's transaction."""
        if self.dates is None:
            self.dates = await super().window(session)
        return self.dates


class GroupCommitService(ConsultationService):
    """ConsultationService whose units of work are committed together by one writer task."""

    max_batch = 128

    def __init__(
        self,
        consultation: Consultation,
        sessions: async_sessionmaker[AsyncSession],
        secret: bytes,
        clock: Clock,
    ) -> None:
        super().__init__(consultation, sessions, secret, clock)
        self._inner = _BatchService(consultation, secret, clock)
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self.batches: list[int] = []

    async def handle(self, incoming: Incoming) -> Any:
        """Queue the unit of work; return its result once the batch holding it is committed."""
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write())
        done: asyncio.Future[Any] = loop.create_future()
        self._queue.put_nowait((incoming, done))
        return await done

    async def close(self) -> None:
        """Stop the writer."""
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer

    async def _write(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            self.batches.append(len(batch))
            await self._commit(batch)

    async def _commit(self, batch: list[Pending]) -> None:
        results = []
        try:
            async with self.sessions() as session, session.begin():
                self._inner.batch, self._inner.dates = _BatchSession(session), None
                for incoming, _ in batch:
                    results.append(await self._inner.handle(incoming))
        except Exception:
            await self._one_by_one(batch)
            return
        finally:
            self._inner.batch = None
        for (_, done), result in zip(batch, results, strict=True):
            if not done.done():
                done.set_result(result)

    async def _one_by_one(self, batch: list[Pending]) -> None:
        """After a failed batch: each unit alone, in its own transaction, as today."""
        for incoming, done in batch:
            try:
                result = await ConsultationService.handle(self, incoming)
            except Exception as error:
                if not done.done():
                    done.set_exception(error)
            else:
                if not done.done():
                    done.set_result(result)

    def describe(self) -> str:
        """How the batches came out, for the report."""
        if not self.batches:
            return "no batches"
        mean = sum(self.batches) / len(self.batches)
        return f"{len(self.batches):,} commits, {mean:.1f} updates per commit on average"
