"""The clock, injected everywhere so tests can freeze it."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, with its time zone."""
    return datetime.now(UTC)
