"""When a consultation takes answers: a rule over the clock, checked on every input."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo


class Phase(StrEnum):
    """Where the clock stands against the consultation's dates."""

    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Window:
    """The open and close times; the close is exclusive (closed at exactly `closes_at`)."""

    opens_at: datetime | None
    closes_at: datetime

    def phase(self, now: datetime) -> Phase:
        """Open, not yet open, or closed at this moment (`now` must carry a time zone).

        The instants are compared in UTC: Python compares two datetimes that share a tzinfo by
        their wall-clock times, which is wrong in the hour the clocks go back.
        """
        if now.tzinfo is None:
            raise ValueError("the engine needs an aware datetime for now")
        instant = now.astimezone(UTC)
        if self.opens_at is not None and instant < self.opens_at.astimezone(UTC):
            return Phase.NOT_OPEN
        if instant >= self.closes_at.astimezone(UTC):
            return Phase.CLOSED
        return Phase.OPEN


def in_words(moment: datetime, zone: ZoneInfo, words: Mapping[str, str] | None = None) -> str:
    """A moment as people say it: "Friday 23 September 2022 at 11:59pm".

    `words` are the built-in sentences of the respondent's language (weekdays, months, am_pm
    and moment); without them, English.
    """
    local = moment.astimezone(zone)
    if words is None:
        hour = local.hour % 12 or 12
        suffix = "am" if local.hour < 12 else "pm"
        return f"{local:%A} {local.day} {local:%B %Y} at {hour}:{local:%M}{suffix}"
    am, pm = words["am_pm"].split()
    return words["moment"].format(
        weekday=words["weekdays"].split()[local.weekday()],
        day=local.day,
        month=words["months"].split()[local.month - 1],
        year=local.year,
        hour12=local.hour % 12 or 12,
        hour24=local.hour,
        minute=f"{local:%M}",
        ampm=am if local.hour < 12 else pm,
    )
