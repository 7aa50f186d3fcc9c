"""What is printed once the votes are counted: the announcement posted on the spot
(选举结果公告), the result form the scrutineers sign (选举结果报告单) and the winners'
certificates (当选证书).

The result is announced where it was counted, signed by the scrutineers and filed, and
every winner gets a certificate (DOMAIN §7 item 9). The announcement is what the voters
read on the wall: the day, how many could vote and how many did, whether the election
stands, and per office who won with how many votes, which seats are still open for a
另行选举 and which tie must be voted on again; for a void election, why, and that a
重新选举 follows. The result form is what the committee files: the same figures in full,
the counts of every polling station and mobile box (DOMAIN §6), the votes of everyone
who got one, and a line for the signature of each scrutineer, counter and the
committee's chair. Both are A4 portrait; a certificate is a page of A4 landscape.

The module prints what the count decided; it decides nothing. It refuses figures that
contradict each other — a winner who got no votes, boxes that do not add up to the
totals (DOMAIN §11: a breakdown adds up to its total), a void election with no reason —
since a signed form that says two things is worse than none. It knows nothing of Django.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.drawing import draw_text, new_canvas, text_baseline
from huanjie.documents.flow import PageFlow
from huanjie.documents.numerals import item_number
from huanjie.documents.wrapping import fit_size, wrap

__all__ = [
    "BoxCount",
    "Certificate",
    "OfficeOutcome",
    "PollOutcome",
    "announcement",
    "certificates",
    "result_report",
]

INDENT = "\u3000\u3000"  # paragraphs start two characters in (首行缩进两字)
BLANK = "\uff3f" * 8  # a line to write on

# The announcement and the result form (A4 portrait).
MARGIN = 20 * mm
TITLE_SIZE = 20
HEADING_SIZE = 14
ANNOUNCEMENT_SIZE = 14  # read standing in front of a wall
REPORT_SIZE = 12
CELL_SIZE = 11
FOOTER_SIZE = 9
LEADING = 1.7  # line height as a multiple of the font size
ROW_HEIGHT = 1.9  # table row height as a multiple of the cell font size
CELL_PADDING = 4  # points each side of a cell's text
HEADER_FILL = Color(0.9, 0.9, 0.9)
KEEP_ROWS = 3  # rows of a table kept on the page of its heading

#: Signature lines printed for people the caller did not name, to be filled in by hand:
#: every box has at least three scrutineers (DOMAIN §6).
BLANK_SCRUTINEERS = 3
BLANK_COUNTERS = 2

# The certificate (A4 landscape).
CERTIFICATE_MARGIN = 12 * mm  # the outer frame
CERTIFICATE_TEXT_MARGIN = 40 * mm  # left and right of the text
CERTIFICATE_TITLE = "当选证书"
CERTIFICATE_TITLE_SIZE = 44
CERTIFICATE_SIZE = 22
CERTIFICATE_SMALLEST = 12  # a long text shrinks to this before the certificate is refused
CERTIFICATE_LEADING = 2.0
NUMBER_SIZE = 11
ISSUER_SIZE = 18
SEAL_RADIUS = 21 * mm
CERTIFICATE_RED = Color(0.72, 0.08, 0.08)

KINDS = ("committee", "party")


@dataclass(frozen=True)
class OfficeOutcome:
    """The count of one office (主任, 副主任, 委员, or a party committee's 委员).

    ``votes`` are (name, votes) of everyone who got a vote, most votes first, as the
    count listed them; ``threshold`` is the least number of votes that could win;
    ``revote`` names those tied at the cut-off, who are voted on again; ``unfilled``
    seats go to a 另行选举. ``note`` is printed as it is, e.g. "妇女委员专职专选".
    """

    title: str
    seats: int
    threshold: int
    votes: tuple[tuple[str, int], ...]
    elected: tuple[str, ...]
    invalid: int
    unfilled: int = 0
    revote: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class BoxCount:
    """The ballots of one place of voting: 中心会场, 第1投票站, 流动票箱1."""

    label: str
    issued: int
    returned: int
    valid: int
    invalid: int


@dataclass(frozen=True)
class PollOutcome:
    """One vote of one place, as counted.

    ``body_title`` is the body being elected, without the place ("第十二届村民委员会");
    ``round_title`` is "选举", "另行选举" or "重新选举". ``electorate`` is the registered
    voters, or for a party election (``kind="party"``) the members due to attend
    (应到会); ``participants`` the number the majority is counted on (DOMAIN §7 item 4).
    ``void_reasons`` are sentences in Chinese, required when ``valid`` is False.

    ``scrutineers`` are printed in the order given, the first as 总监票人 when there are
    several; ``committee`` signs the announcement and seals the result form.
    """

    place: str
    body_title: str
    election_day: date
    round_title: str
    electorate: int
    participants: int
    issued: int
    returned: int
    valid: bool
    void_reasons: tuple[str, ...]
    offices: tuple[OfficeOutcome, ...]
    boxes: tuple[BoxCount, ...] = ()
    proxies: int = 0
    mobile_box_votes: int = 0
    assisted: int = 0
    committee: str = ""
    scrutineers: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()
    chair: str = ""
    kind: str = "committee"

    @property
    def title(self):
        """金茶村第十二届村民委员会选举."""
        return f"{self.place}{self.body_title}{self.round_title}"


@dataclass(frozen=True)
class Certificate:
    """The certificate of one winner; ``number`` (证书编号) is unique among those
    printed together, ``term`` (e.g. "任期五年") is added to the text if given."""

    number: str
    name: str
    place: str
    body_title: str
    office: str
    election_day: date
    issued_on: date
    issuer: str
    term: str = ""


# The announcement ---------------------------------------------------------------------


def announcement(outcome: PollOutcome) -> bytes:
    """The PDF of the 选举结果公告 of ``outcome``, signed by its election committee and
    dated on election day: the result is announced where it was counted."""
    _check(outcome)
    if not outcome.committee.strip():
        raise ValueError("The announcement is signed by the election committee: name it.")
    fonts.register()
    size = ANNOUNCEMENT_SIZE
    title = f"{outcome.title}结果公告"
    layout = _Layout(title)
    layout.title(title)
    for paragraph in _announcement_text(outcome):
        layout.paragraph(paragraph, size)
    layout.paragraph("特此公告。", size)
    layout.signature([outcome.committee, chinese_date(outcome.election_day)], size)
    return layout.render(layout.document_title, outcome.committee)


def _announcement_text(outcome):
    """The paragraphs of the announcement before "特此公告"."""
    basis = _legal_basis(outcome)
    opening = (
        f"{outcome.title}于{chinese_date(outcome.election_day)}举行。"
        f"{_electorate_label(outcome)}{outcome.electorate}人，"
        f"参加投票{outcome.participants}人，"
        f"发出选票{outcome.issued}张，收回选票{outcome.returned}张。"
    )
    if not outcome.valid:
        paragraphs = [opening + "经审核，本次选举存在下列情形："]
        paragraphs += [
            f"（{item_number(n)}）{_sentence(reason)}"
            for n, reason in enumerate(outcome.void_reasons, 1)
        ]
        paragraphs.append(
            f"依照{basis}的规定，本次选举无效，应当重新选举。"
            "重新选举的时间、地点由本委员会另行公告。"
        )
        return paragraphs
    paragraphs = [
        opening + f"经公开唱票、计票，依照{basis}的规定，本次选举有效。现将选举结果公告如下："
    ]
    for number, office in enumerate(outcome.offices, 1):
        paragraphs.append(f"{item_number(number)}、" + _office_result(office))
    runoff = any(office.unfilled for office in outcome.offices)
    revote = any(office.revote for office in outcome.offices)
    if runoff or revote:
        what = "、".join(w for w, due in (("另行选举", runoff), ("再次投票", revote)) if due)
        paragraphs.append(f"{what}的时间、地点由本委员会另行公告。")
    return paragraphs


def _office_result(office):
    """One office's sentence: the seats, the least votes that win, who won with how many
    votes (most first), the seats left for a 另行选举 and the tie to vote on again."""
    votes = dict(office.votes)
    text = f"{office.title}：应选{office.seats}名，当选最低票数{office.threshold}票。"
    if office.elected:
        text += "、".join(f"{name}（{votes[name]}票）" for name in _by_votes(office)) + "当选。"
    elif not office.revote:
        text += "无人当选。"
    if office.unfilled:
        text += f"尚有{office.unfilled}名未选出，依法另行选举。"
    if office.revote:
        text += _revote_sentence(office)
    if office.note.strip():
        text += _sentence(office.note)
    return text


def _revote_sentence(office):
    votes = {name: votes for name, votes in office.votes}
    tied = {votes[name] for name in office.revote}
    each = f"（各{tied.pop()}票）" if len(tied) == 1 else ""
    seats = office.seats - len(office.elected) - office.unfilled
    decides = f"确定{seats}名当选人" if seats > 0 else "确定当选人"
    return (
        f"{'、'.join(office.revote)}得票相等{each}，"
        f"依法就票数相等的人员再次投票，以得票多的当选，{decides}。"
    )


# The result form ----------------------------------------------------------------------


def result_report(outcome: PollOutcome) -> bytes:
    """The PDF of the 选举结果报告单 of ``outcome``: the figures of the vote, the count of
    every box, every office's votes, the winners, and the signature lines of the
    scrutineers, counters and the committee's chair (blank lines where the caller named
    nobody), sealed by the committee and dated on election day."""
    _check(outcome)
    fonts.register()
    size = REPORT_SIZE
    title = f"{outcome.title}结果报告单"
    layout = _Layout(title)
    layout.title(title)
    layout.line(f"选举日期：{chinese_date(outcome.election_day)}", size)
    layout.gap(size * 0.5)

    sections = [("投票情况", _figures)]
    if outcome.boxes:
        sections.append(("各投票点（票箱）投票情况", _boxes))
    sections += [("各职务得票情况", _offices), ("当选人员", _winners)]
    for number, (heading, part) in enumerate(sections, 1):
        layout.gap(size * 0.5)
        part(layout, outcome, f"{item_number(number)}、{heading}", size)
    layout.gap(size)
    _signatures(layout, outcome, size)
    return layout.render(layout.document_title, outcome.committee)


def _figures(layout, outcome, heading, size):
    rate = f"{100 * outcome.participants / outcome.electorate:.1f}%" if outcome.electorate else "—"
    rows = [
        (_electorate_label(outcome) + "数", f"{outcome.electorate}人"),
        ("参加投票人数", f"{outcome.participants}人"),
        ("发出选票", f"{outcome.issued}张"),
        ("收回选票", f"{outcome.returned}张"),
        ("委托投票", f"{outcome.proxies}人"),
        ("流动票箱投票", f"{outcome.mobile_box_votes}张"),
        ("代写选票", f"{outcome.assisted}张"),
        ("参选率", rate),
        ("选举结果", "有效" if outcome.valid else "无效"),
        ("投票点（票箱）", f"{len(outcome.boxes)}个" if outcome.boxes else "—"),
    ]
    pairs = [rows[i] + rows[i + 1] for i in range(0, len(rows), 2)]
    layout.heading(heading, _table_height(len(pairs)))
    layout.table(("项目", "数量", "项目", "数量"), (0.3, 0.2, 0.3, 0.2), pairs)
    if not outcome.valid:
        layout.gap(size * 0.5)
        layout.paragraph("本次选举无效，应当重新选举。原因如下：", size)
        for n, reason in enumerate(outcome.void_reasons, 1):
            layout.paragraph(f"（{item_number(n)}）{_sentence(reason)}", size)


def _boxes(layout, outcome, heading, size):
    rows = [
        (box.label, str(box.issued), str(box.returned), str(box.valid), str(box.invalid))
        for box in outcome.boxes
    ]
    totals = [sum(getattr(box, f) for box in outcome.boxes) for f in _BOX_FIELDS]
    rows.append(("合计", *map(str, totals)))
    layout.heading(heading, _table_height(len(rows)))
    layout.table(
        ("投票点（票箱）", "发出选票", "收回选票", "有效票", "无效票"),
        (0.32, 0.17, 0.17, 0.17, 0.17),
        rows,
        bold_last=True,
    )


def _offices(layout, outcome, heading, size):
    layout.heading(heading, HEADING_SIZE * LEADING + _table_height(len(outcome.offices[0].votes)))
    for number, office in enumerate(outcome.offices, 1):
        layout.gap(size * 0.3)
        line = (
            f"（{item_number(number)}）{office.title}：应选{office.seats}名，"
            f"当选最低票数{office.threshold}票，无效票{office.invalid}张"
        )
        lines = wrap(line, fonts.CJK, size, layout.width)
        layout.make_room(len(lines) * size * LEADING + _table_height(len(office.votes)))
        for text in lines:
            layout.line(text, size, bold=True)
        elected, revote = set(office.elected), set(office.revote)
        rows = [
            (
                str(n),
                name,
                str(votes),
                "当选" if name in elected else "得票相等，再次投票" if name in revote else "",
            )
            for n, (name, votes) in enumerate(office.votes, 1)
        ]
        layout.table(("序号", "姓名", "得票数", "结果"), (0.12, 0.38, 0.2, 0.3), rows)
        remarks = []
        if office.unfilled:
            remarks.append(f"未选出{office.unfilled}名，依法另行选举。")
        if office.note.strip():
            remarks.append(_sentence(office.note))
        if remarks:
            layout.gap(size * 0.3)
        for remark in remarks:
            layout.paragraph(f"说明：{remark}", size, indent=False)


def _winners(layout, outcome, heading, size):
    layout.heading(heading, size * LEADING)
    if not outcome.valid:
        layout.paragraph("本次选举无效，无当选人员。", size, indent=False)
        return
    for office in outcome.offices:
        names = "、".join(_by_votes(office)) or "无"
        layout.paragraph(f"{office.title}：{names}", size, indent=False)


def _signatures(layout, outcome, size):
    """The statement the signers sign, one line per signer, the seal and the date, kept
    together on one page: a form whose signers are split over two sheets invites a sheet
    swapped for another."""
    if len(outcome.scrutineers) > 1:
        signers = [("总监票人", outcome.scrutineers[0])]
        signers += [("监票人", name) for name in outcome.scrutineers[1:]]
    elif outcome.scrutineers:
        signers = [("监票人", outcome.scrutineers[0])]
    else:
        signers = [("监票人", "")] * BLANK_SCRUTINEERS
    signers += [("计票人", name) for name in outcome.counters] or [("计票人", "")] * BLANK_COUNTERS
    signers.append(("选举委员会主任", outcome.chair))
    statement = "以上结果经监票人、计票人核对无误，已当场公布。"
    seal = f"{outcome.committee or '选举委员会'}（盖章）"
    height = (len(signers) + 4) * size * LEADING * 1.2
    layout.make_room(height)
    layout.paragraph(statement, size)
    layout.gap(size * 0.5)
    for role, name in signers:
        layout.signer(f"{role}：{name.strip() or BLANK}", f"签名：{BLANK}", size)
    layout.signature([seal, chinese_date(outcome.election_day)], size)


def _table_height(rows):
    """The height of a table's header and first rows, which stay with its heading."""
    return (min(rows, KEEP_ROWS) + 1) * CELL_SIZE * ROW_HEIGHT


