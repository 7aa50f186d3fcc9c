"""选票: the ballot papers of a 村/居民委员会 election or a party election (DOMAIN §6, §8).

A ballot lists, for each office (职务), its candidates in the order the caller gives
(姓氏笔画, DOMAIN §6), a mark box after each name, and blank lines to write in another
person (另选他人) — a right of every voter, so no office is printed without them. The
voter writes ○ (赞成), × (反对) or nothing (弃权) in the box. An election prints either one
ballot with a section per office or one ballot per office (``layout``).

Two sets are printed, the formal (正式选票) and the spare (备用选票), "in the same form and
in different colours" (seed 003): the set is printed on the ballot and the whole page is
tinted in the set's colour, so that a spare ballot slipped into the count is seen at a
glance. Every ballot carries a serial number, and its footer says for which box it was
printed and how many were printed for that box with which numbers, so that the ballots
issued and returned per box (DOMAIN §6, §7 item 1) can be checked against what was
printed. The number belongs to the paper; it must never be written next to a voter.

The paper is A4 portrait, one ballot to a sheet, not A5:

- the seeds ask for taller, wider mark boxes and larger type for elderly voters (seed
  002); on A5 a ballot of three offices would have rows too low to write a ○ in;
- A4 is what every township printer and copier takes; A5 ballots would be printed two
  to a sheet and cut, and cutting stacks of numbered ballots mixes their order and adds
  a step where a ballot can go missing, when every one must be accounted for;
- an office with many candidates continues on the back of the same sheet, so even a
  long ballot stays one sheet in the voter's hand.

When a ballot needs more than one page, every ballot of the file is given an even
number of pages and the PDF asks the printer for duplex, so that page 2 is the back of
page 1; the ballot says "请翻到背面继续" where it continues.

Speed: a county prints tens of thousands of ballots. Everything on a page but its
serial number is the same on every copy, so each distinct page is drawn once as a form
XObject and each copy only places the form and draws its number. The CJK font is then
embedded once, as the subset of the characters used.

The module prints what it is given and knows nothing of Django.
"""

import io
import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text, new_canvas, text_baseline
from huanjie.documents.wrapping import fit_size, wrap

__all__ = [
    "DEFAULT_INSTRUCTIONS",
    "LEGEND",
    "PARTY_INSTRUCTIONS",
    "PARTY_LEGEND",
    "SET_NAMES",
    "TINTS",
    "BallotOffice",
    "BallotPaper",
    "ballot_papers",
]

BallotSet = Literal["formal", "spare"]
Layout = Literal["sections", "separate"]

#: What each set is called on the ballot.
SET_NAMES = {"formal": "正式选票", "spare": "备用选票"}

#: The paper tone of each set: light enough to read and mark on, far enough apart to
#: tell the sets apart across a counting table.
TINTS = {"formal": Color(1, 0.86, 0.86), "spare": Color(0.84, 0.92, 1)}

#: The colour the set's name is printed in.
INKS = {"formal": Color(0.72, 0.06, 0.1), "spare": Color(0.06, 0.22, 0.6)}

SEAL_RED = Color(0.8, 0.1, 0.1)

#: The key to the marks (DOMAIN §6), printed above the first office.
LEGEND = "画票符号：○ 赞成　　× 反对　　空白 弃权"

#: A party election says 不赞成 rather than 反对 (DOMAIN §8).
PARTY_LEGEND = "画票符号：○ 赞成　　× 不赞成　　空白 弃权"

#: 填写说明 of a 村/居民委员会 ballot: the marks, the write-in, and the two causes of an
#: invalid vote of DOMAIN §7 item 3 — too many marked for an office voids that office
#: only, and an unreadable part voids only itself.
DEFAULT_INSTRUCTIONS: tuple[str, ...] = (
    "赞成的，在候选人姓名右边的画票格内画“○”；反对的，画“×”；弃权的，不画任何符号（空白）。",
    "另选他人的，在“另选他人”栏的空格内写上所选人的姓名，并在其右边的画票格内画“○”。",
    "每一职务所选的人数（画“○”的候选人与另选他人合计）不得多于该职务的应选名额，"
    "多于应选名额的，该职务的选票无效。",
    "符号或字迹无法辨认的部分无效，可以辨认的部分仍然有效。",
)

