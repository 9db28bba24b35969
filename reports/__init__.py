"""Exports and statistics for staff, streamed from the ordered answer rows in constant memory.

- `write_export(rows, layout, fmt, out_path)`: CSV (long, tidy), XLSX (summary with charts,
  a wide sheet per area, every answer in long form) or JSON Lines (one object per respondent).
- `package_for_upload(path)`: zip, then split, a file too big for Telegram.
- `compute_stats` and `render_stats_text`: the numbers, and short messages that carry them.
- `area_charts`: one PNG bar chart per area.

Everything takes an `ExportLayout` (area and question order, wording and option labels) that
the engine's adapter builds from the consultation; nothing here reads the database.
"""

from reports.chart import AreaChart, area_charts, render_area_chart
from reports.errors import ExportError
from reports.layout import AreaLayout, ExportLayout, QuestionLayout
from reports.packaging import TELEGRAM_UPLOAD_LIMIT, package_for_upload
from reports.stats import ConsultationStats, StatsCollector, compute_stats
from reports.stats_text import render_stats_text
from reports.write import ExportFormat, ExportSummary, write_export

__all__ = [
    "TELEGRAM_UPLOAD_LIMIT",
    "AreaChart",
    "AreaLayout",
    "ConsultationStats",
    "ExportError",
    "ExportFormat",
    "ExportLayout",
    "ExportSummary",
    "QuestionLayout",
    "StatsCollector",
    "area_charts",
    "compute_stats",
    "package_for_upload",
    "render_area_chart",
    "render_stats_text",
    "write_export",
]