_BOX_FIELDS = ("issued", "returned", "valid", "invalid")


# Certificates -------------------------------------------------------------------------


def certificates(certs: Sequence[Certificate]) -> bytes:
    """The PDF of ``certs``, one A4 landscape page each, in the order given.

    Refused with ValueError: no certificates, one without a number, name, office or
    issuer, two with the same number, or a text too long for its page.
    """
    if not certs:
        raise ValueError("No certificates to print.")
    numbers = set()
    for cert in certs:
        for field in ("number", "name", "office", "issuer"):
            if not getattr(cert, field).strip():
                raise ValueError(f"A certificate has no {field}: {cert!r}.")
        if cert.number in numbers:
            raise ValueError(f"Two certificates are numbered {cert.number}.")
        numbers.add(cert.number)
    fonts.register()
    page_width, page_height = landscape(A4)
    width = page_width - 2 * CERTIFICATE_TEXT_MARGIN
    pages = [(cert, *_certificate_text(cert, width, page_height)) for cert in certs]
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, CERTIFICATE_TITLE, certs[0].issuer, landscape(A4))
    for cert, size, lines in pages:
        _draw_certificate(canvas, cert, size, lines, page_width, page_height)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _certificate_text(cert, width, page_height):
    """The size the text is set in and its lines: the largest size, down to
    CERTIFICATE_SMALLEST, at which the text fits between the title and the issuer."""
    term = f"，{cert.term.strip().rstrip('。')}" if cert.term.strip() else ""
    paragraphs = [
        f"{cert.name}同志于{chinese_date(cert.election_day)}经依法选举，"
        f"当选为{cert.place}{cert.body_title}{cert.office}{term}。",
        "特发此证。",
    ]
    room = _certificate_text_top(page_height) - _certificate_text_bottom()
    size = CERTIFICATE_SIZE
    while True:
        lines = [line for p in paragraphs for line in wrap(INDENT + p, fonts.CJK, size, width)]
        if len(lines) * size * CERTIFICATE_LEADING <= room:
            return size, lines
        if size <= CERTIFICATE_SMALLEST:
            raise ValueError(f"The certificate of {cert.name} does not fit on its page.")
        size = max(CERTIFICATE_SMALLEST, size - 1)


