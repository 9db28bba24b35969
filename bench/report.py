"""The table printed at the end and bench/results.md."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.api_calls import ApiOptions, api_rows, calls_summary
from bench.exports import ExportResult
from bench.load import Run
from bench.plan import Plan
from bench.profile import Profiled, profile_rows
from bench.replicas import PREDICTED_CORES, ReplicasRun
from bench.script import STEPS
from bench.updates import Measured
from bench.webhook import WebhookResult

ECHO, STOCK, SQLITE, POSTGRES = "echo", "stock", "sqlite", "postgres"


@dataclass
class Results:
    """Everything one run of `python -m bench` measured."""

    plan: Plan
    machine: list[tuple[str, str]]
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    load_before: str = ""
    load_after: str = ""
    seconds: float = 0.0
    contenders: dict[str, Measured] = field(default_factory=dict)
    webhook: WebhookResult | None = None
    exports: list[ExportResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replicas: list[ReplicasRun] = field(default_factory=list)
    api: ApiOptions | None = None
    profile: Profiled | None = None


def _ms(value: float) -> str:
    if math.isinf(value):
        return "∞"
    if math.isnan(value):
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def latency_cell(run: Run | None, rate: int) -> str:
    """'p50 / p99' in ms; a run that fell behind says how far."""
    if run is None:
        return "-"
    cell = f"{_ms(run.percentile(0.5))} / {_ms(run.percentile(0.99))}"
    if run.unfinished or run.failed:
        cell += f" ({run.unfinished + run.failed:,} of {run.sent:,} not handled)"
    return cell


def update_rows(results: Results) -> tuple[list[str], list[list[str]]]:
    """The update table: one row per contender."""
    rates = sorted({rate for m in results.contenders.values() for rate in m.loads})
    header = ["contender", "updates/s at saturation", "CPU ms/update, bot process"]
    header += ["+ database server / shutdown flush", "total CPU ms/update", "cost vs echo"]
    header += ["cost vs stock", "API calls/update"]
    header += [f"p50 / p99 ms at {rate}/s" for rate in rates]
    echo = results.contenders.get(ECHO)
    stock = results.contenders.get(STOCK)
    rows = []
    for measured in results.contenders.values():
        run = measured.saturation
        row = [
            measured.name,
            f"{run.per_second:,.0f}",
            f"{run.cpu_ms_per_update:.2f}",
            _elsewhere(measured),
            f"{measured.total_ms_per_update:.2f}",
            _ratio(echo, measured),
            _ratio(stock, measured),
            f"{measured.calls_per_update:.2f}",
        ]
        row += [latency_cell(measured.loads.get(rate), rate) for rate in rates]
        rows.append(row)
    return header, rows


def _elsewhere(measured: Measured) -> str:
    """The CPU per update spent outside the bot's process: the database server, or the flush."""
    parts = []
    if measured.saturation.server_cpu_seconds:
        parts.append(f"{measured.saturation.server_ms_per_update:.2f} server")
    if measured.stop_ms_per_update >= 0.005:
        parts.append(f"{measured.stop_ms_per_update:.2f} flush")
    return " + ".join(parts) or "-"


def _ratio(base: Measured | None, measured: Measured) -> str:
    """How many times the base's total CPU per update (at saturation) this one costs."""
    if base is None or not base.total_ms_per_update:
        return "-"
    return f"{measured.total_ms_per_update / base.total_ms_per_update:.1f}x"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned table for the terminal."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(lines)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The same table in Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def webhook_rows(result: WebhookResult | None) -> tuple[list[str], list[list[str]]]:
    """The webhook table."""
    header = [
        "path",
        "updates/s",
        "p50 ms",
        "p99 ms",
        "server CPU ms/update",
        "client CPU ms/update (busy)",
        "answered",
    ]
    if result is None:
        return header, []
    cpu = 1000 * result.server_cpu_seconds / result.ok if result.ok else math.inf
    client = 1000 * result.client_cpu_seconds / result.ok if result.ok else math.inf
    row = [
        f"aiohttp webhook, SQLite, {result.connections} connections",
        f"{result.per_second:,.0f}",
        _ms(result.p50_ms),
        _ms(result.p99_ms),
        f"{cpu:.2f}",
        f"{client:.2f} ({result.client_busy:.0%})",
        f"{result.ok:,} of {result.sent:,} with 200",
    ]
    return header, [row]


def replica_rows(runs: Sequence[ReplicasRun]) -> tuple[list[str], list[list[str]]]:
    """The replicas table: one row per run (one replica, two)."""
    header = ["replicas", "updates/s, all", "each: updates/s, CPU ms/update"]
    header += ["PostgreSQL CPU ms/update", "total CPU ms/update"]
    header += [f"predicted on {cores} cores" for cores in PREDICTED_CORES]
    rows = [
        [
            str(len(run.replicas)),
            f"{run.per_second:,.0f}",
            "; ".join(
                f"{replica.per_second:,.0f}/s, {replica.cpu_ms_per_update:.2f}"
                for replica in run.replicas
            ),
            f"{run.server_ms_per_update:.2f}",
            f"{run.total_ms_per_update:.2f}",
            *[f"{run.predicted(cores):,.0f}/s" for cores in PREDICTED_CORES],
        ]
        for run in runs
    ]
    return header, rows


