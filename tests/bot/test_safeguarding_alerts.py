"""Safeguarding through the real bot: help at once, an alert to staff after the commit, the
"Seen" and "Handled" buttons, /contact, the fallback to admins, /stats and the audit log."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.audit import recent_audit
from storage.models import OutboxMessage
from storage.outbox import pending_count
from storage.rows import AuditRecord
from storage.safeguarding import AlertRecord, list_alerts
from tests.bot.harness import STAFF_ID, Bot, BotHarness
from tests.bot.steps import answers_of, at_the_first_question, the_respondent
from tests.bot.test_staff_scenario import settle, staff_member
from tests.telegram_fakes import FakeUser

SAFEGUARDING_ID = 515151
DISCLOSURE = "I am being hurt at home and I want to die"
IDEAS = "What would help you feel more included?"


async def with_safeguarding_staff(bot_with: Bot) -> tuple[BotHarness, FakeUser]:
    harness = await bot_with(safeguarding_ids=frozenset({SAFEGUARDING_ID}))
    lead = harness.person("Lee", id=SAFEGUARDING_ID, username="lee_safeguarding_lead")
    return harness, lead


async def disclose(harness: BotHarness, name: str = "Ada", text: str = DISCLOSURE) -> FakeUser:
    """A young person reaches the first typed question and types `text` there."""
    person = harness.person(name, username=f"{name.lower()}_wombat_123")
    await at_the_first_question(harness, person)
    await harness.tap(person, "Agree")
    await harness.tap(person, "Not sure")
    await harness.type(person, text)
    return person


def staff_texts(harness: BotHarness, chat_id: int) -> list[str]:
    return [text or "" for text in harness.api.texts(chat_id)]


async def alerts(harness: BotHarness) -> list[AlertRecord]:
    async with harness.service.sessions() as session:
        return await list_alerts(session, consultation_id=harness.consultation.id)


async def audit(harness: BotHarness) -> list[AuditRecord]:
    async with harness.service.sessions() as session:
        return list(reversed(await recent_audit(session)))


async def test_a_disclosure_gets_help_at_once_and_the_consultation_carries_on(bot_with: Bot):
    harness, _ = await with_safeguarding_staff(bot_with)

    ada = await disclose(harness)

    texts = harness.texts(ada)
    help_at = next(i for i, text in enumerate(texts) if "You are not in trouble." in text)
    assert "Childline: call 0800 1111" in texts[help_at]
    assert texts[help_at + 1].startswith("Last question")
    assert ("ideas", DISCLOSURE) in await answers_of(harness, ada)


async def test_staff_get_the_alert_after_the_commit_with_everything_they_need(bot_with: Bot):
    harness, lead = await with_safeguarding_staff(bot_with)
    ada = await disclose(harness)
    assert staff_texts(harness, SAFEGUARDING_ID) == []  # queued in the outbox, not yet sent

    assert await harness.send_outbox() == 1

    respondent = await the_respondent(harness)
    alert = harness.api.last_message(SAFEGUARDING_ID)
    text = alert.text or ""
    assert text.startswith("⚠️ Safeguarding alert 1\nPossible disclosure of harm (")
    assert f"Consultation: {harness.consultation.title}" in text
    assert f"Respondent: R{respondent.id}" in text
    assert "Audience: I'm a young person" in text
    assert f"Question: {IDEAS}" in text
    assert f"They wrote:\n{DISCLOSURE}" in text
    assert "Time: Thursday 1 September 2022 at 1:00pm" in text
    assert f"/contact {respondent.id}" in text
    assert alert.labels == ["Seen", "Handled"]
    for secret in (str(ada.id), "ada_wombat_123", "Ada", respondent.pseudonym):
        assert secret not in text
    assert (
        staff_texts(harness, STAFF_ID) == []
    )  # the admins are not told when safeguarding staff are
    assert await harness.send_outbox() == 0  # sent once, marked sent
    async with harness.service.sessions() as session:
        assert await pending_count(session) == 0
        sent = (await session.execute(select(OutboxMessage))).scalars().one()
    assert sent.sent_at is not None and sent.payload == "{}"  # its words are not kept there
    [stored] = await alerts(harness)
    assert (stored.text, stored.question, stored.audience) == (DISCLOSURE, IDEAS, "young_person")
    assert lead.id == SAFEGUARDING_ID


async def test_seen_and_handled_are_recorded_with_who_and_when_once(bot_with: Bot, clock):
    harness, lead = await with_safeguarding_staff(bot_with)
    await disclose(harness)
    await harness.send_outbox()
    alert = harness.api.last_message(SAFEGUARDING_ID)

    await harness.tap(lead, "Seen", alert)
    await harness.tap(lead, "Seen", alert)
    await harness.tap(lead, "Handled", alert)

    [stored] = await alerts(harness)
    assert (stored.seen_by, stored.seen_at) == (f"staff:{SAFEGUARDING_ID}", clock.now)
    assert (stored.handled_by, stored.handled_at) == (f"staff:{SAFEGUARDING_ID}", clock.now)
    assert [t for t in staff_texts(harness, SAFEGUARDING_ID) if t.startswith("Alert 1")] == [
        "Alert 1 is marked seen by you.",
        "Alert 1 was already marked seen.",
        "Alert 1 is marked handled by you.",
    ]
    assert harness.api.last_message(SAFEGUARDING_ID).labels == []
    actions = [(entry.actor, entry.action) for entry in await audit(harness)]
    assert ("respondent", "safeguarding_alert") in actions
    assert ("outbox", "sent") in actions
    assert actions.count((f"staff:{SAFEGUARDING_ID}", "safeguarding_seen")) == 1
    assert (f"staff:{SAFEGUARDING_ID}", "safeguarding_handled") in actions


async def test_someone_else_pressing_an_alert_button_changes_nothing_and_is_audited(
    bot_with: Bot,
):
    harness, _ = await with_safeguarding_staff(bot_with)
    await disclose(harness)
    await harness.send_outbox()
    alert = harness.api.last_message(SAFEGUARDING_ID)
    stranger = harness.person("Zed")
    button = alert.button("Handled")
    assert button.callback_data is not None

    await harness.deliver(
        harness.api.updates.callback_query(stranger, alert.raw, button.callback_data)
    )

    [stored] = await alerts(harness)
    assert stored.handled_at is None
    assert [e.detail for e in await audit(harness) if e.action == "refused"] == [
        "pressed an alert button"
    ]


async def test_with_no_safeguarding_staff_the_admins_get_the_alert(harness: BotHarness):
    assert harness.settings.safeguarding_ids == frozenset()
    staff_member(harness)  # staff must have started the bot once: Telegram's rule
    await disclose(harness)

    await harness.send_outbox()

    assert (harness.api.last_message(STAFF_ID).text or "").startswith("⚠️ Safeguarding alert 1")


async def test_with_nobody_to_tell_the_alert_is_kept_and_the_log_says_so_loudly(
    bot_with: Bot, caplog: pytest.LogCaptureFixture
):
    harness = await bot_with(admin_ids=frozenset())
    with caplog.at_level(logging.ERROR, logger="bot.alerts"):
        await disclose(harness)

    assert await harness.send_outbox() == 0
    assert [alert.text for alert in await alerts(harness)] == [DISCLOSURE]
    assert "SAFEGUARDING ALERT 1" in caplog.text and "nobody is configured" in caplog.text


async def test_words_typed_before_starting_still_raise_an_alert(bot_with: Bot):
    harness, _ = await with_safeguarding_staff(bot_with)
    bea = harness.person("Bea")

    await harness.type(bea, "i wanna kms")
    await harness.send_outbox()

    assert "You are not in trouble." in harness.texts(bea)[0]
    [stored] = await alerts(harness)
    assert stored.audience is None and stored.question == "" and stored.at == "consent"
    assert "none on screen (they were at: consent)" in (
        harness.api.last_message(SAFEGUARDING_ID).text or ""
    )


async def test_contact_sends_staffs_words_to_the_respondent_and_shows_no_telegram_id(
    bot_with: Bot,
):
    harness, lead = await with_safeguarding_staff(bot_with)
    ada = await disclose(harness)
    await harness.send_outbox()
    number = (await the_respondent(harness)).id

    await harness.command(lead, "contact", f"R{number} Hello Ada, this is Lee. Are you safe?")
    assert await harness.send_outbox() == 1

    assert harness.texts(ada)[-1] == (
        "A message for you from Medway Council and NHS Kent and Medway:\n\n"
        "Hello Ada, this is Lee. Are you safe?"
    )
    assert staff_texts(harness, SAFEGUARDING_ID)[-1] == f"Your message to R{number} is on its way."
    for text in staff_texts(harness, SAFEGUARDING_ID):
        assert str(ada.id) not in (text or "") and "ada_wombat_123" not in (text or "")
    contact = [e for e in await audit(harness) if e.action == "safeguarding_contact"]
    assert [(e.actor, e.detail) for e in contact] == [
        (f"staff:{SAFEGUARDING_ID}", f"/contact R{number}: sent a message")
    ]
    assert any(e.detail.startswith("sent safeguarding_contact") for e in await audit(harness))


async def test_contact_explains_its_use_and_an_unknown_number(bot_with: Bot):
    harness, lead = await with_safeguarding_staff(bot_with)

    await harness.command(lead, "contact")
    await harness.command(lead, "contact", "R999 Hello")

    assert (
        "Write /contact, the respondent's number and your message."
        in staff_texts(harness, SAFEGUARDING_ID)[0]
    )
    assert staff_texts(harness, SAFEGUARDING_ID)[1].startswith("We cannot write to R999.")
    async with harness.service.sessions() as session:
        assert await pending_count(session) == 0


async def test_contact_from_anyone_else_gets_the_ordinary_help_and_is_audited(bot_with: Bot):
    harness, _ = await with_safeguarding_staff(bot_with)
    await disclose(harness)
    stranger = harness.person("Zed")

    await harness.command(stranger, "contact", "R1 hello")

    assert harness.texts(stranger)[-1].endswith("Is that OK?")  # as any command from someone new
    assert not any("on its way" in text for text in harness.texts(stranger))
    assert [e.detail for e in await audit(harness) if e.action == "refused"] == ["tried /contact"]
    async with harness.service.sessions() as session:
        assert await pending_count(session, kind="safeguarding_contact") == 0


async def test_an_alert_telegram_fails_for_now_is_sent_again_later(
    bot_with: Bot, clock, monkeypatch: pytest.MonkeyPatch
):
    harness, _ = await with_safeguarding_staff(bot_with)
    sender = harness.application.bot.rate_limiter
    monkeypatch.setattr(sender, "first_pause", 0.0)  # its own quick retries all fail too
    await disclose(harness)
    tries = 1 + sender.retries  # type: ignore[union-attr]
    harness.api.fail_next(
        502, "Bad Gateway", method="sendMessage", chat_id=SAFEGUARDING_ID, times=tries
    )

    assert await harness.send_outbox() == 1
    assert staff_texts(harness, SAFEGUARDING_ID) == []
    assert await harness.send_outbox() == 0  # not due again yet
    clock.now += timedelta(seconds=5)
    assert await harness.send_outbox() == 1

    assert staff_texts(harness, SAFEGUARDING_ID)[0].startswith("⚠️ Safeguarding alert 1")


async def test_stats_shows_how_many_alerts_are_open(harness: BotHarness):
    await disclose(harness, "Ada")
    await disclose(harness, "Bea", "they bully me every day")
    staff = staff_member(harness)

    await harness.command(staff, "stats")
    await settle(harness)

    assert "Safeguarding alerts not yet handled: 2." in staff_texts(harness, STAFF_ID)
