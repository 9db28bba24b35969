"""Two real `consultbot run` processes in webhook mode sharing one PostgreSQL database.

This is how several replicas run behind a load balancer. The test plays Telegram: it posts
each update to one replica or the other at random, sometimes the same update to both at once
(as a retry after a timeout would), and moves people on only once their update was answered
200; a 500 is retried, as Telegram would. Many people answer side by side; one person's next
update usually goes to the other replica. At the end every answer must be stored exactly once,
everyone's progress must agree with their answers, the replicas' metrics must add up to the
same counts, and their JSON logs must hold no message text, token or Telegram id.
"""

import asyncio
import json
import os
import random
import shutil
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from conversations.loader import default_consultation_path
from storage.database import create_engine, session_factory
from storage.identity import pseudonym
from storage.models import Answer, Progress, Respondent
from tests.conftest import POSTGRES_URL_VARIABLE, _run_as_admin
from tests.e2e.test_restart import INCLUSION, PREFER_NOT, SECRET, BotProcess
from tests.telegram_fakes import FakeBotApiServer, FakeUser

PEOPLE = 50
SEED = 20220923
DUPLICATE_SHARE = 0.2
"""About one update in five is sent to both replicas at the same moment."""
ATTEMPTS = 8
"""Deliveries of one update before the test gives up (Telegram retries for much longer)."""
LIMIT_SECONDS = 240.0
"""The whole test, start-up included, must finish within this (about 60 s on 2 busy cores)."""
WEBHOOK_SECRET = "replica-test-webhook-secret"
THANKS = "Thank you! We have your answers."
JSON_LOGS = ("--log-format", "json")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Replica:
    """One `consultbot run` process with its own webhook port, logging JSON."""

    name: str
    port: int
    bot: BotProcess

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
async def postgres_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """An empty schema in this run's private PostgreSQL database."""
    if not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.skip(f"two replicas need PostgreSQL: set {POSTGRES_URL_VARIABLE}")
    url = request.getfixturevalue("postgres_database_url")
    await _run_as_admin(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    yield url


@pytest.fixture
def telegram() -> Iterator[FakeBotApiServer]:
    with FakeBotApiServer().in_thread() as server:
        yield server


@pytest.fixture
def replicas(
    tmp_path: Path, telegram: FakeBotApiServer, postgres_url: str
) -> Iterator[tuple[Replica, Replica]]:
    """Two replicas' configs (same database and secrets, own ports), not started."""
    shipped = default_consultation_path().read_text(encoding="utf-8")
    consultation = tmp_path / "consultation.toml"
    pictures = default_consultation_path().parent / "pictures"
    shutil.copytree(pictures, tmp_path / "pictures")  # the explanations' pictures go beside it
    consultation.write_text(
        shipped.replace('closes_at = "2022-09-23T23:59"', 'closes_at = "2099-01-01T00:00"'),
        encoding="utf-8",
    )
    made = []
    for name in ("a", "b"):
        port = free_port()
        config = tmp_path / f"replica-{name}.toml"
        config.write_text(
            f"""
[telegram]
token = "{telegram.token}"
base_url = "{telegram.url}"
messages_per_second = 0
replicas = 2

[storage]
url = "{postgres_url}"

[consultation]
file = "{consultation.name}"

[privacy]
pseudonym_secret = "{SECRET}"

[webhook]
url = "https://consult.example.org"
listen = "127.0.0.1"
port = {port}
secret_token = "{WEBHOOK_SECRET}"
""",
            encoding="utf-8",
        )
        log = tmp_path / f"replica-{name}.log"
        made.append(Replica(name, port, BotProcess(config, log, options=JSON_LOGS)))
    try:
        yield made[0], made[1]
    finally:
        for replica in made:
            replica.bot.kill()
        for replica in made:
            replica.bot.end()  # killed already: only reads its log


async def wait_until_ready(http: aiohttp.ClientSession, replica: Replica, deadline: float) -> None:
    while time.monotonic() < deadline:
        if not replica.bot.running():
            pytest.fail(f"replica {replica.name} exited:\n{replica.bot.output()}")
        try:
            async with http.get(replica.url + "/readyz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    pytest.fail(f"replica {replica.name} was not ready in time:\n{replica.bot.output()}")


class PlayingTelegram:
    """Delivers updates to the replicas as Telegram would, at random, and keeps the tally."""

    def __init__(
        self, telegram: FakeBotApiServer, replicas: tuple[Replica, Replica], http: Any
    ) -> None:
        self.telegram = telegram
        self.replicas = replicas
        self.http = http
        self.random = random.Random(SEED)
        self.deliveries: Counter[str] = Counter()
        self.duplicates = 0
        self.switches = 0
        self.last_replica: dict[int, str] = {}

    async def post(self, replica: Replica, update: dict[str, Any]) -> int:
        headers = {SECRET_HEADER: WEBHOOK_SECRET}
        async with self.http.post(
            replica.url + WEBHOOK_PATH, json=update, headers=headers
        ) as response:
            self.deliveries[f"{replica.name} {response.status}"] += 1
            return response.status

    async def deliver(self, person: FakeUser, update: dict[str, Any], *, alternate: bool) -> None:
        """Deliver one update until a replica answers 200 (sometimes to both at once)."""
        self.telegram.observe(update)
        for _ in range(ATTEMPTS):
            if alternate and person.id in self.last_replica:
                first = next(r for r in self.replicas if r.name != self.last_replica[person.id])
            else:
                first = self.random.choice(self.replicas)
            if self.last_replica.get(person.id, first.name) != first.name:
                self.switches += 1
            self.last_replica[person.id] = first.name
            if self.random.random() < DUPLICATE_SHARE:
                self.duplicates += 1
                statuses = await asyncio.gather(
                    *(self.post(replica, update) for replica in self.replicas)
                )
            else:
                statuses = [await self.post(first, update)]
            if 200 in statuses:
                return
            assert set(statuses) <= {500}, statuses
        pytest.fail(f"update {update['update_id']} was refused {ATTEMPTS} times")

    async def journey(self, person: FakeUser, number: int, *, alternate: bool) -> None:
        """Start as a young person, answer one area, skip the last question, send."""
        telegram = self.telegram

        async def tap(label: str) -> None:
            await self.deliver(person, telegram.tap(person, label), alternate=alternate)

        start = telegram.updates.command(person, "start", "young_person")
        await self.deliver(person, start, alternate=alternate)
        await tap("Yes, let's start")
        for _ in range(3):  # the questions about who they are
            await tap(PREFER_NOT)
        await tap("No")  # no reminder
        await tap(INCLUSION)
        await tap("Done")
        await tap("Agree a lot")
        await tap("Not sure")
        typed = telegram.updates.message(person, f"Idea number {number}")
        await self.deliver(person, typed, alternate=alternate)
        await tap("Skip")  # the last open question
        await tap("No")  # no news
        await tap("Send my answers")


def metric_totals(expositions: list[str]) -> Counter[str]:
    """Each sample summed over the replicas, by name and labels."""
    totals: Counter[str] = Counter()
    for exposition in expositions:
        for family in text_string_to_metric_families(exposition):
            for sample in family.samples:
                labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                totals[f"{sample.name}{{{labels}}}"] += sample.value
    return totals


@pytest.mark.timeout(LIMIT_SECONDS)
async def test_two_replicas_on_one_postgresql_store_every_answer_once(
    telegram: FakeBotApiServer, replicas: tuple[Replica, Replica], postgres_url: str
):
    deadline = time.monotonic() + LIMIT_SECONDS
    people = [telegram.updates.user(f"Person{number}") for number in range(PEOPLE)]
    for person in people:
        telegram.add_chat(person)
    for replica in replicas:
        replica.bot.start()
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for replica in replicas:
            await wait_until_ready(http, replica, deadline)
        playing = PlayingTelegram(telegram, replicas, http)
        await asyncio.wait_for(
            asyncio.gather(
                *(
                    playing.journey(person, number, alternate=number % 2 == 0)
                    for number, person in enumerate(people)
                )
            ),
            timeout=deadline - time.monotonic(),
        )
        expositions = []
        for replica in replicas:
            async with http.get(replica.url + "/metrics") as response:
                expositions.append(await response.text())
    assert [replica.bot.stop() for replica in replicas] == [0, 0]

    assert playing.duplicates > PEOPLE  # about 110 of the 550 updates went to both
    assert playing.switches > PEOPLE * 5  # people's next update often went to the other one
    assert playing.deliveries["a 200"] > 100 and playing.deliveries["b 200"] > 100

    engine = create_engine(postgres_url)
    try:
        async with session_factory(engine)() as session:
            respondents = {
                row.pseudonym: row for row in (await session.execute(select(Respondent))).scalars()
            }
            answers = (await session.execute(select(Answer).order_by(Answer.id))).scalars().all()
            progress = {
                row.respondent_id: row
                for row in (await session.execute(select(Progress))).scalars()
            }
    finally:
        await engine.dispose()
    assert len(respondents) == PEOPLE
    assert len(answers) == PEOPLE * (3 + 4)  # 3 about who they are, 4 to the consultation
    for number, person in enumerate(people):
        respondent = respondents[pseudonym(SECRET.encode(), person.id)]
        theirs = [answer for answer in answers if answer.respondent_id == respondent.id]
        assert [(a.area, a.question, a.value) for a in theirs] == [
            ("profile", "age", "prefer_not_to_say"),
            ("profile", "lives_in", "prefer_not_to_say"),
            ("profile", "ehc_plan", "prefer_not_to_say"),
            ("inclusion", "important", "agree_strongly"),
            ("inclusion", "included_now", "not_sure"),
            ("inclusion", "ideas", f"Idea number {number}"),
            ("final", "anything_else", None),
        ], person.first_name
        assert all(a.first_answered_at == a.last_answered_at for a in theirs)
        assert respondent.finished_at is not None and respondent.audience == "young_person"
        state = json.loads(progress[respondent.id].state)
        assert state["at"] == "done", person.first_name
        assert state["answers"] == {f"{a.area}/{a.question}": a.value for a in theirs}
        sent = [message.text or "" for message in telegram.sent_to(person.id)]
        assert sum(text.startswith(THANKS) for text in sent) == 1, person.first_name

    totals = metric_totals(expositions)
    assert totals["consultbot_answers_stored_total{}"] == PEOPLE * (3 + 4)
    assert totals["consultbot_respondents_started_total{}"] == PEOPLE
    assert totals["consultbot_respondents_finished_total{}"] == PEOPLE
    assert totals["consultbot_bot_api_calls_total{method=setWebhook}"] == 2

    for replica in replicas:
        lines = replica.bot.log.read_text().splitlines()
        records = [json.loads(line) for line in lines]  # every line is one JSON object
        assert any(record["message"].startswith("serving") for record in records)
        everything = "\n".join(lines)
        for private in (telegram.token, "Idea number", *(str(p.id) for p in people)):
            assert private not in everything, (replica.name, private)
