"""Exports stay in constant memory however many answers there are.

200,000 answers are generated on the fly and never held together, so the peak that
tracemalloc sees (all threads, the writing thread included) is the export's own working set.
Tracing slows Python down several times: on a quiet 2-core machine these took 8 s
(CSV) and 69 s (XLSX, which spends most of its time inside XlsxWriter, about 10 microseconds
a cell); untraced, 2 s and 20 s. Peaks measured: 4.6 MiB for both.
"""

import tracemalloc

import pytest

from reports.write import ExportFormat, write_export

from .factories import LAYOUT, generated_rows

ANSWERS = 200_000
PEAK_LIMIT = 30 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
async def test_two_hundred_thousand_answers_export_in_bounded_memory(fmt, tmp_path):
    path = tmp_path / f"all{fmt.suffix}"
    tracemalloc.start()
    try:
        summary = await write_export(generated_rows(ANSWERS), LAYOUT, fmt, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (summary.respondents, summary.answers) == (-(-ANSWERS // 6), ANSWERS)
    assert peak < PEAK_LIMIT
