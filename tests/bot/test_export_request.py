"""The words staff may write after /export: the command line's filters, in any order."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.export_request import ExportRequest, parse_export_request
from reports.write import ExportFormat

LONDON = ZoneInfo("Europe/London")
MIDNIGHT = datetime(2022, 9, 1, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("written", "request_"),
    [
        ("", ExportRequest(ExportFormat.XLSX)),
        ("csv", ExportRequest(ExportFormat.CSV)),
        ("JSON", ExportRequest(ExportFormat.JSON)),
        ("finished", ExportRequest(ExportFormat.XLSX, finished_only=True)),
        ("xlsx finished since 2022-09-01", ExportRequest(ExportFormat.XLSX, MIDNIGHT, True)),
        ("since 2022-09-01 finished csv", ExportRequest(ExportFormat.CSV, MIDNIGHT, True)),
        ("--format csv --finished-only", None),
        ("csv --finished-only --since 2022-09-01", ExportRequest(ExportFormat.CSV, MIDNIGHT, True)),
        ("xlsx with-profile", ExportRequest(ExportFormat.XLSX, with_profile=True)),
        (
            "--with-profile finished CSV",
            ExportRequest(ExportFormat.CSV, finished_only=True, with_profile=True),
        ),
        (
            "since 2022-09-01T14:30",
            ExportRequest(ExportFormat.XLSX, datetime(2022, 9, 1, 14, 30, tzinfo=LONDON)),
        ),
        (
            "since 2022-09-01T14:30+00:00",
            ExportRequest(ExportFormat.XLSX, datetime.fromisoformat("2022-09-01T14:30+00:00")),
        ),
    ],
)
def test_accepted_forms_give_the_format_and_filters_they_say(written, request_):
    assert parse_export_request(written.split(), LONDON) == request_


@pytest.mark.parametrize(
    "written",
    [
        "pdf",
        "csv xlsx",
        "finished finished",
        "since",
        "since yesterday",
        "since 2022-02-30",
        "since 01/09/2022",
        "since 2022-09-01 since 2022-09-02",
        "xlsx everything",
        "with-profile with-profile",
        "with profile",
    ],
)
def test_anything_else_is_not_understood(written):
    assert parse_export_request(written.split(), LONDON) is None