#: 填写说明 of a party ballot: there, approving more people than there are seats voids
#: the whole ballot (DOMAIN §8), and a write-in goes with not approving a candidate.
PARTY_INSTRUCTIONS: tuple[str, ...] = (
    "赞成的，在候选人姓名右边的画票格内画“○”；不赞成的，画“×”；弃权的，不画任何符号（空白）。",
    "不赞成候选人而另选他人的，在“另选他人”栏的空格内写上所选人的姓名，并在其右边的画票格内画“○”。",
    "所选的人数（画“○”的候选人与另选他人合计）多于应选名额的，此票无效。",
    "符号或字迹无法辨认的部分无效，可以辨认的部分仍然有效。",
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 12 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN

BAND = 10 * mm  # the set's name and the serial number, at the top
SET_SIZE = 14
SERIAL_SIZE = 14
TITLE_SIZE = 20
TITLE_ONE_LINE = 16  # a title shrinks to this to stay on one line…
TITLE_SMALLEST = 14  # …and to this to stay on TITLE_LINES lines
TITLE_LINES = 2  # a long title shrinks to this many lines before it takes more
SUBTITLE_SIZE = 16
DATE_SIZE = 11
LEADING = 1.3

INSTRUCTION_SIZE = 9.5
INSTRUCTION_LEADING = 1.4
INSTRUCTION_PAD = 2 * mm
LEGEND_SIZE = 12

OFFICE_SIZE = 14
OFFICE_SMALLEST = 10
OFFICE_GAP = 4 * mm  # above every office but the first of a page
HEADING_GAP = 1.5 * mm  # between an office's heading and its table
HEAD_ROW = 7.5 * mm
HEAD_SIZE = 11
ROW_MOST = 14 * mm  # rows are as tall as the page allows, up to this…
ROW_LEAST = 8 * mm  # …and never lower than this: room to write a ○ or a name
ROW_STEP = 0.5 * mm
NAME_SIZE = 16
NAME_SMALLEST = 10
KIND_SIZE = 11
KIND_WIDTH = 24 * mm  # the column that says 候选人 or 另选他人
MARK_WIDTH = 60 * mm
NAME_WIDTH = WIDTH - KIND_WIDTH - MARK_WIDTH
CELL_PAD = 2 * mm

SEAL_BAND = 24 * mm  # on the front of each sheet
SEAL_SIZE = 12
SEAL_RADIUS = 10 * mm
FOOTER_BAND = 7 * mm
FOOTER_SIZE = 9

CANDIDATE, WRITE_IN = "候选人", "另选他人"


@dataclass(frozen=True)
class BallotOffice:
    """One office on a ballot: ``names`` already in 姓氏笔画 order (the caller sorts).

    ``write_in_lines`` blank rows follow the candidates for 另选他人; by default one per
    seat, so a voter can write in a whole slate of his own. An office with no names (a
    ballot without formal candidates) has only the blank rows.
    """

    title: str
    seats: int
    names: tuple[str, ...]
    write_in_lines: int | None = None

    def __post_init__(self):
        if not self.title.strip():
            raise ValueError("An office on a ballot needs a title, such as 主任 or 委员.")
        if self.seats < 1:
            raise ValueError(
                f"The office {self.title} has {self.seats} seats (应选名额); "
                "an office on a ballot needs at least 1."
            )
        if self.write_in_lines is not None and self.write_in_lines < 1:
            raise ValueError(
                f"The office {self.title} has {self.write_in_lines} lines for 另选他人; "
                "a voter may always write in another person, so it needs at least 1."
            )
        for number, name in enumerate(self.names, 1):
            if not name.strip():
                raise ValueError(f"Candidate {number} of the office {self.title} has no name.")

    @property
    def lines(self) -> int:
        """The number of blank rows for 另选他人."""
        return self.seats if self.write_in_lines is None else self.write_in_lines


@dataclass(frozen=True)
class BallotPaper:
    """What every ballot of an election shows.

    ``offices`` in the order printed, the highest first; ``layout`` "sections" prints one
    ballot with a section per office, "separate" one ballot per office. ``seal_text``
    (e.g. "金茶村村民选举委员会（印章）") is printed where the committee's seal goes.
    """

    title: str
    election_day: date
    offices: tuple[BallotOffice, ...]
    layout: Layout = "sections"
    instructions: tuple[str, ...] = DEFAULT_INSTRUCTIONS
    seal_text: str = "选举委员会（印章）"
    legend: str = LEGEND

    def __post_init__(self):
        if not self.title.strip():
            raise ValueError("A ballot needs a title, such as 金茶村第十二届村民委员会选举选票.")
        if not self.offices:
            raise ValueError(f"The ballot {self.title} has no office to vote on.")
        if self.layout not in ("sections", "separate"):
            raise ValueError(f"layout must be 'sections' or 'separate', not {self.layout!r}.")


def ballot_papers(
    paper: BallotPaper,
    *,
    copies: int,
    set: BallotSet = "formal",  # shadows the builtin: the name callers use
    box_label: str = "",
    first_number: int = 1,
) -> bytes:
    """The PDF of ``copies`` ballots of ``paper`` in the ``set`` "formal" or "spare",
    numbered from ``first_number``, for the box ``box_label`` (e.g. "第3投票站",
    "流动票箱1"; empty for ballots not yet given to a box).

    With layout "sections" each copy is one ballot; with "separate" each copy is one
    ballot per office, and the file holds all the ballots of the first office, then all
    of the second, each stack numbered ``first_number`` on. A box printed later goes on
    from the last number of the one before: ``first_number`` is there for that.
    """
    ballot_set = set
    if ballot_set not in SET_NAMES:
        raise ValueError(f"set must be 'formal' or 'spare', not {ballot_set!r}.")
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}: print at least one ballot.")
    if first_number < 1:
        raise ValueError(f"Ballot numbers start at 1 or later, not {first_number}.")
    fonts.register()
    last_number = first_number + copies - 1
    digits = max(4, len(str(last_number)))
    numbers = (f"{first_number:0{digits}d}", f"{last_number:0{digits}d}")
    if paper.layout == "sections":
        groups = [paper.offices]
    else:
        groups = [(office,) for office in paper.offices]
    ballots = [
        _Ballot(
            paper,
            offices,
            ballot_set,
            box_label,
            copies,
            numbers,
            separate=paper.layout == "separate",
        )
        for offices in groups
    ]
    duplex = any(len(ballot.pages) > 1 for ballot in ballots)

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, f"{paper.title}（{SET_NAMES[ballot_set]}）")
    canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge" if duplex else "Simplex")
    forms = []
    for b, ballot in enumerate(ballots):
        names = []
        for k in range(ballot.sheet_pages(duplex)):
            names.append(f"Ballot{b}Page{k}")
            canvas.beginForm(names[-1])
            ballot.draw(canvas, k)
            canvas.endForm()
        forms.append(names)

    serial_right = PAGE_WIDTH - MARGIN
    serial_y = _bandbaseline()
    ink = INKS[ballot_set]
    for names in forms:
        for number in range(first_number, last_number + 1):
            serial = f"{number:0{digits}d}"
            for name in names:
                canvas.doForm(name)
                canvas.setFillColor(ink)
                canvas.setFont(fonts.CJK, SERIAL_SIZE)
                canvas.drawRightString(serial_right, serial_y, serial)
                canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@dataclass
