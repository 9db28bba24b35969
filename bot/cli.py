"""The `consultbot` command: run the bot, try or check a consultation, export, maintain data."""

import argparse
import asyncio
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import system_clock
from bot.config import TOKEN_VARIABLE, Settings, load_settings
from bot.logs import LogFormat
from bot.startup import database_name, explain, redact
from conversations.errors import ConsultbotError
from conversations.loader import load_consultation
from conversations.template import WEEKS_OPEN, write_template
from reports.write import ExportFormat

# Each command imports what only it needs inside its handler: `consultbot export` of a million
# answers then starts without python-telegram-bot, the bot's handlers or the evidence templates.

NO_TOKEN = f"""No Telegram bot token is set, so here is a preview in this terminal instead.
To run the real bot, get a token from @BotFather and set {TOKEN_VARIABLE} (or [telegram] token).
"""
NO_TOKEN_NO_TERMINAL = (
    f"no Telegram bot token is set, so the bot cannot run.\n"
    f"Fix: get a token from @BotFather and set {TOKEN_VARIABLE} (or [telegram] token); "
    "`consultbot try` previews the consultation without one"
)


CONSULTATION_FILE = "a consultation file (default: the config's, else the shipped example)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; broken files and settings end with a message, not a traceback."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    settings = Settings()
    try:
        settings = load_settings(arguments.config)
        return int(arguments.handler(arguments, settings) or 0)
    except ConsultbotError as error:
        print(f"consultbot: {redact(str(error), settings)}", file=sys.stderr)
        return getattr(error, "exit_code", 2)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except Exception as error:
        message = explain(error, settings)
        if message is None:  # a bug: the whole traceback helps, but never with a secret in it
            print(redact(traceback.format_exc(), settings), end="", file=sys.stderr)
            return 1
        print(f"consultbot: {redact(message, settings)}", file=sys.stderr)
        return 1


def _consultation_file(arguments: argparse.Namespace, settings: Settings) -> Path:
    """The consultation file named on the command line, else the config's."""
    return getattr(arguments, "file", None) or settings.consultation_file


def _try(arguments: argparse.Namespace, settings: Settings) -> int:
    from conversations.terminal import run_preview

    consultation = load_consultation(_consultation_file(arguments, settings))
    if arguments.audience and not consultation.audience(arguments.audience):
        keys = ", ".join(audience.key for audience in consultation.audiences)
        print(f"consultbot: no audience {arguments.audience!r}; use one of {keys}", file=sys.stderr)
        return 2
    run_preview(
        consultation, sys.stdin, print, lambda: datetime.now(UTC), audience=arguments.audience
    )
    return 0


