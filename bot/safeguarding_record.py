"""`consultbot safeguarding`: every alert and what staff did about it, for the record.

Reading the list is itself audited: the alerts hold what people wrote.
"""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.maintenance import with_database
from conversations.loader import load_consultation
from conversations.model import Consultation
from conversations.window import in_words
from storage.audit import add_audit
from storage.safeguarding import AlertRecord, AlertStatus, list_alerts


def describe_alert(alert: AlertRecord, consultation: Consultation) -> str:
    """One alert as a few lines of text."""
    zone = consultation.timezone
    audience = consultation.audience(alert.audience) if alert.audience else None
    lines = [
        f"Alert {alert.id} · R{alert.respondent} · {in_words(alert.created_at, zone)} · "
        f"{alert.status.value.upper()}",
        f"  Audience: {audience.label if audience else alert.audience or 'not said yet'}",
        f"  Question: {alert.question or f'none on screen (at: {alert.at})'}",
        f"  Matched: {alert.phrases or 'nothing (every typed answer is flagged for review)'}",
        f"  They wrote: {alert.text}",
    ]
    if alert.seen_at is not None:
        lines.append(f"  Seen: {in_words(alert.seen_at, zone)} by {alert.seen_by}")
    if alert.handled_at is not None:
        lines.append(f"  Handled: {in_words(alert.handled_at, zone)} by {alert.handled_by}")
    return "\n".join(lines)


async def list_alerts_for_the_record(settings: Settings, clock: Clock) -> str:
    """Every alert of the consultation, oldest first, with a count of the open ones."""
    consultation = load_consultation(settings.consultation_file)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> str:
        async with sessions() as session, session.begin():
            alerts = await list_alerts(session, consultation_id=consultation.id)
            await add_audit(
                session,
                actor="command line",
                action="safeguarding_list",
                detail="listed the safeguarding alerts",
                rows=len(alerts),
                now=clock(),
            )
        still_open = sum(alert.status is not AlertStatus.HANDLED for alert in alerts)
        head = f"{consultation.id}: {len(alerts)} safeguarding alerts, {still_open} not handled"
        return "\n\n".join([head, *(describe_alert(alert, consultation) for alert in alerts)])

    return await with_database(settings, work)
