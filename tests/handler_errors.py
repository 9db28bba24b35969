"""Every error a handler or a job hands to the bot's error handlers fails the test it happened in.

python-telegram-bot passes a handler's exception to the application's error handlers and
carries on, and the bot only logs it (and counts the update as failed), so a crash inside a
handler would otherwise pass unnoticed. `watch_handler_errors` catches every error any
`Application` in the test process passes to `process_error`, whichever way the update or job
arrived (the harness, the poller, the webhook, the job queue). A test that makes an error on
purpose names its kind: `@pytest.mark.expects_handler_error(kind=ValueError)` (a class or a
tuple of them); an error of any other kind still fails it.
"""

import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram.ext import Application

EXPECTS = "expects_handler_error"


@dataclass
class HandlerErrors:
    """What the application's error handlers were given during one test."""

    expected: type[BaseException] | tuple[type[BaseException], ...]
    caught: list[BaseException] = field(default_factory=list)
    reported: int = 0

    def check(self, when: str) -> None:
        """Fail the test if errors nobody expected were caught since the last check."""
        fresh = [e for e in self.caught[self.reported :] if not isinstance(e, self.expected)]
        self.reported = len(self.caught)
        if fresh:
            shown = "".join(traceback.format_exception(fresh[0]))
            pytest.fail(
                f"{len(fresh)} unexpected handler error(s) {when} (mark the test "
                f"{EXPECTS}(kind=...) if it makes them on purpose); the first:\n{shown}",
                pytrace=False,
            )


@pytest.fixture(autouse=True)
def watch_handler_errors(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HandlerErrors]:
    """Catch every error passed to an application's error handlers; fail the test on any the
    test is not marked as expecting."""
    marker = request.node.get_closest_marker(EXPECTS)
    errors = HandlerErrors(expected=marker.kwargs["kind"] if marker is not None else ())
    process_error = Application.process_error

    async def catching(
        self: Application, update: object, error: Exception, *args: Any, **kwargs: Any
    ) -> bool:
        errors.caught.append(error)
        return await process_error(self, update, error, *args, **kwargs)

    monkeypatch.setattr(Application, "process_error", catching)
    request.node.stash[ERRORS] = errors
    yield errors
    errors.check("while the test's fixtures shut down")


ERRORS = pytest.StashKey[HandlerErrors]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not only its teardown) on an error caught while it ran, even when
    it failed some other way too: the handler's traceback is the one that says why."""
    try:
        return (yield)
    finally:
        errors = item.stash.get(ERRORS, None)
        if errors is not None:
            errors.check("while the test ran")
