"""The pseudonym secret: from config or the environment, else kept in a local file.

Losing the secret makes every returning respondent a stranger (their pseudonym changes), so a
generated one is written once, readable only by its owner, and reused from then on.
"""

import logging
import secrets
from pathlib import Path

from bot.config import SECRET_VARIABLE, Settings

log = logging.getLogger(__name__)
SECRET_FILE = "consultbot.secret"


def pseudonym_secret(settings: Settings) -> bytes:
    """The configured secret, or the one in consultbot.secret (created on first use)."""
    if settings.pseudonym_secret:
        return settings.pseudonym_secret.encode()
    folder = settings.source.parent if settings.source else Path.cwd()
    path = folder / SECRET_FILE
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
        log.warning(
            "no pseudonym secret was configured: made one in %s. Back it up and keep it "
            "private, or set [privacy] pseudonym_secret or %s instead.",
            path,
            SECRET_VARIABLE,
        )
    return path.read_text().strip().encode()
