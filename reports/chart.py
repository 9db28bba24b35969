"""One PNG bar chart per priority area, readable on a phone, drawn with Pillow alone.

Each counted question (scale, choice, yes/no, multiple choice) gets horizontal bars, one per
option, with the option's label and "count (share)". Images are 1000 pixels wide and as tall as
their questions need; a very long area can pass Telegram's photo limit (width + height at most
10,000 pixels), in which case send it as a document.

Fonts: DejaVu Sans when the system has it (most Linux images do), because Pillow's built-in
font only covers plain ASCII; otherwise the built-in font at the same sizes, with accents
folded away ("é" shows as "e") rather than drawn as empty boxes.
"""

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PIL import Image, ImageDraw, ImageFont

from reports.layout import ExportLayout
from reports.stats import AreaStats, ConsultationStats, QuestionStats

SYSTEM_FONT = "DejaVuSans.ttf"

WIDTH = 1000
MARGIN = 40
LABEL_WIDTH = 300
BAR_LEFT = MARGIN + LABEL_WIDTH + 20
BAR_MAX = 430
BAR_HEIGHT = 32
ROW_GAP = 12
QUESTION_GAP = 36

BACKGROUND = "#ffffff"
INK = "#1b1b1b"
MUTED = "#555555"
TRACK = "#e8e8e8"
BAR = "#1d5fa8"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Paint = Callable[[ImageDraw.ImageDraw], None]


@dataclass(frozen=True, slots=True)
class AreaChart:
    """One area's chart: the area key, its title and the PNG bytes."""

    area: str
    title: str
    png: bytes


@dataclass(frozen=True, slots=True)
class _Fonts:
    title: Font
    question: Font
    label: Font
    note: Font
    ascii_only: bool

    def printable(self, text: str) -> str:
        """The text as this font can draw it."""
        if not self.ascii_only:
            return text
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def area_charts(
    stats: ConsultationStats, layout: ExportLayout, font_file: str | None = SYSTEM_FONT
) -> list[AreaChart]:
    """A chart for every area where a counted question has answers, in the layout's order."""
    return [
        AreaChart(
            area.area, layout.area_title(area.area), render_area_chart(area, layout, font_file)
        )
        for area in stats.areas
        if any(question.options and question.answered for question in area.questions)
    ]


def render_area_chart(
    area: AreaStats, layout: ExportLayout, font_file: str | None = SYSTEM_FONT
) -> bytes:
    """One area's chart as PNG bytes; `font_file` None uses Pillow's built-in font."""
    fonts = _load_fonts(font_file)
    canvas = _Canvas(fonts)
    canvas.paragraph(layout.area_title(area.area), fonts.title, INK)
    canvas.paragraph(f"{area.respondents:,} people answered questions here", fonts.note, MUTED)
    for question in area.questions:
        if question.options:
            canvas.gap(QUESTION_GAP)
            _draw_question(canvas, area.area, question, layout)
    return canvas.png()


def _draw_question(
    canvas: "_Canvas", area: str, question: QuestionStats, layout: ExportLayout
) -> None:
    text = layout.question_text(area, question.question)
    canvas.paragraph(text, canvas.fonts.question, INK)
    canvas.gap(ROW_GAP)
    for option in question.options:
        label = layout.choice_label(area, question.question, option.key)
        canvas.bar_row(label, option.share, f"{option.count:,} ({option.share:.0%})")
    note = f"{question.answered:,} answered, {question.skipped:,} skipped"
    if question.kind == "multi":
        note += " (people could choose more than one)"
    canvas.paragraph(note, canvas.fonts.note, MUTED)


class _Canvas:
    """Lays things out top to bottom, then paints them on an image exactly as tall as needed."""

    def __init__(self, fonts: _Fonts) -> None:
        self.fonts = fonts
        self._y = MARGIN
        self._paints: list[Paint] = []

    def gap(self, height: int) -> None:
        self._y += height

    def paragraph(self, text: str, font: Font, fill: str) -> None:
        """Text across the full width, wrapped at word boundaries."""
        self._y += self._text(MARGIN, self._y, text, font, fill, WIDTH - 2 * MARGIN)

    def bar_row(self, label: str, share: float, figure: str) -> None:
        """A label on the left, a bar in proportion to `share` and the figure after the bar."""
        top = self._y
        label_height = self._text(MARGIN, top, label, self.fonts.label, INK, LABEL_WIDTH)
        end = BAR_LEFT + round(BAR_MAX * min(max(share, 0.0), 1.0))
        self._paints.append(
            partial(_rectangle, (BAR_LEFT, top, BAR_LEFT + BAR_MAX, top + BAR_HEIGHT), TRACK)
        )
        if end > BAR_LEFT:
            self._paints.append(partial(_rectangle, (BAR_LEFT, top, end, top + BAR_HEIGHT), BAR))
        self._text(end + 10, top + 2, figure, self.fonts.label, INK, WIDTH - end - 10)
        self._y += max(label_height, BAR_HEIGHT) + ROW_GAP

    def png(self) -> bytes:
        image = Image.new("RGB", (WIDTH, self._y + MARGIN), BACKGROUND)
        draw = ImageDraw.Draw(image)
        for paint in self._paints:
            paint(draw)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()

    def _text(self, x: int, y: int, text: str, font: Font, fill: str, width: int) -> int:
        """Queue wrapped text at (x, y); return the height it takes."""
        lines = _wrap(self.fonts.printable(text), font, width)
        step = _line_height(font)
        for index, line in enumerate(lines):
            self._paints.append(partial(_line, (x, y + index * step), line, font, fill))
        return step * len(lines)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Words into lines no wider than `width`; a single over-long word gets a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _line_height(font: Font) -> int:
    _, top, _, bottom = font.getbbox("ÁÉgjy")
    return int(bottom - top) + 10


def _line(at: tuple[int, int], text: str, font: Font, fill: str, draw: ImageDraw.ImageDraw) -> None:
    draw.text(at, text, font=font, fill=fill)


def _rectangle(box: tuple[int, int, int, int], fill: str, draw: ImageDraw.ImageDraw) -> None:
    """Fill the box from its left and top edges up to (not including) its right and bottom."""
    left, top, right, bottom = box
    draw.rectangle((left, top, right - 1, bottom - 1), fill=fill)


def _load_fonts(font_file: str | None) -> _Fonts:
    sizes = (34, 26, 24, 20)
    if font_file:
        try:
            return _Fonts(
                *(ImageFont.truetype(font_file, size) for size in sizes), ascii_only=False
            )
        except OSError:
            pass
    return _Fonts(*(ImageFont.load_default(size) for size in sizes), ascii_only=True)
