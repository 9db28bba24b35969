"""What `consultbot check` says about the settings: config, token, staff, storage, webhook."""

from bot.config import Settings
from bot.secrets import SECRET_FILE
from bot.startup import database_name, is_sqlite, sqlite_file_missing
from bot.webhook import WEBHOOK_PATH


def describe_settings(settings: Settings) -> list[str]:
    """One line per setting a deployment gets wrong, no secret shown."""
    config = str(settings.source) if settings.source else "none: defaults (give one with --config)"
    token = "set" if settings.token else "not set: `consultbot run` can only preview"
    if settings.admin_ids:
        admins = ", ".join(str(user_id) for user_id in sorted(settings.admin_ids))
    else:
        admins = "none: nobody can use /admin. Add their ids to [admins] user_ids"
    return [
        f"Config: {config}",
        f"Token: {token}",
        f"Admins: {admins}",
        f"Storage: {_storage(settings)}",
        f"Pseudonym secret: {_pseudonym_secret(settings)}",
        f"Webhook: {_webhook(settings)}",
    ]


def _storage(settings: Settings) -> str:
    name = database_name(settings.database_url)
    if not is_sqlite(settings.database_url):
        return f"{name} (PostgreSQL)"
    made = " (made at the first start)" if sqlite_file_missing(settings.database_url) else ""
    return f"SQLite file {name}{made}"


def _pseudonym_secret(settings: Settings) -> str:
    if settings.pseudonym_secret:
        return "configured"
    folder = settings.source.parent if settings.source else None
    where = folder / SECRET_FILE if folder else SECRET_FILE
    return f"kept in {where} (made at the first start if missing; back it up)"


def _webhook(settings: Settings) -> str:
    if not settings.webhook_url:
        return "off: the bot polls Telegram"
    secret = "secret set" if settings.webhook_secret else "NO secret set"
    address = f"{settings.webhook_listen}:{settings.webhook_port}"
    return f"{settings.webhook_url.rstrip('/')}{WEBHOOK_PATH}, listening on {address}, {secret}"
