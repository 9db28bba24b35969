"""What the numbers were measured on: CPU, cores, memory, load, Python and package versions."""

import os
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "python-telegram-bot",
    "SQLAlchemy",
    "aiosqlite",
    "asyncpg",
    "aiohttp",
    "alembic",
    "xlsxwriter",
)


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    info = Path("/proc/cpuinfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gb() -> float:
    """Total memory in GB from /proc/meminfo."""
    info = Path("/proc/meminfo")
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine skews the figures)."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def describe(postgres_version: str | None) -> list[tuple[str, str]]:
    """(what, value) rows for the report."""
    rows = [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
        ("Memory", f"{memory_gb():.1f} GB"),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("SQLite library", sqlite3.sqlite_version),
        ("PostgreSQL server", postgres_version or "not reachable"),
    ]
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (missing)")
    rows.append(("Packages", ", ".join(versions)))
    return rows
