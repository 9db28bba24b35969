"""The storage API the bot and the commands use, gathered in one place.

Every helper takes an `AsyncSession` (keyword-only arguments after it) and never commits: the
caller opens one unit of work per update or command and commits it::

    async with sessions() as session, session.begin():
        if not await claim_update(session, scope=bot_id, update_id=update.update_id, now=now):
            return  # handled before: a re-delivery
        respondent = await get_or_create_respondent(
            session, consultation_id=cid, pseudonym=pseudonym(secret, user_id),
            chat_id=chat_id, now=now,
        )
        state, version = await load_progress(session, respondent_id=respondent.id)
        step = ...  # the engine
        await save_progress(session, respondent_id=respondent.id, state=...,
                            expected_version=version, now=now)
        await record_answers(session, respondent_id=respondent.id, answers=step.answers,
                             consultation_version=..., now=now)
    # committed: now send the replies

`StaleProgress` from `save_progress` means another unit of work got there first: let the block
roll back (the update claim goes with it) and handle the update again.
"""

from storage.answers import AnswerLike, list_answers, record_answers
from storage.audit import AuditAction, add_audit, recent_audit
from storage.errors import RespondentNotFound, StaleProgress, StorageError
from storage.export_stream import stream_export_batches
from storage.identity import pseudonym
from storage.jobs import claim_job
from storage.progress import load_progress, save_progress
from storage.recipients import (
    respondents_in_progress,
    respondents_to_remind,
    respondents_to_tell_closed,
    respondents_wanting_outcome,
)
from storage.respondents import (
    RespondentFields,
    erase_respondent,
    find_respondent,
    get_or_create_respondent,
    get_respondent,
    update_respondent,
)
from storage.retention import purge_expired
from storage.statistics import answer_counts, progress_positions, respondent_counts
from storage.updates import claim_update, forget_processed_updates
from storage.windows import get_window_override, set_window_override

__all__ = [
    "AnswerLike",
    "AuditAction",
    "RespondentFields",
    "RespondentNotFound",
    "StaleProgress",
    "StorageError",
    "add_audit",
    "answer_counts",
    "claim_job",
    "claim_update",
    "erase_respondent",
    "find_respondent",
    "forget_processed_updates",
    "get_or_create_respondent",
    "get_respondent",
    "get_window_override",
    "list_answers",
    "load_progress",
    "progress_positions",
    "pseudonym",
    "purge_expired",
    "recent_audit",
    "record_answers",
    "respondent_counts",
    "respondents_in_progress",
    "respondents_to_remind",
    "respondents_to_tell_closed",
    "respondents_wanting_outcome",
    "save_progress",
    "set_window_override",
    "stream_export_batches",
    "update_respondent",
]
