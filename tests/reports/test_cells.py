from datetime import datetime

import pytest

from reports.cells import excel_time, iso_utc, safe_text


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


def test_spreadsheet_dates_keep_the_stored_moment_without_a_zone():
    assert excel_time("2025-06-01 09:00:05.000123") == datetime(2025, 6, 1, 9, 0, 5, 123)
