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
from reportlab.pdfgen.canvas import Canvas

from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text
from huanjie.documents.fonts import CJK, register
from huanjie.documents.wrapping import fit_size

__all__ = ["Card", "voter_cards", "PER_PAGE"]

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 10 * mm
GAP = 6 * mm
SEAL_RED = Color(0.8, 0.1, 0.1)


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
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
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
    top = y + height
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
        line = top - 21 * mm - n * 7.5 * mm
        draw_text(canvas, left, line, label + "：", 10.5)
        size = fit_size(text, CJK, 11, x + width - 6 * mm - value)
        draw_text(canvas, value, line, text, size, bold=n == 0)
    draw_text(canvas, x + width - 6 * mm, y + 12 * mm, issuer, 9.5, align="right")
    draw_text(canvas, x + width - 6 * mm, y + 6 * mm, issued, 9.5, align="right")
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setDash(2, 2)
    canvas.circle(x + width - 22 * mm, y + 14 * mm, 9 * mm)
    canvas.restoreState()
    draw_text(
        canvas, x + width - 22 * mm, y + 13 * mm, "（盖章）", 8, align="centre", color=SEAL_RED
    )


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
