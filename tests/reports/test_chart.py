import io

import pytest
from PIL import Image

from reports.chart import (
    ALL_COLOUR,
    AUDIENCE_COLOURS,
    BAR_LEFT,
    BAR_MAX,
    WIDTH,
    area_charts,
    render_area_chart,
)
from reports.stats import compute_stats

from .factories import LAYOUT, answer, sample_rows, stream

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def stats():
    return await compute_stats(stream(sample_rows()), LAYOUT)


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


async def test_each_area_with_counted_questions_gets_one_chart_in_order(stats):
    charts = area_charts(stats, LAYOUT)
    assert [(chart.area, chart.title) for chart in charts] == [
        ("early_help", "Getting help early"),
        ("future", "Getting ready for your future, early"),
    ]


async def test_a_chart_is_a_valid_png_a_phone_can_show(stats):
    png = render_area_chart(stats.areas[0], LAYOUT)
    assert png.startswith(PNG_SIGNATURE)
    image = opened(png)
    assert image.format == "PNG"
    assert image.width == WIDTH
    assert 400 < image.height < 2000
    assert image.width + image.height <= 10_000


def bar_widths(png: bytes, colour: str) -> list[int]:
    """The width of every bar of this colour, top to bottom (each bar is many pixels high)."""
    image = opened(png).convert("RGB")
    rgb = tuple(int(colour[n : n + 2], 16) for n in (1, 3, 5))
    widths: list[int] = []
    previous = 0
    for y in range(image.height):
        width = 0
        while image.getpixel((BAR_LEFT + width, y)) == rgb:
            width += 1
        if width and width != previous:
            widths.append(width)
        previous = width
    return widths


async def test_each_audience_gets_its_own_bar_in_proportion_to_its_own_share(stats):
    png = render_area_chart(stats.areas[1], LAYOUT, audiences=stats.audiences)
    young, parents, professionals = AUDIENCE_COLOURS[:3]
    # Where do you get help now? (school, family, online), then Which matters most?
    half = pytest.approx(BAR_MAX / 2, abs=1)
    assert bar_widths(png, young) == [half, half, half, BAR_MAX]
    assert bar_widths(png, professionals) == [BAR_MAX, BAR_MAX]
    assert bar_widths(png, parents) == []  # no parent answered here


async def test_a_bar_for_everyone_is_drawn_only_where_the_words_allow_pooling(stats):
    early_help = render_area_chart(stats.areas[0], LAYOUT, audiences=stats.audiences)
    # "agree" was asked in different words: no pooled bar; "asked" in the same: 50% yes, 50% no.
    half = pytest.approx(BAR_MAX / 2, abs=1)
    assert bar_widths(early_help, ALL_COLOUR) == [half, half]
    future = render_area_chart(stats.areas[1], LAYOUT, audiences=stats.audiences)
    # "where" is marked comparable: 2/3, 1/3, 1/3; "best" has the same words: 1/2, 1/2, 0.
    third = pytest.approx(BAR_MAX / 3, abs=1)
    assert bar_widths(future, ALL_COLOUR) == [
        pytest.approx(BAR_MAX * 2 / 3, abs=1),
        third,
        third,
        half,
        half,
    ]


async def test_more_questions_make_a_taller_chart(stats):
    early_help, future, _ = stats.areas
    assert (
        opened(render_area_chart(early_help, LAYOUT)).height
        > opened(render_area_chart(future, LAYOUT)).height - 300
    )


async def test_the_built_in_font_still_draws_when_no_system_font_is_there(stats):
    png = render_area_chart(stats.areas[0], LAYOUT, font_file=None)
    assert opened(png).width == WIDTH


async def test_a_missing_font_file_falls_back_to_the_built_in_font(stats):
    png = render_area_chart(stats.areas[0], LAYOUT, font_file="no-such-font.ttf")
    assert png == render_area_chart(stats.areas[0], LAYOUT, font_file=None)


async def test_an_area_without_answers_to_counted_questions_gets_no_chart():
    stats = await compute_stats(stream([answer("K7Q2", "final", "anything_else", "Hi")]), LAYOUT)
    assert area_charts(stats, LAYOUT) == []
