"""What the formal candidates are known by: the introduction sheet (候选人简介) and the
commitment letter (承诺书) each of them signs.

Voters choose among people they may know only by name, so before election day the
committee posts and hands out a sheet that says who each formal candidate is — the
same facts about everyone, in the same form, so that no candidate is presented better
than another. The sheet is A4 portrait, to be photocopied and handed out; it prints the
candidates in the order given (the caller sorts them by 姓氏笔画) and says on every page
which of how many it is, since loose sheets get separated.

Every candidate also signs a letter promising to compete lawfully and to keep the
discipline of the election (DOMAIN §5.3; the seed's 合法、正当竞争承诺书 and 严守换届纪律
承诺书). The letter is one page, so that the signature is on the page of the promises.

The module prints what it is given. It knows nothing of Django.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text, new_canvas, text_baseline
from huanjie.documents.flow import PageFlow
from huanjie.documents.numerals import item_number
from huanjie.documents.wrapping import wrap

__all__ = [
    "PLEDGES",
    "Commitment",
    "IntroCandidate",
    "IntroSection",
    "commitment_letters",
    "introduction_sheet",
]

INDENT = "\u3000\u3000"  # paragraphs start two characters in (首行缩进两字)
FACT_SEPARATOR = "\u3000\u3000"
NO_INTRODUCTION = "（暂无简介）"

# The introduction sheet.
MARGIN = 20 * mm
TITLE_SIZE = 20
HEADING_SIZE = 15
NAME_SIZE = 13
TEXT_SIZE = 12
FOOTER_SIZE = 9
LEADING = 1.6  # line height as a multiple of the font size
KEEP_LINES = 2  # lines of an introduction kept on the page of the candidate's name

# The commitment letter.
LETTER_MARGIN = 25 * mm
LETTER_TITLE_SIZE = 22
LETTER_SIZE = 15
LETTER_SMALLEST = 9  # long pledges shrink to this before the letter is refused
LETTER_LEADING = 1.8
ISSUER_SIZE = 9
SIGNATURE = "承诺人（签名）：" + "\uff3f" * 6
SIGNATURE_DATE = "年\u3000\u3000月\u3000\u3000日"

#: The promises a formal candidate signs, in the wording the township prints unless it
#: has its own: compete lawfully, no vote buying, no clan or gang interference (the
#: negative list, DOMAIN §5.2 item 4 and 5), true personal details, accept the result.
PLEDGES: tuple[str, ...] = (
    "自觉遵守宪法和法律法规，严格遵守换届选举的各项纪律和规定，"
    "以合法、正当的方式参加竞争，自觉接受党员群众和社会各界的监督。",
    "不以吃请、赠送现金、电子红包、有价证券、礼品或者许诺选举后给予利益等方式拉票贿选，"
    "不委托或者默许他人为本人拉票。",
    "不以威胁、恐吓、欺骗等手段妨害选民行使选举权和被选举权，"
    "不以散发传单、发送信息等方式诋毁其他候选人，不打击报复他人。",
    "不利用宗族、宗派、宗教和黑恶势力干扰、破坏选举，不组织、不参与闹事，"
    "不以任何方式妨碍选举正常进行。",
    "如实提供本人的个人信息和有关情况，无隐瞒、无虚报，对所提供材料的真实性负责。",
    "尊重选民意愿，服从选举结果；当选后依法履行职责，落选后支持新一届班子的工作。"
    "如有违反，自愿接受取消候选人资格、当选无效等处理，并承担相应的法律责任。",
)


@dataclass(frozen=True)
class IntroCandidate:
    """One candidate as the sheet presents them; ``facts`` are (label, value) pairs
    such as ("性别", "男"), printed in the order given."""

    name: str
    facts: Sequence[tuple[str, str]]
    introduction: str


@dataclass(frozen=True)
class IntroSection:
    """The candidates for one office, under a heading such as "主任候选人（2名）"."""

    heading: str
    candidates: Sequence[IntroCandidate]


@dataclass(frozen=True)
class Commitment:
    """The letter of one candidate: ``candidacy`` (e.g. "第十二届村民委员会主任") follows
    ``place`` (e.g. "金茶村") in the letter; ``issuer`` is who printed it."""

    name: str
    place: str
    candidacy: str
    pledges: Sequence[str]
    issuer: str


def introduction_sheet(
    *,
    title: str,
    sections: Sequence[IntroSection],
    issuer: str,
    issued_on: date,
) -> bytes:
    """The PDF of the introduction sheet of ``sections``, signed at the end by ``issuer``
    (e.g. "金茶村村民选举委员会") on ``issued_on``."""
    fonts.register()
    layout = _Layout(A4)
    for line in wrap(title, fonts.CJK, TITLE_SIZE, layout.width):
        layout.line(line, TITLE_SIZE, align="centre", bold=True)
    layout.gap(TITLE_SIZE * 0.4)
    for section in sections:
        layout.gap(HEADING_SIZE * 0.5)
        blocks = [_block(candidate, layout.width) for candidate in section.candidates]
        # The heading stays with its first candidate's name, facts and opening lines.
        opening = _height(blocks[0][0][: blocks[0][1]]) if blocks else 0.0
        layout.make_room(HEADING_SIZE * LEADING + opening)
        layout.line(section.heading, HEADING_SIZE, bold=True)
        for number, (block, kept) in enumerate(blocks):
            if number:
                layout.gap(TEXT_SIZE * 0.6)
            # No name is left alone at the foot of a page, away from what it introduces.
            layout.make_room(_height(block[:kept]))
            for text, size, bold in block:
                layout.line(text, size, bold=bold)
    signature = [issuer, chinese_date(issued_on)]
    layout.gap(TEXT_SIZE * LEADING)
    layout.make_room(len(signature) * TEXT_SIZE * LEADING)
    for line in signature:
        layout.line(line, TEXT_SIZE, align="right", indent=2 * TEXT_SIZE)
    return layout.render(title, issuer)


def _block(candidate, width):
    """The lines of one candidate as (text, size, bold) — the name, the facts, then the
    introduction — and how many of them start together on one page: the name, the facts
    and the first lines of the introduction."""
    lines = [(candidate.name, NAME_SIZE, True)]
    facts = [f"{label}：{value}" for label, value in candidate.facts]
    lines += [(line, TEXT_SIZE, False) for line in _pack(facts, width)]
    kept = len(lines) + KEEP_LINES
    paragraphs = [p.strip() for p in candidate.introduction.splitlines() if p.strip()]
    for paragraph in paragraphs or [NO_INTRODUCTION]:
        for line in wrap(INDENT + paragraph, fonts.CJK, TEXT_SIZE, width):
            lines.append((line, TEXT_SIZE, False))
    return lines, min(kept, len(lines))


def _pack(items, width):
    """``items`` set on as few lines as fit, an item broken only if it is longer than a
    line: a reader should not have to join "出生年月：1980" and "年5月" across lines."""
    lines, current = [], ""
    for item in items:
        joined = f"{current}{FACT_SEPARATOR}{item}" if current else item
        if wrap(joined, fonts.CJK, TEXT_SIZE, width) == [joined]:
            current = joined
            continue
        if current:
            lines.append(current)
        *full, current = wrap(item, fonts.CJK, TEXT_SIZE, width)
        lines += full
    if current:
        lines.append(current)
    return lines


def _height(lines):
    return sum(size * LEADING for _, size, _ in lines)


class _Layout(PageFlow):
    """The introduction sheet's lines on pages."""

    leading = LEADING

    def __init__(self, pagesize):
        super().__init__(pagesize, MARGIN, FOOTER_SIZE)


