"""A respondent's-eye view of the real bot: real Update objects in, what Telegram shows out.

The real python-telegram-bot Application (every handler, the rate limiter, the update runner)
runs against `OfflineBotApi`, the strict in-memory fake of the Bot API, on a real database.
Tests talk like a person would: start, tap a button by its label, type.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application

from bot.application import build_application, outbox_sender
from bot.config import Settings
from bot.dead_letters import DeadLetterOffice
from bot.flood import FloodGate
from bot.group_commit import GroupCommitService
from bot.jobs import ConsultationJobs
from bot.polling import DurablePoller
from bot.processing import UpdateRunner
from conversations.model import Consultation
from storage.database import session_factory
from tests.telegram_fakes.core import Shown
from tests.telegram_fakes.offline import OfflineBotApi
from tests.telegram_fakes.updates import FakeUser

SECRET = b"test pseudonym secret"
STAFF_ID = 424242
IN_THE_MEDWAY_WINDOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)


@dataclass
class FrozenClock:
    """A clock that stands still until a test moves it."""

    now: datetime = IN_THE_MEDWAY_WINDOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class FrozenMonotonic:
    """The flood gate's clock, standing still: nobody's messages are refilled unless a test
    moves it, so what is let through does not depend on how fast the test machine is."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class BotHarness:
    """The bot under test and the fake Telegram it talks to."""

    api: OfflineBotApi
    application: Application
    runner: UpdateRunner
    service: GroupCommitService
    settings: Settings
    clock: FrozenClock
    engine: AsyncEngine
    gate: FloodGate
    office: DeadLetterOffice
    delivered: list[dict[str, Any]] = field(default_factory=list)

    @property
    def consultation(self) -> Consultation:
        return self.service.consultation

    def person(self, name: str = "Ada", **details: Any) -> FakeUser:
        """A new Telegram user who can write to the bot."""
        user = self.api.updates.user(name, **details)
        self.api.add_chat(user)
        return user

    async def deliver(self, update: dict[str, Any]) -> bool:
        """Hand one update to the bot, as polling or the webhook would; True if it was handled."""
        self.api.observe(update)
        self.delivered.append(update)
        return await self.runner.run(Update.de_json(update, self.application.bot))

    async def start(self, user: FakeUser, payload: str = "") -> None:
        await self.deliver(self.api.updates.command(user, "start", payload))

    async def command(self, user: FakeUser, name: str, args: str = "") -> None:
        await self.deliver(self.api.updates.command(user, name, args))

    async def type(self, user: FakeUser, text: str) -> None:
        await self.deliver(self.api.updates.message(user, text))

    async def tap(self, user: FakeUser, label: str, message: Shown | None = None) -> None:
        """Tap the button with this label on `message` (default: the newest message with it)."""
        message = message or self.message_with(user, label)
        button = message.button(label)
        assert button.callback_data is not None
        await self.deliver(self.api.updates.callback_query(user, message.raw, button.callback_data))

    def message_with(self, user: FakeUser, label: str) -> Shown:
        """The newest message on the respondent's screen that has a button with this label."""
        for shown in reversed(self.api.screen(user.id)):
            if label in shown.labels:
                return shown
        raise LookupError(f"no message shows a {label!r} button")

    def last(self, user: FakeUser) -> Shown:
        """The newest bot message as the respondent sees it now."""
        return self.api.last_message(user.id)

    def texts(self, user: FakeUser) -> list[str]:
        """Every message text the respondent was shown, edits included, in order."""
        return [shown.text for shown in self.api.sent_to(user.id)]

    async def send_outbox(self) -> int:
        """Send whatever the outbox owes now, as the running bot's sender would; how many."""
        sender = outbox_sender(self.application, self.service, self.settings)
        sent = 0
        while claimed := await sender.send_due():
            sent += claimed
        return sent

    async def close(self) -> None:
        """Shut the bot down as run_bot does: the application (after its background tasks and
        jobs end), then the group-commit writer. Closing twice is harmless."""
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.service.close()

    def poller(self, **options: Any) -> DurablePoller:
        """The poller as `consultbot run` builds it, fetching from the fake Telegram."""
        return DurablePoller(
            self.application,
            self.runner,
            request=self.api,
            gate=self.gate,
            office=self.office,
            **options,
        )

    def jobs(self) -> ConsultationJobs:
        """The clock-driven jobs, to run by hand."""
        return ConsultationJobs(self.service, self.settings)

    async def tick(self) -> None:
        """Run the due jobs once, as this minute's tick would, and send what they queued."""
        await self.jobs().run_due()
        await self.send_outbox()

    async def tick_at(self, moment: datetime) -> None:
        """Set the clock to `moment` and `tick`."""
        self.clock.now = moment
        await self.tick()


Bot = Callable[..., Awaitable[BotHarness]]
"""The `bot_with` fixture: builds (or starts again) the bot with these settings."""


async def make_harness(
    engine: AsyncEngine, consultation: Consultation, clock: FrozenClock, **settings: Any
) -> BotHarness:
    """Build and start the bot on `engine`, as run_bot does; the caller `close()`s it."""
    # Unpaced unless a test asks: Telegram's 30 a second would add seconds of real waiting to
    # every test that sends more than 30 messages (pacing has tests of its own, on a test clock).
    config = Settings(
        token="123:ABC",
        admin_ids=frozenset({STAFF_ID}),
        pseudonym_secret=SECRET.decode(),
        messages_per_second=0,
    )
    config = Settings(**{**config.__dict__, **settings})
    service = GroupCommitService(
        consultation, session_factory(engine), SECRET, clock, alert_to=config.alert_recipients
    )
    api = OfflineBotApi()
    application = build_application(config, service, request=api, get_updates_request=api)
    runner = UpdateRunner(application, service.metrics)
    await application.initialize()
    await application.start()  # as run_bot: the job queue runs, background handlers are awaited
    gate = FloodGate(service, clock=FrozenMonotonic())
    office = DeadLetterOffice(service, config.admin_ids)
    return BotHarness(api, application, runner, service, config, clock, engine, gate, office)
