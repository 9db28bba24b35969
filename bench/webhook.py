"""The webhook path: bot/webhook.webhook_app on 127.0.0.1, loaded by a separate client process.

The server is this bot on SQLite exactly as `consultbot run` serves a webhook (the aiohttp app
answers 200 only after the update's unit of work committed and its replies were sent); the
client (bench/webhook_client.py) posts real update JSON with the secret-token header.
"""

import asyncio
import json
import resource
import secrets
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bench.contenders.consultbot import ConsultBot
from bot.dead_letters import DeadLetterOffice
from bot.flood import FloodGate
from bot.webhook import WEBHOOK_PATH, webhook_app, webhook_server


@dataclass(frozen=True)
class WebhookResult:
    """What the client measured, and the server's CPU time while it ran."""

    sent: int
    ok: int
    failed: int
    seconds: float
    p50_ms: float
    p99_ms: float
    server_cpu_seconds: float
    client_cpu_seconds: float
    connections: int

    @property
    def per_second(self) -> float:
        """Updates answered 200 per wall second."""
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def client_busy(self) -> float:
        """The share of one core the client used: near 1, the client and not the server set
        the pace."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run_webhook(
    folder: Path, *, connections: int, respondents: int, seconds: float
) -> WebhookResult:
    """Serve the webhook on SQLite in `folder` and load it from a client process."""
    bot = ConsultBot("webhook", f"sqlite+aiosqlite:///{folder / 'webhook.sqlite3'}")
    await bot.start()
    assert bot.application is not None and bot.runner is not None
    secret = secrets.token_urlsafe(24)
    gate = FloodGate(bot.service, burst=0)  # the load is many people: measure the bot itself
    office = DeadLetterOffice(bot.service, ())
    server = webhook_server(
        webhook_app(bot.application, bot.runner, secret, gate=gate, office=office)
    )
    await server.setup()
    port = _free_port()
    await web.TCPSite(server, "127.0.0.1", port).start()
    try:
        cpu = time.process_time()
        children = _children_cpu()
        client = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.webhook_client",
            f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            secret,
            f"--connections={connections}",
            f"--respondents={respondents}",
            f"--seconds={seconds}",
            stdout=asyncio.subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )
        output, _ = await asyncio.wait_for(client.communicate(), timeout=seconds + 120)
        server_cpu = time.process_time() - cpu
        client_cpu = _children_cpu() - children  # counted once the client was waited for
    finally:
        await server.cleanup()
        await bot.stop()
    summary = json.loads(output)
    return WebhookResult(
        **summary,
        server_cpu_seconds=server_cpu,
        client_cpu_seconds=client_cpu,
        connections=connections,
    )


def _children_cpu() -> float:
    """CPU seconds of this process's finished, waited-for children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
