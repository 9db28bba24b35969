"""What a respondent controls at any point: reading the privacy notice, plain or in full, and
stopping the reminder or the news they asked for.

These work whatever the date (news comes after the close, and so do second thoughts about it),
and stopping a message is kept in the state, which the caller mirrors for whoever sends them.
"""

from dataclasses import replace

from conversations.buttons import button_data
from conversations.model import Consultation
from conversations.outputs import Button, Reply, Step
from conversations.state import State

PRIVACY = "privacy"
FULL = "full"
OPT_OUT = "optout"
REMINDERS = "reminders"
NEWS = "news"
WANTS = {REMINDERS: "wants_reminder", NEWS: "wants_outcome"}
"""Each message a respondent can stop, and the state field that says they want it."""


def privacy(consultation: Consultation, state: State, *, full: bool) -> Step:
    """The plain privacy notice with a button for the full one, or the full one when asked."""
    if full and consultation.privacy_notice_full is not None:
        return Step(state, (Reply(privacy_full_text(consultation)),))
    return Step(state, (plain_privacy(consultation),))


def plain_privacy(consultation: Consultation) -> Reply:
    """The plain notice everyone is shown; the full one is a tap away when the file has one."""
    text = consultation.say("privacy", notice=consultation.privacy_notice)
    if consultation.privacy_notice_full is None:
        return Reply(text)
    more = Button(consultation.say("privacy_more"), button_data(PRIVACY, FULL))
    return Reply(text, ((more,),))


def privacy_full_text(consultation: Consultation) -> str:
    """The full notice, headed by every organisation responsible for the answers."""
    names = consultation.data_controllers or (consultation.organisation,)
    return consultation.say(
        "privacy_full",
        controllers="\n".join(f"• {name}" for name in names),
        notice=consultation.privacy_notice_full or consultation.privacy_notice,
    )


def stop(consultation: Consultation, state: State) -> Step:
    """Pause: say the answers are kept and how to carry on, and offer to stop any message the
    respondent asked for (a reminder is only offered while there is something to finish)."""
    say = consultation.say
    offers = []
    if state.wants_reminder and state.at != "done":
        offers.append((Button(say("stop_reminder"), button_data(OPT_OUT, REMINDERS)),))
    if state.wants_outcome:
        offers.append((Button(say("stop_news"), button_data(OPT_OUT, NEWS)),))
    replies = [Reply(say("stopped"))]
    if offers:
        replies.append(Reply(say("stop_offer"), tuple(offers)))
    return Step(state, tuple(replies))


def opt_out(consultation: Consultation, state: State, what: str, *, pressed: bool) -> Step:
    """Stop the reminder or the news (`what`); say so plainly if it was never asked for."""
    say = consultation.say
    field = WANTS.get(what)
    if field is None:
        return Step(state, (Reply(say("tap_a_button")),))
    if getattr(state, field) is not True:
        return Step(state, (Reply(say(f"no_{what}_none")),))
    label = say("stop_reminder" if what == REMINDERS else "stop_news")
    return Step(
        replace(state, **{field: False}),
        (Reply(say(f"no_{what}_done")),),
        acknowledge=label if pressed else None,
    )
