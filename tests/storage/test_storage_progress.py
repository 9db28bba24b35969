"""Progress: saved with compare-and-set, so two handlers racing on one respondent can't both win."""

import asyncio
from datetime import UTC, datetime

import pytest

from storage.errors import StaleProgress
from storage.identity import pseudonym
from storage.progress import (
    ProgressSave,
    load_people,
    load_progress,
    save_many_progress,
    save_progress,
)
from tests.storage.conftest import CONSULTATION, SECRET

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)


async def _save(sessions, respondent_id: int, state: dict, expected_version: int) -> int:
    async with sessions() as session, session.begin():
        return await save_progress(
            session,
            respondent_id=respondent_id,
            state=state,
            expected_version=expected_version,
            now=NOW,
        )


async def _load(sessions, respondent_id: int) -> tuple[dict | None, int]:
    async with sessions() as session:
        return await load_progress(session, respondent_id=respondent_id)


async def test_a_respondent_with_nothing_saved_is_at_version_zero(sessions, make_respondent):
    respondent = await make_respondent(1)
    assert await _load(sessions, respondent.id) == (None, 0)


async def test_each_save_returns_the_next_version_and_keeps_the_state(sessions, make_respondent):
    respondent = await make_respondent(1)
    state = {"at": "q:inclusion/important", "areas": ["inclusion"], "note": "café ☕"}
    assert await _save(sessions, respondent.id, {"at": "start"}, 0) == 1
    assert await _save(sessions, respondent.id, state, 1) == 2
    assert await _load(sessions, respondent.id) == (state, 2)


async def test_a_save_from_a_stale_load_is_refused(sessions, make_respondent):
    respondent = await make_respondent(1)
    await _save(sessions, respondent.id, {"at": "start"}, 0)
    _, first_read = await _load(sessions, respondent.id)
    _, second_read = await _load(sessions, respondent.id)

    await _save(sessions, respondent.id, {"at": "first"}, first_read)
    with pytest.raises(StaleProgress):
        await _save(sessions, respondent.id, {"at": "second"}, second_read)
    assert await _load(sessions, respondent.id) == ({"at": "first"}, 2)


@pytest.mark.parametrize("expected_version", [0, 1])
async def test_of_two_racing_saves_one_wins_and_the_other_is_stale(
    sessions, make_respondent, expected_version
):
    respondent = await make_respondent(1)
    if expected_version:
        await _save(sessions, respondent.id, {"at": "start"}, 0)

    results = await asyncio.gather(
        _save(sessions, respondent.id, {"at": "left"}, expected_version),
        _save(sessions, respondent.id, {"at": "right"}, expected_version),
        return_exceptions=True,
    )

    assert sorted(type(result).__name__ for result in results) == ["StaleProgress", "int"]
    winner = "left" if results[0] == expected_version + 1 else "right"
    assert await _load(sessions, respondent.id) == ({"at": winner}, expected_version + 1)


async def test_after_a_stale_save_the_same_transaction_can_still_be_used(sessions, make_respondent):
    respondent = await make_respondent(1)
    await _save(sessions, respondent.id, {"at": "start"}, 0)
    async with sessions() as session, session.begin():
        with pytest.raises(StaleProgress):
            await save_progress(
                session, respondent_id=respondent.id, state={}, expected_version=0, now=NOW
            )
        assert await load_progress(session, respondent_id=respondent.id) == ({"at": "start"}, 1)


async def test_many_handlers_retrying_on_stale_progress_lose_no_step(sessions, make_respondent):
    respondent = await make_respondent(1)

    async def add_one() -> None:
        while True:
            try:
                async with sessions() as session, session.begin():
                    state, version = await load_progress(session, respondent_id=respondent.id)
                    count = (state or {}).get("count", 0) + 1
                    await save_progress(
                        session,
                        respondent_id=respondent.id,
                        state={"count": count},
                        expected_version=version,
                        now=NOW,
                    )
                return
            except StaleProgress:
                await asyncio.sleep(0)

    await asyncio.gather(*(add_one() for _ in range(20)))
    assert await _load(sessions, respondent.id) == ({"count": 20}, 20)


async def test_people_are_loaded_with_their_progress_in_one_go_and_unknown_ones_left_out(
    sessions, make_respondent
):
    started, new = await make_respondent(1), await make_respondent(2)
    await _save(sessions, started.id, {"at": "q:inclusion/important"}, 0)
    await _save(sessions, started.id, {"at": "q:inclusion/why"}, 1)
    await make_respondent(1, consultation_id="another-consultation")
    aliases = [pseudonym(SECRET, user) for user in (1, 2, 3)]

    async with sessions() as session:
        loaded = await load_people(session, consultation_id=CONSULTATION, pseudonyms=aliases)
        nobody = await load_people(session, consultation_id=CONSULTATION, pseudonyms=[])

    assert set(loaded) == {aliases[0], aliases[1]}
    assert loaded[aliases[0]].respondent.id == started.id
    assert loaded[aliases[0]].respondent.chat_id == 1_000_001
    assert (loaded[aliases[0]].state, loaded[aliases[0]].version) == ({"at": "q:inclusion/why"}, 2)
    assert loaded[aliases[1]].respondent.id == new.id
    assert (loaded[aliases[1]].state, loaded[aliases[1]].version) == (None, 0)
    assert nobody == {}


async def test_a_batch_of_saves_is_stored_together_first_saves_and_later_ones_alike(
    sessions, make_respondent
):
    started, fresh = await make_respondent(1), await make_respondent(2)
    await _save(sessions, started.id, {"at": "start"}, 0)

    async with sessions() as session, session.begin():
        await save_many_progress(
            session,
            saves=[
                ProgressSave(started.id, {"at": "q:1"}, 1),
                ProgressSave(fresh.id, {"at": "start"}, 0),
            ],
            now=NOW,
        )

    assert await _load(sessions, started.id) == ({"at": "q:1"}, 2)
    assert await _load(sessions, fresh.id) == ({"at": "start"}, 1)


async def test_one_stale_save_in_a_batch_is_refused_by_name_and_nothing_of_the_batch_is_kept(
    sessions, make_respondent
):
    ada, bea, cy = [await make_respondent(user) for user in (1, 2, 3)]
    for respondent in (ada, bea):
        await _save(sessions, respondent.id, {"at": "start"}, 0)
    await _save(sessions, bea.id, {"at": "saved by someone else"}, 1)  # bea is now at 2

    with pytest.raises(StaleProgress) as refused:
        async with sessions() as session, session.begin():
            await save_many_progress(
                session,
                saves=[
                    ProgressSave(ada.id, {"at": "q:1"}, 1),
                    ProgressSave(bea.id, {"at": "q:1"}, 1),
                    ProgressSave(cy.id, {"at": "start"}, 0),
                ],
                now=NOW,
            )

    assert refused.value.respondent_id == bea.id
    assert await _load(sessions, ada.id) == ({"at": "start"}, 1)
    assert await _load(sessions, bea.id) == ({"at": "saved by someone else"}, 2)
    assert await _load(sessions, cy.id) == (None, 0)
