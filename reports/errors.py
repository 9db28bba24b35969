"""The one error exports raise on purpose, under the project's root exception."""

from conversations.errors import ConsultbotError


class ExportError(ConsultbotError):
    """The rows handed to an export break its contract (for example, not grouped by respondent)."""
