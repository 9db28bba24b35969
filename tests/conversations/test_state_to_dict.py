"""State.to_dict builds its dict by hand: it must keep up with the dataclass's fields."""

from dataclasses import asdict, fields

from conversations.state import State


def test_to_dict_has_every_field_in_order_with_the_values_asdict_gives():
    state = State(
        at="q:parks/safe",
        audience="resident",
        source="poster",
        areas=("parks", "libraries"),
        answers={"parks/important": "agree", "parks/safe": None},
        draft=("a",),
        history=("consent", "audience"),
        reviewing=True,
        wants_reminder=False,
        wants_outcome=True,
        language="pl",
    )
    expected = asdict(state) | {"answers": dict(state.answers)}
    data = state.to_dict()
    assert list(data) == [field.name for field in fields(State)]
    assert data == expected
    assert State.from_dict(data) == state
