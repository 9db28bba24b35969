"""Exports stay in constant memory however many answers there are.

The answers are generated on the fly and never held together, so the peak that tracemalloc
sees (all threads, the writing thread included) is the export's own working set. Holding them
would pass the limit: the 200,000 CSV rows take 58 MiB as Python objects, and the 60,000
answers' XLSX took 93 MiB with XlsxWriter's constant-memory mode turned off. XLSX gets fewer
answers because tracing slows XlsxWriter's per-cell work most: on a quiet 2-core machine
200,000 took 69 s traced (8 s for CSV). Peaks measured: about 5 MiB for both.
"""

import tracemalloc

import pytest

from reports.write import ExportFormat, write_export

from .factories import LAYOUT, generated_rows

PEAK_LIMIT = 30 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "answers"), [(ExportFormat.CSV, 200_000), (ExportFormat.XLSX, 60_000)]
)
async def test_many_answers_export_in_bounded_memory(fmt, answers, tmp_path):
    path = tmp_path / f"all{fmt.suffix}"
    tracemalloc.start()
    try:
        summary = await write_export(generated_rows(answers), LAYOUT, fmt, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (summary.respondents, summary.answers) == (-(-answers // 6), answers)
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB"
