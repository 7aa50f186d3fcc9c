"""Charts of the statistics (DOMAIN §11): turnout by township, the age pyramid of the
new committees, shares (women, education) and progress over time.

A leading group reads a bar faster than a column of percentages, so the pages and the
work summary show the same figures as pictures. Each chart is laid out once, by our
own code, as a few shapes (:class:`Chart`), and then written either as SVG, put inline
in a page where the browser sets the text in the page's own CJK fonts, or as PNG for a
DOCX, drawn with Pillow in the embedded WenQuanYi Zen Hei (:mod:`.fonts`) so that the
Chinese labels render on any machine. No script, no third-party chart library.

The builders are pure functions of plain data (labels and series of numbers). Data
with nothing to show — no labels, or only zeros — gives a chart that says so
(``no_data``) instead of an error or an empty frame.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "Chart",
    "NO_DATA",
    "bar_chart",
    "line_chart",
    "png",
    "pyramid",
    "stacked_bars",
    "svg",
    "text_width",
    "ticks",
]

#: What an empty chart says; pages pass the text in the user's language.
NO_DATA = "暂无数据"

#: The fonts of the pages (huanjie.css), then the font the PNGs embed.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"WenQuanYi Zen Hei", sans-serif'
)

INK = "#1d2327"
SUB = "#5f6b73"
GRID = "#d8dde1"
FAINT = "#eef0f2"
#: Series colours, told apart in print as well as on screen.
PALETTE = ("#9e1b1b", "#2f6690", "#d08c2c", "#3a7d44", "#7b5ea7", "#5f6b73", "#c05a84")
MEN = "#2f6690"
WOMEN = "#c05a84"

MARGIN = 16
TITLE_SIZE = 16
SIZE = 12
ROW = 24
BAR = 16


# -- shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 1


@dataclass(frozen=True)
class Text:
    """A line of text with its baseline at ``y``; ``anchor`` is start, middle or end."""

    x: float
    y: float
    text: str
    size: float = SIZE
    anchor: str = "start"
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 2


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Chart:
    """A chart laid out in pixels: what :func:`svg` and :func:`png` draw."""

    width: int
    height: int
    title: str
    shapes: tuple
    empty: bool = False


# -- measuring and scales -------------------------------------------------------------


def text_width(text: str, size: float = SIZE) -> float:
    """About how wide ``text`` is set at ``size``: an ideograph or full-width sign is
    one em, anything else about 0.6 em. Enough to lay out labels in SVG, where the
    browser picks the font, and in PNG, which uses one of the same proportions."""
    return sum(size if _wide(c) else size * 0.6 for c in text)


def _wide(c: str) -> bool:
    return ord(c) >= 0x2E80


def _fit(text: str, width: float, size: float = SIZE) -> str:
    """``text``, cut with an ellipsis to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def ticks(top: float, *, whole: bool = True, most: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``, at most about ``most`` steps of 1,
    2 or 5 times a power of ten; whole numbers only when ``whole`` (counts of people)."""
    if top <= 0:
        return [0, 1]
    raw = top / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    n = math.ceil(top / step - 1e-9)
    return [_clean(i * step) for i in range(n + 1)]


def _clean(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 10)


def number(value: float) -> str:
    """A count as the tables write it; a fraction with at most two decimals."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A share 0…1 as a percentage with one decimal."""
    return f"{value * 100:.1f}%"


def _empty(values) -> bool:
    return not any(v for v in values if v)


def _no_data(title: str, width: int, no_data: str) -> Chart:
    height = 140
    return Chart(
        width,
        height,
        title,
        (
            Text(MARGIN, MARGIN + TITLE_SIZE, title, TITLE_SIZE, bold=True),
            Rect(MARGIN, MARGIN + 30, width - 2 * MARGIN, height - 2 * MARGIN - 30, FAINT),
            Text(width / 2, height / 2 + 20, no_data, 14, "middle", SUB),
        ),
        empty=True,
    )


def _title(title: str) -> list:
    return [Text(MARGIN, MARGIN + TITLE_SIZE, title, TITLE_SIZE, bold=True)]


def _legend(
    names: Sequence[str], colours: Sequence[str], y: float, width: int
) -> tuple[list, float]:
    """Coloured squares with the series names from the left, wrapping at ``width``;
    the shapes and the y below the legend."""
    shapes = []
    x = MARGIN
    for name, colour in zip(names, colours, strict=True):
        needed = 14 + text_width(name) + 16
        if x > MARGIN and x + needed > width - MARGIN:
            x = MARGIN
            y += 18
        shapes.append(Rect(x, y - 10, 10, 10, colour))
        shapes.append(Text(x + 14, y, name, fill=SUB))
        x += needed
    return shapes, y + 12


# -- the charts -----------------------------------------------------------------------


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    share: bool = False,
    colour: str = PALETTE[0],
    width: int = 640,
    no_data: str = NO_DATA,
) -> Chart:
    """Horizontal bars, one per label (turnout by township, places late per township).
    ``share``: the values are fractions 0…1, written as percentages on a 0–100% axis;
    otherwise they are counts."""
    if len(labels) != len(values):
        raise ValueError("one value per label")
    if not labels or _empty(values):
        return _no_data(title, width, no_data)
    written = [percent(v) if share else number(v) for v in values]
    label_w = min(max(text_width(label) for label in labels), width * 0.35) + 8
    value_w = max(text_width(w) for w in written) + 8
    x0, x1 = MARGIN + label_w, width - MARGIN - value_w
    scale = [0, 0.25, 0.5, 0.75, 1] if share else ticks(max(values))
    top = MARGIN + 34
    bottom = top + len(labels) * ROW
    shapes = _title(title)
    shapes += _grid(scale, x0, x1, top, bottom, share)
    span = scale[-1] or 1
    for i, (label, value, text) in enumerate(zip(labels, values, written, strict=True)):
        y = top + i * ROW
        length = (x1 - x0) * max(value, 0) / span
        shapes.append(Text(x0 - 8, y + ROW / 2 + 4, _fit(label, label_w - 8), anchor="end"))
        shapes.append(Rect(x0, y + (ROW - BAR) / 2, length, BAR, colour))
        shapes.append(Text(x0 + length + 4, y + ROW / 2 + 4, text, fill=SUB))
    return Chart(width, int(bottom + 20 + MARGIN), title, tuple(shapes))


