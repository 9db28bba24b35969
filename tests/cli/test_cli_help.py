"""The help a newcomer reads: each sub-command's own, with defaults and formats shown."""

import pytest

from bot.cli import main


def help_of(capsys, *arguments: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*arguments, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width


def test_db_upgrade_help_is_the_upgrades_own(capsys):
    shown = help_of(capsys, "db", "upgrade")

    assert shown.startswith("usage: consultbot db upgrade [-h] [--config CONFIG]")
    assert "Bring the database up to date" in shown


def test_export_help_describes_format_with_its_default_and_the_date_format(capsys):
    shown = help_of(capsys, "export")

    assert "--format {csv,xlsx,json} xlsx (the default) for a spreadsheet, csv, or json for " in (
        shown
    )
    assert "JSON Lines (a .jsonl file)" in shown
    assert "--since DATE only answers given since this date: YYYY-MM-DD or YYYY-MM-DDTHH:MM" in (
        shown
    )
    assert "in the consultation's time zone (as /export reads it in the chat)" in shown


def test_new_backup_and_file_arguments_are_listed(capsys):
    assert "backup" in help_of(capsys)
    assert "[FILE]" in help_of(capsys, "check")
    assert "[FILE]" in help_of(capsys, "try")
    assert "usage: consultbot new [-h] [--config CONFIG] FILE" in help_of(capsys, "new")
