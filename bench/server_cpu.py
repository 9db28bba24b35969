"""PostgreSQL's own CPU time while a benchmark phase runs, read from /proc.

The server is a separate process tree on this machine, so the bench process's CPU leaves it out.
Here it is counted as the user and system time of the backends connected to the benchmark's
database plus the server's background processes (WAL writer, checkpointer, background writer,
autovacuum), which do that database's commit and flush work; backends of other databases (other
work on the machine) are left out. A backend that starts during a phase counts from zero; one
that ends during it is lost (the pools here keep theirs open).
"""

import os
from pathlib import Path

import asyncpg

from bench.postgres import ADMIN_DATABASE, SERVER

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SERVED = """
SELECT pid FROM pg_stat_activity
WHERE (datname = $1 OR backend_type <> 'client backend') AND pid <> pg_backend_pid()
"""


def process_cpu(pid: int) -> float:
    """A process's user and system CPU seconds so far (0 if it is gone or unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15


class ServerCpu:
    """Samples the CPU of the PostgreSQL processes serving `database`."""

    def __init__(self, database: str) -> None:
        self.database = database
        self._connection: asyncpg.Connection | None = None

    async def open(self) -> None:
        """Connect to the server's admin database (this connection is not counted)."""
        self._connection = await asyncpg.connect(f"{SERVER}/{ADMIN_DATABASE}")

    async def close(self) -> None:
        """Disconnect."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def sample(self) -> dict[int, float]:
        """CPU seconds so far of each process serving the database now, by pid."""
        assert self._connection is not None
        pids = [row["pid"] for row in await self._connection.fetch(SERVED, self.database)]
        return {pid: process_cpu(pid) for pid in pids}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two samples (a process new in `after` counts from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