def export_rows(results: Sequence[ExportResult]) -> tuple[list[str], list[list[str]]]:
    """The export table."""
    header = ["format", "answers", "seconds", "peak MB", "file MB", "measured by", "result"]
    rows = [
        [
            r.fmt.upper(),
            f"{r.answers:,}",
            f"{r.seconds:.1f}",
            f"{r.peak_mb:.0f}",
            f"{r.output_mb:.0f}",
            r.measured_by,
            "ok" if r.ok else r.message,
        ]
        for r in results
    ]
    return header, rows


def terminal(results: Results) -> str:
    """Everything as plain tables."""
    parts = [text_table(*update_rows(results))]
    if results.webhook:
        parts.append(text_table(*webhook_rows(results.webhook)))
    if results.replicas:
        parts.append(text_table(*replica_rows(results.replicas)))
    if results.api:
        parts.append(text_table(*api_rows(results.api)))
    if results.profile:
        parts.append(text_table(*profile_rows(results.profile)))
    if results.exports:
        parts.append(text_table(*export_rows(results.exports)))
    return "\n\n".join(parts)


def markdown(results: Results, aims: Sequence[tuple[str, str, str]]) -> str:
    """bench/results.md."""
    plan = results.plan
    out = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench{' --quick' if plan.name == 'quick' else ''}` on "
        f"{results.started:%Y-%m-%d %H:%M} UTC in {results.seconds / 60:.1f} minutes "
        f"({plan.name} run). See bench/README.md for what each figure means and how it is "
        "measured.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {what} | {value} |" for what, value in results.machine],
        f"| Load average before / after | {results.load_before} ; {results.load_after} |",
        "",
        "## Updates through the python-telegram-bot Application",
        "",
        f"Saturation: {plan.respondents:,} respondents at once, each walking the {STEPS}-update "
        f"journey (bench/script.py: /back, /skip, tick-lists, a redelivered update, a sticker, a "
        f"change at the review) as fast as the bot answers (no new update after "
        f"{plan.saturation_seconds:.0f} s). Offered load: {plan.rate_seconds:.0f} s of arrivals "
        f"at a fixed rate, latency from the scheduled arrival to the update handled; stragglers "
        f"waited for {plan.drain_seconds:.0f} s. Cost ratios are of total CPU per update at "
        "saturation: the bot's process, PostgreSQL's server processes, and the stock pattern's "
        "shutdown flush spread over every update it handled.",
        "",
        markdown_table(*update_rows(results)),
        "",
        *[f"- **{m.name}**: {m.note}. {m.stored}".rstrip() for m in results.contenders.values()],
        "",
    ]
    if results.webhook:
        out += ["## The webhook path", "", markdown_table(*webhook_rows(results.webhook)), ""]
    if results.replicas:
        out += [
            "## Replicas on PostgreSQL",
            "",
            "Each replica is its own process with its own respondents, saturating one "
            f"PostgreSQL database for {plan.replica_seconds:.0f} s; every replica starts at "
            "once. CPU per update of each process and of PostgreSQL's server processes; the "
            "prediction is cores x 1000 / total CPU ms per update: what more cores would carry "
            "with enough replicas while the work stays CPU-bound (no lock or disk limit binding "
            "first).",
            "",
            markdown_table(*replica_rows(results.replicas)),
            "",
        ]
    if results.api:
        out += [
            "## Bot API calls: what each option saves",
            "",
            calls_summary(results.api),
            "CPU per call through the bot's application (rate limiter, counted connection) "
            "against the offline API, in microseconds.",
            "",
            markdown_table(*api_rows(results.api)),
            "",
        ]
    if results.profile:
        out += [
            "## Where the time goes now",
            "",
            f"cProfile of {results.profile.contender} at saturation "
            f"({results.profile.updates:,} updates; `python -m bench.profile` for the functions): "
            "own time per package, so nothing is counted twice (the SQLite writer thread is "
            "profiled too). Waiting, for that thread or the network, shows as select/epoll.",
            "",
            markdown_table(*profile_rows(results.profile)),
            "",
        ]
    if results.exports:
        out += [
            "## Exports (`consultbot export`, its own process)",
            "",
            markdown_table(*export_rows(results.exports)),
            "",
        ]
    out += ["## Aims", "", "| aim | measured | met |", "|---|---|---|"]
    out += [f"| {aim} | {value} | {met} |" for aim, value, met in aims]
    notes = [
        "The machine is shared with other work: compare the load averages above, and rerun "
        "before trusting a difference of 10%.",
        'What the profile shows: "Where the time goes now" above (when the profile part ran); '
        "what to change: bench/README.md (Findings).",
        *results.notes,
    ]
    out += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    return "\n".join(out) + "\n"
