"""Open and closed is a rule over the clock, checked on every input, exact to the microsecond."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.engine import step
from conversations.inputs import Command, CommandName, Input, Press, Start, Text
from conversations.loader import load_consultation
from conversations.outputs import Signal
from conversations.state import State
from conversations.window import Phase, Window, in_words
from tests.conversations.chatkit import OPEN_NOW, SMALL, texts

LONDON = ZoneInfo("Europe/London")
MEDWAY_CLOSES = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)
"""23:59 on Friday 23 September 2022 in London, in British Summer Time (UTC+1)."""
TICK = timedelta(microseconds=1)
CLOSED_WORDS = "This closed on Friday 23 September 2022 at 11:59pm."
KEPT_WORDS = "We have kept the answers you already gave. Thank you!"

HALF_WAY = State(
    at="q:future/talked",
    audience="young_person",
    areas=("future",),
    answers={"future/important": "agree"},
    history=("consent", "audience", "reminders", "areas", "q:future/important"),
)


def test_the_shipped_consultation_closes_at_2359_london_summer_time(medway):
    assert medway.closes_at.astimezone(UTC) == MEDWAY_CLOSES
    assert in_words(medway.closes_at, medway.timezone) == "Friday 23 September 2022 at 11:59pm"


def test_a_microsecond_before_the_close_an_answer_is_recorded(medway):
    result = step(medway, HALF_WAY, Press("q:future/talked#yes"), MEDWAY_CLOSES - TICK)

    assert [(a.question, a.value) for a in result.answers] == [("talked", "yes")]


CLOSED = [
    ("an answer button", HALF_WAY, Press("q:future/talked#yes"), KEPT_WORDS),
    ("typed words", HALF_WAY, Text("yes"), KEPT_WORDS),
    ("/start", HALF_WAY, Start(), KEPT_WORDS),
    ("/help", HALF_WAY, Command(CommandName.HELP), KEPT_WORDS),
    ("/skip", HALF_WAY, Command(CommandName.SKIP), KEPT_WORDS),
    ("a newcomer's /start", None, Start("parent_carer"), "Thank you for your interest."),
    ("someone who never agreed", State(at="consent"), Text("hi"), "Thank you for your interest."),
]


@pytest.mark.parametrize(("name", "state", "event", "words"), CLOSED, ids=[c[0] for c in CLOSED])
@pytest.mark.parametrize("late", [timedelta(0), TICK, timedelta(days=400)], ids=str)
def test_at_and_after_the_close_nothing_is_recorded_and_the_close_is_named(
    medway, name, state, event: Input, words, late
):
    result = step(medway, state, event, MEDWAY_CLOSES + late)

    assert texts(result) == f"{CLOSED_WORDS}\n{words}"
    assert result.answers == ()
    assert result.signals == frozenset()
    assert result.state == (state or State())


def test_a_respondent_half_way_is_told_their_answers_are_kept(medway):
    result = step(medway, HALF_WAY, Command(CommandName.BACK), MEDWAY_CLOSES)

    assert KEPT_WORDS in texts(result)
    assert result.state == HALF_WAY


ALWAYS = [
    (Command(CommandName.PRIVACY), "How we use your answers:\n\nWe are Medway Council and NHS"),
    (
        Command(CommandName.MY_ANSWERS),
        "1. Getting ready for my future is important to me.\nYour answer: Agree",
    ),
    (Command(CommandName.DELETE), "Do you want to delete all your answers?"),
]


@pytest.mark.parametrize(("event", "words"), ALWAYS, ids=lambda value: repr(value)[:30])
def test_privacy_my_answers_and_delete_still_work_when_closed(medway, event, words):
    result = step(medway, HALF_WAY, event, MEDWAY_CLOSES + timedelta(days=30))

    assert words in texts(result)
    assert result.state == HALF_WAY


def test_confirming_delete_after_the_close_still_erases(medway):
    result = step(medway, HALF_WAY, Press("delete#yes"), MEDWAY_CLOSES + timedelta(days=30))

    assert result.signals == {Signal.ERASE}
    assert result.state == State(at="declined")


def test_before_the_open_the_respondent_is_told_when_it_opens(small):
    opens = datetime(2022, 9, 1, 8, 0, tzinfo=UTC)  # 9am in London, summer time
    early = step(small, None, Start(), opens - TICK)
    on_time = step(small, None, Start(), opens)

    assert (
        texts(early) == "This opens on Thursday 1 September 2022 at 9:00am.\nPlease come back then."
    )
    assert early.state == State()
    assert on_time.state.at == "consent"


def test_a_preview_ignores_the_dates_before_the_open_and_after_the_close(small):
    for now in (datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)):
        result = step(small, None, Start(), now, preview=True)
        assert texts(result).startswith("Hello! This is Testshire Council.")
        answered = step(
            small,
            State(at="q:home/garden", audience="young_person", areas=("home",)),
            Press("q:home/garden#yes"),
            now,
            preview=True,
        )
        assert [a.value for a in answered.answers] == ["yes"]


def test_a_window_override_replaces_the_files_dates(medway):
    extended = Window(None, MEDWAY_CLOSES + timedelta(days=14))
    after_file_close = MEDWAY_CLOSES + timedelta(days=1)

    result = step(medway, HALF_WAY, Press("q:future/talked#no"), after_file_close, window=extended)
    assert [a.value for a in result.answers] == ["no"]

    too_late = step(medway, HALF_WAY, Text("no"), extended.closes_at, window=extended)
    assert texts(too_late).startswith("This closed on Friday 7 October 2022 at 11:59pm.")


def test_an_override_can_close_early_or_open_later_than_the_file(medway):
    closed_early = Window(None, OPEN_NOW - timedelta(hours=1))
    opens_later = Window(datetime(2022, 9, 5, 8, 30, tzinfo=UTC), MEDWAY_CLOSES)

    early = step(medway, None, Start(), OPEN_NOW, window=closed_early)
    later = step(medway, None, Start(), OPEN_NOW, window=opens_later)

    assert texts(early).startswith("This closed on Thursday 1 September 2022 at 12:00pm.")
    assert texts(later).startswith("This opens on Monday 5 September 2022 at 9:30am.")


def test_the_window_refuses_a_clock_without_a_time_zone():
    with pytest.raises(ValueError, match="aware"):
        Window(None, MEDWAY_CLOSES).phase(datetime(2022, 9, 1, 12, 0))


# -- across the clocks changing --------------------------------------------------------------

DST_CLOSES = [
    ("2022-10-30T01:30", datetime(2022, 10, 30, 0, 30, tzinfo=UTC), "at 1:30am"),
    ("2022-10-30T02:30", datetime(2022, 10, 30, 2, 30, tzinfo=UTC), "at 2:30am"),
    ("2022-10-29T23:59", datetime(2022, 10, 29, 22, 59, tzinfo=UTC), "at 11:59pm"),
    ("2022-10-31T00:30", datetime(2022, 10, 31, 0, 30, tzinfo=UTC), "at 12:30am"),
    ("2022-03-27T00:30", datetime(2022, 3, 27, 0, 30, tzinfo=UTC), "at 12:30am"),
    ("2022-03-27T02:30", datetime(2022, 3, 27, 1, 30, tzinfo=UTC), "at 2:30am"),
    ("2022-03-27T09:00", datetime(2022, 3, 27, 8, 0, tzinfo=UTC), "at 9:00am"),
]
"""The clocks go back at 2am on 30 October 2022 (1:00-1:59am happens twice; a close then means
the first time, in summer time) and forward at 1am on 27 March 2022."""


@pytest.fixture
def closing_at(write_consultation):
    def load(local: str):
        text = SMALL.replace('closes_at = "2022-09-23T23:59"', f'closes_at = "{local}"')
        text = text.replace('opens_at = "2022-09-01T09:00"\n', "")
        return load_consultation(write_consultation(text))

    return load


@pytest.mark.parametrize(("local", "instant", "words"), DST_CLOSES, ids=[c[0] for c in DST_CLOSES])
def test_a_local_close_time_near_a_clock_change_closes_at_the_right_utc_instant(
    closing_at, local, instant, words
):
    consultation = closing_at(local)

    assert consultation.closes_at.astimezone(UTC) == instant
    before = step(consultation, None, Start(), instant - TICK)
    at_close = step(consultation, None, Start(), instant)
    assert before.state.at == "consent"
    assert at_close.state == State()
    assert texts(at_close).startswith("This closed on ")
    assert words in texts(at_close)


def test_the_repeated_hour_after_the_clocks_go_back_is_after_a_close_in_its_first_pass():
    close = datetime(2022, 10, 30, 1, 30, tzinfo=LONDON)  # first 1:30am, in summer time
    window = Window(None, close)
    second_pass = datetime(2022, 10, 30, 1, 10, fold=1, tzinfo=LONDON)  # 1:10am again, GMT

    assert second_pass.astimezone(UTC) == datetime(2022, 10, 30, 1, 10, tzinfo=UTC)
    assert window.phase(second_pass) is Phase.CLOSED
    assert window.phase(datetime(2022, 10, 30, 1, 29, tzinfo=LONDON)) is Phase.OPEN


def test_the_clock_may_be_given_in_any_time_zone(medway):
    new_york = ZoneInfo("America/New_York")
    just_before = (MEDWAY_CLOSES - TICK).astimezone(new_york)

    assert step(medway, HALF_WAY, Text("yes"), just_before).answers != ()
    assert step(medway, HALF_WAY, Text("yes"), MEDWAY_CLOSES.astimezone(LONDON)).answers == ()
