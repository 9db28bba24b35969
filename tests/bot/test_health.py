"""/healthz, /readyz and /metrics, served by the real aiohttp routes on 127.0.0.1."""

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from telegram.error import BadRequest

from bot.health import Health, start_monitoring
from storage.database import create_engine
from tests.bot.harness import BotHarness
from tests.bot.steps import at_the_first_question


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Health], object]]:
    """Start the monitoring server for a Health on a free port; its base URL."""
    runners: list[web.AppRunner] = []

    async def start(health: Health) -> str:
        runner = await start_monitoring("127.0.0.1", 0, health)
        runners.append(runner)
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


def ready_health(harness: BotHarness) -> Health:
    """Health as run_bot leaves it once started: consultation loaded, database upgraded."""
    health = Health(harness.service.metrics)
    health.consultation = harness.consultation
    health.engine = harness.engine
    return health


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, dict]:
    async with http.get(url) as response:
        return response.status, await response.json()


async def test_healthz_is_200_from_the_start_and_readyz_503_until_the_bot_is_set_up(
    harness: BotHarness, serve, http: aiohttp.ClientSession
):
    health = Health(harness.service.metrics)
    base = await serve(health)
    assert await get(http, base + "/healthz") == (200, {"status": "ok"})
    assert await get(http, base + "/readyz") == (
        503,
        {
            "status": "not ready",
            "checks": {
                "consultation": "not loaded yet",
                "database": "not connected yet",
                "migrations": "not checked yet",
            },
        },
    )
    health.consultation = harness.consultation
    health.engine = harness.engine
    assert await get(http, base + "/readyz") == (
        200,
        {"status": "ok", "checks": {"consultation": "ok", "database": "ok", "migrations": "ok"}},
    )


async def test_readyz_is_503_when_the_database_is_behind_this_release(
    harness: BotHarness, serve, http: aiohttp.ClientSession
):
    base = await serve(ready_health(harness))
    async with harness.engine.begin() as connection:
        await connection.execute(
            text("UPDATE alembic_version SET version_num = '0001_create_the_tables'")
        )
    status, body = await get(http, base + "/readyz")
    assert status == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"].startswith("at ['0001_create_the_tables'], not [")


async def test_readyz_is_503_when_the_database_does_not_answer(
    harness: BotHarness, serve, http: aiohttp.ClientSession
):
    health = ready_health(harness)
    health.engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    try:
        base = await serve(health)
        status, body = await get(http, base + "/readyz")
    finally:
        await health.engine.dispose()
    assert status == 503
    assert body["checks"] == {
        "consultation": "ok",
        "database": "unreachable",
        "migrations": "not checked",
    }


def samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


@pytest.mark.expects_handler_error(kind=BadRequest)
async def test_metrics_count_a_journey_in_the_prometheus_format(
    harness: BotHarness, serve, http: aiohttp.ClientSession
):
    base = await serve(ready_health(harness))
    ada, ben = harness.person("Ada"), harness.person("Ben")
    await at_the_first_question(harness, ada)
    await harness.tap(ada, "Agree a lot")
    await harness.tap(ada, "Not sure")
    await harness.type(ada, "More clubs after school")
    await harness.tap(ada, "Skip")
    await harness.tap(ada, "Yes")
    await harness.tap(ada, "Send my answers")
    harness.api.rate_limit(retry_after=1, method="sendMessage")
    await harness.start(ben, "parent_carer")
    harness.api.fail_next(400, "Bad Request: message is not modified", method="sendMessage")
    await harness.command(ben, "help")

    async with http.get(base + "/metrics") as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        found = samples(await response.text())
    updates = len(harness.delivered)
    assert found[("consultbot_updates_handled_total", (("outcome", "ok"),))] == updates - 1
    assert found[("consultbot_updates_handled_total", (("outcome", "failed"),))] == 1
    assert found[("consultbot_update_handling_seconds_count", ())] == updates
    assert found[("consultbot_answers_stored_total", ())] == 3 + 4  # 3 about who Ada is
    assert found[("consultbot_respondents_started_total", ())] == 1
    assert found[("consultbot_respondents_finished_total", ())] == 1
    sends = len(harness.api.calls_of("sendMessage"))
    assert found[("consultbot_bot_api_calls_total", (("method", "sendMessage"),))] == sends
    assert found[("consultbot_bot_api_too_many_requests_total", (("method", "sendMessage"),))] == 1
    assert found[("consultbot_bot_api_errors_total", (("method", "sendMessage"),))] == 1
    batches = found[("consultbot_group_commit_batch_size_count", ())]
    assert 1 <= batches <= updates
    assert found[("consultbot_group_commit_batch_size_sum", ())] >= batches
