"""The printed register of complaints (信访举报登记台账): A4 landscape, one ruled row a
complaint, in the order given, with the area and the day printed in the heading and
第 N 页 共 M 页 at the foot of every page, since the register is kept on paper with the
archive of the cycle (DOMAIN §9, §10).

A row keeps together on its page; a summary too long for its cell is wrapped, never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.flow import PageFlow
from huanjie.documents.wrapping import wrap
from huanjie.rules.complaints import Channel, ComplaintType, Outcome, Recipient, days_overdue

MARGIN = 12 * mm
TITLE_SIZE = 16
TEXT_SIZE = 8.5
FOOTER_SIZE = 8
PADDING = 2.0

#: The columns: heading and share of the width.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("编号", 0.04),
    ("收到日期", 0.07),
    ("地点", 0.09),
    ("类型", 0.11),
    ("渠道", 0.05),
    ("来信（访）人", 0.07),
    ("反映问题", 0.22),
    ("答复期限", 0.07),
    ("办理情况", 0.18),
    ("办结日期", 0.10),
)


@dataclass(frozen=True)
class Row:
    """One complaint as printed: each cell already in words."""

    number: str
    received_on: str
    place: str
    type: str
    channel: str
    complainant: str
    summary: str
    deadline: str
    handling: str
    closed_on: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.number,
            self.received_on,
            self.place,
            self.type,
            self.channel,
            self.complainant,
            self.summary,
            self.deadline,
            self.handling,
            self.closed_on,
        )


class _Register(PageFlow):
    leading = 1.45

    def __init__(self):
        super().__init__(landscape(A4), MARGIN, FOOTER_SIZE)
        self.widths = [share * self.width for _heading, share in COLUMNS]

    def row(self, cells: Sequence[str], *, bold: bool = False, repeat_head=None):
        """One ruled row; on a new page the column headings come first."""
        size = TEXT_SIZE
        wrapped = [
            wrap(cell or "", fonts.CJK, size, width - 2 * PADDING) or [""]
            for cell, width in zip(cells, self.widths, strict=True)
        ]
        line = size * self.leading
        height = max(len(lines) for lines in wrapped) * line + PADDING
        pages = len(self.pages)
        self.make_room(height)
        if repeat_head is not None and len(self.pages) > pages:
            self.row(repeat_head, bold=True)
        top = self.y
        x = self.left
        for lines, width in zip(wrapped, self.widths, strict=True):
            for n, text in enumerate(lines):
                baseline = top - PADDING / 2 - (n + 1) * line + 0.3 * line
                self.pages[-1].append(("text", x + PADDING, baseline, text, size, "left", bold))
            x += width
        right = self.left + self.width
        self.pages[-1].append(("rule", self.left, top, right, top))
        self.pages[-1].append(("rule", self.left, top - height, right, top - height))
        x = self.left
        for width in [0.0, *self.widths]:
            x += width
            self.pages[-1].append(("rule", x, top, x, top - height))
        self.y -= height
        self.empty = False

    def draw(self, canvas, operation):
        if operation[0] == "rule":
            _kind, x1, y1, x2, y2 = operation
            canvas.setLineWidth(0.4)
            canvas.line(x1, y1, x2, y2)
            return
        super().draw(canvas, operation)


def register_pdf(rows: Sequence[Row], *, area: str, cycle: str, printed_on: date) -> bytes:
    """The register of ``rows`` for ``area`` in ``cycle``, printed on ``printed_on``."""
    fonts.register()
    layout = _Register()
    title = f"{area}信访举报登记台账"
    layout.line(title, TITLE_SIZE, align="centre", bold=True)
    subtitle = f"{cycle}　　共{len(rows)}件　　打印日期：{chinese_date(printed_on)}"
    layout.line(subtitle, TEXT_SIZE, align="centre")
    layout.gap(TEXT_SIZE * 0.5)
    head = [heading for heading, _share in COLUMNS]
    layout.row(head, bold=True)
    for row in rows:
        layout.row(row.cells(), repeat_head=head)
    if not rows:
        layout.line("（本期无登记）", TEXT_SIZE, align="centre")
    return layout.render(title, area)


def row_of(complaint, today: date) -> Row:
    """A complaint as the register prints it, in Chinese whatever the page's language:
    the handling is the outcome and the measures when closed, else the last step, and
    how late it is."""
    c = complaint
    if c.is_closed:
        handling = Outcome(c.outcome).title_zh + (f"：{c.measures}" if c.measures else "")
    else:
        steps = list(c.steps.all())
        handling = steps[-1].action if steps else "办理中"
        late = days_overdue(c.deadline, today)
        if late:
            handling += f"（已逾期{late}天）"
    if c.escalated_to:
        handling += f"；已转报{Recipient(c.escalated_to).title_zh}"
    return Row(
        number=str(c.number),
        received_on=c.received_on.isoformat(),
        place=c.place.name,
        type=ComplaintType(c.type).title_zh,
        channel=Channel(c.channel).title_zh,
        complainant=c.complainant or "匿名",
        summary=c.summary,
        deadline=c.deadline.isoformat(),
        handling=handling,
        closed_on=c.closed_on.isoformat() if c.closed_on else "",
    )
