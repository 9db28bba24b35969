"""Update throughput and latency for one contender: warm up, saturate, then offered loads."""

import gc
import logging
import pickle
import time
from dataclasses import dataclass, field

from sqlalchemy import text

from bench.contenders import Contender
from bench.contenders.consultbot import ConsultBot
from bench.contenders.memory import MemoryBot
from bench.contenders.stock import StockConversationBot
from bench.load import Run, offer, respondents_for, saturate
from bench.plan import Plan
from bench.script import ANSWERS_PER_RESPONDENT, STEPS, Script
from bench.server_cpu import spent
from storage.database import READ_ONLY_OPTION

log = logging.getLogger(__name__)


@dataclass
class Measured:
    """Everything measured for one contender."""

    name: str
    note: str
    saturation: Run
    loads: dict[int, Run] = field(default_factory=dict)
    calls_per_update: float = 0.0
    stored: str = ""
    respondents: int = 0
    handled: int = 0
    """Updates handled in all phases (warm-up, saturation, offered loads)."""
    stop_seconds: float = 0.0
    stop_cpu_seconds: float = 0.0
    """CPU spent stopping: for the stock pattern, PicklePersistence's flush of everything."""

    @property
    def stop_ms_per_update(self) -> float:
        """The stop's CPU spread over every update handled (the stock pattern's deferred write)."""
        return 1000 * self.stop_cpu_seconds / self.handled if self.handled else 0.0

    @property
    def total_ms_per_update(self) -> float:
        """CPU per update at saturation, all of it: this process, the database server, and the
        shutdown flush spread over every update handled."""
        run = self.saturation
        return run.cpu_ms_per_update + run.server_ms_per_update + self.stop_ms_per_update


async def measure(
    contender: Contender,
    plan: Plan,
    rates: tuple[int, ...],
    *,
    respondents: int | None = None,
    saturation_seconds: float | None = None,
) -> Measured:
    """Run every phase on one started contender; it is stopped at the end, whatever happens."""
    script = Script()
    people = respondents or plan.respondents
    await contender.start()
    try:
        await saturate(contender.handle, script.respondents(plan.warmup_respondents), 60)
        warm_calls = contender.api.calls.copy()
        gc.collect()
        log.info("%s: saturation with %s respondents", contender.name, people)
        server = await contender.server_cpu()
        result = Measured(
            contender.name,
            contender.note,
            await saturate(
                contender.handle,
                script.respondents(people),
                saturation_seconds or plan.saturation_seconds,
            ),
            respondents=people,
        )
        result.saturation.server_cpu_seconds = spent(server, await contender.server_cpu())
        calls = contender.api.calls - warm_calls
        result.calls_per_update = (
            sum(n for method, n in calls.items() if method != "getMe") / result.saturation.handled
            if result.saturation.handled
            else 0.0
        )
        for rate in rates:
            gc.collect()
            log.info("%s: %s updates/s offered", contender.name, rate)
            lanes = script.respondents(respondents_for(rate, plan.rate_seconds))
            server = await contender.server_cpu()
            result.loads[rate] = await offer(contender.handle, lanes, rate, plan.drain_seconds)
            result.loads[rate].server_cpu_seconds = spent(server, await contender.server_cpu())
        result.handled = handled = (
            plan.warmup_respondents * STEPS
            + result.saturation.handled
            + sum(run.handled for run in result.loads.values())
        )
        if isinstance(contender, ConsultBot) and not isinstance(contender, MemoryBot):
            result.stored = await _stored_in_database(contender, handled)
            if contender.commits:
                result.note += (
                    f"; {contender.commits:,} commits, {handled / contender.commits:.1f} updates "
                    "per commit on average"
                )
    finally:
        stopping, cpu = time.perf_counter(), time.process_time()
        await contender.stop()
        stopped = time.perf_counter() - stopping
        stop_cpu = time.process_time() - cpu
    result.stop_seconds, result.stop_cpu_seconds = stopped, stop_cpu
    if isinstance(contender, StockConversationBot):
        result.stored = _stored_in_pickle(contender, stopped)
    return result


async def _stored_in_database(contender: ConsultBot, handled: int) -> str:
    """What the database holds after the runs: update claims and answers."""
    try:
        return await _count_stored(contender, handled)
    except Exception as error:  # a unit of work abandoned by a cut-off run may hold the lock
        return f"could not count what was stored: {error.__class__.__name__}"


async def _count_stored(contender: ConsultBot, handled: int) -> str:
    assert contender.engine is not None
    engine = contender.engine.execution_options(**{READ_ONLY_OPTION: True})
    async with engine.connect() as connection:
        claims = (await connection.execute(text("SELECT count(*) FROM processed_updates"))).scalar()
        answers = (await connection.execute(text("SELECT count(*) FROM answers"))).scalar()
        finished = (
            await connection.execute(
                text("SELECT count(*) FROM respondents WHERE finished_at IS NOT NULL")
            )
        ).scalar()
    return (
        f"Stored: {claims:,} update claims for {handled:,} updates handled (a redelivered update "
        f"is handled again under its first claim), {answers:,} answers, "
        f"{finished:,} respondents finished ({ANSWERS_PER_RESPONDENT} answers each)"
    )


def _stored_in_pickle(contender: StockConversationBot, flush_seconds: float) -> str:
    """What the pickle file holds after the shutdown flush."""
    with contender.path.open("rb") as file:
        data = pickle.load(file)
    people = data.get("user_data", {})
    answers = sum(len(person.get("answers", {})) for person in people.values())
    finished = sum(1 for person in people.values() if person.get("finished"))
    return (
        f"Stored: {answers:,} answers, {finished:,} respondents finished, in the pickle written at "
        f"shutdown (which took {flush_seconds:.1f} s with the event loop blocked, counted in its "
        "total CPU; nothing is on disk before the first 60 s flush)"
    )