def commitment_letters(letters: Sequence[Commitment], *, title: str = "候选人承诺书") -> bytes:
    """The PDF of ``letters``, one page each, in the order given.

    Long pledges are set smaller so that a letter keeps to its page; a letter that does
    not fit even then, or promises nothing, is refused with ValueError.
    """
    fonts.register()
    page_width, page_height = A4
    width = page_width - 2 * LETTER_MARGIN
    pages = [_letter_page(letter, title, width, page_height) for letter in letters]
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, title, letters[0].issuer if letters else "")
    for letter, (size, lines) in zip(letters, pages, strict=True):
        _draw_letter(canvas, letter, title, size, lines, page_width, page_height)
        canvas.showPage()
    if not letters:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _letter_page(letter, title, width, page_height):
    """The size the letter's text is set in and its lines: the largest size, down to
    LETTER_SMALLEST, at which title, text and signature fit on the page."""
    if not letter.pledges:
        raise ValueError(f"The letter of {letter.name} has no pledges.")
    paragraphs = [f"本人{letter.name}，系{letter.place}{letter.candidacy}候选人，郑重承诺："]
    paragraphs += [f"{item_number(n)}、{p}" for n, p in enumerate(letter.pledges, 1)]
    title_lines = wrap(title, fonts.CJK, LETTER_TITLE_SIZE, width)
    room = page_height - 2 * LETTER_MARGIN - ISSUER_SIZE * 3
    room -= len(title_lines) * LETTER_TITLE_SIZE * LETTER_LEADING + LETTER_TITLE_SIZE
    size = LETTER_SIZE
    while True:
        lines = [line for p in paragraphs for line in wrap(INDENT + p, fonts.CJK, size, width)]
        # The text, a blank line, the signature and the date.
        if (len(lines) + 3) * size * LETTER_LEADING <= room:
            return size, lines
        if size <= LETTER_SMALLEST:
            raise ValueError(f"The pledges of {letter.name} do not fit on one page.")
        size = max(LETTER_SMALLEST, size - 0.5)


def _draw_letter(canvas, letter, title, size, lines, page_width, page_height):
    """One letter. The signature follows the last pledge closely rather than sitting at
    the foot of the page: a blank space above a signature invites a line added later."""
    width = page_width - 2 * LETTER_MARGIN
    y = page_height - LETTER_MARGIN
    for line in wrap(title, fonts.CJK, LETTER_TITLE_SIZE, width):
        height = LETTER_TITLE_SIZE * LETTER_LEADING
        baseline = text_baseline(y, height, LETTER_TITLE_SIZE)
        draw_text(
            canvas, page_width / 2, baseline, line, LETTER_TITLE_SIZE, align="centre", bold=True
        )
        y -= height
    y -= LETTER_TITLE_SIZE
    height = size * LETTER_LEADING
    for line in lines:
        draw_text(canvas, LETTER_MARGIN, text_baseline(y, height, size), line, size)
        y -= height
    y -= height
    right = page_width - LETTER_MARGIN
    for line in (SIGNATURE, SIGNATURE_DATE):
        draw_text(canvas, right, text_baseline(y, height, size), line, size, align="right")
        y -= height
    draw_text(canvas, LETTER_MARGIN, LETTER_MARGIN, f"{letter.issuer}印制", ISSUER_SIZE)
