"""The fake Telegram the end-to-end tests run the real bot process against."""

from collections.abc import Iterator

import pytest

from tests.telegram_fakes import FakeBotApiServer


@pytest.fixture
def telegram() -> Iterator[FakeBotApiServer]:
    """The fake Bot API on 127.0.0.1, served from a thread of the test process."""
    with FakeBotApiServer().in_thread() as server:
        yield server
