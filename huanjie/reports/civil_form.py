"""The civil-affairs form of a cycle (民主选举情况统计表, DOMAIN §11) as XLSX: a row per
village or community, grouped by township with a subtotal per township, and the total
of the county (or of the township) last.

Every number is a figure of :mod:`huanjie.reports.statistics` — the rows are its
places, the subtotals its township rows, the total its total — so the form never
counts anything itself and a subtotal is always the sum of the rows above it. Rates
(turnout, women's share) are written as fractions of the summed counts, formatted as
percentages, never averaged.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from huanjie.reports import statistics
from huanjie.rules import statistics as rules
from huanjie.rules.ages import AgeBand
from huanjie.voters.models import Category

__all__ = ["Column", "columns", "lines", "workbook"]

#: The ethnicity the records write for the majority; every other one is 少数民族.
HAN = "汉族"

COUNT, RATE = "count", "rate"


@dataclass(frozen=True)
class Column:
    """A column of the form: its group heading, its heading, how it reads one line's
    figures, and whether it is a count (summed) or a rate (of the summed counts)."""

    group: str
    title: str
    value: Callable[[rules.Figures], object]
    kind: str = COUNT


def _rate(value) -> float | None:
    return None if value is None else float(value)


def _minorities(f: rules.Figures) -> int:
    return sum(n for e, n in f.ethnicity.items() if e not in (HAN, rules.UNKNOWN))


def columns(total: rules.Figures, bands: Sequence[AgeBand]) -> list[Column]:
    """The columns of a form whose total is ``total``. A "不详" column is there only
    when some member elected is not recorded on that breakdown, so each breakdown
    adds up to the members elected."""
    elected = "当选成员情况"

    def unknown(name: str) -> list[Column]:
        if not getattr(total, name)[rules.UNKNOWN]:
            return []
        return [
            Column(elected, f"{_BREAKDOWN_ZH[name]}不详", lambda f: getattr(f, name)[rules.UNKNOWN])
        ]

    return [
        Column("村（社区）数", "村（社区）数", lambda f: f.places),
        Column("选民登记", "登记选民数", lambda f: f.registered),
        *(
            Column("选民登记", category, lambda f, c=category: f.registered_by_category[c])
            for category in Category.values
        ),
        Column("选民登记", "选举日补登", lambda f: f.supplementary),
        Column("候选人提名", "召开提名大会数", lambda f: f.nomination_places),
        Column("候选人提名", "提名大会到会选民数", lambda f: f.nomination_present),
        Column("候选人提名", "初步候选人数", lambda f: f.nominees),
        Column("候选人提名", "正式候选人数", lambda f: f.candidates),
        Column("候选人提名", "女性正式候选人数", lambda f: f.women_candidates),
        Column("候选人提名", "资格联审不合格人数", lambda f: f.disqualified),
        Column("投票情况", "参选人数", lambda f: f.voted),
        Column("投票情况", "参选率", lambda f: _rate(f.turnout), RATE),
        Column("投票情况", "委托投票人数", lambda f: f.proxies),
        Column("投票情况", "委托代投票数", lambda f: f.proxy_votes),
        Column("投票情况", "流动票箱投票数", lambda f: f.mobile_box_votes),
        Column("投票情况", "代写选票数", lambda f: f.assisted),
        Column("选举结果", "已选举村（社区）数", lambda f: f.voting_places),
        Column("选举结果", "一次选举成功数", lambda f: f.first_time_success),
        Column("选举结果", "另行选举数", lambda f: f.runoff_places),
        Column("选举结果", "重新选举数", lambda f: f.rerun_places),
        Column(elected, "应选名额", lambda f: f.seats),
        Column(elected, "当选人数", lambda f: f.elected),
        Column(elected, "男", lambda f: f.sex["M"]),
        Column(elected, "女", lambda f: f.sex["F"]),
        *unknown("sex"),
        Column(elected, "女性占比", lambda f: _rate(f.women_share), RATE),
        *(Column(elected, f"{b.label}岁", lambda f, key=b.key: f.age_band[key]) for b in bands),
        *unknown("age_band"),
        *(
            Column(elected, title, lambda f, key=key: f.education[key])
            for key, title in rules.EDUCATION.items()
        ),
        *unknown("education"),
        Column(elected, "中共党员", lambda f: f.party[rules.PARTY_MEMBER]),
        Column(elected, HAN, lambda f: f.ethnicity[HAN]),
        Column(elected, "少数民族", _minorities),
        *unknown("ethnicity"),
        Column(elected, "连选连任", lambda f: f.term[rules.RE_ELECTED]),
        Column(elected, "新当选", lambda f: f.term[rules.NEW]),
        Column("两委", "“一肩挑”村（社区）数", lambda f: f.dual_head_places),
        Column("两委", "“一肩挑”比例", lambda f: _rate(f.dual_head_rate), RATE),
        Column("两委", "交叉任职人数", lambda f: f.cross_appointed),
        Column("两委", "交叉任职比例", lambda f: _rate(f.cross_appointment_rate), RATE),
    ]


_BREAKDOWN_ZH = {"sex": "性别", "age_band": "年龄", "education": "文化程度", "ethnicity": "民族"}


@dataclass(frozen=True)
class Line:
    """A line of the form: 乡镇（街道）, 村（社区） (or 小计/合计), the figures, and
    whether it is a subtotal or total."""

    township: str
    place: str
    figures: rules.Figures
    total: bool = False


def lines(report: statistics.Report) -> list[Line]:
    """The lines of the form: below a county, each township's places then its
    subtotal (the service's township row); the report's total last."""
    out: list[Line] = []
    if report.level == "township":
        for row in report.rows:
            for p in row.places:
                out.append(Line(row.place.name, p.place.name, p.figures))
            out.append(Line(row.place.name, "小计", row.figures, total=True))
    else:
        township = report.within.name if not report.within.is_electing else ""
        for p in report.places:
            out.append(Line(township, p.place.name, p.figures))
    out.append(Line(report.within.name, "合计", report.total, total=True))
    return out


#: The rows above the figures: title, the unit and date, the group headings, headings.
TITLE_ROW, UNIT_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_LINE = HEADER_ROW + 1
LEADING = ("乡镇（街道）", "村（社区）")


def workbook(cycle, within, today: date | None = None) -> bytes:
    """The form of ``within`` for ``cycle`` as an XLSX file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    today = today or timezone.localdate()
    report = statistics.cached(cycle, within, today)
    cols = columns(report.total, report.bands)
    width = len(LEADING) + len(cols)

    book = Workbook()
    sheet = book.active
    sheet.title = "民主选举情况统计"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    sheet.cell(TITLE_ROW, 1, f"{within.name}{cycle.name}村（居）民委员会民主选举情况统计表")
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    sheet.cell(TITLE_ROW, 1).alignment = centre
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    sheet.cell(UNIT_ROW, 1, f"填报单位：{within.name}　　统计日期：{today.isoformat()}")
    sheet.merge_cells(start_row=UNIT_ROW, start_column=1, end_row=UNIT_ROW, end_column=width)

    for i, title in enumerate(LEADING, start=1):
        sheet.cell(GROUP_ROW, i, title)
        sheet.merge_cells(start_row=GROUP_ROW, start_column=i, end_row=HEADER_ROW, end_column=i)
    start = len(LEADING) + 1
    for i, column in enumerate(cols, start=start):
        sheet.cell(HEADER_ROW, i, column.title)
        first = i == start or cols[i - start - 1].group != column.group
        if first:
            sheet.cell(GROUP_ROW, i, column.group)
            end = i
            while end - start + 1 < len(cols) and cols[end - start + 1].group == column.group:
                end += 1
            if column.group == column.title and end == i:
                sheet.merge_cells(
                    start_row=GROUP_ROW, start_column=i, end_row=HEADER_ROW, end_column=i
                )
            elif end > i:
                sheet.merge_cells(
                    start_row=GROUP_ROW, start_column=i, end_row=GROUP_ROW, end_column=end
                )
    for r in (GROUP_ROW, HEADER_ROW):
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.font, cell.alignment, cell.border = bold, centre, box

    for r, line in enumerate(lines(report), start=FIRST_LINE):
        sheet.cell(r, 1, line.township)
        sheet.cell(r, 2, line.place)
        for c, column in enumerate(cols, start=start):
            cell = sheet.cell(r, c, column.value(line.figures))
            if column.kind == RATE:
                cell.number_format = "0.0%"
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.border = box
            if line.total:
                cell.font = bold

    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 16
    for c, column in enumerate(cols, start=start):
        sheet.column_dimensions[get_column_letter(c)].width = max(
            7, min(14, 2 * len(column.title) + 2)
        )
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(FIRST_LINE, start)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
