import io

import pytest
from PIL import Image

from reports.chart import WIDTH, area_charts, render_area_chart
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


async def test_bars_are_drawn_in_proportion_to_the_share(stats):
    image = opened(render_area_chart(stats.areas[0], LAYOUT)).convert("RGB")
    bar_rows = {
        y: sum(1 for x in range(image.width) if image.getpixel((x, y)) == (0x1D, 0x5F, 0xA8))
        for y in range(image.height)
    }
    widths = sorted({width for width in bar_rows.values() if width > 1}, reverse=True)
    expected = [430 * 2 / 3, 430 / 2, 430 / 3]
    assert widths == [pytest.approx(width, abs=1) for width in expected]


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
