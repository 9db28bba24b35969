"""Replicas on PostgreSQL: this bot in one process, then in two side by side on one database.

Each replica is its own process (bench/replica.py) with its own respondents, as replicas behind
a load balancer or a webhook each serve the updates they get. The parent starts them, waits
until every one is warmed up, lets them all go at once, and counts PostgreSQL's CPU meanwhile
(bench/server_cpu.py). From the CPU each process and the server spend per update, it predicts
what more cores would carry while the work stays CPU-bound.
"""

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import postgres
from bench.server_cpu import ServerCpu, spent
from storage.upgrade import upgrade_database

FIRST_USER = 950_000_001
USERS_APART = 10_000_000
"""Each replica's user and update ids start this far from the previous one's."""
PREDICTED_CORES = (4, 8, 16)


@dataclass(frozen=True)
class ReplicaRun:
    """One replica process's figures."""

    handled: int
    seconds: float
    cpu: float

    @property
    def per_second(self) -> float:
        """Updates handled per wall second."""
        return self.handled / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        """This process's CPU per update, in ms."""
        return 1000 * self.cpu / self.handled if self.handled else 0.0


@dataclass(frozen=True)
class ReplicasRun:
    """Several replicas run together, and the server's CPU while they ran."""

    replicas: tuple[ReplicaRun, ...]
    server_cpu: float

    @property
    def handled(self) -> int:
        """Updates handled by all replicas."""
        return sum(replica.handled for replica in self.replicas)

    @property
    def per_second(self) -> float:
        """All replicas' updates per wall second (the longest replica's run)."""
        longest = max(replica.seconds for replica in self.replicas)
        return self.handled / longest if longest else 0.0

    @property
    def server_ms_per_update(self) -> float:
        """PostgreSQL's CPU per update, in ms."""
        return 1000 * self.server_cpu / self.handled if self.handled else 0.0

    @property
    def total_ms_per_update(self) -> float:
        """Every process's CPU per update, the server's included."""
        processes = sum(replica.cpu for replica in self.replicas)
        return 1000 * processes / self.handled + self.server_ms_per_update if self.handled else 0.0

    def predicted(self, cores: int) -> float:
        """Updates/s on `cores` cores with enough replicas, if the CPU per update stays as here
        (no lock or disk limit binds first)."""
        return 1000 * cores / self.total_ms_per_update if self.total_ms_per_update else 0.0


async def run_replicas(respondents: int, seconds: float) -> list[ReplicasRun]:
    """One replica, then two, each on a fresh scratch database."""
    runs = []
    for count in (1, 2):
        async with postgres.scratch_database(f"replicas_{count}") as url:
            await upgrade_database(url)
            runs.append(await _together(url, count, respondents, seconds))
    return runs


async def _together(url: str, count: int, respondents: int, seconds: float) -> ReplicasRun:
    server = ServerCpu(url.rsplit("/", 1)[1])
    await server.open()
    processes = [await _start(url, index, respondents, seconds) for index in range(count)]
    try:
        for process in processes:
            ready = await asyncio.wait_for(_stdout(process).readline(), timeout=120)
            if ready.strip() != b"ready":
                raise RuntimeError(f"a replica did not start: {ready!r}")
        before = await server.sample()
        await _tell(processes, b"go\n")
        outputs = [
            await asyncio.wait_for(_stdout(process).readline(), timeout=seconds + 120)
            for process in processes
        ]
        server_cpu = spent(before, await server.sample())
        await _tell(processes, b"stop\n")
        for process in processes:
            await asyncio.wait_for(process.wait(), timeout=60)
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
        await server.close()
    return ReplicasRun(
        tuple(ReplicaRun(**json.loads(output)) for output in outputs),
        server_cpu,
    )


async def _start(
    url: str, index: int, respondents: int, seconds: float
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.replica",
        url,
        f"--first-user={FIRST_USER + index * USERS_APART}",
        f"--respondents={respondents}",
        f"--seconds={seconds}",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )


async def _tell(processes: list[asyncio.subprocess.Process], line: bytes) -> None:
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(line)
        await process.stdin.drain()


def _stdout(process: asyncio.subprocess.Process) -> asyncio.StreamReader:
    assert process.stdout is not None
    return process.stdout
