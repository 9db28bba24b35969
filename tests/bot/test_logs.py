"""`--log-format json`: one JSON object per line, and nothing private at INFO level."""

import io
import json
import logging
import warnings
from collections.abc import Iterator

import pytest
from telegram.error import BadRequest

from bot.logs import LogFormat, configure_logging
from tests.bot.harness import BotHarness
from tests.bot.steps import at_the_first_question

TYPED = "My brother waits for speech therapy"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The root logger set up as `consultbot run --log-format json` does, writing here; the
    logging set-up before the test (pytest's own capture) is put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "apscheduler")}
    stream = io.StringIO()
    logging.captureWarnings(False)  # a test before may have left it on, bound to its own run
    configure_logging(LogFormat.JSON, stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)
        logging.captureWarnings(False)


def test_each_record_is_one_json_object_on_one_line_with_its_error(log_stream: io.StringIO):
    log = logging.getLogger("bot.example")
    log.info("serving %s", "medway")
    try:
        raise ValueError("two\nlines")
    except ValueError:
        log.exception("handling failed")
    log.debug("not at INFO level")
    warnings.warn("an old way of doing it", DeprecationWarning, stacklevel=1)

    lines = log_stream.getvalue().splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first.keys() == {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"], first["message"]) == (
        "INFO",
        "bot.example",
        "serving medway",
    )
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert second["error"].startswith("Traceback") and "ValueError: two\nlines" in second["error"]
    assert (third["level"], third["logger"]) == ("WARNING", "py.warnings")
    assert "DeprecationWarning: an old way of doing it" in third["message"]


def test_the_http_clients_info_lines_which_carry_the_token_are_off(log_stream: io.StringIO):
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot123:ABC/x")
    logging.getLogger("httpx").warning("a warning still shows")

    assert [json.loads(line)["message"] for line in log_stream.getvalue().splitlines()] == [
        "a warning still shows"
    ]


@pytest.mark.expects_handler_error(kind=BadRequest)
async def test_a_journey_logs_no_message_text_token_or_telegram_id(
    harness: BotHarness, log_stream: io.StringIO
):
    ada, ben, cat = harness.person("Ada"), harness.person("Ben"), harness.person("Cat")
    await at_the_first_question(harness, ada)
    question_1 = harness.message_with(ada, "Agree a lot")
    await harness.tap(ada, "Agree a lot")
    await harness.tap(ada, "Agree a lot", question_1)  # an old button, tapped again
    await harness.tap(ada, "Not sure")
    await harness.type(ada, TYPED)
    await harness.deliver(harness.delivered[-1])  # a redelivered update
    harness.api.fail_next(400, "Bad Request: chat not found", method="sendMessage")
    await harness.start(ben, "parent_carer")  # fails, and is logged as an error
    harness.api.fail_next(403, "Forbidden: bot was blocked by the user", method="sendMessage")
    await harness.start(ben, "parent_carer")
    await harness.start(cat, "professional")
    await harness.tap(cat, "No thanks")
    await harness.deliver(harness.delivered[-1])  # redelivered: nothing is kept, nothing waits

    lines = log_stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert {"INFO", "ERROR"} <= {record["level"] for record in records}
    everything = "\n".join(lines)
    people = (ada, ben, cat)
    names = [person.first_name for person in people]
    for private in (TYPED, harness.settings.token, *(str(p.id) for p in people), *names):
        assert private not in everything, private
