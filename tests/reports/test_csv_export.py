import io
from datetime import UTC, datetime

from reports.csv_export import CsvExport

from .factories import HOSTILE, hostile_rows, sample_rows
from .reading import CSV_COLUMNS, csv_cells


def export(rows) -> bytes:
    out = io.BytesIO()
    sink = CsvExport(out)
    sink.add([rows])
    sink.close()
    return out.getvalue()


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    assert export(sample_rows()).startswith(b"\xef\xbb\xbf")


def test_csv_has_the_agreed_columns_in_order():
    assert csv_cells(export(sample_rows()))[0] == CSV_COLUMNS


def test_every_row_matches_its_answer_cell_by_cell():
    rows = sample_rows()
    table = csv_cells(export(rows))[1:]
    assert len(table) == len(rows)
    for cells, row in zip(table, rows, strict=True):
        assert dict(zip(CSV_COLUMNS, cells, strict=True)) == {
            "respondent": row.respondent,
            "audience": row.audience or "",
            "source": row.source or "",
            "area": row.area,
            "question": row.question,
            "question_text": row.question_text,
            "answer": row.answer,
            "answered_at": datetime.fromisoformat(row.answered_at)
            .replace(tzinfo=UTC)
            .isoformat(timespec="seconds"),
            "value": row.value or "",
            "finished": "yes" if row.finished else "no",
            "consultation_version": "a1b2c3d4e5f6a7b8",
            "language": row.language or "",
        }


def test_accents_emoji_commas_and_line_breaks_survive_in_their_cell():
    answers = {cells[6] for cells in csv_cells(export(sample_rows()))}
    assert "Ask me first, at the café 😀" in answers
    assert "Two lines,\nwith a comma" in answers


def test_hostile_answers_come_back_as_quoted_text():
    table = csv_cells(export(hostile_rows()))[1:]
    assert [cells[6] for cells in table] == ["'" + text for text in HOSTILE]
    assert [cells[8] for cells in table] == ["'" + text for text in HOSTILE]


def test_closing_leaves_the_file_open_for_its_owner():
    out = io.BytesIO()
    CsvExport(out).close()
    assert not out.closed
