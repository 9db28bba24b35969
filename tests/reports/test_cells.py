from datetime import datetime, timedelta

import pytest

from reports.cells import ExcelTimes, iso_utc, safe_text


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_could_run_gets_a_leading_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Yes", "café 😀", "1+1=2", " =not at the start", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert safe_text(text) == text


def test_a_missing_value_stays_missing():
    assert safe_text(None) is None


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("2025-06-01 09:00:05.000123", "2025-06-01T09:00:05+00:00"),
        ("2025-06-01 09:00:05.999999", "2025-06-01T09:00:05+00:00"),  # cut, never rounded up
        ("1999-12-31 23:59:59.000000", "1999-12-31T23:59:59+00:00"),
        ("2025-06-01 09:00:05", "2025-06-01T09:00:05+00:00"),  # no fraction stored
    ],
)
def test_stored_utc_times_are_written_to_the_second_with_their_offset(stored, written):
    assert iso_utc(stored) == written


@pytest.mark.parametrize(
    ("stored", "moment"),
    [
        ("2025-06-01 09:00:05.000123", datetime(2025, 6, 1, 9, 0, 5, 123)),
        ("2025-06-01 23:59:59.999999", datetime(2025, 6, 1, 23, 59, 59, 999999)),
        ("1900-03-01 00:00:00.000000", datetime(1900, 3, 1)),
        ("2022-09-01 12:00:00.5", datetime(2022, 9, 1, 12, 0, 0, 500000)),
        ("2022-09-01 12:00:00", datetime(2022, 9, 1, 12)),
    ],
)
def test_spreadsheet_dates_hold_excels_number_for_the_moment(stored, moment):
    """Excel counts days from 1899-12-30 (so 1900-03-01 is day 61), the time a fraction of one."""
    days = (moment - datetime(1899, 12, 30)) / timedelta(days=1)
    excel_time = ExcelTimes()
    assert excel_time(stored) == pytest.approx(days, rel=0, abs=1e-11)  # within a microsecond
    assert excel_time(stored) == excel_time(stored)  # the day, now remembered, gives the same
