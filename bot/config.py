"""The bot's settings, read from a TOML file with environment variables for secrets.

Every key has a default that works on a laptop, so `consultbot try` and the tests need no
file at all. Mistakes are reported with the file, the key and the fix.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from conversations.loader import default_consultation_path
from conversations.tomlreader import TableReader, load_toml

DEFAULT_DATABASE = "consultbot.sqlite3"
TOKEN_VARIABLE = "TELEGRAM_BOT_TOKEN"
SECRET_VARIABLE = "CONSULTBOT_PSEUDONYM_SECRET"
DATABASE_VARIABLE = "CONSULTBOT_DATABASE_URL"
WEBHOOK_SECRET_VARIABLE = "CONSULTBOT_WEBHOOK_SECRET"
QUIET_PATTERN = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its config file and environment."""

    token: str | None = None
    bot_username: str | None = None
    base_url: str | None = None
    messages_per_second: int = 30
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DATABASE}"
    admin_ids: frozenset[int] = frozenset()
    safeguarding_ids: frozenset[int] = frozenset()
    outbox_lease_seconds: int = 30
    consultation_file: Path = field(default_factory=default_consultation_path)
    pseudonym_secret: str | None = None
    retention_days: int = 90
    delete_responses_after_retention: bool = False
    reminder_days_before_close: int = 3
    quiet_hours: tuple[time, time] = (time(20, 0), time(9, 0))
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_secret: str | None = None
    replicas: int = 1
    monitoring_listen: str = "127.0.0.1"
    monitoring_port: int | None = None
    source: Path | None = None

    @property
    def alert_recipients(self) -> frozenset[int]:
        """Who gets safeguarding alerts: the safeguarding staff, or the admins if none are set."""
        return self.safeguarding_ids or self.admin_ids

    def safeguarding_warning(self) -> str | None:
        """What is wrong with who gets safeguarding alerts, in words for the log and `check`."""
        if self.safeguarding_ids:
            return None
        if self.admin_ids:
            return (
                "WARNING: no safeguarding staff are set ([safeguarding] user_ids), "
                "so safeguarding alerts go to the admins."
            )
        return (
            "WARNING: nobody will get safeguarding alerts: set [safeguarding] user_ids "
            "(or [admins] user_ids). Alerts are still recorded: see `consultbot safeguarding`."
        )

    @property
    def send_rate(self) -> float:
        """This process's share of the bot's overall sending limit (messages a second)."""
        return self.messages_per_second / self.replicas


def load_settings(path: Path | None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file (if any) and let the environment override secrets."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if path is not None:
        values = _read_file(path)
    if env.get(TOKEN_VARIABLE):
        values["token"] = env[TOKEN_VARIABLE]
    if env.get(SECRET_VARIABLE):
        values["pseudonym_secret"] = env[SECRET_VARIABLE]
    if env.get(WEBHOOK_SECRET_VARIABLE):
        values["webhook_secret"] = env[WEBHOOK_SECRET_VARIABLE]
    if env.get(DATABASE_VARIABLE):
        values["database_url"] = env[DATABASE_VARIABLE]
    return Settings(**values, source=path)  # type: ignore[arg-type]  # checked by _read_file


def _read_file(path: Path) -> dict[str, object]:
    root = TableReader.root(path, load_toml(path))
    base = path.parent
    # The default database lives beside the config file too, wherever the command is run from.
    values: dict[str, object] = {"database_url": _relative_sqlite(Settings.database_url, base)}
    if telegram := root.table("telegram"):
        values["token"] = telegram.text("token", required=False)
        values["base_url"] = telegram.text("base_url", required=False)
        values["bot_username"] = telegram.text("username", required=False)
        values["messages_per_second"] = telegram.integer(
            "messages_per_second", default=30, minimum=0, maximum=1000
        )
        values["replicas"] = telegram.integer("replicas", default=1, minimum=1, maximum=100)
        telegram.finish()
    if webhook := root.table("webhook"):
        values["webhook_url"] = webhook.text("url", required=False)
        values["webhook_listen"] = webhook.text("listen", required=False)
        values["webhook_port"] = webhook.integer("port", default=8080, minimum=1, maximum=65535)
        values["webhook_secret"] = webhook.text("secret_token", required=False)
        webhook.finish()
    if monitoring := root.table("monitoring"):
        values["monitoring_listen"] = monitoring.text("listen", required=False)
        values["monitoring_port"] = (
            monitoring.integer("port", default=0, minimum=0, maximum=65535) or None
        )
        monitoring.finish()
    if storage := root.table("storage"):
        url = storage.text("url", required=False)
        if url:
            values["database_url"] = _relative_sqlite(url, base)
        storage.finish()
    if admins := root.table("admins"):
        values["admin_ids"] = frozenset(admins.integers("user_ids"))
        admins.finish()
    if safeguarding := root.table("safeguarding"):
        values["safeguarding_ids"] = frozenset(safeguarding.integers("user_ids"))
        safeguarding.finish()
    if outbox := root.table("outbox"):
        values["outbox_lease_seconds"] = outbox.integer(
            "lease_seconds", default=30, minimum=1, maximum=3600
        )
        outbox.finish()
    if consultation := root.table("consultation"):
        file = consultation.text("file", required=False)
        if file:
            values["consultation_file"] = (base / file).resolve()
        consultation.finish()
    if privacy := root.table("privacy"):
        values["pseudonym_secret"] = privacy.text("pseudonym_secret", required=False)
        values["retention_days"] = privacy.integer("retention_days", default=90, maximum=3650)
        values["delete_responses_after_retention"] = privacy.boolean(
            "delete_responses_after_retention", default=False
        )
        privacy.finish()
    if reminders := root.table("reminders"):
        values["reminder_days_before_close"] = reminders.integer(
            "days_before_close", default=3, maximum=60
        )
        quiet = reminders.text("quiet_hours", required=False)
        if quiet:
            values["quiet_hours"] = _quiet_hours(reminders, quiet)
        reminders.finish()
    root.finish()
    root.raise_problems()
    return {key: value for key, value in values.items() if value is not None}


def _relative_sqlite(url: str, base: Path) -> str:
    """A relative SQLite path is taken from the config file's folder, not the shell's."""
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
        return prefix + str((base / url[len(prefix) :]).resolve())
    return url


def _quiet_hours(table: TableReader, text: str) -> tuple[time, time] | None:
    match = QUIET_PATTERN.match(text)
    if match:
        start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
        if start_hour < 24 and end_hour < 24 and start_minute < 60 and end_minute < 60:
            return time(start_hour, start_minute), time(end_hour, end_minute)
    table.problem("quiet_hours", f"{text!r} is not a time range", 'write it like "20:00-09:00"')
    return None
