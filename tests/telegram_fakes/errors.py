"""Errors the fake Bot API answers with, in the exact shape Telegram sends them.

``BotApiError`` is raised by the schema checks and by the stateful core; the transports turn it
into the HTTP status and body Telegram would send (``payload()``), which python-telegram-bot then
turns into ``BadRequest`` (400), ``Forbidden`` (403), ``InvalidToken`` (401/404), ``Conflict``
(409), ``RetryAfter`` (429 with ``parameters.retry_after``) or ``NetworkError`` (others).

The constants are Telegram's own descriptions for the failures tests most often script.  The
descriptions the checks use are Telegram's wherever its wording is known (message is too long,
BUTTON_DATA_INVALID, Text buttons are unallowed..., MESSAGE_TOO_LONG, message is not modified,
chat not found, bot was blocked by the user); for rarer refusals whose exact wording is not
documented they are our best rendering, so tests should match on the exception type and the
gist, not on those strings.
"""

from __future__ import annotations

from typing import Any

NOT_FOUND = "Not Found"
"""Description Telegram sends (with 404) for an unknown method or a malformed token."""
UNAUTHORIZED = "Unauthorized"
"""Description Telegram sends (with 401) for a well-formed token it does not know."""
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
"""403: the respondent blocked the bot (Telegram also sends a my_chat_member update: kicked)."""
USER_DEACTIVATED = "Forbidden: user is deactivated"
"""403: the respondent deleted their account."""
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
"""403: the bot writes to a private chat whose user never started it."""
KICKED_FROM_GROUP = "Forbidden: bot was kicked from the group chat"
"""403: the bot was removed from a group."""
CHAT_NOT_FOUND = "Bad Request: chat not found"
"""400: an unknown chat id or @username."""
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a content and reply markup of the current message"
)
"""400: an edit that changes nothing."""
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
"""400: answerCallbackQuery for a query that is unknown or already answered."""
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
"""409: a second getUpdates replaced a waiting one."""
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
"""409: getUpdates while a webhook is set."""


GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
"""The HTML page Telegram's front proxy (nginx) sends, instead of JSON, when the Bot API server
behind it is down: seen with 502 Bad Gateway and 504 Gateway Time-out."""


class BotApiError(Exception):
    """A call Telegram would refuse: the HTTP status and the error body it would send."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with: ``{"ok": false, "error_code", "description"}``
        plus ``parameters`` (ResponseParameters) when there is a retry_after or a migration."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        parameters: dict[str, int] = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(detail: str) -> BotApiError:
    """A 400 error described the way Telegram does: ``"Bad Request: <detail>"``."""
    return BotApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> BotApiError:
    """A 429 flood-control error with ``parameters.retry_after``, as Telegram sends it."""
    return BotApiError(
        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
    )


BAD_GATEWAY = "Bad Gateway"
"""502: Telegram's side could not answer (also 500 "Internal Server Error")."""


class GatewayPage(Exception):
    """A failure answered by Telegram's front proxy: an HTML page, not the Bot API's JSON."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason} (an HTML page)")
        self.status = status
        self.reason = reason

    def body(self) -> bytes:
        """The page, as the proxy sends it (Content-Type: text/html)."""
        return GATEWAY_PAGE.format(status=self.status, reason=self.reason).encode()


class ConnectionDropped(Exception):
    """No answer at all: the connection was reset or closed before a response (a network
    outage, a proxy restarting). The transports drop the connection; python-telegram-bot's
    request layer then raises ``NetworkError``."""


class NoAnswer(ConnectionDropped):
    """No answer before the bot's read timeout (a scripted time-out). Offline, python-telegram-
    bot raises ``TimedOut`` at once, as when HTTPXRequest's read timeout runs out; the server
    can only drop the connection (the bot sees a ``NetworkError``), like ``ConnectionDropped``."""
