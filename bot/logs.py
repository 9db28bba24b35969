"""How `consultbot run` writes its log: plain lines for people, or JSON lines for collectors.

`--log-format json` writes one JSON object per line (time, level, logger, message, and the
error's traceback when there is one), which Loki, CloudWatch, journald's JSON export and the
like read without parsing rules. Neither format adds anything the log call did not say: the bot
logs no message text, token or Telegram id at INFO level, and the HTTP client's own INFO lines,
which carry the token in their URLs, are turned off.
"""

import json
import logging
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler")
"""Libraries whose INFO lines are noise or unsafe (httpx logs each URL, token included)."""


class LogFormat(StrEnum):
    """The choices of --log-format."""

    TEXT = "text"
    JSON = "json"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(style: LogFormat, stream: TextIO = sys.stderr) -> None:
    """Send INFO and above, and Python's warnings, to `stream` in the chosen format, replacing
    any earlier set-up."""
    handler = logging.StreamHandler(stream)
    if style is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # library warnings too, in the same format
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
