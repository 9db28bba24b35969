"""The engine: one pure step from (consultation, state, input, time) to what happens next.

The caller stores the new state and the answers, then shows the replies. Nothing here reads
the clock, a database or a network, so every path is a plain function call in the tests.
"""

from dataclasses import replace
from datetime import datetime

from conversations import control
from conversations.buttons import PREFER_VALUE, button_data, parse_button
from conversations.explanations import explanation_at
from conversations.inputs import Command, CommandName, Input, Press, Start, Text
from conversations.journey import Asked, find, next_place, repaired
from conversations.languages import match_language
from conversations.model import FINAL_AREA, PREFER_NOT, Consultation, Kind
from conversations.outputs import Answer, Button, Disclosure, Reply, Signal, Step
from conversations.render import (
    answer_label,
    answered,
    area_intro,
    ask,
    language_menu,
    my_answers,
)
from conversations.state import State
from conversations.window import Phase, Window, in_words

ALWAYS_ALLOWED = frozenset(
    {
        CommandName.PRIVACY,
        CommandName.MY_ANSWERS,
        CommandName.DELETE,
        CommandName.NO_REMINDERS,
        CommandName.NO_NEWS,
        CommandName.LANGUAGE,
    }
)
OPT_OUTS = {CommandName.NO_REMINDERS: control.REMINDERS, CommandName.NO_NEWS: control.NEWS}
ANYTIME_BUTTONS = frozenset({"delete", control.PRIVACY, control.OPT_OUT, "language"})
NOT_STARTED = frozenset({"consent", "declined"})
SOURCE_LIMIT = 64


def step(
    consultation: Consultation,
    state: State | None,
    event: Input,
    now: datetime,
    *,
    window: Window | None = None,
    preview: bool = False,
    language_hint: str | None = None,
) -> Step:
    """Handle one input. `window` overrides the file's dates; `preview` ignores the dates.

    `language_hint` is the language the person's app is set to (Telegram's `language_code`),
    used until they choose one or consent in one.
    """
    return _Turn(consultation, state, now, window, preview, language_hint).handle(event)


def where_you_are(
    consultation: Consultation, state: State | None, language_hint: str | None = None
) -> tuple[Reply, ...]:
    """The message waiting for the respondent's input, shown again after a reply may be lost.

    Empty when nothing is waiting: nobody started, or they finished or said no.
    """
    if state is None or state.at in ("done", "declined"):
        return ()
    spoken = consultation.in_language(language_of(consultation, state, language_hint))
    return ask(spoken, repaired(consultation, state))


def language_of(consultation: Consultation, state: State | None, hint: str | None) -> str:
    """The language to speak: the one chosen, else the app's if offered, else the default."""
    if state is not None and state.language in consultation.languages:
        return state.language
    return match_language(hint, consultation.languages) or consultation.languages[0]


