"""A large SQLite database of answers for the export benchmark, built once and kept in .cache/.

The schema is made by the real migrations (storage.upgrade.upgrade_database); the rows go in
with sqlite3's executemany in one transaction, which is far faster than the bot could write
them. Each respondent answers the ten questions of flows/export.toml; one answer in twelve is
skipped, a fifth of the people did not finish, typed answers vary in length and some start
with "=" (so the formula guard runs). The file name carries the number of respondents and the
migration head, so a schema change builds a fresh one.
"""

import asyncio
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from conversations.loader import load_consultation
from storage.upgrade import alembic_config, upgrade_database

FLOW = Path(__file__).resolve().parent / "flows" / "export.toml"
CACHE = Path(__file__).resolve().parent / ".cache"
SEED_VERSION = 1
ANSWERS_PER_RESPONDENT = 10
SCALE = {
    "agree_strongly": "Agree a lot",
    "agree": "Agree",
    "not_sure": "Not sure",
    "disagree": "Disagree",
    "disagree_strongly": "Disagree a lot",
}
YES_NO = {"yes": "Yes", "no": "No"}
OFTEN = {"weekly": "Every week", "monthly": "Every month", "rarely": "Hardly ever"}
USES = {
    "books": "Borrowing books",
    "computers": "Computers and wifi",
    "study": "Somewhere to study",
    "events": "Events and groups",
}
WORDS = (
    "more benches lights café toilets paths trees bins dogs children play safe open late library "
    "books quiet study wifi events staff friendly clean parking bus weekend naïve façade 🌳 🙂 "
    "accessible ramps"
)
QUESTIONS = (
    ("parks", "important", SCALE),
    ("parks", "safe", SCALE),
    ("parks", "visited", YES_NO),
    ("parks", "how_often", OFTEN),
    ("parks", "ideas", None),
    ("libraries", "important", SCALE),
    ("libraries", "uses", USES),
    ("libraries", "visited", YES_NO),
    ("libraries", "ideas", None),
    ("final", "anything_else", None),
)


def seeded_database(respondents: int) -> Path:
    """The path of a database with `respondents` x 10 answers, building it if not cached."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    path = CACHE / f"export-{respondents}-{head}-v{SEED_VERSION}.sqlite3"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        asyncio.run(upgrade_database(f"sqlite+aiosqlite:///{building}"))
        _fill(building, respondents)
        building.rename(path)
    return path


def _fill(path: Path, respondents: int) -> None:
    consultation = load_consultation(FLOW)
    texts = _question_texts(consultation)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -200000")
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO respondents (id, consultation_id, pseudonym, chat_id, audience, source,"
            " consent_at, finished_at, wants_reminder, wants_outcome, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _respondents(consultation.id, respondents),
        )
        connection.executemany(
            "INSERT INTO answers (respondent_id, area, question, question_text, value, label,"
            " consultation_version, first_answered_at, last_answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _answers(respondents, texts, consultation.version),
        )
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _question_texts(consultation: object) -> dict[tuple[str, str], str]:
    texts = {}
    for area in consultation.areas:  # type: ignore[attr-defined]
        for question in area.questions:
            texts[area.key, question.key] = question.text.for_audience(None)
    final = consultation.final_question  # type: ignore[attr-defined]
    texts["final", final.key] = final.text.for_audience(None)
    return texts


def _when(start: datetime, seconds: float) -> str:
    """SQLAlchemy's SQLite storage format for a UTC instant (as UTCDateTime writes it)."""
    return (start + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S.%f")


START = datetime(2022, 8, 1, 9, 0, tzinfo=UTC)


def _respondents(consultation_id: str, count: int) -> Iterator[tuple[object, ...]]:
    pick = random.Random(1)
    audiences = ("resident", "visitor", "business")
    sources = (None, "library_poster", "school_newsletter", "park_qr")
    for number in range(1, count + 1):
        began = number * 20.0
        yield (
            number,
            consultation_id,
            f"{pick.getrandbits(256):064x}",
            500_000_000 + number,
            audiences[number % 3],
            sources[number % 4],
            _when(START, began),
            _when(START, began + 600) if number % 5 else None,
            number % 2 == 0,
            number % 3 == 0,
            _when(START, began),
        )


def _answers(
    count: int, texts: dict[tuple[str, str], str], version: str
) -> Iterator[tuple[object, ...]]:
    pick = random.Random(2)
    for respondent in range(1, count + 1):
        began = respondent * 20.0
        for index, (area, question, choices) in enumerate(QUESTIONS):
            value, label = _answer(pick, choices)
            moment = _when(START, began + 30 * (index + 1))
            yield (respondent, area, question, texts[area, question], value, label, version,
                   moment, moment)  # fmt: skip


def _answer(pick: random.Random, choices: dict[str, str] | None) -> tuple[str | None, str]:
    if pick.random() < 1 / 12:
        return None, "Skipped"
    if choices is None:
        words = pick.choices(WORDS.split(), k=pick.randint(3, 60))
        text = " ".join(words).capitalize() + "."
        if pick.random() < 0.01:
            text = "=" + text
        return text, text
    if len(choices) == len(USES):
        keys = sorted(pick.sample(sorted(choices), k=pick.randint(1, 3)))
        return ",".join(keys), ", ".join(choices[key] for key in keys)
    key = pick.choice(sorted(choices))
    return key, choices[key]