def _certificate_text_top(page_height):
    return page_height - CERTIFICATE_MARGIN - 60 * mm


def _certificate_text_bottom():
    return CERTIFICATE_MARGIN + 45 * mm


def _draw_certificate(canvas, cert, size, lines, page_width, page_height):
    """A framed page: the number at the top right, the title, the text, and the issuer
    with the date at the bottom right under a circle where the seal goes."""
    canvas.saveState()
    canvas.setStrokeColor(CERTIFICATE_RED)
    canvas.setLineWidth(2.5)
    m = CERTIFICATE_MARGIN
    canvas.rect(m, m, page_width - 2 * m, page_height - 2 * m)
    canvas.setLineWidth(0.8)
    inner = m + 3 * mm
    canvas.rect(inner, inner, page_width - 2 * inner, page_height - 2 * inner)
    canvas.restoreState()

    right = page_width - CERTIFICATE_TEXT_MARGIN
    number = f"证书编号：{cert.number}"
    number_size = fit_size(number, fonts.CJK, NUMBER_SIZE, page_width / 2)
    draw_text(canvas, right, page_height - m - 12 * mm, number, number_size, align="right")
    draw_text(
        canvas,
        page_width / 2,
        page_height - m - 38 * mm,
        CERTIFICATE_TITLE,
        CERTIFICATE_TITLE_SIZE,
        align="centre",
        bold=True,
        color=CERTIFICATE_RED,
    )
    y = _certificate_text_top(page_height)
    height = size * CERTIFICATE_LEADING
    for line in lines:
        draw_text(canvas, CERTIFICATE_TEXT_MARGIN, text_baseline(y, height, size), line, size)
        y -= height

    issuer_size = fit_size(cert.issuer, fonts.CJK, ISSUER_SIZE, page_width / 2)
    issued = chinese_date(cert.issued_on)
    issuer_y, date_y = m + 28 * mm, m + 17 * mm
    draw_text(canvas, right, issuer_y, cert.issuer, issuer_size, align="right")
    draw_text(canvas, right, date_y, issued, issuer_size, align="right")
    seal_x = right - stringWidth(issued, fonts.CJK, issuer_size) / 2
    seal_y = (issuer_y + date_y) / 2 + issuer_size / 3
    canvas.saveState()
    canvas.setStrokeColor(CERTIFICATE_RED)
    canvas.setDash(3, 3)
    canvas.circle(seal_x, seal_y, SEAL_RADIUS)
    canvas.restoreState()
    draw_text(
        canvas,
        seal_x,
        seal_y + 0.6 * SEAL_RADIUS,
        "（盖章）",
        9,
        align="centre",
        color=CERTIFICATE_RED,
    )


