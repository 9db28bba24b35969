"""Turning a place in the journey into the message a respondent sees."""

from dataclasses import replace

from conversations.buttons import LABEL_LIMIT, PREFER_VALUE, button_data
from conversations.explanations import AREA_PREFIX
from conversations.journey import Asked, chosen_areas, find, questions
from conversations.model import PREFER_NOT, Consultation, Explanation, Kind
from conversations.outputs import Button, Reply
from conversations.state import State

MESSAGE_LIMIT = 4000
"""Below Telegram's 4,096 characters, leaving room for a channel's own additions."""
REVIEW_ANSWER_LIMIT = 200
TICK = " ✅"
"""Put after a ticked option's words, so a screen reader says the words first."""


def ask(consultation: Consultation, state: State) -> tuple[Reply, ...]:
    """The message that asks for input at the respondent's current place."""
    say = consultation.say
    at = state.at
    if at == "consent":
        buttons = [(say("consent_yes"), "yes"), (say("consent_privacy"), "privacy")]
        consent = _single(say("consent"), at, [*buttons, (say("consent_no"), "no")])
        consent = _with_explain(consultation, state, consent, consultation.consent_explain, at)
        others = [code for code in consultation.languages if code != consultation.language]
        if not others:
            return (consent,)
        row = tuple(_language_button(consultation, code) for code in others)
        return (replace(consent, buttons=(*consent.buttons, row)),)
    if at == "audience":
        options = [(audience.label, audience.key) for audience in consultation.audiences]
        return (_single(say("audience"), at, options),)
    if at == "reminders":
        return (_single(say("reminders"), at, [(say("yes"), "yes"), (say("no"), "no")]),)
    if at == "areas":
        return (areas_message(consultation, state),)
    if at == "outcome":
        text = say("outcome", outcome=consultation.outcome)
        return (_single(text, at, [(say("yes"), "yes"), (say("no"), "no")]),)
    if at == "review":
        return review_messages(consultation, state)
    if at == "change":
        return (change_message(consultation, state),)
    if at == "done":
        return (Reply(say("done_already")),)
    if at == "declined":
        return (Reply(say("declined")),)
    asked = find(consultation, state, at)
    if asked is None:
        raise ValueError(f"nothing is asked at {at!r}")
    return (question_message(consultation, state, asked),)


def language_menu(consultation: Consultation) -> Reply:
    """A button per language the consultation offers, each named in its own language."""
    rows = [(_language_button(consultation, code),) for code in consultation.languages]
    return Reply(consultation.say("language_choose"), tuple(rows))


def _language_button(consultation: Consultation, code: str) -> Button:
    return Button(consultation.language_names.get(code, code), button_data("language", code))


def area_intro(consultation: Consultation, state: State, asked: Asked) -> Reply:
    """The short summary shown before an area's first question; before the profile
    questions, the file's intro (why we ask, and that they can be skipped)."""
    areas = chosen_areas(consultation, state)
    assert asked.area is not None
    if asked.profile:
        return Reply(asked.area.summary.for_audience(state.audience))
    intro = Reply(
        consultation.say(
            "area_intro",
            number=areas.index(asked.area) + 1,
            total=len(areas),
            title=asked.area.title.for_audience(state.audience),
            summary=asked.area.summary.for_audience(state.audience),
        )
    )
    target = f"{AREA_PREFIX}{asked.area.key}"
    return _with_explain(consultation, state, intro, asked.area.explain, target, "explain_area")


def _with_explain(
    consultation: Consultation,
    state: State,
    reply: Reply,
    explanation: Explanation | None,
    target: str,
    label: str = "explain",
) -> Reply:
    """The reply with an "Explain this" button, when there is an explanation for this person."""
    if explanation is None or explanation.text.get(state.audience) is None:
        return reply
    button = Button(consultation.say(label), button_data("explain", target))
    return replace(reply, buttons=(*reply.buttons, (button,)))


def question_message(consultation: Consultation, state: State, asked: Asked) -> Reply:
    """One question: where it stands, its words, how to answer, and its buttons."""
    say = consultation.say
    question = asked.question
    if asked.area is None:
        header = say("final_header")
    else:
        title = asked.area.title.for_audience(state.audience)
        header = say("question_header", area=title, number=asked.number, total=asked.total)
    lines = [header, "", question.text.for_audience(state.audience)]
    rows: list[tuple[Button, ...]] = []
    earlier = state.answers.get(asked.key)
    if question.kind is Kind.TEXT and earlier is not None:
        lines += ["", say("earlier_text", answer=_shortened(earlier))]
        rows.append((Button(say("keep"), button_data(asked.at, "!keep")),))
    elif question.kind is Kind.TEXT:
        lines += ["", say("text_hint_skip" if question.skippable else "text_hint")]
    elif question.kind is Kind.MULTI:
        lines += ["", say("multi_hint")]
        for choice in question.choices:
            mark = TICK if choice.key in state.draft else ""
            label = choice.label.for_audience(state.audience) + mark
            rows.append((Button(label, button_data(asked.at, choice.key)),))
        rows.append((Button(say("done"), button_data(asked.at, "!done")),))
    else:
        labels = [(c.label.for_audience(state.audience), c.key) for c in question.choices]
        row_size = 2 if question.kind is Kind.YESNO else 1
        rows += _rows(asked.at, labels, row_size)
    if question.kind is not Kind.TEXT and asked.key in state.answers:
        lines += ["", say("earlier_answer", answer=answer_label(consultation, state, asked))]
    if asked.profile:
        rows.append((Button(say("prefer_not"), button_data(asked.at, PREFER_VALUE)),))
    elif question.skippable:
        rows.append((Button(say("skip"), button_data(asked.at, "!skip")),))
    reply = Reply("\n".join(lines), tuple(rows))
    return _with_explain(consultation, state, reply, question.explain, asked.at)


