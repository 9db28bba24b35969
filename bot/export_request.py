"""What staff ask for after /export: a format and the command line's filters, in plain words.

`/export xlsx finished since 2022-09-01` asks for the same file as
`consultbot export --format xlsx --finished-only --since 2022-09-01`, and `with-profile` as
`--with-profile` adds the answers about who people are. The words may come in any order;
`--finished-only`, `--since` and `--with-profile` are understood too, for staff who copy from
the README.
A date without a time zone is read in the consultation's own time zone, as staff say it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from reports.write import ExportFormat

FINISHED = frozenset({"finished", "finished-only"})
SINCE = "since"
WITH_PROFILE = "with-profile"


@dataclass(frozen=True)
class ExportRequest:
    """One /export: the file's format and which answers go in it."""

    fmt: ExportFormat = ExportFormat.XLSX
    since: datetime | None = None
    finished_only: bool = False
    with_profile: bool = False
    """Also the answers about who people are (the profile questions), kept apart otherwise."""


def parse_export_request(words: Sequence[str], zone: ZoneInfo) -> ExportRequest | None:
    """The request these words make, or None if any word is not one of the accepted forms."""
    formats = {fmt.value for fmt in ExportFormat}
    fmt: ExportFormat | None = None
    since: datetime | None = None
    finished_only = with_profile = False
    remaining = [word.lower().lstrip("-") for word in words]
    while remaining:
        word = remaining.pop(0)
        if word in formats and fmt is None:
            fmt = ExportFormat(word)
        elif word in FINISHED and not finished_only:
            finished_only = True
        elif word == WITH_PROFILE and not with_profile:
            with_profile = True
        elif word == SINCE and since is None and remaining:
            since = parse_since(remaining.pop(0), zone)
            if since is None:
                return None
        else:
            return None
    return ExportRequest(fmt or ExportFormat.XLSX, since, finished_only, with_profile)


def parse_since(text: str, zone: ZoneInfo) -> datetime | None:
    """A date like 2022-09-01 (from midnight) or a full ISO 8601 time; local unless it says."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return in_zone(moment, zone)


def in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` as given if it names its time zone, else read as a time in `zone`."""
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
