"""The issue's aims, checked against a run's figures (the shipped bot; prototypes for context)."""

import math

from bench.report import ECHO, SQLITE, STOCK, Results

PROTOTYPE = "sqlite-inline"


def check(results: Results) -> list[tuple[str, str, str]]:
    """(aim, what was measured, met?) rows."""
    rows: list[tuple[str, str, str]] = []
    found = results.contenders
    bot, echo, stock = found.get(SQLITE), found.get(ECHO), found.get(STOCK)
    best = found.get(PROTOTYPE)
    aside = " (best prototype: {})" if best else ""
    if bot:
        rate = bot.saturation.per_second
        extra = aside.format(f"{best.saturation.per_second:,.0f}/s") if best else ""
        rows.append(("SQLite ≥ 1,500 updates/s", f"{rate:,.0f}/s{extra}", _yes(rate >= 1500)))
    if bot and echo:
        ratio = echo.saturation.per_second / bot.saturation.per_second
        extra = (
            aside.format(f"{echo.saturation.per_second / best.saturation.per_second:.1f}x")
            if best
            else ""
        )
        rows.append(("cost per update within 3x the echo floor", f"{ratio:.1f}x{extra}",
                     _yes(ratio <= 3)))  # fmt: skip
    if bot and 500 in bot.loads:
        p99 = bot.loads[500].percentile(0.99)
        extra = (
            aside.format(_ms(best.loads[500].percentile(0.99)))
            if best and 500 in best.loads
            else ""
        )
        rows.append(("p99 < 50 ms at 500 updates/s", f"{_ms(p99)}{extra}", _yes(p99 < 50)))
    if bot and stock:
        ours, theirs = bot.saturation.per_second, stock.saturation.per_second
        rows.append(("at least as fast as ConversationHandler + PicklePersistence",
                     f"{ours:,.0f}/s vs {theirs:,.0f}/s", _yes(ours >= theirs)))  # fmt: skip
    for export in results.exports:
        seconds, peak = {"csv": (15, 150), "xlsx": (120, 200)}[export.fmt]
        scale = f" for {export.answers:,} answers"
        rows.append(
            (
                f"{export.fmt.upper()} export of 1,000,000 answers < {seconds} s, < {peak} MB",
                f"{export.seconds:.1f} s, {export.peak_mb:.0f} MB{scale}",
                _yes(export.ok and export.seconds < seconds and export.peak_mb < peak)
                if export.answers >= 1_000_000
                else "not measured at full size (--quick)",
            )
        )
    return rows


def _ms(value: float) -> str:
    return "∞ (fell behind)" if math.isinf(value) else f"{value:,.0f} ms"


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"