# What the documents share -------------------------------------------------------------


def _check(outcome):
    """Refuse an outcome whose figures contradict each other (see the module's doc)."""
    if outcome.kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {outcome.kind!r}.")
    for field in ("electorate", "participants", "issued", "returned"):
        if getattr(outcome, field) < 0:
            raise ValueError(f"{field} cannot be negative.")
    if not outcome.valid and not outcome.void_reasons:
        raise ValueError("A void election is announced with its reasons: give them.")
    if not outcome.offices:
        raise ValueError("The outcome has no offices.")
    for office in outcome.offices:
        _check_office(office, outcome.valid)
    if outcome.boxes:
        for field in ("issued", "returned"):
            total = sum(getattr(box, field) for box in outcome.boxes)
            if total != getattr(outcome, field):
                raise ValueError(
                    f"The boxes' {field} ballots add up to {total}, "
                    f"not to the {getattr(outcome, field)} of the whole vote."
                )
        for box in outcome.boxes:
            if box.valid + box.invalid != box.returned:
                raise ValueError(
                    f"{box.label}: {box.valid} valid and {box.invalid} invalid ballots "
                    f"are not the {box.returned} returned."
                )


def _check_office(office, valid):
    names = [name for name, _ in office.votes]
    if len(set(names)) != len(names):
        raise ValueError(f"{office.title}: someone is listed twice in the votes.")
    if office.seats < 1:
        raise ValueError(f"{office.title}: an office has at least one seat.")
    if any(votes < 0 for _, votes in office.votes) or office.invalid < 0 or office.unfilled < 0:
        raise ValueError(f"{office.title}: votes and counts cannot be negative.")
    for name in (*office.elected, *office.revote):
        if name not in names:
            raise ValueError(f"{office.title}: {name} got no votes in the count.")
    if set(office.elected) & set(office.revote):
        raise ValueError(f"{office.title}: a winner is not voted on again.")
    if len(office.elected) + office.unfilled > office.seats:
        raise ValueError(
            f"{office.title}: {len(office.elected)} elected and {office.unfilled} unfilled "
            f"are more than the {office.seats} seats."
        )
    if not valid and office.elected:
        raise ValueError(f"{office.title}: nobody is elected in a void election.")


