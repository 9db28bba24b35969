"""Exports of the seeded database by the real `consultbot export`, measured from outside.

Each export is its own process run under GNU time (`/usr/bin/time -v`): wall seconds and the
peak resident set size of the `consultbot` process come from the kernel's accounting, so
nothing in the exporter's process is changed by being measured. Without /usr/bin/time the
peak is resource.getrusage(RUSAGE_CHILDREN).ru_maxrss instead (the largest child so far, so
each export then runs after a fresh interpreter: correct only while it is the largest).
"""

import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.seed import ANSWERS_PER_RESPONDENT, FLOW, seeded_database
from reports.write import ExportFormat

GNU_TIME = Path("/usr/bin/time")
CONSULTBOT = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "consultbot"


@dataclass(frozen=True)
class ExportResult:
    """One export: how long, how much memory at most, what it wrote."""

    fmt: str
    answers: int
    seconds: float
    peak_mb: float
    output_mb: float
    measured_by: str
    ok: bool
    message: str


def run_exports(respondents: int, formats: tuple[str, ...], timeout: float) -> list[ExportResult]:
    """Seed (or reuse) the database, then export it in each format."""
    database = seeded_database(respondents)
    with tempfile.TemporaryDirectory(prefix="consultbot-export-") as folder:
        config = Path(folder) / "config.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite+aiosqlite:///{database}"\n'
            f'[consultation]\nfile = "{FLOW}"\n'
            '[privacy]\npseudonym_secret = "benchmark"\n'
        )
        output = Path(folder) / "responses"
        return [
            _export(config, output.with_suffix(ExportFormat(fmt).suffix), fmt, respondents, timeout)
            for fmt in formats
        ]


def _export(config: Path, output: Path, fmt: str, respondents: int, timeout: float) -> ExportResult:
    command = [str(CONSULTBOT), "export", "--config", str(config), "--format", fmt]
    command += ["--output", str(output)]
    gnu = GNU_TIME.exists()
    if gnu:
        command = [str(GNU_TIME), "-v", *command]
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ExportResult(fmt, 0, timeout, 0, 0, "", False, f"stopped after {timeout:.0f} s")
    wall = time.perf_counter() - began
    answers = respondents * ANSWERS_PER_RESPONDENT
    written = _written(done.stdout)
    ok = done.returncode == 0 and written == answers
    message = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    size = output.stat().st_size / 1e6 if output.exists() else 0.0
    output.unlink(missing_ok=True)
    if gnu:
        seconds, peak_kb = _gnu_time(done.stderr)
        return ExportResult(fmt, written, seconds, peak_kb / 1024, size, "GNU time -v", ok, message)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return ExportResult(fmt, written, wall, peak_kb / 1024, size, "getrusage", ok, message)


def _written(stdout: str) -> int:
    """The answer count from the command's last line: 'PATH: 1 people, 10 answers'."""
    match = re.search(r"([\d,]+) answers", stdout)
    return int(match.group(1).replace(",", "")) if match else 0


def _gnu_time(report: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in kB) from `time -v`'s report."""
    elapsed = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", report)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    seconds = 0.0
    if elapsed:
        hours, minutes, rest = elapsed.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(rest)
    return seconds, float(peak.group(1)) if peak else 0.0


def time_available() -> str:
    """How peak memory will be measured on this machine."""
    return "GNU time -v" if GNU_TIME.exists() and shutil.which(str(GNU_TIME)) else "getrusage"
