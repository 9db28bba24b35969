"""Turning the engine's "possible disclosure" into a safeguarding alert for staff.

The alert is recorded, and one outbox message queued for each safeguarding staff member, in the
same transaction as the answer: so it is sent after the commit, survives a crash, and is never
silently dropped. With no safeguarding staff configured the admins get it; with nobody at all,
the alert is still recorded (`consultbot safeguarding` lists it) and the log says so loudly.
"""

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from conversations.model import Consultation
from conversations.outputs import Disclosure
from conversations.window import in_words
from storage.audit import add_audit
from storage.outbox import enqueue, message_payload
from storage.safeguarding import AlertStatus, add_alert

log = logging.getLogger(__name__)
ALERT_KIND = "safeguarding_alert"
CONTACT_KIND = "safeguarding_contact"
AUDITED_KINDS = frozenset({ALERT_KIND, CONTACT_KIND})
TEXT_SHOWN = 3000
"""Characters of the typed words put in the alert message (Telegram takes 4,096 in all)."""
BUTTON_PREFIX = "sg:"


def alert_button(status: AlertStatus, alert_id: int) -> str:
    """The data of an alert's "Seen" or "Handled" button."""
    return f"{BUTTON_PREFIX}{status.value}#{alert_id}"


class AlertDesk:
    """Records alerts and queues them for the staff who must see them."""

    def __init__(self, consultation: Consultation, recipients: frozenset[int]) -> None:
        self.consultation = consultation
        self.recipients = recipients

    async def raise_alert(
        self, session: AsyncSession, *, respondent_id: int, disclosure: Disclosure, now: datetime
    ) -> int:
        """Record the alert and queue a message to each staff member; returns the alert number."""
        alert_id = await add_alert(
            session,
            consultation_id=self.consultation.id,
            respondent_id=respondent_id,
            audience=disclosure.audience,
            at=disclosure.at,
            question=disclosure.question,
            text=disclosure.text,
            phrases=disclosure.phrases,
            categories=disclosure.categories,
            now=now,
        )
        text = self.render(alert_id, respondent_id, disclosure, now)
        say = self.consultation.say
        buttons = (
            (
                (say("safeguarding_seen"), alert_button(AlertStatus.SEEN, alert_id)),
                (say("safeguarding_handled"), alert_button(AlertStatus.HANDLED, alert_id)),
            ),
        )
        for recipient in sorted(self.recipients):
            await enqueue(
                session,
                kind=ALERT_KIND,
                recipient=recipient,
                payload=message_payload(text, buttons),
                now=now,
            )
        if not self.recipients:
            log.error(
                "SAFEGUARDING ALERT %s for R%s: nobody is configured to receive it. "
                "Set [safeguarding] user_ids (or [admins] user_ids) in the config, and run "
                "`consultbot safeguarding` to read it.",
                alert_id,
                respondent_id,
            )
        kinds = ", ".join(disclosure.categories) or "flagged for review"
        await add_audit(
            session,
            actor="respondent",
            action="safeguarding_alert",
            detail=f"alert {alert_id} for R{respondent_id} ({kinds}), "
            f"queued for {len(self.recipients)} staff",
            rows=len(self.recipients),
            now=now,
        )
        return alert_id

    def render(
        self, alert_id: int, respondent_id: int, disclosure: Disclosure, now: datetime
    ) -> str:
        """The alert as staff read it in Telegram."""
        c = self.consultation
        if disclosure.matched:
            reason = c.say(
                "safeguarding_reason_match",
                categories=", ".join(disclosure.categories),
                phrases="; ".join(disclosure.phrases),
            )
        else:
            reason = c.say("safeguarding_reason_review")
        audience = c.audience(disclosure.audience) if disclosure.audience else None
        text = disclosure.text
        if len(text) > TEXT_SHOWN:
            text = text[:TEXT_SHOWN] + c.say("safeguarding_text_cut")
        return c.say(
            "safeguarding_alert",
            alert=alert_id,
            reason=reason,
            title=c.title,
            respondent=respondent_id,
            audience=audience.label if audience else c.say("safeguarding_audience_unknown"),
            question=disclosure.question or c.say("safeguarding_no_question", at=disclosure.at),
            text=text,
            time=in_words(now, c.timezone),
        )