def _grid(scale, x0, x1, top, bottom, share) -> list:
    """Vertical grid lines at the ticks of a horizontal axis, labelled below."""
    shapes = []
    span = scale[-1] or 1
    for tick in scale:
        x = x0 + (x1 - x0) * tick / span
        shapes.append(Line(x, top, x, bottom, GRID))
        label = f"{round(tick * 100)}%" if share else number(tick)
        shapes.append(Text(x, bottom + 14, label, 10, "middle", SUB))
    return shapes


def pyramid(
    title: str,
    bands: Sequence[str],
    left: Sequence[int],
    right: Sequence[int],
    *,
    left_name: str = "男",
    right_name: str = "女",
    width: int = 640,
    no_data: str = NO_DATA,
) -> Chart:
    """A population pyramid: ``bands`` from the youngest to the oldest (the youngest
    drawn at the bottom), ``left`` (men) growing to the left of the band labels and
    ``right`` (women) to the right, on one scale."""
    if not len(bands) == len(left) == len(right):
        raise ValueError("one value per band on each side")
    if not bands or (_empty(left) and _empty(right)):
        return _no_data(title, width, no_data)
    centre_w = max(text_width(b) for b in bands) + 16
    value_w = max(text_width(number(v)) for v in (*left, *right)) + 6
    mid = width / 2
    half = mid - centre_w / 2 - MARGIN - value_w
    top = MARGIN + 30
    shapes = _title(title)
    shapes.append(Text(mid - centre_w / 2, top + 12, left_name, anchor="end", fill=MEN, bold=True))
    shapes.append(Text(mid + centre_w / 2, top + 12, right_name, fill=WOMEN, bold=True))
    top += 22
    most = max(*left, *right) or 1
    n = len(bands)
    for i in range(n):
        k = n - 1 - i  # the oldest band at the top
        y = top + i * ROW
        base = y + ROW / 2 + 4
        shapes.append(Text(mid, base, _fit(bands[k], centre_w - 8), anchor="middle"))
        men = half * left[k] / most
        women = half * right[k] / most
        lx = mid - centre_w / 2
        rx = mid + centre_w / 2
        shapes.append(Rect(lx - men, y + (ROW - BAR) / 2, men, BAR, MEN))
        shapes.append(Rect(rx, y + (ROW - BAR) / 2, women, BAR, WOMEN))
        shapes.append(Text(lx - men - 4, base, number(left[k]), anchor="end", fill=SUB))
        shapes.append(Text(rx + women + 4, base, number(right[k]), fill=SUB))
    bottom = top + n * ROW
    shapes.append(Line(mid - centre_w / 2, top, mid - centre_w / 2, bottom, GRID))
    shapes.append(Line(mid + centre_w / 2, top, mid + centre_w / 2, bottom, GRID))
    return Chart(width, int(bottom + MARGIN), title, tuple(shapes))


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: int = 640,
    no_data: str = NO_DATA,
) -> Chart:
    """One bar of 100% per label, cut into the shares of each series (women and men,
    the levels of education); the share is written on its part when it fits, and the
    row's total at its end."""
    names = [name for name, _values in series]
    if any(len(values) != len(labels) for _name, values in series):
        raise ValueError("one value per label in every series")
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    if not labels or not series or _empty(totals):
        return _no_data(title, width, no_data)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    shapes = _title(title)
    legend, y = _legend(names, colours, MARGIN + 40, width)
    shapes += legend
    label_w = min(max(text_width(label) for label in labels), width * 0.3) + 8
    total_w = max(text_width(number(t)) for t in totals) + 8
    x0, x1 = MARGIN + label_w, width - MARGIN - total_w
    top = y + 4
    bottom = top + len(labels) * ROW
    shapes += _grid([0, 0.25, 0.5, 0.75, 1], x0, x1, top, bottom, True)
    for i, label in enumerate(labels):
        row_y = top + i * ROW
        base = row_y + ROW / 2 + 4
        shapes.append(Text(x0 - 8, base, _fit(label, label_w - 8), anchor="end"))
        total = totals[i]
        shapes.append(Text(x1 + 4, base, number(total), fill=SUB))
        if not total:
            continue
        x = x0
        for (_name, values), colour in zip(series, colours, strict=True):
            part = (x1 - x0) * values[i] / total
            if part <= 0:
                continue
            shapes.append(Rect(x, row_y + (ROW - BAR) / 2, part, BAR, colour))
            text = percent(values[i] / total)
            if text_width(text, 10) + 4 <= part:
                shapes.append(Text(x + part / 2, base - 1, text, 10, "middle", "#ffffff"))
            x += part
    return Chart(width, int(bottom + 20 + MARGIN), title, tuple(shapes))


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    share: bool = False,
    width: int = 640,
    height: int = 300,
    no_data: str = NO_DATA,
) -> Chart:
    """Lines over ``labels`` (dates, in order): steps done by date, places voted by
    date. ``share``: values are fractions on a 0–100% axis."""
    names = [name for name, _values in series]
    if any(len(values) != len(labels) for _name, values in series):
        raise ValueError("one value per label in every series")
    if not labels or not series or all(_empty(values) for _name, values in series):
        return _no_data(title, width, no_data)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    shapes = _title(title)
    legend, y = _legend(names, colours, MARGIN + 40, width)
    shapes += legend
    top = y + 8
    top_value = max(max(values) for _name, values in series)
    scale = [0, 0.25, 0.5, 0.75, 1] if share else ticks(top_value)
    written = [f"{round(t * 100)}%" if share else number(t) for t in scale]
    x0 = MARGIN + max(max(text_width(w, 10) for w in written) + 8, text_width(labels[0], 10) / 2)
    x1 = width - MARGIN - text_width(labels[-1], 10) / 2
    bottom = height - MARGIN - 20
    if bottom - top < 60:
        bottom = top + 60
        height = int(bottom + MARGIN + 20)
    span = scale[-1] or 1
    for tick, text in zip(scale, written, strict=True):
        ty = bottom - (bottom - top) * tick / span
        shapes.append(Line(x0, ty, x1, ty, GRID))
        shapes.append(Text(x0 - 6, ty + 4, text, 10, "end", SUB))
    n = len(labels)

    def x_of(i: int) -> float:
        return (x0 + x1) / 2 if n == 1 else x0 + (x1 - x0) * i / (n - 1)

    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            if i != n - 1 and n - 1 - i < every:
                continue  # too close to the last label, which is always written
            shapes.append(Text(x_of(i), bottom + 16, label, 10, "middle", SUB))
    for (_name, values), colour in zip(series, colours, strict=True):
        points = tuple((x_of(i), bottom - (bottom - top) * v / span) for i, v in enumerate(values))
        if n > 1:
            shapes.append(Polyline(points, colour))
        if n <= 40:
            shapes += [Dot(px, py, 3, colour) for px, py in points]
    return Chart(width, height, title, tuple(shapes))