def _shortened(text: str, limit: int = REVIEW_ANSWER_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def areas_message(consultation: Consultation, state: State) -> Reply:
    """The list of priority areas to tick, then Done."""
    say = consultation.say
    rows = [
        (
            Button(
                area.title.for_audience(state.audience) + (TICK if area.key in state.draft else ""),
                button_data("areas", area.key),
            ),
        )
        for area in consultation.areas
    ]
    rows.append((Button(say("areas_all"), button_data("areas", "!all")),))
    rows.append((Button(say("done"), button_data("areas", "!done")),))
    return Reply(say("areas"), tuple(rows))


def answer_lines(
    consultation: Consultation, state: State, *, limit: int | None = None
) -> list[str]:
    """One numbered entry per question answered or skipped, in the order asked."""
    lines = []
    area = None
    for number, (asked, label) in enumerate(answered(consultation, state), start=1):
        if asked.area is not None and asked.area != area:
            area = asked.area
            lines.append(area.title.for_audience(state.audience))
        if limit is not None:
            label = _shortened(label, limit)
        question = asked.question.text.for_audience(state.audience)
        lines.append(
            consultation.say("review_line", number=number, question=question, answer=label)
        )
    return lines


def answered(consultation: Consultation, state: State) -> list[tuple[Asked, str]]:
    """The questions with an answer (or a skip), each with the words to show for it."""
    result = []
    for asked in questions(consultation, state):
        if asked.key in state.answers:
            result.append((asked, answer_label(consultation, state, asked)))
    return result


def answer_label(consultation: Consultation, state: State, asked: Asked) -> str:
    """The words for the answer given to one question."""
    value = state.answers.get(asked.key)
    if value is None:
        return consultation.say("skipped")
    if value == PREFER_NOT and asked.profile:
        return consultation.say("prefer_not")
    if asked.question.kind is Kind.TEXT:
        return value
    labels = []
    for key in value.split(","):
        choice = asked.question.choice(key)
        labels.append(choice.label.for_audience(state.audience) if choice else key)
    return ", ".join(labels)


def review_messages(consultation: Consultation, state: State) -> tuple[Reply, ...]:
    """The answers so far, one message per area with a Change button per question (a long
    review is easier to follow in parts on a small screen), then the buttons to send them."""
    say = consultation.say
    parts: list[Reply] = []
    entries = answered(consultation, state)
    for number, (asked, label) in enumerate(entries, start=1):
        line = say(
            "review_line",
            number=number,
            question=asked.question.text.for_audience(state.audience),
            answer=_shortened(label),
        )
        button = (change_button(consultation, state, number, asked, "review", f"c{number}"),)
        previous = entries[number - 2][0].area if number > 1 else False
        if parts and asked.area == previous:
            last = parts[-1]
            parts[-1] = replace(
                last, text=f"{last.text}\n\n{line}", buttons=(*last.buttons, button)
            )
        else:
            title = asked.area.title.for_audience(state.audience) if asked.area else None
            heading = say("final_title") if title is None else title
            parts.append(Reply(f"{heading}\n\n{line}", (button,)))
    if parts:
        parts[0] = replace(parts[0], text=f"{say('review_heading')}\n\n{parts[0].text}")
    buttons = ((Button(say("review_send"), button_data("review", "send")),),)
    if entries:
        buttons += ((Button(say("review_change"), button_data("review", "change")),),)
    closing = say("review") if entries else say("review_empty")
    return (*parts, Reply(closing, buttons))


def change_button(
    consultation: Consultation, state: State, number: int, asked: Asked, at: str, value: str
) -> Button:
    """A button that names the question it changes ("Change Q3: I feel included..."), so a
    screen reader says which one, within a phone's button width."""
    question = asked.question.text.for_audience(state.audience)
    room = LABEL_LIMIT - len(consultation.say("change_button", number=number, question=""))
    label = consultation.say("change_button", number=number, question=_shortened(question, room))
    return Button(label, button_data(at, value))


def change_message(consultation: Consultation, state: State) -> Reply:
    """A button per answer, naming its question, to pick which one to change."""
    rows = [
        (change_button(consultation, state, number, asked, "change", str(number)),)
        for number, (asked, _) in enumerate(answered(consultation, state), start=1)
    ]
    rows.append((Button(consultation.say("change_back"), button_data("change", "!back")),))
    return Reply(consultation.say("change"), tuple(rows))


def my_answers(consultation: Consultation, state: State) -> tuple[Reply, ...]:
    """A full copy of everything the respondent answered, split to fit in messages."""
    lines = answer_lines(consultation, state)
    if not lines:
        return (Reply(consultation.say("review_empty")),)
    heading = "my_answers_sent" if state.at == "done" else "my_answers"
    text = consultation.say(heading, answers="\n\n".join(lines))
    return tuple(Reply(part) for part in split_text(text))


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages at line breaks, cutting a single over-long line if need be."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            candidate = line
        current = candidate
    parts.append(current)
    return [part for part in parts if part.strip()] or [text[:limit]]


def _single(text: str, at: str, options: list[tuple[str, str]]) -> Reply:
    return Reply(text, tuple(_rows(at, options, 1)))


def _rows(at: str, options: list[tuple[str, str]], size: int) -> list[tuple[Button, ...]]:
    buttons = [Button(label, button_data(at, value)) for label, value in options]
    return [tuple(buttons[start : start + size]) for start in range(0, len(buttons), size)]
