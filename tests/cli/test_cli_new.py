"""`consultbot new FILE` writes a template that checks and runs; try and check take a file."""

from datetime import UTC, datetime, timedelta

from bot.cli import main
from conversations.loader import load_consultation
from conversations.window import Phase, Window


def test_new_writes_a_commented_template_open_from_today_that_check_passes(capsys, tmp_path):
    file = tmp_path / "Our Plan 2027.toml"

    assert main(["new", str(file)]) == 0
    assert main(["check", str(file)]) == 0

    out = capsys.readouterr().out
    assert out.startswith(f"Wrote {file}: open from today for 6 weeks.")
    assert f"{file}: OK" in out
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# A new consultation, written by `consultbot new`.")
    assert f"#   consultbot check {file}" in text
    consultation = load_consultation(file)
    assert consultation.id == "our-plan-2027"
    today = datetime.now(UTC).date()
    assert consultation.opens_at is not None
    assert consultation.opens_at.astimezone(consultation.timezone).date() == today
    closes = consultation.closes_at.astimezone(consultation.timezone).date()
    assert closes == today + timedelta(weeks=6)
    later_today = datetime.now(UTC).replace(hour=23, minute=0)
    assert Window(consultation.opens_at, consultation.closes_at).phase(later_today) is Phase.OPEN


def test_the_templates_questions_about_who_is_answering_work_once_uncommented(capsys, tmp_path):
    file = tmp_path / "ours.toml"
    assert main(["new", str(file)]) == 0
    text = file.read_text(encoding="utf-8")
    start = text.index("# [profile]")
    end = text.index("\n\n", start)
    file.write_text(
        text[:start] + text[start:end].replace("# ", "").replace("#\n", "\n") + text[end:],
        encoding="utf-8",
    )

    consultation = load_consultation(file)

    assert consultation.profile is not None
    (lives_in,) = consultation.profile.questions
    assert [choice.key for choice in lives_in.choices] == ["north", "south", "outside"]


def test_new_never_overwrites_a_file(capsys, tmp_path):
    file = tmp_path / "ours.toml"
    file.write_text("somebody's work")

    assert main(["new", str(file)]) == 2

    assert capsys.readouterr().err == (
        f"consultbot: {file}: the file already exists. Fix: give a new file name, or move it "
        "away first\n"
    )
    assert file.read_text() == "somebody's work"


def test_try_takes_a_consultation_file_directly(capsys, monkeypatch, tmp_path):
    file = tmp_path / "ours.toml"
    main(["new", str(file)])
    monkeypatch.setattr("sys.stdin", iter(["1", "3", "2"]))  # yes; I work with children; no
    capsys.readouterr()

    assert main(["try", str(file)]) == 0

    out = capsys.readouterr().out
    assert "PREVIEW of 'Our plan for ...'" in out
    assert "  Your answer: I work with children\n" in out
    assert "[1] CHANGE: the area's name" in out