class _Chunk:
    """The part of an office's table on one page: the office's place in the ballot, its
    rows as (kind, name), and whether it goes on from an earlier page."""

    office: int
    rows: list[tuple[str, str]]
    continued: bool


class _Ballot:
    """One ballot — every office of "sections", one office of "separate" — laid out on
    pages: ``pages`` holds each page's chunks, ``row`` is the height of a table row."""

    def __init__(self, paper, offices, ballot_set, box_label, copies, numbers, *, separate):
        self.paper = paper
        self.offices = offices
        self.ballot_set = ballot_set
        self.digits = len(numbers[0])
        office = offices[0].title if separate else ""
        self.subtitle = f"（{office}）" if separate else ""
        self.title_size, self.title_lines = _title(paper.title)
        self.instructions = [_instruction(n, text) for n, text in enumerate(paper.instructions, 1)]
        self.legend_size = fit_size(paper.legend, fonts.CJK, LEGEND_SIZE, WIDTH)
        self.headings = {
            (n, continued): _heading(office, continued)
            for n, office in enumerate(offices)
            for continued in (False, True)
        }
        self.footer = _footer(box_label, office, ballot_set, copies, numbers)
        self.seal_lines = wrap(paper.seal_text, fonts.CJK, SEAL_SIZE, WIDTH / 2)
        self.row, self.pages = self._layout()

    # The layout.

    def _top(self):
        """The height of what heads every page: the band, the title, the date."""
        height = BAND + len(self.title_lines) * self.title_size * LEADING
        if self.subtitle:
            height += SUBTITLE_SIZE * LEADING
        return height + DATE_SIZE * LEADING

    def _instructions_height(self):
        lines = 1 + sum(len(lines) for _, lines in self.instructions)  # and 填写说明
        return lines * INSTRUCTION_SIZE * INSTRUCTION_LEADING + 2 * INSTRUCTION_PAD

    def _room(self, k):
        """The height left for the tables on page ``k`` of the ballot. The instructions
        and the legend are on the first page; the seal is on the front of each sheet
        (pages 0, 2, …), where the committee stamps it."""
        room = PAGE_HEIGHT - 2 * MARGIN - FOOTER_BAND - self._top()
        if k == 0:
            room -= self._instructions_height() + self.legend_size * LEADING * 1.4
        if k % 2 == 0:
            room -= SEAL_BAND
        return room

    def _layout(self):
        """The tallest rows that do not give the ballot more pages than the lowest rows
        do; at each height, an office kept whole on one page if that costs no page."""
        fewest = len(self._paginate(ROW_LEAST, keep=False))
        steps = round((ROW_MOST - ROW_LEAST) / ROW_STEP)
        for step in range(steps, -1, -1):
            row = ROW_LEAST + step * ROW_STEP
            for keep in (True, False):
                pages = self._paginate(row, keep=keep)
                if len(pages) == fewest:
                    return row, pages
        raise AssertionError("the lowest rows give the fewest pages")  # pragma: no cover

    def _paginate(self, row, *, keep):
        """The offices' rows, page by page. An office cut by a page goes on at the top of
        the next, headed again; a heading is never left without a row under it. With
        ``keep``, an office that would be cut starts on the next page if it fits there
        whole: a voter should see an office's candidates together."""
        pages, used = [[]], 0.0
        for n, office in enumerate(self.offices):
            rows = [(CANDIDATE, name) for name in office.names]
            rows += [(WRITE_IN, "")] * office.lines
            if keep and pages[-1]:
                whole = self.headings[n, False][2] + HEAD_ROW + len(rows) * row
                room = self._room(len(pages) - 1) - used - OFFICE_GAP
                if whole > room and whole <= self._room(len(pages)):
                    pages.append([])
                    used = 0.0
            start = 0
            while start < len(rows):
                gap = OFFICE_GAP if pages[-1] else 0.0
                fixed = gap + self.headings[n, start > 0][2] + HEAD_ROW
                fit = math.floor((self._room(len(pages) - 1) - used - fixed) / row + 1e-6)
                # Not even one row fits: go on to the next page, unless this one is
                # empty and not the first (the first may be full of instructions).
                if fit < 1 and (pages[-1] or len(pages) == 1):
                    pages.append([])
                    used = 0.0
                    continue
                take = min(max(fit, 1), len(rows) - start)
                pages[-1].append(_Chunk(n, rows[start : start + take], start > 0))
                used += fixed + take * row
                start += take
                if start < len(rows):
                    pages.append([])
                    used = 0.0
        return pages

    def sheet_pages(self, duplex):
        """The pages printed per ballot: its own, and a blank back if duplex needs one."""
        count = len(self.pages)
        return count + count % 2 if duplex else count

    # The drawing.

    def draw(self, canvas, k):
        """Page ``k`` of the ballot, all but its serial number."""
        canvas.setFillColor(TINTS[self.ballot_set])
        canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
        if k >= len(self.pages):
            return  # the blank back of the last sheet
        y = self._draw_top(canvas)
        if k == 0:
            y = self._draw_instructions(canvas, y)
        for n, chunk in enumerate(self.pages[k]):
            if n:
                y -= OFFICE_GAP
            y = self._draw_chunk(canvas, chunk, y)
        if k % 2 == 0:
            self._draw_seal(canvas)
        self._draw_footer(canvas, k)

    def _draw_top(self, canvas):
        """The set's name in a frame at the left, 编号： at the right (the number itself is
        drawn per copy), the title, the office of a "separate" ballot, the date."""
        ink = INKS[self.ballot_set]
        top = PAGE_HEIGHT - MARGIN
        baseline = _bandbaseline()
        label = SET_NAMES[self.ballot_set]
        canvas.saveState()
        canvas.setStrokeColor(ink)
        canvas.setLineWidth(1.2)
        frame_width = stringWidth(label, fonts.CJK, SET_SIZE) + 4 * mm
        canvas.rect(MARGIN, top - BAND + 1 * mm, frame_width, BAND - 2 * mm)
        canvas.restoreState()
        draw_text(canvas, MARGIN + 2 * mm, baseline, label, SET_SIZE, bold=True, color=ink)
        digit = max(stringWidth(d, fonts.CJK, SERIAL_SIZE) for d in "0123456789")
        label_right = PAGE_WIDTH - MARGIN - self.digits * digit - 0.5 * mm
        draw_text(canvas, label_right, baseline, "编号：", SERIAL_SIZE, align="right", color=ink)
        y = top - BAND
        lines = [(line, self.title_size) for line in self.title_lines]
        if self.subtitle:
            lines.append((self.subtitle, SUBTITLE_SIZE))
        for line, size in lines:
            height = size * LEADING
            draw_text(
                canvas, PAGE_WIDTH / 2, text_baseline(y, height, size), line, size,
                align="centre", bold=True,
            )  # fmt: skip
            y -= height
        height = DATE_SIZE * LEADING
        day = f"选举日期：{chinese_date(self.paper.election_day)}"
        baseline = text_baseline(y, height, DATE_SIZE)
        draw_text(canvas, PAGE_WIDTH / 2, baseline, day, DATE_SIZE, align="centre")
        return y - height

    def _draw_instructions(self, canvas, y):
        """填写说明 in a frame, then the legend, bold, right above the first table."""
        height = self._instructions_height()
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.rect(MARGIN, y - height, WIDTH, height)
        canvas.restoreState()
        line_height = INSTRUCTION_SIZE * INSTRUCTION_LEADING
        left = MARGIN + INSTRUCTION_PAD
        y -= INSTRUCTION_PAD
        baseline = text_baseline(y, line_height, INSTRUCTION_SIZE)
        draw_text(canvas, left, baseline, "填写说明", INSTRUCTION_SIZE, bold=True)
        y -= line_height
        for prefix, lines in self.instructions:
            indent = stringWidth(prefix, fonts.CJK, INSTRUCTION_SIZE)
            for n, line in enumerate(lines):
                baseline = text_baseline(y, line_height, INSTRUCTION_SIZE)
                if n == 0:
                    draw_text(canvas, left, baseline, prefix, INSTRUCTION_SIZE)
                draw_text(canvas, left + indent, baseline, line, INSTRUCTION_SIZE)
                y -= line_height
        y -= INSTRUCTION_PAD
        height = self.legend_size * LEADING * 1.4
        baseline = text_baseline(y, height, self.legend_size)
        draw_text(
            canvas, PAGE_WIDTH / 2, baseline, self.paper.legend, self.legend_size,
            align="centre", bold=True,
        )  # fmt: skip
        return y - height

    def _draw_chunk(self, canvas, chunk, y):
        """An office's heading and its table: a column that says 候选人 or 另选他人 for
        each run of rows, the names, and the boxes to mark."""
        size, lines, _ = self.headings[chunk.office, chunk.continued]
        for line in lines:
            height = size * LEADING
            draw_text(canvas, MARGIN, text_baseline(y, height, size), line, size, bold=True)
            y -= height
        y -= HEADING_GAP
        x0, x1 = MARGIN, MARGIN + KIND_WIDTH
        x2, x3 = x1 + NAME_WIDTH, MARGIN + WIDTH
        top = y
        tint = TINTS[self.ballot_set]
        canvas.saveState()
        canvas.setFillColor(Color(tint.red * 0.88, tint.green * 0.88, tint.blue * 0.88))
        canvas.rect(x0, y - HEAD_ROW, WIDTH, HEAD_ROW, stroke=0, fill=1)
        canvas.restoreState()
        baseline = text_baseline(y, HEAD_ROW, HEAD_SIZE)
        draw_text(canvas, (x0 + x2) / 2, baseline, "姓　　名", HEAD_SIZE, align="centre", bold=True)
        draw_text(canvas, (x2 + x3) / 2, baseline, "画　　票", HEAD_SIZE, align="centre", bold=True)
        y -= HEAD_ROW
        rules = [(x0, top, x3, top), (x0, y, x3, y)]
        run_start, run_kind = y, None
        for kind, name in chunk.rows:
            if kind != run_kind:
                if run_kind is not None:
                    self._draw_kind(canvas, run_kind, run_start, y)
                    rules.append((x0, y, x1, y))
                run_start, run_kind = y, kind
            if name:
                self._draw_name(canvas, name, y, x1, x2)
            y -= self.row
            rules.append((x1, y, x3, y))
        self._draw_kind(canvas, run_kind, run_start, y)
        rules.append((x0, y, x3, y))
        rules += [(x, top, x, y) for x in (x0, x3)]
        rules += [(x1, top - HEAD_ROW, x1, y), (x2, top, x2, y)]
        canvas.saveState()
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.9)
        canvas.lines(rules)
        canvas.restoreState()
        return y

    def _draw_kind(self, canvas, kind, top, bottom):
        size = fit_size(kind, fonts.CJK, KIND_SIZE, KIND_WIDTH - 2 * CELL_PAD)
        _draw_lines(canvas, MARGIN + KIND_WIDTH / 2, top, bottom, [kind], size)

    def _draw_name(self, canvas, name, top, left, right):
        width = right - left - 2 * CELL_PAD
        size = fit_size(name, fonts.CJK, NAME_SIZE, width, NAME_SMALLEST)
        lines = [name]
        if stringWidth(name, fonts.CJK, size) > width:  # a very long name: several lines
            size = NAME_SMALLEST
            lines = wrap(name, fonts.CJK, size, width)
            while len(lines) * size * 1.15 > self.row - 2 and size > 5:
                size -= 0.5
                lines = wrap(name, fonts.CJK, size, width)
        _draw_lines(canvas, (left + right) / 2, top, top - self.row, lines, size, leading=1.15)

    def _draw_seal(self, canvas):
        """The committee's name at the bottom right and a dashed circle over it, where
        the seal goes; a ballot without the seal is not the committee's."""
        bottom = MARGIN + FOOTER_BAND
        top = bottom + SEAL_BAND
        right = PAGE_WIDTH - MARGIN
        _draw_lines(canvas, right, top, bottom, self.seal_lines, SEAL_SIZE, align="right")
        widest = max(stringWidth(line, fonts.CJK, SEAL_SIZE) for line in self.seal_lines)
        canvas.saveState()
        canvas.setStrokeColor(SEAL_RED)
        canvas.setLineWidth(0.8)
        canvas.setDash(2, 2)
        canvas.circle(right - widest / 2, (top + bottom) / 2, SEAL_RADIUS)
        canvas.restoreState()

    def _draw_footer(self, canvas, k):
        text, size = self.footer
        draw_text(canvas, MARGIN, MARGIN, text, size)
        count = len(self.pages)
        if count == 1:
            return
        where = f"第{k + 1}页 共{count}页"
        if k + 1 < count:
            where += "，请翻到背面继续" if k % 2 == 0 else "，续见下一张"
        draw_text(canvas, PAGE_WIDTH - MARGIN, MARGIN, where, FOOTER_SIZE, align="right")


