"""`consultbot run`: the bot's main job, polling Telegram until stopped."""

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import AsyncIterator

from aiohttp import web
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.application import background_work, build_application, show_commands
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.dead_letters import DeadLetterOffice
from bot.file_versions import remember_consultation_file
from bot.flood import FloodGate
from bot.group_commit import GroupCommitService
from bot.health import Health, add_health_routes, start_monitoring
from bot.heap import freeze_startup_objects
from bot.metrics import Metrics
from bot.polling import DurablePoller
from bot.processing import UpdateRunner
from bot.secrets import pseudonym_secret
from bot.startup import prepare_database, report_window
from bot.update_kinds import handled_update_kinds
from bot.webhook import WEBHOOK_PATH, webhook_app, webhook_server
from conversations.loader import load_consultation
from storage.database import session_factory

log = logging.getLogger(__name__)


async def run_bot(
    settings: Settings,
    *,
    clock: Clock = system_clock,
) -> None:
    """Serve the consultation until SIGINT or SIGTERM, finishing the updates in hand.

    With `[monitoring] port`, /healthz, /readyz and /metrics answer from the first moment
    (/readyz with 503 until the consultation is loaded and the database is up to date).
    """
    stop = _stop_on_signals()
    health = Health(Metrics())
    monitor = None
    if settings.monitoring_port:
        monitor = await start_monitoring(
            settings.monitoring_listen, settings.monitoring_port, health
        )
    try:
        await _serve(settings, clock, stop, health)
    finally:
        if monitor is not None:
            await monitor.cleanup()


async def _serve(settings: Settings, clock: Clock, stop: asyncio.Event, health: Health) -> None:
    consultation = load_consultation(settings.consultation_file)
    health.consultation = consultation
    for gap in consultation.translation_gaps:  # never live in a half-done language silently
        log.warning("translation: %s", gap)
    engine = await prepare_database(settings)
    health.engine = engine
    service = GroupCommitService(
        consultation,
        session_factory(engine),
        pseudonym_secret(settings),
        clock,
        alert_to=settings.alert_recipients,
        metrics=health.metrics,
    )
    if warning := settings.safeguarding_warning():
        log.warning(warning)
    polling_request = HTTPXRequest()
    await remember_consultation_file(
        service.sessions, consultation, settings.consultation_file, clock()
    )
    application = build_application(settings, service, get_updates_request=polling_request)
    try:
        async with started(application):
            await show_commands(application, consultation)
            await report_window(service.sessions, consultation, settings.consultation_file, clock())
            async with background_work(application, service, settings):
                log.info("serving %s as @%s", consultation.id, application.bot.username)
                freeze_startup_objects()
                runner = UpdateRunner(application, health.metrics)
                gate = FloodGate(service)
                office = DeadLetterOffice(service, settings.admin_ids)
                if settings.webhook_url:
                    await serve_webhook(
                        settings, application, runner, stop, gate=gate, office=office, health=health
                    )
                else:
                    await application.bot.delete_webhook()
                    poller = DurablePoller(
                        application, runner, request=polling_request, gate=gate, office=office
                    )
                    await poller.run(stop)
    finally:
        await service.close()
        await engine.dispose()


async def serve_webhook(
    settings: Settings,
    application: Application,
    runner: UpdateRunner,
    stop: asyncio.Event,
    *,
    gate: FloodGate,
    office: DeadLetterOffice,
    health: Health,
) -> None:
    """Register the webhook with Telegram and serve it (and the health routes) until stopped."""
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    assert settings.webhook_url is not None
    await application.bot.set_webhook(
        url=settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
        secret_token=secret,
        allowed_updates=handled_update_kinds(application),
    )
    app = webhook_app(application, runner, secret, gate=gate, office=office)
    add_health_routes(app, health)
    server = webhook_server(app)
    await server.setup()
    await web.TCPSite(server, settings.webhook_listen, settings.webhook_port).start()
    log.info("webhook listening on %s:%s", settings.webhook_listen, settings.webhook_port)
    try:
        await stop.wait()
    finally:
        await server.cleanup()


@contextlib.asynccontextmanager
async def started(application: Application) -> AsyncIterator[Application]:
    """The application initialised and started, then stopped and shut down however it ends."""
    async with application:
        await application.start()
        try:
            yield application
        finally:
            await application.stop()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop
