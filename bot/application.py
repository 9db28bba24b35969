"""Building the python-telegram-bot Application: the one place where everything is wired."""

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.admin import StaffHandlers
from bot.alerts import AUDITED_KINDS
from bot.config import Settings
from bot.counted_request import CountedRequest
from bot.handlers import MENU, RespondentHandlers
from bot.jobs import ConsultationJobs
from bot.myid import MyIdHandler
from bot.outbox import OutboxSender
from bot.safeguarding import SafeguardingHandlers
from bot.sending import ResilientSender
from bot.service import ConsultationService
from conversations.model import Consultation

DEFAULT_API = "https://api.telegram.org"


def api_urls(base_url: str | None) -> tuple[str, str]:
    """The bot and file URL prefixes for a Bot API server given as e.g. http://host:8081."""
    root = (base_url or DEFAULT_API).rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    service: ConsultationService,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """The application with every handler; `request` lets tests answer for Telegram.

    Every Bot API call is counted in the service's metrics. The connections made when none is
    given are the ones python-telegram-bot would make (256 for calls, 1 for getUpdates).
    """
    if not settings.token:
        raise ValueError("build_application needs a token")
    bot_url, file_url = api_urls(settings.base_url)
    metrics = service.metrics
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(bot_url)
        .base_file_url(file_url)
        .updater(None)
        .rate_limiter(ResilientSender(settings.send_rate))
        .request(CountedRequest(request or HTTPXRequest(connection_pool_size=256), metrics))
        .get_updates_request(
            CountedRequest(get_updates_request or HTTPXRequest(connection_pool_size=1), metrics)
        )
    )
    application = builder.build()
    respondents = RespondentHandlers(service)
    staff = StaffHandlers(service, settings.admin_ids, respondents)
    MyIdHandler(service.consultation).register(application)
    staff.register(application)
    SafeguardingHandlers(service, settings.alert_recipients, respondents).register(application)
    respondents.register(application)
    return application


def outbox_sender(
    application: Application, service: ConsultationService, settings: Settings
) -> OutboxSender:
    """The sender of the outbox's must-not-lose messages, woken by the service's commits."""
    return OutboxSender(
        application.bot,
        service.sessions,
        service.clock,
        wake=service.outbox_waiting,
        audited=AUDITED_KINDS,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )


async def show_commands(application: Application, consultation: Consultation) -> None:
    """Put the respondent commands in the app's menu (setMyCommands)."""
    commands = [BotCommand(name, consultation.say(f"menu_{name}")) for name in MENU]
    await application.bot.set_my_commands(commands)


@contextlib.asynccontextmanager
async def background_work(
    application: Application, service: ConsultationService, settings: Settings
) -> AsyncIterator[OutboxSender]:
    """Put the clock jobs on the running application's job queue (they stop with it) and run the
    outbox sender, which first sends whatever was owed when the bot last stopped; the sender is
    closed however the block ends, before the caller closes the service it writes through."""
    assert application.job_queue is not None  # the job-queue extra is a dependency
    ConsultationJobs(service, settings).schedule(application.job_queue)
    sender = outbox_sender(application, service, settings)
    sender.start()
    try:
        yield sender
    finally:
        await sender.close()
