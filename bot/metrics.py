"""The bot's Prometheus metrics, in a registry of their own made at start-up and handed in.

One `Metrics` per running bot: nothing is registered in prometheus_client's global registry,
so two applications in one process (tests, the benchmarks) never share or clash over counts.
`GET /metrics` (bot/health.py) renders `registry` in the Prometheus text format.

Labels are kept to small fixed sets (an outcome, a Bot API method name), never a person.
"""

from prometheus_client import CollectorRegistry, Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds: an update is usually handled in milliseconds, and slow ones wait on Telegram."""
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
"""Units of work per group commit; at most `GroupCommitService.max_batch` (64 by default)."""


class Metrics:
    """The counters and histograms the bot updates as it works."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "consultbot_updates_handled",
            "Updates from Telegram handled, by outcome (ok, or failed and to be delivered again).",
            ["outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "consultbot_update_handling_seconds",
            "Time from an update reaching the bot to its handling being finished.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "consultbot_answers_stored",
            "Answers committed to the database (a changed answer counts again).",
            registry=self.registry,
        )
        self.started = Counter(
            "consultbot_respondents_started",
            "Respondents who said yes to taking part.",
            registry=self.registry,
        )
        self.finished = Counter(
            "consultbot_respondents_finished",
            "Respondents who sent their answers.",
            registry=self.registry,
        )
        self.api_calls = Counter(
            "consultbot_bot_api_calls",
            "Calls to the Telegram Bot API, by method.",
            ["method"],
            registry=self.registry,
        )
        self.api_throttled = Counter(
            "consultbot_bot_api_too_many_requests",
            "Bot API calls Telegram answered with 429 Too Many Requests, by method.",
            ["method"],
            registry=self.registry,
        )
        self.api_errors = Counter(
            "consultbot_bot_api_errors",
            "Bot API calls that failed (any error status other than 429, or no answer).",
            ["method"],
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "consultbot_group_commit_batch_size",
            "Units of work committed together in one transaction.",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
