"""`consultbot new`: a commented consultation file to start from, open from today for six weeks."""

import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from conversations.errors import ConsultbotError

WEEKS_OPEN = 6
"""How long a new consultation is open for: change closes_at to suit."""


def consultation_template(path: Path, today: date) -> str:
    """The template's text for a file at `path`: its id from the file name, dates from today."""
    text = (resources.files("conversations") / "templates" / "consultation.toml").read_text("utf-8")
    identifier = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-")[:64]
    return (
        text.replace("@OPENS_AT@", f"{today.isoformat()}T09:00")
        .replace("@CLOSES_AT@", f"{(today + timedelta(weeks=WEEKS_OPEN)).isoformat()}T23:59")
        .replace('id = "my-consultation"', f'id = "{identifier or "my-consultation"}"')
        .replace("THIS_FILE", str(path))
    )


def write_template(path: Path, today: date) -> None:
    """Write the template to `path`, which must not exist yet (nobody's work is overwritten)."""
    if path.exists():
        raise ConsultbotError(
            f"{path}: the file already exists. Fix: give a new file name, or move it away first"
        )
    if not path.parent.is_dir():
        raise ConsultbotError(
            f"{path.parent}: there is no such folder. Fix: create it, or give a file in a folder "
            "that exists"
        )
    path.write_text(consultation_template(path, today), encoding="utf-8")
