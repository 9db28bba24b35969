"""/export xlsx has a "Who has answered" sheet: progress towards the file's targets at the
moment of the export, people per audience and per source, and where people stopped, per
audience; read back cell by cell as a spreadsheet program would."""

from datetime import UTC, datetime

from tests.bot.harness import BotHarness
from tests.bot.test_staff_export import content, export
from tests.bot.test_staff_scenario import three_respondents
from tests.reports.reading import open_workbook, sheet_rows

FIRST_MESSAGE = datetime(2022, 9, 1, 12, 0, tzinfo=UTC)  # the harness clock
CLOSE = datetime(2022, 9, 23, 22, 59, tzinfo=UTC)  # 11:59pm in Medway's summer time
ELEVEN_DAYS_ON = datetime(2022, 9, 12, 12, 0, tzinfo=UTC)
TARGET_HEADINGS = (
    "Who",
    "Counting",
    "Target",
    "So far",
    "% of target",
    "Share so far",
    "Needed by now",
    "On track?",
)


def trimmed(rows):
    """Rows without their empty cells at the end (an empty row becomes ()), fractions to 9
    places (a number written and read back as XML text can differ in the last digit)."""
    out = []
    for row in rows:
        cells = [round(cell, 9) if isinstance(cell, float) else cell for cell in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(tuple(cells))
    return out


async def who_sheet(harness: BotHarness):
    (document,) = await export(harness, "xlsx")
    book = open_workbook(content(document))
    assert book.sheetnames[:2] == ["Summary", "Who has answered"]
    return trimmed(sheet_rows(book["Who has answered"]))


async def test_the_who_has_answered_sheet_shows_each_target_cell_by_cell(harness: BotHarness):
    await three_respondents(harness)  # Ada (young person, library poster) and Cal finish
    harness.clock.now = ELEVEN_DAYS_ON

    rows = await who_sheet(harness)

    gone = round((ELEVEN_DAYS_ON - FIRST_MESSAGE) / (CLOSE - FIRST_MESSAGE), 9)
    assert round(gone, 4) == 0.4898
    assert rows[:9] == [
        ("Who has answered",),
        (),
        ("Counted at", "Monday 12 September 2022 at 1:00pm"),
        ("Closes", "Friday 23 September 2022 at 11:59pm"),
        ("Time gone", gone),
        ("This sheet counts everyone so far, whatever filters the export had.",),
        (),
        ("Targets",),
        TARGET_HEADINGS,
    ]
    third = round(1 / 3, 9)  # each audience and each source brought 1 of the 3 people
    under = "Under-represented"
    assert rows[9:14] == [
        ("Young person", "started", "300 people", 1, round(1 / 300, 9), third, 147, under),
        ("Parent or carer", "started", "500 people", 1, 1 / 500, third, 245, under),
        ("Professional", "started", "150 people", 1, round(1 / 150, 9), third, 74, under),
        ("Link library_poster", "started", "50 people", 1, 1 / 50, third, 25, under),
        ("Link school_newsletter", "started", "100 people", 1, 1 / 100, third, 49, under),
    ]
    share = "10% or more of people who answered"
    too_few = "Too few to judge yet"  # Ada told us she lives in Chatham; a share of 1 says little
    assert rows[14:23] == [
        ("Which part of Medway do you live in? (Young person, Parent or carer)",),
        ("Chatham", "started", share, 1, None, 1, None, too_few),
        *(
            (town, "started", share, 0, None, 0, None, too_few)
            for town in ("Gillingham", "Rochester", "Strood", "Rainham", "Hoo Peninsula")
        ),
        ("Do you have an EHC plan? This is an education, health and care plan.",),
        ("Yes", "started", "150 people", 1, round(1 / 150, 9), 1, 74, under),
    ]
    assert rows[23][0].startswith("Under-represented: behind the pace")
    assert rows[24:] == [
        (),
        ("Audience", "Started", "Finished"),
        ("Parent or carer", 1, 0),
        ("Professional", 1, 1),
        ("Young person", 1, 1),
        (),
        ("Source", "Started", "Finished"),
        ("No link", 1, 1),
        ("library_poster", 1, 1),
        ("school_newsletter", 1, 0),
        (),
        ("Where people stopped, by audience",),
        ("Where they stopped", "Audience", "People", "Share of its unfinished"),
        (
            "Working with you and your family: People listen to me about my child's needs.",
            "Parent or carer",
            1,
            1,
        ),
    ]


async def test_on_the_first_day_every_target_is_on_track_and_once_closed_not_reached(
    harness: BotHarness,
):
    await three_respondents(harness)

    first_day = await who_sheet(harness)
    harness.clock.now = CLOSE
    closed = await who_sheet(harness)

    targets = [*range(9, 14), 22]  # the audiences, the links and the EHC plan
    assert [first_day[row][7] for row in targets] == ["On track"] * 6
    assert [first_day[row][6] for row in targets] == [0] * 6
    assert [closed[row][7] for row in targets] == ["Not reached"] * 6
    assert [closed[row][7] for row in range(15, 21)] == ["Reached"] + ["Not reached"] * 5
