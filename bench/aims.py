"""Issue 13's aims, checked against a run's figures: each met, missed, or not measured.

The aims are for the shipped bot (this bot's rows). Exports count only at full size (1,000,000
answers).
"""

import math

from bench.replicas import PREDICTED_CORES
from bench.report import ECHO, POSTGRES, SQLITE, Results
from bench.updates import Measured

MET, MISSED = "met", "**missed**"
NOT_MEASURED = "not measured"
SQLITE_RATE = 1500
COST_RATIO = 3.0
RATE_FOR_P99, P99_MS = 500, 50.0
WEBHOOK_RATE, WEBHOOK_P99_MS = 500, 100.0
EXPORTS = {"csv": (10.0, 150.0), "xlsx": (90.0, 200.0)}
"""Seconds and peak MB allowed for 1,000,000 answers."""
FULL_SIZE = 1_000_000


def check(results: Results) -> list[tuple[str, str, str]]:
    """(aim, what was measured, met / missed / not measured) rows."""
    found = results.contenders
    durable = [found[key] for key in (SQLITE, POSTGRES) if key in found]
    rows = [_rate(found.get(SQLITE))]
    rows += [_cost(bot, found.get(ECHO)) for bot in durable] or [_cost(None, None)]
    rows += [_latency(bot) for bot in durable] or [_latency(None)]
    rows.append(_webhook(results))
    rows += [_export(results, fmt) for fmt in EXPORTS]
    rows.append(_replicas(results))
    return rows


def _replicas(results: Results) -> tuple[str, str, str]:
    """Measured, not judged: the issue asks for the figures and what they predict."""
    aim = "two replicas on PostgreSQL measured against one (CPU per update; more cores)"
    if len(results.replicas) < 2:
        return aim, "-", NOT_MEASURED
    one, two = results.replicas[0], results.replicas[1]
    cores = PREDICTED_CORES[0]
    shown = (
        f"1 replica {one.per_second:,.0f}/s, 2 replicas {two.per_second:,.0f}/s on this machine; "
        f"{two.total_ms_per_update:.2f} ms CPU per update in all "
        f"({two.server_ms_per_update:.2f} of it PostgreSQL's): about "
        f"{two.predicted(cores):,.0f}/s on {cores} cores"
    )
    return aim, shown, "measured"


def _rate(bot: Measured | None) -> tuple[str, str, str]:
    aim = f"SQLite ≥ {SQLITE_RATE:,} updates/s"
    if bot is None:
        return aim, "-", NOT_MEASURED
    rate = bot.saturation.per_second
    return aim, f"{rate:,.0f}/s", _met(rate >= SQLITE_RATE)


def _cost(bot: Measured | None, echo: Measured | None) -> tuple[str, str, str]:
    """Judged on total CPU per update (server and flush included) and on wall time per update
    at saturation: both must be within the ratio."""
    aim = f"cost per update ≤ {COST_RATIO:.0f}x the echo floor (CPU and wall time){_on(bot)}"
    if bot is None or echo is None or not echo.total_ms_per_update:
        return aim, "-", NOT_MEASURED
    cpu = bot.total_ms_per_update / echo.total_ms_per_update
    wall = echo.saturation.per_second / bot.saturation.per_second
    shown = f"{cpu:.1f}x CPU, {wall:.1f}x wall"
    return aim, shown, _met(cpu <= COST_RATIO and wall <= COST_RATIO)


def _latency(bot: Measured | None) -> tuple[str, str, str]:
    aim = f"p99 < {P99_MS:.0f} ms at {RATE_FOR_P99} updates/s offered{_on(bot)}"
    if bot is None or RATE_FOR_P99 not in bot.loads:
        return aim, "-", NOT_MEASURED
    p99 = bot.loads[RATE_FOR_P99].percentile(0.99)
    return aim, _ms(p99), _met(p99 < P99_MS)


def _on(bot: Measured | None) -> str:
    """ ", on SQLite" for this bot's SQLite row: the aims hold for each database."""
    return f", on {bot.name.removeprefix('this bot, ')}" if bot is not None else ""


def _webhook(results: Results) -> tuple[str, str, str]:
    aim = f"webhook ≥ {WEBHOOK_RATE} updates/s with p99 < {WEBHOOK_P99_MS:.0f} ms"
    hook = results.webhook
    if hook is None:
        return aim, "-", NOT_MEASURED
    shown = f"{hook.per_second:,.0f}/s, p99 {_ms(hook.p99_ms)}"
    return aim, shown, _met(hook.per_second >= WEBHOOK_RATE and hook.p99_ms < WEBHOOK_P99_MS)


def _export(results: Results, fmt: str) -> tuple[str, str, str]:
    seconds, peak = EXPORTS[fmt]
    aim = f"{fmt.upper()} export of {FULL_SIZE:,} answers ≤ {seconds:.0f} s and ≤ {peak:.0f} MB"
    export = next((e for e in results.exports if e.fmt == fmt), None)
    if export is None:
        return aim, "-", NOT_MEASURED
    shown = f"{export.seconds:.1f} s, {export.peak_mb:.0f} MB for {export.answers:,} answers"
    if export.answers < FULL_SIZE:
        return aim, shown, f"{NOT_MEASURED} at full size (--quick)"
    return aim, shown, _met(export.ok and export.seconds <= seconds and export.peak_mb <= peak)


def _ms(value: float) -> str:
    return "∞ (fell behind)" if math.isinf(value) else f"{value:,.0f} ms"


def _met(met: bool) -> str:
    return MET if met else MISSED