def _by_votes(office):
    """The winners, most votes first; equal votes in the order of the count."""
    order = {name: (-votes, n) for n, (name, votes) in enumerate(office.votes)}
    return sorted(office.elected, key=order.__getitem__)


def _electorate_label(outcome):
    return "应到会党员" if outcome.kind == "party" else "登记选民"


def _legal_basis(outcome):
    """The law the announcement invokes, from what is being elected."""
    if outcome.kind == "party":
        return "《中国共产党基层组织选举工作条例》"
    if "村民委员会" in outcome.body_title:
        return "《中华人民共和国村民委员会组织法》"
    if "居民委员会" in outcome.body_title:
        return "《中华人民共和国城市居民委员会组织法》"
    return "有关法律法规"


def _sentence(text):
    """``text`` ending with a full stop (the caller's reasons and notes may lack one)."""
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


class _Layout(PageFlow):
    """Lines and tables on A4 pages; a page after the first starts with the title and
    "（续）"."""

    leading = LEADING

    def __init__(self, title):
        self.document_title = title
        super().__init__(A4, MARGIN, FOOTER_SIZE)

    def new_page(self):
        super().new_page()
        if len(self.pages) > 1:
            self.line(f"{self.document_title}（续）", HEADING_SIZE, align="centre", bold=True)
            self.y -= HEADING_SIZE * 0.5
            self.empty = True

    def title(self, text):
        for line in wrap(text, fonts.CJK, TITLE_SIZE, self.width):
            self.line(line, TITLE_SIZE, align="centre", bold=True)
        self.y -= TITLE_SIZE * 0.4

    def heading(self, text, keep):
        """A heading kept on the page of the first ``keep`` points of what it heads."""
        self.make_room(HEADING_SIZE * LEADING + keep)
        self.line(text, HEADING_SIZE, bold=True)

    def paragraph(self, text, size, *, indent=True):
        for line in wrap((INDENT if indent else "") + text, fonts.CJK, size, self.width):
            self.line(line, size)

    def signer(self, role, signature, size):
        """A signer's role and name at the left, the line to sign on in the middle."""
        height = size * LEADING
        self.make_room(height)
        baseline = text_baseline(self.y, height, size)
        self.pages[-1].append(("text", self.left + size, baseline, role, size, "left", False))
        x = self.left + self.width / 2
        self.pages[-1].append(("text", x, baseline, signature, size, "left", False))
        self.y -= height
        self.empty = False

    def signature(self, lines, size):
        """Who signs and the date, at the right, kept together after a blank line."""
        self.make_room((len(lines) + 1) * size * LEADING)
        self.gap(size * LEADING)
        for line in lines:
            self.line(line, size, align="right", indent=2 * size)

    def table(self, columns, fractions, rows, *, bold_last=False):
        """A ruled table with a grey header row, its rows running on to the next page
        under a repeated header."""
        widths = [f * self.width for f in fractions]
        row_height = CELL_SIZE * ROW_HEIGHT
        rows = [(tuple(row), bold_last and n == len(rows) - 1) for n, row in enumerate(rows)]
        start = 0
        while True:
            capacity = int((self.y - self.bottom) // row_height) - 1
            if capacity < min(1, len(rows) - start) and not self.empty:
                self.new_page()
                continue
            chunk = rows[start : start + max(capacity, 1)]
            self.pages[-1].append(("table", self.left, self.y, widths, columns, chunk))
            self.y -= (len(chunk) + 1) * row_height
            self.empty = False
            start += len(chunk)
            if start >= len(rows):
                return
            self.new_page()

    def draw(self, canvas, operation):
        if operation[0] == "table":
            _draw_table(canvas, *operation[1:])
        else:
            super().draw(canvas, operation)


def _draw_table(canvas, x, top, widths, columns, rows):
    """The header row, then ``rows`` of (cells, bold), in a ruled grid; a cell's text
    is made smaller rather than let out of its cell."""
    row_height = CELL_SIZE * ROW_HEIGHT
    width = sum(widths)
    canvas.saveState()
    canvas.setFillColor(HEADER_FILL)
    canvas.rect(x, top - row_height, width, row_height, stroke=0, fill=1)
    canvas.restoreState()
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top - i * row_height for i in range(len(rows) + 2)]
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.5)
    canvas.grid(xs, ys)
    y = top
    for cells, bold in [(columns, True), *rows]:
        for left, w, cell in zip(xs[:-1], widths, cells, strict=True):
            size = fit_size(cell, fonts.CJK, CELL_SIZE, w - 2 * CELL_PADDING, smallest=4)
            baseline = text_baseline(y, row_height, size)
            draw_text(canvas, left + w / 2, baseline, cell, size, align="centre", bold=bold)
        y -= row_height
