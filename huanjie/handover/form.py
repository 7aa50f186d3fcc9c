"""The printed handover form (交接清单): the items with what is handed over and both
sides' ticks, then a signature line for the outgoing side, the incoming side and the
supervisor, each with its date (DOMAIN §9).

A4 portrait, laid out by :class:`huanjie.documents.flow.PageFlow` so that every page
says which of how many it is: a form of several sheets whose pages can be told apart
is harder to swap a page of. The signatures are kept together on the last page. The
module prints what it is given and knows nothing of Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text, text_baseline
from huanjie.documents.flow import PageFlow
from huanjie.documents.wrapping import wrap

__all__ = ["FormItem", "FormSigner", "HandoverForm", "handover_form"]

MARGIN = 18 * mm
TITLE_SIZE = 18
TEXT_SIZE = 12
CELL_SIZE = 10
FOOTER_SIZE = 9
LEADING = 1.7
CELL_LEADING = 1.5
CELL_PADDING = 3
HEADER_FILL = Color(0.9, 0.9, 0.9)
BLANK = "\uff3f" * 8  # a line to write on
TICK = "已确认"

COLUMNS = ("序号", "交接事项", "移交内容", "数量", "备注", "移交方", "接收方")
FRACTIONS = (0.07, 0.14, 0.35, 0.08, 0.16, 0.1, 0.1)


@dataclass(frozen=True)
class FormItem:
    title: str
    description: str = ""
    count: int | None = None
    note: str = ""
    outgoing_checked: bool = False
    incoming_checked: bool = False


@dataclass(frozen=True)
class FormSigner:
    """A signature line: the role printed, the name and date once signed (blank lines
    to sign on by hand until then), and who recorded it in the system."""

    role: str
    name: str = ""
    signed_on: date | None = None
    recorded: str = ""


@dataclass(frozen=True)
class HandoverForm:
    title: str
    place: str
    cycle: str
    items: Sequence[FormItem]
    signers: Sequence[FormSigner]
    handed_on: date | None = None
    note: str = ""


class _Layout(PageFlow):
    leading = LEADING

    def __init__(self, title):
        self.document_title = title
        super().__init__(A4, MARGIN, FOOTER_SIZE)

    def new_page(self):
        super().new_page()
        if len(self.pages) > 1:
            self.line(f"{self.document_title}（续）", TEXT_SIZE, align="centre", bold=True)
            self.empty = True

    def paragraph(self, text, size, *, bold=False):
        for line in wrap(text, fonts.CJK, size, self.width):
            self.line(line, size, bold=bold)

    def header_row(self):
        self.row(COLUMNS, header=True)

    def row(self, cells, *, header=False):
        """One row of the table, as tall as its longest wrapped cell; a row that does
        not fit starts a new page under a repeated header."""
        widths = [f * self.width for f in FRACTIONS]
        lines = [
            wrap(cell, fonts.CJK, CELL_SIZE, w - 2 * CELL_PADDING) or [""]
            for cell, w in zip(cells, widths, strict=True)
        ]
        height = max(len(ls) for ls in lines) * CELL_SIZE * CELL_LEADING + 2 * CELL_PADDING
        if self.y - height < self.bottom and not self.empty:
            self.new_page()
            if not header:
                self.header_row()
        self.pages[-1].append(("cells", self.left, self.y, widths, height, lines, header))
        self.y -= height
        self.empty = False

    def draw(self, canvas, operation):
        if operation[0] != "cells":
            return super().draw(canvas, operation)
        _kind, x, top, widths, height, lines, header = operation
        canvas.saveState()
        if header:
            canvas.setFillColor(HEADER_FILL)
            canvas.rect(x, top - height, sum(widths), height, stroke=0, fill=1)
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.5)
        left = x
        for w, cell_lines in zip(widths, lines, strict=True):
            canvas.rect(left, top - height, w, height, stroke=1, fill=0)
            line_height = CELL_SIZE * CELL_LEADING
            y = top - (height - len(cell_lines) * line_height) / 2
            for text in cell_lines:
                baseline = text_baseline(y, line_height, CELL_SIZE)
                draw_text(
                    canvas, left + w / 2, baseline, text, CELL_SIZE, align="centre", bold=header
                )
                y -= line_height
            left += w
        canvas.restoreState()


def handover_form(form: HandoverForm) -> bytes:
    """The PDF of the handover form."""
    fonts.register()
    layout = _Layout(form.title)
    for line in wrap(form.title, fonts.CJK, TITLE_SIZE, layout.width):
        layout.line(line, TITLE_SIZE, align="centre", bold=True)
    layout.gap(TEXT_SIZE * 0.5)
    layout.line(f"单位：{form.place}　　届次：{form.cycle}", TEXT_SIZE)
    handed_on = chinese_date(form.handed_on) if form.handed_on else BLANK
    layout.line(f"交接日期：{handed_on}", TEXT_SIZE)
    layout.gap(TEXT_SIZE * 0.5)
    layout.header_row()
    for number, item in enumerate(form.items, 1):
        layout.row(
            (
                str(number),
                item.title,
                item.description or "—",
                "" if item.count is None else str(item.count),
                item.note,
                TICK if item.outgoing_checked else "",
                TICK if item.incoming_checked else "",
            )
        )
    if form.note.strip():
        layout.gap(TEXT_SIZE * 0.5)
        layout.paragraph(f"说明：{form.note.strip()}", TEXT_SIZE)
    layout.gap(TEXT_SIZE)
    layout.make_room((len(form.signers) * 2 + 2) * TEXT_SIZE * LEADING)
    layout.paragraph("以上事项经移交方、接收方逐项清点核对无误，双方签字确认。", TEXT_SIZE)
    layout.gap(TEXT_SIZE * 0.5)
    for signer in form.signers:
        name = signer.name.strip() or BLANK
        day = chinese_date(signer.signed_on) if signer.signed_on else BLANK
        layout.line(f"{signer.role}签字：{name}　　　日期：{day}", TEXT_SIZE)
        if signer.recorded:
            layout.line(f"（{signer.recorded}）", FOOTER_SIZE, indent=TEXT_SIZE * 2)
    return layout.render(form.title, form.place)
