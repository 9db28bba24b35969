"""Staff commands: /admin, /stats, /export, /close, /reopen, /extend and /announce.

Only the user ids in `[admins] user_ids` reach these handlers: the gate is the filter they are
registered with. Anyone else typing one gets the ordinary respondent reply, and the attempt is
written to the audit log under their pseudonym. Every staff action is audited.
"""

import asyncio
import contextlib
import io
import logging
import re
import tempfile
from datetime import datetime, time
from pathlib import Path

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.auditing import audit_alone
from bot.evidence import audit_evidence, evidence_zip, temporary_workspace
from bot.export_request import ExportRequest, parse_export_request
from bot.handlers import RespondentHandlers
from bot.service import ConsultationService
from bot.window_reasons import split_reason, whole_reason
from conversations.window import Phase, in_words
from reports.chart import area_charts
from reports.consultation import (
    consultation_stats,
    export_layout,
    export_name,
    export_responses,
    who_answered,
)
from reports.packaging import TELEGRAM_UPLOAD_LIMIT, package_for_upload
from reports.stats_text import render_stats_text
from storage.announcements import (
    announcement_sent_at,
    claim_announcement,
    prepare_announcement,
    record_delivered,
)
from storage.dead_letters import count_floods, dead_letters
from storage.identity import pseudonym
from storage.outbox import enqueue, message_payload
from storage.recipients import respondents_wanting_outcome
from storage.safeguarding import count_open_alerts
from storage.windows import set_window_override

log = logging.getLogger(__name__)
ANNOUNCEMENT_KIND = "announcement"
"""The outbox kind of an outcome message to one person."""
COMMANDS = ("admin", "stats", "export", "close", "reopen", "extend", "announce", "evidence")
EXTEND = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:\s+(\d{1,2}):(\d{2}))?$")
END_OF_DAY = time(23, 59)
PHOTO_MAX_SIDES = 10_000
PHOTO_MAX_RATIO = 20


def fits_as_photo(png: bytes) -> bool:
    """Whether Telegram takes this image as a photo: width and height add up to 10,000 pixels
    at most, and neither side is more than 20 times the other."""
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    return width + height <= PHOTO_MAX_SIDES and max(width, height) <= PHOTO_MAX_RATIO * min(
        width, height
    )