class _Turn:
    """One input being handled; a class only to keep the shared values at hand."""

    def __init__(
        self,
        consultation: Consultation,
        state: State | None,
        now: datetime,
        window: Window | None,
        preview: bool,
        language_hint: str | None = None,
    ) -> None:
        self.root = consultation
        self.fresh = state is None
        self.state = repaired(consultation, state or State())
        self.language = language_of(consultation, self.state, language_hint)
        self.c = consultation.in_language(self.language)
        self.now = now
        self.window = window or Window(consultation.opens_at, consultation.closes_at)
        self.preview = preview
        self.say = self.c.say

    def handle(self, event: Input) -> Step:
        result = self._route(event)
        if isinstance(event, Text):
            result = self._screened(event.text, result, typed_answer=True)
        elif isinstance(event, Command) and event.argument.strip():  # "/stop because ..."
            result = self._screened(event.argument, result, typed_answer=False)
        if result.acknowledge is None:
            return result
        return replace(result, acknowledge=self.say("chosen", label=result.acknowledge))

    def _screened(self, text: str, result: Step, *, typed_answer: bool) -> Step:
        """Typed words are screened for a possible disclosure of harm before anything else is
        shown: on a match the help message comes first, then the step as it would have been.
        The answer is kept and nothing is blocked."""
        asked = self._current_question()
        found = self.c.screening.matches(text)
        is_answer = typed_answer and asked is not None and asked.question.kind is Kind.TEXT
        if not found and not (self.c.screening.flag_all_text and is_answer and text.strip()):
            return result
        audience = result.state.audience or self.state.audience
        disclosure = Disclosure(
            text=text,
            at=self.state.at,
            question=asked.question.text.for_audience(audience) if asked else "",
            audience=audience,
            phrases=tuple(phrase.written for phrase in found),
            categories=tuple(dict.fromkeys(phrase.category for phrase in found)),
        )
        replies = result.replies
        if found:
            replies = (Reply(self.c.screening.help_for(audience)), *replies)
        return replace(result, replies=replies, disclosure=disclosure)

    def _route(self, event: Input) -> Step:
        if isinstance(event, Command) and event.name in ALWAYS_ALLOWED:
            return self._anytime(event)
        if isinstance(event, Press) and parse_button(event.data)[0] in ANYTIME_BUTTONS:
            return self._anytime_button(event.data)
        if not self.preview and (closed := self._outside_window()) is not None:
            return closed
        if isinstance(event, Start):
            return self._start(event.payload)
        if self.fresh and not isinstance(event, Press):
            return self._start(None)
        if isinstance(event, Command):
            return self._command(event.name)
        if isinstance(event, Press):
            return self._press(event.data)
        if isinstance(event, Text):
            return self._text(event.text)
        if event.kind == "edited":
            return self._reply(self.say("edited"))
        return Step(
            self.state, (Reply(self._with_other_ways("unsupported")), *self._ask_if_waiting())
        )

    # -- what works whatever the date ---------------------------------------------------------

    def _anytime(self, event: Command) -> Step:
        name = event.name
        if name is CommandName.PRIVACY:
            full = event.argument.strip().lower() == control.FULL
            return control.privacy(self.c, self.state, full=full)
        if name in OPT_OUTS:
            return control.opt_out(self.c, self.state, OPT_OUTS[name], pressed=False)
        if name is CommandName.MY_ANSWERS:
            return Step(self.state, my_answers(self.c, self.state))
        if name is CommandName.LANGUAGE:
            return Step(self.state, (language_menu(self.c),))
        if not self.state.answers and self.state.at in NOT_STARTED:
            return self._reply(self.say("nothing_to_delete"))
        buttons = (
            (Button(self.say("delete_yes"), button_data("delete", "yes")),),
            (Button(self.say("delete_no"), button_data("delete", "no")),),
        )
        return Step(self.state, (Reply(self.say("delete_confirm"), buttons),))

    def _anytime_button(self, data: str) -> Step:
        place, value = parse_button(data)
        if place == control.PRIVACY:
            return control.privacy(self.c, self.state, full=value == control.FULL)
        if place == control.OPT_OUT:
            return control.opt_out(self.c, self.state, value, pressed=True)
        if place == "language":
            return self._set_language(value)
        if value == "yes":
            erased = State(at="declined")
            replies = (Reply(self.say("deleted")),)
            return Step(
                erased,
                replies,
                signals=frozenset({Signal.ERASE}),
                acknowledge=self.say("delete_yes"),
            )
        return Step(self.state, (Reply(self.say("kept")),), acknowledge=self.say("delete_no"))

    def _outside_window(self) -> Step | None:
        phase = self.window.phase(self.now)
        if phase is Phase.NOT_OPEN:
            assert self.window.opens_at is not None
            return self._reply(self.say("not_open", opens=self._in_words(self.window.opens_at)))
        if phase is Phase.CLOSED:
            started = not self.fresh and self.state.at not in NOT_STARTED
            key = "closed_kept" if started else "closed"
            return self._reply(self.say(key, closes=self._in_words(self.window.closes_at)))
        return None

    def _with_other_ways(self, key: str, **values: str) -> str:
        """A sentence followed by the other ways to answer (phone, email, paper), if any."""
        text = self.say(key, **values)
        if self.c.other_ways:
            text += "\n\n" + self.say("other_ways", other_ways=self.c.other_ways)
        return text

    def _in_words(self, moment: datetime) -> str:
        return in_words(moment, self.c.timezone, self.c.messages)

    def _set_language(self, code: str) -> Step:
        """Speak another language from now on, carrying on exactly where the person was."""
        if code not in self.root.languages:
            return self._reply(self.say("tap_a_button"))
        state = replace(self.state, language=code)
        turn = _Turn(self.root, state, self.now, self.window, self.preview)
        if state.at == "consent":
            return turn.handle(Start(None))
        open_now = self.preview or self.window.phase(self.now) is Phase.OPEN
        waiting = turn._ask_if_waiting() if open_now else ()
        said = Reply(turn.say("language_set"))
        return Step(state, (said, *waiting), acknowledge=turn.c.language_names[code])

    # -- starting and commands -----------------------------------------------------------------

    def _start(self, payload: str | None) -> Step:
        if not self.fresh and self.state.at not in NOT_STARTED:
            if self.state.at == "done":
                return self._reply(self.say("done_already"))
            return Step(self.state, (Reply(self.say("welcome_back")), *ask(self.c, self.state)))
        audience, source = self._read_payload(payload)
        state = State(
            at="consent",
            audience=audience or self.state.audience,
            source=source or self.state.source,
            language=self.state.language,
        )
        welcome = self.say(
            "welcome",
            organisation=self.c.organisation,
            title=self.c.title,
            summary=self.c.summary,
            minutes=self.c.minutes,
            **self._what_and_until(),
        )
        return Step(state, (Reply(welcome), *ask(self.c, state)))

    def _what_and_until(self) -> dict[str, str]:
        """The document consulted on, and the closing time in force (after any /extend)."""
        return {"document": self.c.document_url, "closes": self._in_words(self.window.closes_at)}

    def _read_payload(self, payload: str | None) -> tuple[str | None, str | None]:
        """A deep-link payload: an audience key, a source (school, poster...), or both as a__b."""
        audience = source = None
        for part in (payload or "").split("__"):
            if self.c.audience(part):
                audience = part
            elif part:
                source = part[:SOURCE_LIMIT]
        return audience, source

    def _command(self, name: CommandName) -> Step:
        if name is CommandName.HELP:
            help_text = self._with_other_ways("help", **self._what_and_until())
            return Step(self.state, (Reply(help_text), *self._ask_if_waiting()))
        if name is CommandName.STOP:
            return control.stop(self.c, self.state)
        if name is CommandName.REVIEW:
            return Step(self.state, (*my_answers(self.c, self.state), *self._ask_if_waiting()))
        if name is CommandName.SKIP:
            asked = self._current_question()
            if asked is None:
                return self._reply(self.say("nothing_to_skip"))
            if not asked.question.skippable:
                return self._reply(self.say("cannot_skip"))
            return self._answered(asked, None)
        return self._back()

    def _back(self) -> Step:
        """Go back one place, passing over questions removed from the file since."""
        history = list(self.state.history)
        while history and self.state.at not in ("done", "declined"):
            previous = history.pop()
            if previous.startswith("q:") and find(self.c, self.state, previous) is None:
                continue
            state = replace(self.state, at=previous, history=tuple(history), reviewing=False)
            state = self._entered(state)
            return Step(state, ask(self.c, state))
        return self._reply(self.say("at_start"))

    def _ask_if_waiting(self) -> tuple[Reply, ...]:
        return () if self.state.at in ("done", "declined") else ask(self.c, self.state)

    # -- buttons and text ----------------------------------------------------------------------

    def _press(self, data: str) -> Step:
        place, value = parse_button(data)
        if place in ANYTIME_BUTTONS:
            return self._anytime_button(data)
        if place == "explain":
            return self._explain(value)
        if place != self.state.at or self.state.at in ("done", "declined"):
            return Step(self.state, (Reply(self.say("stale_button")), *ask(self.c, self.state)))
        if place == "consent":
            return self._consent(value)
        if place == "audience" and self.c.audience(value):
            state = replace(self.state, audience=value)
            label = self.c.audience(value).label  # type: ignore[union-attr]
            return self._move(state, next_place(self.c, state, "audience"), acknowledge=label)
        if place in ("reminders", "outcome") and value in ("yes", "no"):
            return self._yes_no(place, value == "yes")
        if place == "areas":
            return self._areas(value)
        if place == "review":
            return self._review(value)
        if place == "change":
            return self._change(value)
        asked = find(self.c, self.state, place)
        if asked is not None:
            return self._question_press(asked, value)
        return self._reply(self.say("tap_a_button"))

    def _text(self, text: str) -> Step:
        if self.state.at in ("done", "declined"):
            return Step(self.state, ask(self.c, self.state))
        asked = self._current_question()
        if asked is not None and asked.question.kind is Kind.TEXT:
            text = text.strip()
            if len(text) > asked.question.max_length:
                return self._reply(
                    self.say("too_long", length=len(text), limit=asked.question.max_length)
                )
            if text:
                return self._answered(asked, text)
            return self._reply(
                self.say("text_hint_skip" if asked.question.skippable else "text_hint")
            )
        for reply in ask(self.c, self.state):
            for row in reply.buttons:
                for button in row:
                    if button.label.casefold() == text.strip().casefold():
                        return self._press(button.data)
        return self._reply(self.say("tap_a_button"))

    def _explain(self, target: str) -> Step:
        """An easy-read explanation (and its picture), then the same question again."""
        explanation = explanation_at(self.c, self.state, target)
        text = explanation.text.get(self.state.audience) if explanation else None
        if explanation is None or text is None or self.state.at in ("done", "declined"):
            return Step(self.state, (Reply(self.say("stale_button")), *self._ask_if_waiting()))
        picture = str(explanation.picture) if explanation.picture else None
        return Step(self.state, (Reply(text, picture=picture), *ask(self.c, self.state)))

    def _consent(self, value: str) -> Step:
        if value == "privacy":
            return Step(self.state, (control.plain_privacy(self.c), *ask(self.c, self.state)))
        if value == "no":
            return Step(
                State(at="declined"),
                (Reply(self.say("declined")),),
                signals=frozenset({Signal.DECLINED}),
                acknowledge=self.say("consent_no"),
            )
        next_at = next_place(self.c, self.state, "audience") if self.state.audience else "audience"
        return self._move(
            replace(self.state, language=self.language),
            next_at,
            acknowledge=self.say("consent_yes"),
            signals=frozenset({Signal.CONSENTED}),
        )

    def _yes_no(self, place: str, yes: bool) -> Step:
        label = self.say("yes" if yes else "no")
        if place == "reminders":
            return self._move(replace(self.state, wants_reminder=yes), "areas", acknowledge=label)
        return self._move(replace(self.state, wants_outcome=yes), "review", acknowledge=label)

    def _areas(self, value: str) -> Step:
        keys = [area.key for area in self.c.areas]
        if value == "!done":
            if not self.state.draft:
                return self._reply(self.say("areas_none"))
            chosen = tuple(key for key in keys if key in self.state.draft)
            titles = [
                a.title.for_audience(self.state.audience) for a in self.c.areas if a.key in chosen
            ]
            state = replace(self.state, areas=chosen)
            return self._move(
                state, next_place(self.c, state, "areas"), acknowledge=", ".join(titles)
            )
        if value == "!all":
            draft = tuple(keys)
        elif value in keys:
            draft = _toggled(self.state.draft, value)
        else:
            return self._reply(self.say("tap_a_button"))
        return self._redrawn(replace(self.state, draft=draft))

    def _review(self, value: str) -> Step:
        if value == "change":
            return self._move(self.state, "change")
        if value.startswith("c"):
            return self._change(value[1:])
        state = self.state.moved_to("done")
        thanks = Reply(self.say("thanks", outcome=self.c.outcome))
        return Step(
            state,
            (thanks,),
            signals=frozenset({Signal.FINISHED}),
            acknowledge=self.say("review_send"),
        )

    def _change(self, value: str) -> Step:
        if value == "!back":
            return self._move(self.state, "review")
        entries = answered(self.c, self.state)
        if not value.isdigit() or not 1 <= int(value) <= len(entries):
            return self._reply(self.say("tap_a_button"))
        asked = entries[int(value) - 1][0]
        return self._move(replace(self.state, reviewing=True), asked.at)

    def _question_press(self, asked: Asked, value: str) -> Step:
        question = asked.question
        if value == "!skip" and question.skippable:
            return self._answered(asked, None)
        if value == PREFER_VALUE and asked.profile:
            return self._answered(asked, PREFER_NOT)
        earlier = self.state.answers.get(asked.key)
        if value == "!keep" and question.kind is Kind.TEXT and earlier is not None:
            return self._answered(asked, earlier)
        if question.kind is Kind.MULTI:
            if value == "!done":
                if not self.state.draft:
                    return self._reply(self.say("multi_none"))
                chosen = [
                    choice.key for choice in question.choices if choice.key in self.state.draft
                ]
                return self._answered(asked, ",".join(chosen))
            if question.choice(value):
                return self._redrawn(replace(self.state, draft=_toggled(self.state.draft, value)))
        elif question.choice(value):
            return self._answered(asked, value)
        return self._reply(self.say("tap_a_button"))

    # -- moving on -----------------------------------------------------------------------------

    def _answered(self, asked: Asked, value: str | None) -> Step:
        """Record an answer (None: skipped) and move to the next place."""
        state = self.state.with_answer(asked.key, value)
        label = answer_label(self.c, state, asked)
        area = asked.area.key if asked.area else FINAL_AREA
        answer = Answer(
            area=area,
            question=asked.question.key,
            question_text=asked.question.text.for_audience(state.audience),
            value=value,
            label=label,
            language=self.language,
        )
        if state.reviewing:
            following, state = "review", replace(state, reviewing=False)
        else:
            following = next_place(self.c, state, asked.at)
        moved = self._move(state, following, acknowledge=label)
        return replace(moved, answers=(answer,))

    def _move(
        self,
        state: State,
        at: str,
        *,
        acknowledge: str | None = None,
        signals: frozenset[Signal] = frozenset(),
    ) -> Step:
        """Go forward to `at`, introducing a new area before its first question."""
        moved = self._entered(state.moved_to(at))
        replies: tuple[Reply, ...] = ()
        asked = find(self.c, moved, at)
        if (
            asked is not None
            and asked.area is not None
            and asked.number == 1
            and not state.reviewing
        ):
            previous = find(self.c, moved, state.at)
            if previous is None or previous.area != asked.area:
                replies = (area_intro(self.c, moved, asked),)
        return Step(
            moved, (*replies, *ask(self.c, moved)), acknowledge=acknowledge, signals=signals
        )

    def _entered(self, state: State) -> State:
        """Ready a place for input: pre-tick what was chosen before on a tick-list."""
        if state.at == "areas":
            return replace(state, draft=state.areas)
        asked = find(self.c, state, state.at)
        if asked is not None and asked.question.kind is Kind.MULTI:
            value = state.answers.get(asked.key)
            return replace(state, draft=tuple(value.split(",")) if value else ())
        return state

    def _redrawn(self, state: State) -> Step:
        """Redraw the tick-list in place after one option was ticked or unticked."""
        reply = ask(self.c, state)[0]
        return Step(state, (replace(reply, replace=True),))

    def _current_question(self) -> Asked | None:
        return find(self.c, self.state, self.state.at)

    def _reply(self, text: str) -> Step:
        return Step(self.state, (Reply(text),))


def _toggled(draft: tuple[str, ...], key: str) -> tuple[str, ...]:
    return tuple(item for item in draft if item != key) if key in draft else (*draft, key)
