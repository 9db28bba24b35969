"""freeze_startup_objects: what start-up made is left out of the collector's passes, and a
cycle made afterwards (as handling an update makes) is still collected."""

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.heap import freeze_startup_objects


class Cycle:
    """An object only the cycle collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.itself = self


@pytest.fixture
def thawed_afterwards() -> Iterator[None]:
    gc.disable()  # only the collections the test makes
    yield
    gc.unfreeze()  # the test process carries on collecting as before
    gc.enable()


def test_start_up_objects_are_frozen_and_later_cycles_still_collected(thawed_afterwards: None):
    from_start_up = Cycle()
    dropped = Cycle()
    dropped_at_start_up = weakref.ref(dropped)
    del dropped

    freeze_startup_objects()
    later = Cycle()
    gone = weakref.ref(later)
    del later
    gc.collect()

    assert gc.get_freeze_count() > 0
    assert all(found is not from_start_up for found in gc.get_objects()), "still walked"
    assert gone() is None, "garbage made after the freeze is still collected"
    assert dropped_at_start_up() is None, "start-up's garbage was collected, not frozen for good"
