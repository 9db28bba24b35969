"""One respondent's input as one short unit of work: load, step the engine, store, commit.

This is the seam between the Telegram adapter and everything durable. It knows the Telegram
user id only long enough to turn it into a pseudonym; the id itself is never stored. No
Telegram call happens inside the transaction: the caller sends the replies after commit.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.alerts import AlertDesk
from bot.clock import Clock
from bot.metrics import Metrics
from conversations.engine import step, where_you_are
from conversations.inputs import Input
from conversations.model import Consultation
from conversations.outputs import Signal, Step
from conversations.state import State
from conversations.window import Window
from storage.answers import AnswersOf, record_many_answers
from storage.declines import count_decline
from storage.identity import pseudonym
from storage.models import Respondent
from storage.progress import Loaded, ProgressSave, load_people, save_many_progress
from storage.respondents import (
    RespondentChange,
    erase_respondent,
    find_respondent,
    get_or_create_respondent,
    update_many_respondents,
    update_respondent,
)
from storage.rows import FoundRespondent
from storage.updates import claim_updates
from storage.windows import get_window_override


@dataclass(frozen=True)
class Incoming:
    """An input from one person, with the ids needed to dedupe it and to reply.

    `language` is the language their app is set to (Telegram's `language_code`), if it says.
    """

    user_id: int
    chat_id: int
    event: Input
    update_id: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class Handled:
    """What handling an input produced; `repeat` when the update had been handled before."""

    step: Step
    repeat: bool = False
    fresh: bool = False
    """Nothing was stored about this person before (nor now): they have not started."""


@dataclass(frozen=True)
class Batch:
    """Inputs handled in one transaction: what they needed read before each was stepped (the
    update ids claimed now, the rest handled before; each user's pseudonym; the people already
    stored, by pseudonym), and what they owe the database (answers, respondents' fields,
    progress saves), stored together at the end, one statement for each kind."""

    claimed: set[int]
    aliases: dict[int, str]
    people: dict[str, Loaded]
    answers: list[AnswersOf] = field(default_factory=list)
    changes: list[RespondentChange] = field(default_factory=list)
    saves: list[ProgressSave] = field(default_factory=list)


class ConsultationService:
    """Handles respondents' inputs for one consultation, durably and exactly once."""

    def __init__(
        self,
        consultation: Consultation,
        sessions: async_sessionmaker[AsyncSession],
        secret: bytes,
        clock: Clock,
        *,
        alert_to: frozenset[int] = frozenset(),
        metrics: Metrics | None = None,
    ) -> None:
        self.consultation = consultation
        self.sessions = sessions
        self.secret = secret
        self.clock = clock
        self.alerts = AlertDesk(consultation, alert_to)
        self.outbox_waiting = asyncio.Event()
        """Set after a commit that queued outbox messages, to wake the outbox sender."""
        self.metrics = metrics if metrics is not None else Metrics()

    async def handle(self, incoming: Incoming) -> Handled | None:
        """Handle one input in a transaction of its own, committed before this returns."""
        async with self.sessions() as session, session.begin():
            (handled,) = await self.handle_all(session, [incoming])
        self.count_committed(handled)
        return handled

    async def handle_all(
        self, session: AsyncSession, inputs: Sequence[Incoming]
    ) -> list[Handled | None]:
        """Handle `inputs` (of different people: one person's inputs are never in one batch)
        in the caller's transaction, with the reads and the writes done for all at once: two
        statements before the steps; after them one for the answers, one for the respondents'
        fields and at most two for the progress saves."""
        window = await self.window(session)
        batch = await self.look_up(session, inputs)
        handled = [await self.handle_in(session, each, batch, window) for each in inputs]
        await self.store(session, batch)
        return handled

    async def store(self, session: AsyncSession, batch: Batch) -> None:
        """Write what the batch's steps owe: answers, respondents' fields, then progress (whose
        compare-and-set raises StaleProgress if someone else saved first)."""
        await record_many_answers(session, batch.answers)
        await update_many_respondents(session, batch.changes)
        await save_many_progress(session, saves=batch.saves, now=self.clock())

    def count_committed(self, handled: Handled | None) -> None:
        """Count what a committed unit of work stored (nothing for a repeat)."""
        if handled is None or handled.repeat:
            return
        result = handled.step
        if result.answers:
            self.metrics.answers.inc(len(result.answers))
        if Signal.CONSENTED in result.signals:
            self.metrics.started.inc()
        if Signal.FINISHED in result.signals:
            self.metrics.finished.inc()

    async def look_up(self, session: AsyncSession, inputs: Sequence[Incoming]) -> Batch:
        """Claim the inputs' updates and load the people behind them, in two statements."""
        claimed = await claim_updates(
            session,
            scope=self.consultation.id,
            update_ids=[each.update_id for each in inputs if each.update_id is not None],
            now=self.clock(),
        )
        aliases = {each.user_id: pseudonym(self.secret, each.user_id) for each in inputs}
        people = await load_people(
            session, consultation_id=self.consultation.id, pseudonyms=set(aliases.values())
        )
        return Batch(claimed, aliases, people)

    async def handle_in(
        self, session: AsyncSession, incoming: Incoming, batch: Batch, window: Window
    ) -> Handled | None:
        """Step the engine and store the result in the caller's transaction.

        An update handled before changes nothing; its reply may have been lost in a crash
        between the commit and the send, so the question now waiting is shown again (None when
        nothing is waiting).

        Nothing is written for an input that changes nothing (a /help, a sticker, a message
        after the close), and nobody is stored until they start: that keeps what we hold on
        people to what the consultation needs. `batch` (from `look_up` over the whole batch,
        this input included) holds what was read for it, and takes what it owes the database
        (answers, respondent's fields, progress save), which the caller stores (see `store`);
        `window` is the consultation's dates, read once.
        """
        now = self.clock()
        alias = batch.aliases[incoming.user_id]
        claimed = incoming.update_id is None or incoming.update_id in batch.claimed
        loaded = batch.people.get(alias)
        respondent: FoundRespondent | Respondent | None = None
        saved, version = (None, 0)
        if loaded is not None:
            respondent, saved, version = loaded.respondent, loaded.state, loaded.version
        state = State.from_dict(saved) if saved is not None else None
        if not claimed:
            again = where_you_are(self.consultation, state, incoming.language)
            return Handled(Step(state, again), repeat=True) if again and state else None
        result = step(
            self.consultation,
            state,
            incoming.event,
            now,
            window=window,
            language_hint=incoming.language,
        )
        if result.disclosure is not None:  # recorded even for someone who has not started
            respondent = await self._reachable(session, respondent, incoming, alias, now)
            await self.alerts.raise_alert(
                session, respondent_id=respondent.id, disclosure=result.disclosure, now=now
            )
        if result.signals & {Signal.ERASE, Signal.DECLINED}:
            if Signal.DECLINED in result.signals:
                await count_decline(
                    session,
                    consultation_id=self.consultation.id,
                    audience=state.audience if state else None,
                    source=state.source if state else None,
                )
            if respondent is not None:
                actor = DECLINED_ACTOR if Signal.DECLINED in result.signals else "respondent"
                await erase_respondent(session, respondent_id=respondent.id, now=now, actor=actor)
            return Handled(result)
        if result.state == (state or State()) and not result.answers and not result.signals:
            return Handled(result, fresh=state is None)
        respondent = await self._reachable(session, respondent, incoming, alias, now)
        batch.saves.append(ProgressSave(respondent.id, result.state.to_dict(), version))
        if result.answers:
            batch.answers.append(
                AnswersOf(respondent.id, result.answers, self.consultation.version, now)
            )
        if fields := _changed_fields(state, result, now):
            batch.changes.append(RespondentChange(respondent.id, fields))
        return Handled(result)

    async def _reachable(
        self,
        session: AsyncSession,
        respondent: FoundRespondent | Respondent | None,
        incoming: Incoming,
        alias: str,
        now: datetime,
    ) -> FoundRespondent | Respondent:
        """The respondent, created if new, with the chat they wrote from as where to reach them."""
        if (
            respondent is not None
            and respondent.chat_id == incoming.chat_id
            and respondent.unreachable_at is None
        ):
            return respondent
        return await get_or_create_respondent(
            session,
            consultation_id=self.consultation.id,
            pseudonym=alias,
            chat_id=incoming.chat_id,
            now=now,
        )

    async def window(self, session: AsyncSession) -> Window:
        """The consultation's dates, as changed by staff if they changed them."""
        return await current_window(session, self.consultation)

    async def mark_unreachable(self, user_id: int) -> None:
        """Telegram refused to deliver to this person (they blocked the bot): stop messaging."""
        await self._set_unreachable(user_id, self.clock())

    async def mark_reachable(self, user_id: int) -> None:
        """The person unblocked the bot: reminders and news they asked for reach them again."""
        await self._set_unreachable(user_id, None)

    async def _set_unreachable(self, user_id: int, since: datetime | None) -> None:
        async with self.sessions() as session, session.begin():
            respondent = await find_respondent(
                session,
                consultation_id=self.consultation.id,
                pseudonym=pseudonym(self.secret, user_id),
            )
            if respondent is not None and (respondent.unreachable_at is None) != (since is None):
                await update_respondent(session, respondent_id=respondent.id, unreachable_at=since)


async def current_window(session: AsyncSession, consultation: Consultation) -> Window:
    """The consultation's dates: the file's, unless staff closed, reopened or extended it."""
    override = await get_window_override(session, consultation_id=consultation.id)
    opens_at, closes_at = consultation.opens_at, consultation.closes_at
    if override is not None:
        opens_at = override.opens_at or opens_at
        closes_at = override.closes_at or closes_at
    return Window(opens_at, closes_at)


DECLINED_ACTOR = "respondent saying no"
"""Who the audit log names when saying no removes what a deep link had stored."""

MIRRORED = ("audience", "source", "wants_reminder", "wants_outcome", "language")
"""State fields the respondents table mirrors, for statistics, reminders and announcements."""


def _changed_fields(before: State | None, result: Step, now: datetime) -> dict[str, object]:
    """The respondent's columns that this step changed (usually none)."""
    fields: dict[str, object] = {
        name: getattr(result.state, name)
        for name in MIRRORED
        if before is None or getattr(before, name) != getattr(result.state, name)
    }
    if Signal.CONSENTED in result.signals:
        fields["consent_at"] = now
    if Signal.FINISHED in result.signals:
        fields["finished_at"] = now
    return fields
