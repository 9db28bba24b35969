"""What a button carries: the place it was shown for and the value it stands for.

Tying each button to its place lets the engine recognise an old button tapped again.
Telegram allows at most 64 bytes of callback data, which the loader checks for every button.
"""

CALLBACK_DATA_LIMIT = 64
LABEL_LIMIT = 40
"""Longer labels are cut off on a phone's screen, so the loader refuses them."""

SEPARATOR = "#"
PREFER_VALUE = "!prefer"
"""The value of a profile question's "Prefer not to say" button."""


def button_data(at: str, value: str) -> str:
    """The data for a button shown at `at` meaning `value`."""
    return f"{at}{SEPARATOR}{value}"


def parse_button(data: str) -> tuple[str, str]:
    """Split button data into (place, value); unknown data gives an empty place."""
    at, separator, value = data.rpartition(SEPARATOR)
    return (at, value) if separator else ("", data)


def question_at(area: str, question: str) -> str:
    """The place name of a question."""
    return f"q:{area}/{question}"


def answer_key(area: str, question: str) -> str:
    """The key an answer is kept under in the state."""
    return f"{area}/{question}"
