"""选民证: the voter cards of a place, eight to an A4 sheet, to be cut apart.

A card is what a voter shows at the polling station to receive a ballot (DOMAIN §4),
so it carries what the desk needs to find the voter — name, card number, place and
station — and what makes it the committee's: its name, the date and a place for the
seal. The sheet is drawn directly on the canvas, without reportlab's flowables: a
county's cards run into the hundreds of thousands, and a fixed grid needs no layout.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text
from huanjie.documents.fonts import CJK, register
from huanjie.documents.wrapping import fit_size, wrap

__all__ = ["Card", "voter_cards", "PER_PAGE"]

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 10 * mm
GAP = 6 * mm
SEAL_RED = Color(0.8, 0.1, 0.1)
SEAL_RADIUS = 9 * mm
FIRST_FIELD = 18 * mm  # from the top of the card to the first field's baseline
FIELD_STEP = 6.5 * mm  # keeps the last field clear of the seal below it
FIELD_SIZE = 11
TWO_LINE_SIZE = 9  # a value too long for one line at FIELD_SIZE


@dataclass(frozen=True)
class Card:
    name: str
    number: str
    place: str
    station: str


def voter_cards(
    cards: Sequence[Card],
    *,
    election_day: date,
    issuer: str,
    issued_on: date,
    title: str = "选民证",
) -> bytes:
    """The PDF of ``cards`` in the order given, :data:`PER_PAGE` to a page."""
    register()
    out = BytesIO()
    # The CJK font as the initial font, or every page would name Helvetica, unembedded.
    canvas = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=CJK)
    canvas.setTitle(f"{issuer}{title}")
    page_width, page_height = A4
    width = (page_width - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS
    height = (page_height - 2 * MARGIN - (ROWS - 1) * GAP) / ROWS
    day, issued = chinese_date(election_day), chinese_date(issued_on)
    for start in range(0, len(cards), PER_PAGE):
        for i, card in enumerate(cards[start : start + PER_PAGE]):
            column, row = i % COLUMNS, i // COLUMNS
            x = MARGIN + column * (width + GAP)
            y = page_height - MARGIN - (row + 1) * height - row * GAP
            _draw_card(canvas, x, y, width, height, card, title, day, issuer, issued)
        _cut_lines(canvas, page_width, page_height, width, height)
        canvas.showPage()
    if not cards:
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_card(canvas, x, y, width, height, card, title, day, issuer, issued):
    canvas.setStrokeColor(black)
    canvas.setLineWidth(1)
    canvas.rect(x, y, width, height)
    top, right = y + height, x + width - 6 * mm
    draw_text(canvas, x + width / 2, top - 11 * mm, title, 18, align="centre", bold=True)
    left, value = x + 8 * mm, x + 30 * mm
    fields = (
        ("姓　　名", card.name),
        ("编　　号", card.number),
        ("选　　区", card.place),
        ("投 票 站", card.station),
        ("选举日期", day),
    )
    for n, (label, text) in enumerate(fields):
        line = top - FIRST_FIELD - n * FIELD_STEP
        draw_text(canvas, left, line, label + "：", 10.5)
        size, lines = _fit(text, right - value)
        if len(lines) == 1:
            draw_text(canvas, value, line, text, size, bold=n == 0)
        else:  # two smaller lines centred on the field's line
            draw_text(canvas, value, line + 0.55 * size, lines[0], size)
            draw_text(canvas, value, line - 0.55 * size, lines[1], size)
    # The committee and the date at the bottom right, below the last field, and the
    # circle where the seal goes over them, with its label above the committee's name.
    draw_text(canvas, right, y + 9 * mm, issuer, 9.5, align="right")
    draw_text(canvas, right, y + 4 * mm, issued, 9.5, align="right")
    seal_x, seal_y = right - 14 * mm, y + 9.5 * mm
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setDash(2, 2)
    canvas.circle(seal_x, seal_y, SEAL_RADIUS)
    canvas.restoreState()
    label_y = seal_y + 0.55 * SEAL_RADIUS
    draw_text(canvas, seal_x, label_y, "（盖章）", 7, align="centre", color=SEAL_RED)


def _fit(text, width):
    """The size and lines a field's value is set in: one line at FIELD_SIZE if it fits;
    else two lines at TWO_LINE_SIZE (a long polling station's name); else one line as
    small as it must be, since nothing may be left off a card."""
    if stringWidth(text, CJK, FIELD_SIZE) <= width:
        return FIELD_SIZE, [text]
    lines = wrap(text, CJK, TWO_LINE_SIZE, width)
    if len(lines) <= 2:
        return TWO_LINE_SIZE, lines
    return fit_size(text, CJK, TWO_LINE_SIZE, width, smallest=1), [text]


def _cut_lines(canvas, page_width, page_height, width, height):
    """Dashed lines in the gaps between the cards, to cut along."""
    canvas.saveState()
    canvas.setDash(1, 3)
    canvas.setLineWidth(0.3)
    for column in range(1, COLUMNS):
        x = MARGIN + column * width + (column - 0.5) * GAP
        canvas.line(x, MARGIN / 2, x, page_height - MARGIN / 2)
    for row in range(1, ROWS):
        y = page_height - MARGIN - row * height - (row - 0.5) * GAP
        canvas.line(MARGIN / 2, y, page_width - MARGIN / 2, y)
    canvas.restoreState()
