"""`consultbot try`: the same engine in a terminal, as a preview for staff.

Buttons are numbered; type a number to tap one, a /command, or an answer. The consultation's
dates are ignored and nothing is saved, so a preview never mixes with real responses.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from conversations.engine import step
from conversations.inputs import Command, CommandName, Input, Press, Start, Text
from conversations.model import Consultation
from conversations.outputs import Button, Reply
from conversations.state import State

BANNER = (
    "PREVIEW of {title!r}\n"
    "Dates are ignored and nothing is saved.\n"
    "Type a number to tap a button, a /command, or your answer. /quit leaves."
)


def run_preview(
    consultation: Consultation,
    lines: Iterable[str],
    write: Callable[[str], None],
    now: Callable[[], datetime],
    audience: str | None = None,
) -> State:
    """Walk through the consultation reading `lines` and writing what a respondent sees."""
    write(BANNER.format(title=consultation.title))
    state: State | None = None
    buttons: list[Button] = []
    pending: list[Input] = [Start(audience)]
    lines = iter(lines)
    while True:
        for event in pending:
            result = step(consultation, state, event, now(), preview=True)
            if state is None or result.state.at != state.at:
                buttons = []  # a question without buttons: a typed number is an answer
            state = result.state
            if result.acknowledge:
                write(f"  {result.acknowledge}")
            for reply in result.replies:
                write(_shown(reply))
                if reply.buttons:
                    buttons = [button for row in reply.buttons for button in row]
        line = next(lines, None)
        if line is None or line.strip() == "/quit":
            assert state is not None
            return state
        pending = [_read(line.strip(), buttons)]


def _read(line: str, buttons: list[Button]) -> Input:
    if line.isdigit() and 1 <= int(line) <= len(buttons):
        return Press(buttons[int(line) - 1].data)
    if line.startswith("/"):
        name, _, argument = line[1:].partition(" ")
        name = name.lower()
        if name == "start":
            return Start()
        if name in CommandName.__members__.values():
            return Command(CommandName(name), argument.strip())
    return Text(line)


def _shown(reply: Reply) -> str:
    lines = ["", reply.text]
    if reply.picture is not None:
        lines.append(f"(picture: {reply.picture})")
    number = 0
    for row in reply.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.label}")
        lines.append("   ".join(labels))
    return "\n".join(lines)
