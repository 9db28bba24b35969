"""Safeguarding staff in Telegram: "Seen" and "Handled" on an alert, and /contact N message.

Only the safeguarding staff (`[safeguarding] user_ids`, or the admins when none are set) reach
these. /contact is the one deliberate way to reach a respondent: it sends staff's words to
respondent R<N> through the bot (by the outbox, so it is not lost) and shows staff nothing but
the number. Every press and every message is in the audit log.
"""

import contextlib
import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.alerts import BUTTON_PREFIX, CONTACT_KIND
from bot.auditing import audit_alone
from bot.handlers import RespondentHandlers
from bot.service import ConsultationService
from storage.audit import add_audit
from storage.identity import pseudonym
from storage.outbox import enqueue, message_payload
from storage.respondents import get_respondent
from storage.safeguarding import AlertStatus, mark_alert

CONTACT = re.compile(r"^/contact(?:@\w+)?\s+[Rr]?(\d+)\s+(.+)$", re.DOTALL)
PRESS = re.compile(rf"^{BUTTON_PREFIX}(seen|handled)#(\d+)$")


class SafeguardingHandlers:
    """The safeguarding staff's buttons and commands."""

    def __init__(
        self,
        service: ConsultationService,
        staff_ids: frozenset[int],
        respondents: RespondentHandlers,
    ) -> None:
        self.service = service
        self.consultation = service.consultation
        self.sessions: async_sessionmaker[AsyncSession] = service.sessions
        self.staff_ids = staff_ids
        self.respondents = respondents
        self.say = service.consultation.say

    def register(self, application: Application) -> None:
        """Wire /contact and the alert buttons, ahead of the respondents' handlers."""
        staff = filters.ChatType.PRIVATE & filters.User(user_id=self.staff_ids)
        application.add_handler(CommandHandler("contact", self.contact, filters=staff))
        outsiders = filters.ChatType.PRIVATE & ~filters.User(user_id=self.staff_ids)
        application.add_handler(CommandHandler("contact", self.refused, filters=outsiders))
        application.add_handler(CallbackQueryHandler(self.press, pattern=PRESS))

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """ "Seen" or "Handled" on an alert: recorded with who and when, once."""
        query = update.callback_query
        assert query is not None and query.data is not None
        await query.answer()
        match = PRESS.match(query.data)
        assert match is not None  # the handler's pattern
        status, alert_id = AlertStatus(match[1]), int(match[2])
        if query.from_user.id not in self.staff_ids:
            actor = pseudonym(self.service.secret, query.from_user.id)
            await self._audit(f"respondent:{actor[:16]}", "refused", "pressed an alert button")
            return
        actor = f"staff:{query.from_user.id}"
        now = self.service.clock()
        async with self.sessions() as session, session.begin():
            changed = await mark_alert(
                session,
                consultation_id=self.consultation.id,
                alert_id=alert_id,
                status=status,
                by=actor,
                now=now,
            )
            if changed:
                await add_audit(
                    session,
                    actor=actor,
                    action=f"safeguarding_{status.value}",
                    detail=f"marked alert {alert_id} {status.value}",
                    rows=None,
                    now=now,
                )
        if changed and status is AlertStatus.HANDLED:
            with contextlib.suppress(TelegramError):  # the record stands even if the edit fails
                await query.edit_message_reply_markup(None)
        key = "safeguarding_marked" if changed else "safeguarding_marked_already"
        await self._tell(
            update,
            self.say(key, alert=alert_id, status=self.say(f"safeguarding_{status.value}").lower()),
        )

    async def contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/contact N message: send staff's words to respondent R<N> through the bot."""
        assert update.effective_message is not None and update.effective_user is not None
        match = CONTACT.match((update.effective_message.text or "").strip())
        if match is None:
            await self._tell(update, self.say("safeguarding_contact_usage"))
            return
        number, words = int(match[1]), match[2].strip()
        actor = f"staff:{update.effective_user.id}"
        now = self.service.clock()
        async with self.sessions() as session, session.begin():
            respondent = await get_respondent(session, respondent_id=number)
            if (
                respondent is None
                or respondent.consultation_id != self.consultation.id
                or respondent.chat_id is None
            ):
                reply = self.say("safeguarding_contact_unknown", respondent=number)
                outcome = "found nobody to write to"
            elif respondent.unreachable_at is not None:
                reply = self.say("safeguarding_contact_blocked", respondent=number)
                outcome = "could not: they blocked the bot"
            else:
                text = self.say(
                    "safeguarding_contact", organisation=self.consultation.organisation, text=words
                )
                await enqueue(
                    session,
                    kind=CONTACT_KIND,
                    recipient=respondent.chat_id,
                    payload=message_payload(text),
                    now=now,
                )
                reply = self.say("safeguarding_contact_queued", respondent=number)
                outcome = "sent a message"
            await add_audit(
                session,
                actor=actor,
                action="safeguarding_contact",
                detail=f"/contact R{number}: {outcome}",
                rows=None,
                now=now,
            )
        self.service.outbox_waiting.set()
        await self._tell(update, reply)

    async def refused(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Someone who is not safeguarding staff typed /contact: the ordinary reply, audited."""
        assert update.effective_user is not None
        actor = pseudonym(self.service.secret, update.effective_user.id)
        await self._audit(f"respondent:{actor[:16]}", "refused", "tried /contact")
        await self.respondents.unknown_command(update, context)

    async def _audit(self, actor: str, action: str, detail: str) -> None:
        await audit_alone(
            self.sessions,
            actor=actor,
            action=action,
            detail=detail,
            rows=None,
            now=self.service.clock(),
        )

    @staticmethod
    async def _tell(update: Update, text: str) -> None:
        assert update.effective_chat is not None
        await update.get_bot().send_message(update.effective_chat.id, text)