def telegram_length(text: str) -> int:
    """The length of a text as Telegram counts it for its limits: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class StaffHandlers:
    """The staff commands, for the admins named in the config."""

    def __init__(
        self,
        service: ConsultationService,
        admin_ids: frozenset[int],
        respondents: RespondentHandlers,
    ) -> None:
        self.service = service
        self.consultation = service.consultation
        self.sessions: async_sessionmaker[AsyncSession] = service.sessions
        self.admin_ids = admin_ids
        self.respondents = respondents
        self.say = service.consultation.say
        self.upload_limit = TELEGRAM_UPLOAD_LIMIT
        """The largest file /export sends as it is; bigger ones are zipped, then split."""

    def register(self, application: Application) -> None:
        """Wire the staff commands ahead of the respondents' handlers."""
        staff = filters.ChatType.PRIVATE & filters.User(user_id=self.admin_ids)
        callbacks = {
            "admin": self.admin,
            "stats": self.stats,
            "export": self.export,
            "close": self.close,
            "reopen": self.reopen,
            "extend": self.extend,
            "announce": self.announce,
            "evidence": self.evidence,
        }
        slow = {"stats", "export", "announce", "evidence"}
        for name, callback in callbacks.items():
            application.add_handler(
                CommandHandler(name, callback, filters=staff, block=name not in slow)
            )
        outsiders = filters.ChatType.PRIVATE & ~filters.User(user_id=self.admin_ids)
        application.add_handler(CommandHandler(list(COMMANDS), self.refused, filters=outsiders))
        application.add_handler(CallbackQueryHandler(self.confirm_close, pattern=r"^staff:close#"))
        application.add_handler(
            CallbackQueryHandler(self.confirm_announce, pattern=r"^staff:announce#", block=False)
        )

    async def admin(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """List the staff commands."""
        await self._tell(update, self.say("staff_help", zone=self.consultation.timezone.key))

    async def refused(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Someone who is not staff tried a staff command: answer as to anyone, and log it."""
        assert update.effective_user and update.effective_message
        name = (update.effective_message.text or "").split()[0]
        actor = pseudonym(self.service.secret, update.effective_user.id)
        await self._audit(f"respondent:{actor[:16]}", "refused", f"tried {name}", None)
        await self.respondents.unknown_command(update, context)

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The numbers so far as short messages, then a bar chart per priority area."""
        await self._tell(update, self.say("staff_working"))
        stats = await consultation_stats(self.consultation, self.sessions)
        who = await who_answered(self.consultation, self.sessions, self.service.clock())
        layout = export_layout(self.consultation)
        for text in render_stats_text(stats, layout, who=who):
            await self._tell(update, text)
        if pressure := await self._pressure():
            await self._tell(update, pressure)
        async with self.sessions() as session:
            alerts = await count_open_alerts(session, consultation_id=self.consultation.id)
        await self._tell(update, self.say("staff_alerts_open", open=alerts))
        chat = self._chat(update)
        # Drawing takes about a tenth of a second per area: on a worker thread, so that
        # respondents' messages are not held up meanwhile.
        for chart in await asyncio.to_thread(area_charts, stats, layout):
            caption = chart.title[:1024]
            if fits_as_photo(chart.png):
                await context.bot.send_photo(chat, chart.png, caption=caption)
            else:  # an area with many questions: as a file, every bar stays readable
                name = f"{chart.area}.png"
                await context.bot.send_document(chat, chart.png, filename=name, caption=caption)
        await self._audit(self._actor(update), "stats", "viewed statistics", stats.respondents)

    async def _pressure(self) -> str:
        """How often people were asked to slow down, and updates set aside; empty if never."""
        async with self.sessions() as session:
            floods = await count_floods(session, consultation_id=self.consultation.id)
            set_aside, _ = await dead_letters(session, scope=self.consultation.id, newest=0)
        lines = [
            self.say(key, count=count)
            for key, count in (("staff_slowed_down", floods), ("staff_set_aside", set_aside))
            if count
        ]
        return "\n".join(lines)

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the answers so far as a file: csv, xlsx (the default) or json, with the command
        line's filters: `finished` and `since 2022-09-01`."""
        request = parse_export_request(context.args or [], self.consultation.timezone)
        if request is None:
            await self._tell(
                update, self.say("staff_export_usage", zone=self.consultation.timezone.key)
            )
            return
        fmt = request.fmt
        await self._tell(update, self.say("staff_working"))
        with tempfile.TemporaryDirectory(prefix="consultbot-export-") as folder:
            path = Path(folder) / export_name(self.consultation, fmt, self.service.clock())
            summary = await export_responses(
                self.consultation,
                self.sessions,
                fmt,
                path,
                since=request.since,
                finished_only=request.finished_only,
                now=self.service.clock(),
                with_profile=request.with_profile,
            )
            files = await package_for_upload(path, self.upload_limit)
            caption = "\n".join(
                [
                    self.say(
                        "staff_exported", respondents=summary.respondents, answers=summary.answers
                    ),
                    *self._export_filters(request),
                ]
            )
            if len(files) > 1:
                await self._tell(update, self.say("staff_exported_parts", parts=len(files)))
            for file in files:
                with file.open("rb") as handle:
                    await context.bot.send_document(
                        self._chat(update), handle, filename=file.name, caption=caption
                    )
        detail = " ".join([f"exported {fmt.value}", *self._export_filters(request)])
        await self._audit(self._actor(update), "export", detail, summary.answers)

    def _export_filters(self, request: ExportRequest) -> list[str]:
        """The filters of an export in words, for its caption and the audit log."""
        words = []
        if request.finished_only:
            words.append(self.say("staff_export_finished"))
        if request.since is not None:
            words.append(self.say("staff_export_since", since=self._words(request.since)))
        if request.with_profile:
            words.append(self.say("staff_export_with_profile"))
        return words

    async def close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask before closing now (or say when it closed, if it already has)."""
        if await self._say_if_closed(update):
            return
        text = self.say("staff_close_confirm")
        if reason := whole_reason(self.consultation, _after_command(update)):
            text += "\n\n" + self.say("staff_close_reason", reason=reason)
        await context.bot.send_message(
            self._chat(update), text, reply_markup=self._yes_no("close", "yes")
        )

    async def confirm_close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The answer to "Close the consultation now?"."""
        query = update.callback_query
        assert query is not None
        if not await self._answer_staff_button(query):
            return
        if query.data != "staff:close#yes":
            await self._tell(update, self.say("staff_close_kept"))
            return
        if await self._say_if_closed(update):  # an earlier "Yes" (or the date) closed it
            return
        now = self.service.clock()
        reason = self._reason_in(query.message.text if query.message else None)
        await self._set_window(update, closes_at=now, reason=reason)
        await self._tell(update, self.say("staff_closed", closes=self._words(now)))

    async def reopen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Go back to the close date in the consultation file, if it is still ahead."""
        closes_at = self.consultation.closes_at
        if closes_at <= self.service.clock():
            await self._tell(update, self.say("staff_reopen_past", closes=self._words(closes_at)))
            return
        reason = whole_reason(self.consultation, _after_command(update))
        await self._set_window(update, closes_at=None, reason=reason)
        await self._tell(update, self.say("staff_reopened", closes=self._words(closes_at)))

    async def extend(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Set a new close date: /extend YYYY-MM-DD [HH:MM], in the consultation's time zone."""
        moment, reason = split_reason(self.consultation, _after_command(update))
        closes_at = self._parse_moment(moment)
        if closes_at is None:
            await self._tell(update, self.say("staff_extend_usage"))
            return
        if closes_at <= self.service.clock():
            await self._tell(update, self.say("staff_extend_past", closes=self._words(closes_at)))
            return
        await self._set_window(update, closes_at=closes_at, reason=reason)
        await self._tell(update, self.say("staff_extended", closes=self._words(closes_at)))

    async def announce(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After the close, show staff their "you said, we did" message as people will get it,
        and ask before sending; the same announcement is never sent twice."""
        assert update.effective_message and update.effective_message.text
        # Everything after the command, however it is separated: a line break keeps every word.
        words = update.effective_message.text.split(maxsplit=1)
        text = words[1].strip() if len(words) > 1 else ""
        if not text:
            await self._tell(update, self.say("staff_announce_usage"))
            return
        async with self.sessions() as session:
            window = await self.service.window(session)
            recipients = await respondents_wanting_outcome(
                session, consultation_id=self.consultation.id
            )
        if window.phase(self.service.clock()) is not Phase.CLOSED:
            await self._tell(update, self.say("staff_announce_open"))
            return
        news = self._news(text)
        if (over := telegram_length(news) - MessageLimit.MAX_TEXT_LENGTH) > 0:
            # Telegram would refuse it for every person: say so rather than "Sent to 0".
            await self._tell(update, self.say("staff_announce_too_long", over=over))
            return
        async with self.sessions() as session, session.begin():
            prepared = await prepare_announcement(
                session,
                consultation_id=self.consultation.id,
                text=text,
                actor=self._actor(update),
                now=self.service.clock(),
            )
        if prepared.sent_at is not None:
            await self._refuse_again(update, prepared.sent_at)
            return
        await self._tell(update, self.say("staff_announce_preview"))
        await self._tell(update, news)
        await context.bot.send_message(
            self._chat(update),
            self.say("staff_announce_confirm", total=len(recipients)),
            reply_markup=self._yes_no("announce", prepared.text_hash),
        )

    async def confirm_announce(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The answer to "Send this to N people?": claim the announcement once, then send it."""
        query = update.callback_query
        assert query is not None
        if not await self._answer_staff_button(query):
            return
        chosen = (query.data or "").partition("#")[2]
        if chosen == "no":
            await self._tell(update, self.say("staff_announce_kept"))
            return
        async with self.sessions() as session:
            window = await self.service.window(session)
        if window.phase(self.service.clock()) is not Phase.CLOSED:  # reopened since the preview
            await self._tell(update, self.say("staff_announce_open"))
            return
        where = {"consultation_id": self.consultation.id, "text_hash": chosen}
        now = self.service.clock()
        async with self.sessions() as session, session.begin():
            # The claim and one outbox message per person commit together: sent once, and
            # whatever is owed at a crash goes out after the restart.
            text = await claim_announcement(session, **where, actor=self._actor(update), now=now)
            if text is None:  # sent already, or a button the database does not know
                sent_at = await announcement_sent_at(session, **where)
            else:
                recipients = await respondents_wanting_outcome(
                    session, consultation_id=self.consultation.id
                )
                payload = message_payload(self._news(text))
                for recipient in recipients:
                    await enqueue(
                        session,
                        kind=ANNOUNCEMENT_KIND,
                        recipient=recipient.chat_id,
                        payload=payload,
                        now=now,
                    )
                await record_delivered(session, **where, delivered=len(recipients))
        if text is None:
            if sent_at is not None:
                await self._refuse_again(update, sent_at)
            else:
                await self._tell(update, self.say("staff_announce_kept"))
            return
        self.service.outbox_waiting.set()
        await self._tell(update, self.say("staff_announced", total=len(recipients)))
        await self._audit(
            self._actor(update), "announce", "queued the outcome message", len(recipients)
        )

    def _news(self, text: str) -> str:
        return self.say("outcome_news", title=self.consultation.title, text=text)

    async def _refuse_again(self, update: Update, sent_at: datetime) -> None:
        """The same announcement was sent before: say when, send nothing, and log the try."""
        await self._tell(update, self.say("staff_announce_again", sent=self._words(sent_at)))
        await self._audit(self._actor(update), "refused", "tried to announce the same again", 0)

    def _yes_no(self, action: str, yes: str) -> InlineKeyboardMarkup:
        """The "Yes" and "No" buttons under a staff question; "Yes" carries `yes`."""
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        self.say(f"staff_{action}_yes"), callback_data=f"staff:{action}#{yes}"
                    )
                ],
                [
                    InlineKeyboardButton(
                        self.say(f"staff_{action}_no"), callback_data=f"staff:{action}#no"
                    )
                ],
            ]
        )

    async def _answer_staff_button(self, query: CallbackQuery) -> bool:
        """Stop the spinner and take the buttons away (one answer per question); False, and
        audited, if whoever pressed is not staff."""
        await query.answer()
        if query.from_user.id not in self.admin_ids:
            actor = pseudonym(self.service.secret, query.from_user.id)
            await self._audit(f"respondent:{actor[:16]}", "refused", "pressed a staff button", None)
            return False
        with contextlib.suppress(TelegramError):  # the answer stands even if the edit fails
            await query.edit_message_reply_markup(None)
        return True

    def _parse_moment(self, text: str) -> datetime | None:
        """The moment in `YYYY-MM-DD [HH:MM]`, or None if it is not a real date and time."""
        match = EXTEND.match(text.strip())
        if match is None:
            return None
        year, month, day, hour, minute = match.groups()
        try:  # 2022-02-30, 25:00 and 10:60 are not moments
            at = time(int(hour), int(minute)) if hour is not None else END_OF_DAY
            moment = datetime(int(year), int(month), int(day), at.hour, at.minute)
        except ValueError:
            return None
        return moment.replace(tzinfo=self.consultation.timezone)

    async def _say_if_closed(self, update: Update) -> bool:
        """Tell staff when it closed, if it has; True if so."""
        async with self.sessions() as session:
            window = await self.service.window(session)
        if window.phase(self.service.clock()) is not Phase.CLOSED:
            return False
        closes = self._words(window.closes_at)
        await self._tell(update, self.say("staff_already_closed", closes=closes))
        return True

    async def evidence(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the evidence record as a zip: index.html, the tables, file versions, exports."""
        await self._tell(update, self.say("staff_working"))
        with temporary_workspace() as folder:
            archive, summary = await evidence_zip(
                self.consultation, self.sessions, Path(folder), self.service.clock()
            )
            caption = self.say(
                "staff_evidence_sent", respondents=summary.respondents, answers=summary.answers
            )
            for file in await package_for_upload(archive, self.upload_limit):
                with file.open("rb") as handle:
                    await context.bot.send_document(
                        self._chat(update), handle, filename=file.name, caption=caption
                    )
        await audit_evidence(self.sessions, self._actor(update), summary, self.service.clock())

    def _reason_in(self, confirmation: str | None) -> str | None:
        """The reason shown in a "Close now?" question, if staff gave one."""
        prefix = self.say("staff_close_reason", reason="")
        lines = (confirmation or "").splitlines()
        return next((line.removeprefix(prefix) for line in lines if line.startswith(prefix)), None)

    async def _set_window(
        self, update: Update, *, closes_at: datetime | None, reason: str | None
    ) -> None:
        async with self.sessions() as session, session.begin():
            await set_window_override(
                session,
                consultation_id=self.consultation.id,
                opens_at=None,
                closes_at=closes_at,
                actor=self._actor(update),
                now=self.service.clock(),
                reason=reason,
            )

    async def _audit(self, actor: str, action: str, detail: str, rows: int | None) -> None:
        await audit_alone(
            self.sessions,
            actor=actor,
            action=action,
            detail=detail,
            rows=rows,
            now=self.service.clock(),
        )

    def _words(self, moment: datetime) -> str:
        return in_words(moment, self.consultation.timezone)

    async def _tell(self, update: Update, text: str) -> None:
        await update.get_bot().send_message(self._chat(update), text)

    @staticmethod
    def _chat(update: Update) -> int:
        assert update.effective_chat is not None
        return update.effective_chat.id

    @staticmethod
    def _actor(update: Update) -> str:
        assert update.effective_user is not None
        return f"staff:{update.effective_user.id}"


def _after_command(update: Update) -> str:
    """Everything staff wrote after the command, line breaks included."""
    text = update.effective_message.text if update.effective_message else None
    words = (text or "").split(maxsplit=1)
    return words[1] if len(words) > 1 else ""
