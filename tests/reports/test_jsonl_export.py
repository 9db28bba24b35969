import io
import json

from reports.jsonl_export import JsonlExport

from .factories import fill, sample_rows


def export_by_respondent(rows) -> list[dict]:
    out = io.BytesIO()
    fill(JsonlExport(out), rows)
    return [json.loads(line) for line in out.getvalue().decode().splitlines()]


def test_each_line_is_one_respondent_with_all_their_answers():
    records = export_by_respondent(sample_rows())
    assert [record["respondent"] for record in records] == ["K7Q2", "M4T8", "Z9B1", "A2C5"]
    assert [len(record["answers"]) for record in records] == [6, 4, 3, 2]


def test_a_respondent_record_carries_who_they_are_and_each_answer_in_full():
    second = export_by_respondent(sample_rows())[1]
    assert {key: second[key] for key in ("audience", "source", "finished")} == {
        "audience": "parent_carer",
        "source": "school",
        "finished": True,
    }
    assert second["answers"][2] == {
        "area": "early_help",
        "question": "ideas",
        "question_text": "What would get your child help sooner?",
        "value": None,
        "answer": "Skipped",
        "answered_at": "2025-03-01T09:42:00+00:00",
        "consultation_version": "a1b2c3d4e5f6a7b8",
        "language": None,
    }


def test_text_is_written_as_utf8_not_escaped():
    out = io.BytesIO()
    JsonlExport(out).add([sample_rows()[:3]])
    assert "café 😀".encode() in out.getvalue()
