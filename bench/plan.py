"""How big and how long each part of the benchmark is: the full run and --quick."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """Sizes and time bounds; every phase stops by its bound whatever the bot's speed."""

    name: str
    respondents: int
    """Concurrent respondents in the saturation run (each walks the whole journey)."""
    saturation_seconds: float
    """No new update is sent after this; the ones in flight are finished."""
    rates: tuple[int, ...]
    """Offered loads, updates per second."""
    rate_seconds: float
    """How long each offered load lasts (its update count is rate x seconds, rounded up)."""
    drain_seconds: float
    """How long to wait for stragglers after the last arrival; later ones count as unfinished."""
    prototype_rates: tuple[int, ...]
    """The offered loads the prototypes are measured at."""
    shipped_respondents: int
    shipped_seconds: float
    webhook_connections: int
    webhook_respondents: int
    webhook_seconds: float
    export_respondents: int
    export_timeout: float
    replica_respondents: int
    """Respondents per replica process in the replicas run (PostgreSQL)."""
    replica_seconds: float
    api_repeat: int
    profile_respondents: int
    """Journeys run under cProfile for the report's "where the time goes"."""
    """How many times each Bot API call option is timed."""
    warmup_respondents: int = 20


FULL = Plan(
    name="full",
    respondents=1000,
    saturation_seconds=25,
    rates=(100, 500, 1000),
    rate_seconds=10,
    drain_seconds=10,
    prototype_rates=(500,),
    shipped_respondents=100,
    shipped_seconds=6,
    webhook_connections=40,
    webhook_respondents=1000,
    webhook_seconds=15,
    export_respondents=100_000,
    export_timeout=300,
    replica_respondents=500,
    replica_seconds=15,
    api_repeat=3000,
    profile_respondents=100,
)

QUICK = Plan(
    name="quick",
    respondents=200,
    saturation_seconds=6,
    rates=(100, 500, 1000),
    rate_seconds=2,
    drain_seconds=3,
    prototype_rates=(),
    shipped_respondents=50,
    shipped_seconds=2,
    webhook_connections=40,
    webhook_respondents=200,
    webhook_seconds=4,
    export_respondents=10_000,
    export_timeout=120,
    replica_respondents=100,
    replica_seconds=4,
    api_repeat=1000,
    profile_respondents=30,
    warmup_respondents=5,
)
