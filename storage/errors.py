"""Errors that storage raises on purpose, all under the project's root exception."""

from conversations.errors import ConsultbotError


class StorageError(ConsultbotError):
    """Something the storage layer refuses to do, with the reason."""


class StaleProgress(StorageError):
    """The respondent's progress changed since it was loaded: reload, step again, retry.

    Raised by `save_progress` when the stored version is not the one the caller read. The caller
    should roll back its whole unit of work (including the update it claimed) and handle the
    update again from a fresh load.
    """

    def __init__(self, respondent_id: int, expected_version: int) -> None:
        self.respondent_id = respondent_id
        self.expected_version = expected_version
        super().__init__(
            f"progress of respondent {respondent_id} is no longer at version {expected_version}"
        )


class RespondentNotFound(StorageError):
    """No respondent has this id (never created, or erased)."""

    def __init__(self, respondent_id: int) -> None:
        self.respondent_id = respondent_id
        super().__init__(f"no respondent with id {respondent_id}")