def _title(title):
    """The size and lines of the title: one line if it fits at TITLE_ONE_LINE or more;
    else as large as keeps it to TITLE_LINES lines, down to TITLE_SMALLEST; a title
    longer still takes more lines."""
    size = fit_size(title, fonts.CJK, TITLE_SIZE, WIDTH, TITLE_ONE_LINE)
    if stringWidth(title, fonts.CJK, size) <= WIDTH:
        return size, [title]
    size = TITLE_SIZE
    lines = wrap(title, fonts.CJK, size, WIDTH)
    while len(lines) > TITLE_LINES and size > TITLE_SMALLEST:
        size -= 1
        lines = wrap(title, fonts.CJK, size, WIDTH)
    return size, lines


def _instruction(number, text):
    """An item of 填写说明 as its number and its lines, which hang after the number."""
    prefix = f"{number}．"
    width = WIDTH - 2 * INSTRUCTION_PAD - stringWidth(prefix, fonts.CJK, INSTRUCTION_SIZE)
    return prefix, wrap(text, fonts.CJK, INSTRUCTION_SIZE, width)


def _heading(office, continued):
    """An office's heading as (size, lines, height with the gap under it): its title and
    应选名额, shrunk a little and then wrapped if the title is long."""
    text = f"{office.title}（应选{office.seats}名）"
    if continued:
        text += "（续）"
    size = fit_size(text, fonts.CJK, OFFICE_SIZE, WIDTH, OFFICE_SMALLEST)
    lines = wrap(text, fonts.CJK, size, WIDTH)
    return size, lines, len(lines) * size * LEADING + HEADING_GAP


def _footer(box_label, office, ballot_set, copies, numbers):
    """What the footer says about the stack: the box, how many were printed for it and
    their numbers — the figures the box's issued and returned counts are checked by."""
    where = f"票箱：{box_label}　本箱" if box_label else "本批"
    text = f"{where}{office}{SET_NAMES[ballot_set]}共 {copies} 张，编号 {numbers[0]}–{numbers[1]}"
    return text, fit_size(text, fonts.CJK, FOOTER_SIZE, WIDTH * 0.65, smallest=6)


def _draw_lines(canvas, x, top, bottom, lines, size, *, align="centre", leading=LEADING):
    """``lines`` centred as a block between ``top`` and ``bottom``."""
    height = size * leading
    y = (top + bottom) / 2 + len(lines) * height / 2
    for line in lines:
        draw_text(canvas, x, text_baseline(y, height, size), line, size, align=align)
        y -= height


def _bandbaseline():
    return text_baseline(PAGE_HEIGHT - MARGIN, BAND, SERIAL_SIZE)
