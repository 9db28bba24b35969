"""Safeguarding alerts in storage: recorded, listed, marked seen and handled once, counted."""

from datetime import UTC, datetime, timedelta

from storage.safeguarding import (
    AlertStatus,
    add_alert,
    count_open_alerts,
    list_alerts,
    mark_alert,
)

NOW = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


async def an_alert(sessions, consultation_id: str = "c1", text: str = "i want to die") -> int:
    async with sessions() as session, session.begin():
        return await add_alert(
            session,
            consultation_id=consultation_id,
            respondent_id=7,
            audience="young_person",
            at="q:a/b",
            question="What would help?",
            text=text,
            phrases=("want to die",),
            categories=("self_harm",),
            now=NOW,
        )


async def mark(sessions, alert_id: int, status: AlertStatus, by: str, now: datetime) -> bool:
    async with sessions() as session, session.begin():
        return await mark_alert(
            session, consultation_id="c1", alert_id=alert_id, status=status, by=by, now=now
        )


async def test_an_alert_is_recorded_open_and_listed_for_its_consultation_only(sessions):
    alert_id = await an_alert(sessions)
    await an_alert(sessions, "other")

    async with sessions() as session:
        [alert] = await list_alerts(session, consultation_id="c1")
        assert await count_open_alerts(session, consultation_id="c1") == 1
    assert (alert.id, alert.respondent, alert.text, alert.phrases) == (
        alert_id,
        7,
        "i want to die",
        "want to die",
    )
    assert alert.status is AlertStatus.OPEN


async def test_the_first_to_see_and_the_first_to_handle_are_kept(sessions):
    alert_id = await an_alert(sessions)

    assert await mark(sessions, alert_id, AlertStatus.SEEN, "staff:1", NOW)
    assert not await mark(sessions, alert_id, AlertStatus.SEEN, "staff:2", LATER)
    assert await mark(sessions, alert_id, AlertStatus.HANDLED, "staff:2", LATER)
    assert not await mark(sessions, alert_id, AlertStatus.HANDLED, "staff:1", LATER)

    async with sessions() as session:
        [alert] = await list_alerts(session, consultation_id="c1")
        assert await count_open_alerts(session, consultation_id="c1") == 0
    assert (alert.seen_by, alert.seen_at) == ("staff:1", NOW)
    assert (alert.handled_by, alert.handled_at) == ("staff:2", LATER)
    assert alert.status is AlertStatus.HANDLED


async def test_handling_an_unseen_alert_marks_it_seen_too(sessions):
    alert_id = await an_alert(sessions)

    assert await mark(sessions, alert_id, AlertStatus.HANDLED, "staff:3", NOW)

    async with sessions() as session:
        [alert] = await list_alerts(session, consultation_id="c1")
    assert (alert.seen_by, alert.handled_by) == ("staff:3", "staff:3")


async def test_marking_an_alert_of_another_consultation_changes_nothing(sessions):
    alert_id = await an_alert(sessions, "other")

    assert not await mark(sessions, alert_id, AlertStatus.HANDLED, "staff:1", NOW)
