"""One PNG bar chart per priority area, readable on a phone, drawn with Pillow alone.

Each counted question (scale, choice, yes/no, multiple choice) gets its words (each audience's
own, where they differ), then a group of bars per option: one bar per audience that answered,
named on its left in words (colour only helps), with "count (share)" of that audience. A bar
for all audiences together is added only where everyone saw the same words or the file marks
the question comparable. Images are 1000 pixels wide and as tall as their questions need; a
very long area can pass Telegram's photo limit (width + height at most 10,000 pixels), in
which case send it as a document.

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
from reports.stats import AreaStats, ConsultationStats, QuestionStats, option_keys
from reports.wording import StaffWords, share, staff_words

SYSTEM_FONT = "DejaVuSans.ttf"

WIDTH = 1000
MARGIN = 40
LABEL_WIDTH = 240
BAR_LEFT = MARGIN + LABEL_WIDTH + 20
BAR_MAX = 470
BAR_HEIGHT = 30
BAR_GAP = 6
ROW_GAP = 14
QUESTION_GAP = 40

BACKGROUND = "#ffffff"
INK = "#1b1b1b"
MUTED = "#555555"
TRACK = "#ececec"
AUDIENCE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
"""One colour per audience, in order (Okabe and Ito's palette, told apart by colour-blind eyes)."""
ALL_COLOUR = "#333333"

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
            area.area,
            layout.area_title(area.area),
            render_area_chart(area, layout, font_file, stats.audiences),
        )
        for area in stats.areas
        if any(question.counted and question.answered for question in area.questions)
    ]


def render_area_chart(
    area: AreaStats,
    layout: ExportLayout,
    font_file: str | None = SYSTEM_FONT,
    audiences: tuple[str | None, ...] | None = None,
) -> bytes:
    """One area's chart as PNG bytes; `font_file` None uses Pillow's built-in font.

    `audiences` fixes each audience's colour (the statistics' order); by default the area's.
    """
    words = staff_words()
    order = audiences if audiences is not None else tuple(p.audience for p in area.by_audience)
    chart = _AreaDrawing(_Canvas(_load_fonts(font_file)), layout, words, order)
    return chart.draw(area)


class _AreaDrawing:
    """Draws one area: its title, who answered, then each counted question's grouped bars."""

    def __init__(
        self,
        canvas: "_Canvas",
        layout: ExportLayout,
        words: StaffWords,
        audiences: tuple[str | None, ...],
    ) -> None:
        self.canvas = canvas
        self.layout = layout
        self.words = words
        self.audiences = audiences
        self.colours = {
            audience: AUDIENCE_COLOURS[n % len(AUDIENCE_COLOURS)]
            for n, audience in enumerate(audiences)
        }

    def name(self, audience: str | None) -> str:
        return self.layout.audience_label(audience, self.words.say("not_recorded"))

    def draw(self, area: AreaStats) -> bytes:
        canvas, fonts = self.canvas, self.canvas.fonts
        canvas.paragraph(self.layout.area_title(area.area), fonts.title, INK)
        people = ", ".join(
            f"{self.name(p.audience)} {p.count:,}" for p in area.by_audience if p.count
        )
        canvas.paragraph(self.words.say("chart_people", people=people), fonts.note, MUTED)
        for question in area.questions:
            if question.counted and question.answered:
                canvas.gap(QUESTION_GAP)
                self.question(area.area, question)
        return canvas.png()

    def question(self, area: str, question: QuestionStats) -> None:
        canvas, fonts, say = self.canvas, self.canvas.fonts, self.words.say
        asked = [answers for answers in question.by_audience if answers.answered]
        known = self.layout.question(area, question.question)
        audiences = tuple(answers.audience for answers in asked)
        if known is None or known.same_words(self.audiences):
            text = self.layout.question_text(area, question.question, self.audiences[0])
            canvas.paragraph(say("chart_asked_shared", text=text), fonts.question, INK)
        else:
            for answers in asked:
                text = self.layout.question_text(area, question.question, answers.audience)
                line = say("chart_asked", audience=self.name(answers.audience), text=text)
                canvas.paragraph(line, fonts.question, INK)
        bars = [(self.name(a.audience), self.colours.get(a.audience, ALL_COLOUR), a) for a in asked]
        if question.combined and len(asked) > 1:
            bars.append((say("all_audiences"), ALL_COLOUR, question.combined))
        for key in option_keys(answers for *_, answers in bars):
            canvas.gap(ROW_GAP)
            label = self.layout.choice_label(area, question.question, key, audiences[0])
            canvas.paragraph(label, fonts.label, INK)
            for name, colour, answers in bars:
                counted = answers.option(key)
                figure = f"{counted.count:,} ({share(counted.share)})"
                canvas.bar_row(name, counted.share, figure, colour)
        canvas.gap(ROW_GAP)
        canvas.paragraph(self._totals(question), fonts.note, MUTED)
        if question.kind == "multi":
            canvas.paragraph(say("chart_multi_note"), fonts.note, MUTED)

    def _totals(self, question: QuestionStats) -> str:
        def listed(field: str) -> str:
            return ", ".join(
                f"{self.name(a.audience)} {getattr(a, field):,}"
                for a in question.by_audience
                if a.answered or a.skipped
            )

        return self.words.say(
            "chart_totals", answered=listed("answered"), skipped=listed("skipped")
        )


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

    def bar_row(self, label: str, share: float, figure: str, colour: str) -> None:
        """A label on the left, a bar in proportion to `share` and the figure after the bar."""
        top = self._y
        label_height = self._text(MARGIN, top, label, self.fonts.note, MUTED, LABEL_WIDTH)
        end = BAR_LEFT + round(BAR_MAX * min(max(share, 0.0), 1.0))
        self._paints.append(
            partial(_rectangle, (BAR_LEFT, top, BAR_LEFT + BAR_MAX, top + BAR_HEIGHT), TRACK)
        )
        if end > BAR_LEFT:
            box = (BAR_LEFT, top, end, top + BAR_HEIGHT)
            self._paints.append(partial(_rectangle, box, colour))
        self._text(end + 10, top + 2, figure, self.fonts.note, INK, WIDTH - end - 10)
        self._y += max(label_height, BAR_HEIGHT) + BAR_GAP

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
