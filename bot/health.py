"""`GET /healthz`, `GET /readyz` and `GET /metrics`: what a load balancer and Prometheus ask.

- `/healthz`: the process is alive and its event loop answers (200, always, while it runs).
- `/readyz`: it can do its job: the consultation is loaded, the database answers, and its schema
  is the one this release ships. 200 when all three hold, else 503 naming what does not.
- `/metrics`: the bot's own registry (bot/metrics.py) in the Prometheus text format.

In webhook mode the routes are added to the webhook server; with `[monitoring] port` they are
also served on a port of their own, which is how polling mode offers them.
"""

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import Metrics
from conversations.model import Consultation
from storage.revision import applied_heads, shipped_heads

log = logging.getLogger(__name__)
CHECK_SECONDS = 3.0
"""How long a readiness check waits for the database before calling it unreachable."""
OK = "ok"


class Health:
    """What the health routes report on; `run_bot` fills it in as start-up goes along."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.consultation: Consultation | None = None
        self.engine: AsyncEngine | None = None
        self.heads = shipped_heads()

    async def readiness(self) -> dict[str, str]:
        """Each check's result: "ok", or in a few words what is wrong."""
        checks = {"consultation": OK if self.consultation is not None else "not loaded yet"}
        if self.engine is None:
            checks["database"] = "not connected yet"
            checks["migrations"] = "not checked yet"
            return checks
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                applied = await applied_heads(self.engine)
        except Exception as error:  # any failure to reach it means "not ready", never a crash
            log.warning("readiness: the database did not answer: %s", type(error).__name__)
            checks["database"] = "unreachable"
            checks["migrations"] = "not checked"
            return checks
        checks["database"] = OK
        checks["migrations"] = (
            OK if applied == self.heads else f"at {sorted(applied)}, not {sorted(self.heads)}"
        )
        return checks


def add_health_routes(server: web.Application, health: Health) -> None:
    """Add GET /healthz, /readyz and /metrics to an aiohttp application."""

    async def alive(request: web.Request) -> web.Response:
        """The process runs."""
        return web.json_response({"status": OK})

    async def ready(request: web.Request) -> web.Response:
        """The process can serve respondents."""
        checks = await health.readiness()
        ready = all(value == OK for value in checks.values())
        body = {"status": OK if ready else "not ready", "checks": checks}
        return web.json_response(body, status=200 if ready else 503)

    async def metrics(request: web.Request) -> web.Response:
        """Prometheus scrapes this."""
        body = generate_latest(health.metrics.registry)
        response = web.Response(body=body)
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    server.router.add_get("/healthz", alive)
    server.router.add_get("/readyz", ready)
    server.router.add_get("/metrics", metrics)


async def start_monitoring(listen: str, port: int, health: Health) -> web.AppRunner:
    """Serve the health routes on their own address; `cleanup()` the result to stop."""
    server = web.Application()
    add_health_routes(server, health)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port).start()
    log.info("health and metrics on http://%s:%s", listen, port)
    return runner
