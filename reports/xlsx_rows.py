"""Writing a worksheet one row at a time, top to bottom, as constant-memory workbooks need."""

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet


class RowWriter:
    """Keeps the next row of one sheet; `line` writes across it and moves down."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet
        self._row = 0

    def _line(self, *cells: str | int, style: Format | None = None) -> int:
        """Write cells across the next row (text as text, empty text as nothing); its index."""
        row = self._row
        for column, cell in enumerate(cells):
            if isinstance(cell, str):
                if cell:
                    self._sheet.write_string(row, column, cell, style)
            else:
                self._sheet.write_number(row, column, cell, style)
        self._row += 1
        return row