# -- SVG ------------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(chart: Chart) -> str:
    """The chart as an SVG element to put inline in a page: every text is escaped, so
    the markup is safe to insert as it is."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{chart.width}" height="{chart.height}" '
        f'viewBox="0 0 {chart.width} {chart.height}" '
        f"aria-label={quoteattr(chart.title)} font-family={quoteattr(FONT_FAMILY)}>",
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{chart.width}" height="{chart.height}" fill="#ffffff"/>',
    ]
    for shape in chart.shapes:
        parts.append(_svg_shape(shape))
    parts.append("</svg>")
    return "".join(parts)


def _svg_shape(shape) -> str:
    if isinstance(shape, Rect):
        return (
            f'<rect x="{_f(shape.x)}" y="{_f(shape.y)}" width="{_f(shape.w)}" '
            f'height="{_f(shape.h)}" fill="{shape.fill}"/>'
        )
    if isinstance(shape, Line):
        return (
            f'<line x1="{_f(shape.x1)}" y1="{_f(shape.y1)}" x2="{_f(shape.x2)}" '
            f'y2="{_f(shape.y2)}" stroke="{shape.stroke}" stroke-width="{_f(shape.width)}"/>'
        )
    if isinstance(shape, Text):
        weight = ' font-weight="bold"' if shape.bold else ""
        return (
            f'<text x="{_f(shape.x)}" y="{_f(shape.y)}" font-size="{_f(shape.size)}" '
            f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>{escape(shape.text)}</text>'
        )
    if isinstance(shape, Polyline):
        points = " ".join(f"{_f(x)},{_f(y)}" for x, y in shape.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
            f'stroke-width="{_f(shape.width)}" stroke-linejoin="round"/>'
        )
    if isinstance(shape, Dot):
        return (
            f'<circle cx="{_f(shape.x)}" cy="{_f(shape.y)}" r="{_f(shape.r)}" fill="{shape.fill}"/>'
        )
    raise TypeError(f"not a shape: {shape!r}")


# -- PNG ------------------------------------------------------------------------------

_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


@lru_cache(maxsize=16)
def _font(path: str, size: int):
    from PIL import ImageFont

    from huanjie.documents import fonts

    if not os.path.isfile(path):
        raise fonts.FontMissing(
            f"The CJK font of the charts, {path}, is missing. Install the Debian package "
            f"{fonts.DEBIAN_PACKAGE} (apt-get install {fonts.DEBIAN_PACKAGE})."
        )
    return ImageFont.truetype(path, size, index=fonts.SUBFONT_INDEX)


def png(chart: Chart, *, scale: int = 2) -> bytes:
    """The chart as a PNG of ``scale`` times its size in pixels, for a DOCX; the text
    in the embedded CJK font. The PNG says ``96 × scale`` dpi, so that a document
    shows it at the chart's own size."""
    from PIL import Image, ImageDraw

    from huanjie.documents import fonts

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "#ffffff")
    draw = ImageDraw.Draw(image)
    s = scale
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            if shape.w > 0 and shape.h > 0:
                draw.rectangle(
                    [
                        shape.x * s,
                        shape.y * s,
                        (shape.x + shape.w) * s - 1,
                        (shape.y + shape.h) * s - 1,
                    ],
                    fill=shape.fill,
                )
        elif isinstance(shape, Line):
            draw.line(
                [shape.x1 * s, shape.y1 * s, shape.x2 * s, shape.y2 * s],
                fill=shape.stroke,
                width=max(1, round(shape.width * s)),
            )
        elif isinstance(shape, Text):
            font = _font(fonts.FONT_FILE, round(shape.size * s))
            draw.text(
                (shape.x * s, shape.y * s),
                shape.text,
                font=font,
                fill=shape.fill,
                anchor=_ANCHORS[shape.anchor],
                stroke_width=1 if shape.bold else 0,
                stroke_fill=shape.fill,
            )
        elif isinstance(shape, Polyline):
            draw.line(
                [(x * s, y * s) for x, y in shape.points],
                fill=shape.stroke,
                width=round(shape.width * s),
                joint="curve",
            )
        elif isinstance(shape, Dot):
            r = shape.r * s
            draw.ellipse(
                [shape.x * s - r, shape.y * s - r, shape.x * s + r, shape.y * s + r],
                fill=shape.fill,
            )
        else:
            raise TypeError(f"not a shape: {shape!r}")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(96 * scale, 96 * scale))
    return out.getvalue()