def _run(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.logs import configure_logging
    from bot.run import run_bot
    from bot.startup import require_shared_secrets

    if not settings.token:
        if not sys.stdin.isatty():  # a service manager: exiting 0 would say all is well
            print(f"consultbot: {NO_TOKEN_NO_TERMINAL}", file=sys.stderr)
            return 2
        print(NO_TOKEN, file=sys.stderr)
        return _try(arguments, settings)
    require_shared_secrets(settings)
    configure_logging(LogFormat(arguments.log_format))
    asyncio.run(run_bot(settings))
    return 0


def _check(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.maintenance import database_exists, set_aside_report, with_database
    from bot.settings_summary import describe_settings
    from bot.startup import require_shared_secrets
    from conversations.reading_level import reading_report
    from conversations.summary import describe
    from conversations.translation_report import translation_report

    file = _consultation_file(arguments, settings)
    consultation = load_consultation(file)
    print(f"{file}: OK")
    print(describe(consultation, datetime.now(UTC)))
    if warning := settings.safeguarding_warning():
        print(f"\n{warning}\n")
    print("\n".join(describe_settings(settings)))
    if database_exists(settings.database_url):  # check makes no database of its own
        print(asyncio.run(with_database(settings, set_aside_report(consultation.id))))
    if settings.token:
        require_shared_secrets(settings)  # what `run` would refuse, found before a deployment
    lines, untranslated = translation_report(consultation)
    print("\n".join(lines))
    lines, too_hard = reading_report(consultation, consultation.reading_aims)
    print("\n".join(lines))
    if untranslated:
        print(
            "consultbot: some translations are missing or out of date (see above)", file=sys.stderr
        )
    if too_hard:
        print("consultbot: some text is harder to read than the file aims for", file=sys.stderr)
    return 1 if untranslated or too_hard else 0


def _safeguarding(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.safeguarding_record import list_alerts_for_the_record

    print(asyncio.run(list_alerts_for_the_record(settings, system_clock)))
    return 0


def _new(arguments: argparse.Namespace, settings: Settings) -> int:
    write_template(arguments.file, datetime.now(UTC).date())
    print(
        f"Wrote {arguments.file}: open from today for {WEEKS_OPEN} weeks. Change every line "
        f"that says CHANGE, then\n  consultbot check {arguments.file}\n"
        f"  consultbot try {arguments.file}"
    )
    return 0


def _stamp(arguments: argparse.Namespace, settings: Settings) -> int:
    from conversations.stamps import stamp_language

    consultation = load_consultation(settings.consultation_file)
    if arguments.language not in consultation.languages[1:]:
        print(f"consultbot: {arguments.language!r} is not one of the file's other languages")
        return 2
    written = stamp_language(consultation, arguments.language)
    for path, count in written.items():
        print(f"{path}: {count} translations marked as matching the English")
    if not written:
        print("Nothing to mark: every translation already matches the English.")
    return 0


def _export(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.maintenance import export_to_file

    fmt, output = ExportFormat(arguments.format), arguments.output
    if fmt is ExportFormat.JSON and output.suffix.lower() != fmt.suffix:
        raise ConsultbotError(
            f"{output}: --format json writes JSON Lines (one JSON object per line, not one "
            f"JSON document), which go in a {fmt.suffix} file. "
            f"Fix: --output {output.with_suffix(fmt.suffix)}"
        )
    summary = asyncio.run(
        export_to_file(
            settings,
            fmt,
            output,
            since=arguments.since,
            finished_only=arguments.finished_only,
            clock=system_clock,
            with_profile=arguments.with_profile,
        )
    )
    if not summary.respondents and summary.path.stat().st_size == 0:
        summary.path.unlink()  # an empty file would look like a failed export
        print(f"Nobody's answers to export yet, so {summary.path} was not written.")
        return 0
    print(f"{summary.path}: {summary.respondents:,} people, {summary.answers:,} answers")
    return 0


def _evidence(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.evidence_command import evidence_to_folder

    summary = asyncio.run(evidence_to_folder(settings, arguments.output, system_clock))
    index = summary.folder / "index.html"
    print(f"{index}: {summary.respondents:,} people, {summary.answers:,} answers")
    return 0


def _link(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.links import bot_username, deep_link, link_payload, write_qr_code

    consultation = load_consultation(settings.consultation_file)
    payload = link_payload(consultation, source=arguments.source, audience=arguments.audience)
    link = deep_link(bot_username(arguments.username or settings.bot_username), payload)
    if arguments.qr is not None:
        write_qr_code(link, arguments.qr)
    print(link)
    if arguments.qr is not None:
        print(f"QR code: {arguments.qr}")
    return 0


def _database(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.maintenance import with_database

    asyncio.run(with_database(settings, _nothing))
    print(f"The database is up to date: {database_name(settings.database_url)}")
    return 0


async def _nothing(_sessions: object) -> None:
    """Opening the database upgrades it; there is nothing else to do."""


def _backup(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import POSTGRES_ADVICE, backup_sqlite
    from bot.startup import StartupFailure, is_sqlite

    url = settings.database_url
    name = database_name(url)
    print(f"Database: {name}", file=sys.stderr)
    if not is_sqlite(url):
        raise StartupFailure(POSTGRES_ADVICE, exit_code=2)
    size = backup_sqlite(Path(name), arguments.path)
    print(
        f"{arguments.path}: a consistent copy of {name} ({size:,} bytes), integrity checked.\n"
        f"To restore it: stop the bot, move {name} and any {name}-wal and {name}-shm away, "
        "copy the backup to its place, and start the bot."
    )
    return 0


def _purge(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.maintenance import purge

    counts = asyncio.run(purge(settings, system_clock))
    print(
        f"Chat ids deleted: {counts.chat_ids_cleared:,}. "
        f"Respondents deleted: {counts.respondents_deleted:,}."
    )
    return 0


def _date(text: str) -> datetime:
    """A --since date: YYYY-MM-DD or a full ISO 8601 time (read in the consultation's time zone
    unless it says otherwise, once the consultation file is loaded)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-09-01") from None
    return moment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consultbot", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(
        name: str, handler: object, help_text: str, group: Any = commands
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--config", type=Path, help="the config file (see config.example.toml)")
        sub.set_defaults(handler=handler)
        return sub

    running = command("run", _run, "Run the bot (a terminal preview if no token is set).")
    running.add_argument("--as", dest="audience", help="with no token: preview as this audience")
    running.add_argument(
        "--log-format",
        choices=[style.value for style in LogFormat],
        default=LogFormat.TEXT.value,
        help="text lines (default) or json: one JSON object per line, for a log collector",
    )
    preview = command("try", _try, "Try the consultation in this terminal (nothing is saved).")
    preview.add_argument("file", nargs="?", type=Path, metavar="FILE", help=CONSULTATION_FILE)
    preview.add_argument("--as", dest="audience", help="answer as this audience, e.g. parent_carer")
    checking = command(
        "check", _check, "Check the config and consultation files and summarise them."
    )
    checking.add_argument("file", nargs="?", type=Path, metavar="FILE", help=CONSULTATION_FILE)
    new = command("new", _new, "Write a commented consultation file to start from.")
    new.add_argument("file", type=Path, metavar="FILE", help="the file to write, e.g. ours.toml")
    stamping = command(
        "stamp", _stamp, "Mark a language's translations as matching the current English."
    )
    stamping.add_argument("--language", required=True, help="the language code, e.g. pl")
    exporting = command("export", _export, "Export the responses to a file for a spreadsheet.")
    exporting.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        default="xlsx",
        help="xlsx (the default) for a spreadsheet, csv, or json for JSON Lines (a .jsonl file)",
    )
    exporting.add_argument("--output", type=Path, required=True, help="the file to write")
    exporting.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help=(
            "only answers given since this date: YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
            "in the consultation's time zone (as /export reads it in the chat)"
        ),
    )
    exporting.add_argument("--finished-only", action="store_true", help="only people who finished")
    exporting.add_argument(
        "--with-profile",
        action="store_true",
        help="also the answers about who people are (age, where they live...)",
    )
    evidence = command("evidence", _evidence, "Write the fair-consultation record to a folder.")
    evidence.add_argument("--output", type=Path, required=True, help="a new or empty folder")
    linking = command("link", _link, "Print a link (and a QR code) that opens the bot.")
    linking.add_argument("--source", help="where the link is shown, e.g. library_poster")
    linking.add_argument("--audience", help="who it is for, e.g. parent_carer: skips who are you")
    linking.add_argument("--qr", type=Path, help="also write the link as a QR code PNG here")
    linking.add_argument("--username", help="the bot's username (default: [telegram] username)")
    database = commands.add_parser(
        "db", help="Look after the database.", description=("Look after the database.")
    )
    actions = database.add_subparsers(required=True, metavar="ACTION")
    command(
        "upgrade",
        _database,
        "Bring the database up to date (every command does this on start anyway).",
        actions,
    )
    backing_up = command(
        "backup", _backup, "Copy the SQLite database safely, even while the bot runs."
    )
    backing_up.add_argument("path", type=Path, metavar="PATH", help="the copy to write")
    command("safeguarding", _safeguarding, "List the safeguarding alerts and what staff did.")
    command("purge", _purge, "Delete chat ids (and responses, if configured) after retention.")
    return parser
