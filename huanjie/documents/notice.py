"""Notices posted on walls (公告) that list people: the voter list (选民名单公告), the
decisions on objections, the supplementary registration list (补登选民名单).

The law wants these lists posted where everyone can read them (DOMAIN §4), so the page
is a poster: A3 landscape by default, a big title, the text of the notice, then each
section (one per villagers' group, say) with its heading and its rows set as a table
that runs down one column-block and on into the next, like a newspaper, so that a long
list uses the width of the sheet instead of a hundred narrow pages. The column header
is repeated at the top of every block, a section cut by a page is headed again with
"（续）", and every page says which of how many it is, since a poster is read sheet by
sheet on a wall.

The module prints what it is given: rows in the caller's order (姓氏笔画 or by
household), ID numbers already masked. It knows nothing of Django.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A3, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text, text_baseline
from huanjie.documents.flow import PageFlow
from huanjie.documents.wrapping import wrap

__all__ = ["Section", "list_notice"]

MARGIN = 15 * mm
TITLE_SIZE = 30
TEXT_SIZE = 15
CELL_SIZE = 11
FOOTER_SIZE = 10
LEADING = 1.7  # line height as a multiple of the font size
ROW_HEIGHT = 1.8  # table row height as a multiple of the cell font size
BLOCK_GAP = 14  # points between two column-blocks
SECTION_GAP = 10  # points below a section's table
HEADING_GAP = 3  # points between a section's heading and its table
MIN_ROWS_PER_BLOCK = 8  # a short section is not spread one row per block
INDENT = "\u3000\u3000"  # paragraphs start two characters in (首行缩进两字)

HEADER_FILL = Color(0.9, 0.9, 0.9)


@dataclass(frozen=True)
class Section:
    """A part of the list under its own heading, e.g. "第一村民小组（共 123 人）"."""

    heading: str
    rows: Sequence[Sequence[str]]


def list_notice(
    *,
    title: str,
    preamble: str,
    sections: Sequence[Section],
    closing: str,
    issuer: str,
    issued_on: date,
    columns: Sequence[str],
    pagesize: tuple[float, float] = landscape(A3),
) -> bytes:
    """The PDF of a notice listing ``sections``; each row has one cell per column.

    ``preamble`` and ``closing`` are the text before and after the list; a newline in
    them starts a new paragraph. ``issuer`` (e.g. "金茶村村民选举委员会") and the date
    ``issued_on`` end the notice, at the right.
    """
    fonts.register()
    for section in sections:
        for number, row in enumerate(section.rows, 1):
            if len(row) != len(columns):
                raise ValueError(
                    f"Row {number} of {section.heading!r} has {len(row)} cells, "
                    f"not one per column ({len(columns)})."
                )
    layout = _Layout(pagesize, title)
    layout.title(title)
    layout.paragraphs(preamble)
    table = _Table.measure(columns, sections, layout.width)
    for section in sections:
        layout.section(section, table)
    layout.closing(closing, issuer, chinese_date(issued_on))
    return layout.render(title, issuer)


@dataclass
class _Table:
    """How the rows are set: cell font size, column widths, blocks across the page."""

    columns: Sequence[str]
    size: float
    widths: list[float]
    blocks: int
    row_height: float

    @classmethod
    def measure(cls, columns, sections, page_width):
        size = CELL_SIZE
        widths = [stringWidth(c, fonts.CJK, size) for c in columns]
        for section in sections:
            for row in section.rows:
                for i, cell in enumerate(row):
                    widths[i] = max(widths[i], stringWidth(cell, fonts.CJK, size))
        widths = [w + size for w in widths]  # half a character of padding each side
        natural = sum(widths)
        if natural > page_width:  # too many columns for one block: smaller type
            size *= page_width / natural
            widths = [w * page_width / natural for w in widths]
            natural = page_width
        blocks = max(1, int((page_width + BLOCK_GAP) // (natural + BLOCK_GAP)))
        # Blocks share the width of the page; each column grows in proportion.
        block_width = (page_width - (blocks - 1) * BLOCK_GAP) / blocks
        widths = [w * block_width / natural for w in widths]
        return cls(columns, size, widths, blocks, size * ROW_HEIGHT)

    @property
    def block_width(self):
        return sum(self.widths)


class _Layout(PageFlow):
    """The notice's lines and tables on pages; a page after the first starts with the
    title and "（续）"."""

    leading = LEADING

    def __init__(self, pagesize, title):
        self.running_title = f"{title}（续）"
        super().__init__(pagesize, MARGIN, FOOTER_SIZE)

    def new_page(self):
        super().new_page()
        if len(self.pages) > 1:
            self.line(self.running_title, TEXT_SIZE, align="centre", bold=True)
            self.y -= TEXT_SIZE * 0.5
            self.empty = True

    def title(self, title):
        for text in wrap(title, fonts.CJK, TITLE_SIZE, self.width):
            self.line(text, TITLE_SIZE, align="centre", bold=True)
        self.y -= TITLE_SIZE * 0.3

    def paragraphs(self, text):
        if not text:
            return
        for paragraph in text.split("\n"):
            for line in wrap(INDENT + paragraph, fonts.CJK, TEXT_SIZE, self.width):
                self.line(line, TEXT_SIZE)

    def section(self, section, table):
        heading = TEXT_SIZE * LEADING + HEADING_GAP
        header = table.row_height
        self.make_room(heading + header + min(len(section.rows), 3) * table.row_height)
        self.heading(section.heading)
        rows, start, continued = section.rows, 0, False
        while start < len(rows):
            capacity = int((self.y - self.bottom - header) // table.row_height)
            if capacity < 1 and not continued:
                self.new_page()
                self.heading(f"{section.heading}（续）")
                continued = True
                continue
            capacity = max(capacity, 1)  # a page too small for a row still gets one
            left = len(rows) - start
            if left >= capacity * table.blocks:
                per_block = capacity
            else:
                per_block = min(
                    capacity,
                    max(math.ceil(left / table.blocks), min(left, MIN_ROWS_PER_BLOCK)),
                )
            for block in range(table.blocks):
                chunk = rows[start : start + per_block]
                if not chunk:
                    break
                x = self.left + block * (table.block_width + BLOCK_GAP)
                self.pages[-1].append(("table", x, self.y, table, chunk))
                start += len(chunk)
            self.y -= header + per_block * table.row_height + SECTION_GAP
            self.empty = False
            if start < len(rows):
                self.new_page()
                self.heading(f"{section.heading}（续）")
                continued = True

    def heading(self, text):
        self.line(text, TEXT_SIZE, bold=True)
        self.y -= HEADING_GAP

    def closing(self, text, issuer, issued_on):
        lines = []
        for paragraph in text.split("\n") if text else []:
            lines.extend(wrap(INDENT + paragraph, fonts.CJK, TEXT_SIZE, self.width))
        signature = [issuer, issued_on]
        # The signature stays with the end of the text, on the same page.
        self.make_room((min(len(lines), 2) + 1 + len(signature)) * TEXT_SIZE * LEADING)
        for line in lines:
            self.line(line, TEXT_SIZE)
        self.y -= TEXT_SIZE * LEADING
        for line in signature:
            self.line(line, TEXT_SIZE, align="right", indent=2 * TEXT_SIZE)

    def draw(self, canvas, operation):
        if operation[0] == "table":
            _draw_table(canvas, *operation[1:])
        else:
            super().draw(canvas, operation)


def _draw_table(canvas, x, top, table, rows):
    """One column-block: the header row, then ``rows``, in a ruled grid."""
    canvas.setFillColor(HEADER_FILL)
    canvas.rect(x, top - table.row_height, table.block_width, table.row_height, stroke=0, fill=1)
    xs = [x]
    for width in table.widths:
        xs.append(xs[-1] + width)
    ys = [top - i * table.row_height for i in range(len(rows) + 2)]
    canvas.setLineWidth(0.5)
    canvas.grid(xs, ys)
    centres = [(a + b) / 2 for a, b in zip(xs, xs[1:], strict=False)]
    y = top
    for cells, bold in [(table.columns, True)] + [(row, False) for row in rows]:
        baseline = text_baseline(y, table.row_height, table.size)
        for centre, cell in zip(centres, cells, strict=True):
            draw_text(canvas, centre, baseline, cell, table.size, align="centre", bold=bold)
        y -= table.row_height
