from datetime import datetime, timedelta, timezone

import pytest

from reports.cells import iso_utc, safe_text


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_could_run_gets_a_leading_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Yes", "café 😀", "1+1=2", " =not at the start", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert safe_text(text) == text


def test_times_are_written_in_utc_with_their_offset():
    london_summer = timezone(timedelta(hours=1))
    assert iso_utc(datetime(2025, 6, 1, 10, 0, 5, 123, tzinfo=london_summer)) == (
        "2025-06-01T09:00:05+00:00"
    )


def test_a_naive_time_is_taken_to_be_utc():
    assert iso_utc(datetime(2025, 6, 1, 10, 0)) == "2025-06-01T10:00:00+00:00"
