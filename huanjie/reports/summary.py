"""The work summary (工作总结) of a township or the county (DOMAIN §11): the paragraphs
of its 基本情况 written with the figures of the statistics, the tables by township or by
place, and the charts, as a Word document.

Every number in it comes from one :class:`~huanjie.reports.statistics.Report`, the
same the statistics page shows, so the document never disagrees with the page. The
paragraphs name each part of a breakdown the records have (men, women, and those whose
sex is not recorded; every level of education; every age band), so that the parts add
up to the total written before them. The charts are the ones of the page
(:mod:`huanjie.documents.charts`), as PNG.
"""

from __future__ import annotations

import io

from huanjie.documents import charts, word
from huanjie.documents.numerals import percent
from huanjie.reports import progress, statistics
from huanjie.rules import statistics as rules
from huanjie.rules.ages import AgeBand
from huanjie.rules.complaints import ComplaintType

__all__ = [
    "age_pyramid",
    "band_name",
    "education_chart",
    "summary_docx",
    "turnout_chart",
    "women_chart",
]


def band_name(band: AgeBand) -> str:
    """An age band as a summary writes it: 30岁以下, 30—35岁, 55岁以上."""
    if band.low is None:
        return f"{band.high + 1}岁以下"
    if band.high is None:
        return f"{band.low - 1}岁以上"
    return f"{band.low}—{band.high}岁"


def _row_names(report) -> list[str]:
    return [row.place.name for row in report.rows]


# The charts, shared with the statistics page (which passes its titles translated)


def turnout_chart(report, title: str = "", **labels) -> charts.Chart:
    """参选率 of each line of the report (township or place), as bars."""
    if not title:
        title = "各乡镇选民参选率" if report.level == "township" else "各村（社区）选民参选率"
    values = [float(row.figures.turnout or 0) for row in report.rows]
    return charts.bar_chart(title, _row_names(report), values, share=True, **labels)


def age_pyramid(
    report, title: str = "新一届村（居）委会成员年龄结构", *, men="男", women="女", **labels
) -> charts.Chart:
    """The members elected by age band, men to the left and women to the right."""
    pairs = report.total.sex_age_band
    bands = report.bands
    return charts.pyramid(
        title,
        [b.label for b in bands],
        [pairs["M", b.key] for b in bands],
        [pairs["F", b.key] for b in bands],
        left_name=men,
        right_name=women,
        **labels,
    )


def progress_chart(
    found: progress.OverTime,
    title: str = "换届工作进度（检查清单步骤累计）",
    due: str = "应完成",
    done: str = "已完成",
    **labels,
) -> charts.Chart:
    """The steps due and done by the end of each week, as two lines."""
    return charts.line_chart(
        title,
        [f"{w.month}/{w.day}" for w in found.weeks],
        [(due, found.due), (done, found.done)],
        **labels,
    )


def women_chart(report, title: str = "新一届村（居）委会成员性别结构") -> charts.Chart:
    """Women, men and those of no recorded sex among the members elected, per line."""
    series = [("女", "F"), ("男", "M"), ("未登记", rules.UNKNOWN)]
    return charts.stacked_bars(
        title,
        _row_names(report),
        [
            (name, [row.figures.sex[key] for row in report.rows])
            for name, key in series
            if report.total.sex[key] or key != rules.UNKNOWN
        ],
    )


def education_chart(report, title: str = "新一届村（居）委会成员文化程度") -> charts.Chart:
    """The members elected by level of education, per line."""
    levels = [*rules.EDUCATION.items(), (rules.UNKNOWN, "未登记")]
    return charts.stacked_bars(
        title,
        _row_names(report),
        [
            (name, [row.figures.education[key] for row in report.rows])
            for key, name in levels
            if report.total.education[key] or key != rules.UNKNOWN
        ],
    )


# The paragraphs


def _parts(counter, names: list[tuple[object, str]], unit: str, whole: int) -> str:
    """``名称x名，占y%`` for each part of a breakdown that has anyone in it."""
    return "；".join(
        f"{name}{counter[key]}{unit}，占{percent(rules.rate(counter[key], whole))}"
        for key, name in names
        if counter[key]
    )


def _against_previous(report) -> str:
    """The new committees against the previous term's, where it is on record: who was
    re-elected, and the average age, college share and women's share of both (the
    "一降一升" the work plans ask for)."""
    places, new, old = report.against_previous()
    if not places:
        return ""

    def age(f):
        return "—" if f.average_age is None else f"{float(f.average_age):.1f}岁"

    return (
        f"与上届相比（{places}个村（社区）），连选连任{new.term[rules.RE_ELECTED]}名，"
        f"新当选{new.term[rules.NEW]}名，连任率{percent(new.re_elected_share)}；"
        f"平均年龄由{age(old)}变为{age(new)}，大专及以上学历占比由"
        f"{percent(old.college_share)}变为{percent(new.college_share)}，女性占比由"
        f"{percent(old.women_share)}变为{percent(new.women_share)}。"
    )


def paragraphs(report) -> list[str]:
    """The 基本情况 of the summary, a paragraph per subject."""
    f = report.total
    name = report.within.name
    said = [
        f"{name}共有村（社区）{f.places}个，登记选民{f.registered}人"
        + (f"（其中选举日补登{f.supplementary}人）" if f.supplementary else "")
        + "，"
        f"首次选举参加投票{f.voted}人，选民参选率{percent(f.turnout)}；"
        f"其中委托投票{f.proxy_votes}人，流动票箱投票{f.mobile_box_votes}人，"
        f"代写选票{f.assisted}人。党员大会应到会党员{f.party_due}名，实到{f.party_present}名，"
        f"党员参选率{percent(f.party_turnout)}。",
        f"完成村（居）委会选举的村（社区）{f.voting_places}个，其中一次选举成功"
        f"{f.first_time_success}个，一次成功率{percent(f.first_time_success_rate)}；"
        f"需另行选举的{f.runoff_places}个，需重新选举的{f.rerun_places}个。",
    ]
    if f.nomination_places:
        said.insert(
            1,
            f"{f.nomination_places}个村（社区）召开选民提名大会，到会选民{f.nomination_present}"
            f"人；共提名初步候选人{f.nominees}人，确定正式候选人{f.candidates}人，"
            f"其中女性{f.women_candidates}人。",
        )
    if f.elected:
        sexes = [("M", "男性"), ("F", "女性"), (rules.UNKNOWN, "性别未登记的")]
        educations = [*rules.EDUCATION.items(), (rules.UNKNOWN, "文化程度未登记的")]
        bands = [(b.key, band_name(b)) for b in report.bands] + [(rules.UNKNOWN, "年龄未登记的")]
        average = f.average_age
        said.append(
            f"{name}本届村（社区）换届应选村（居）委会成员{f.seats}名，共选出{f.elected}人，"
            f"其中{_parts(f.sex, sexes, '名', f.elected)}。"
            f"文化结构上看，{_parts(f.education, educations, '名', f.elected)}；"
            f"大专及以上学历的共{sum(f.education[k] for k in rules.COLLEGE)}名，"
            f"占{percent(f.college_share)}。"
            f"年龄结构上，{_parts(f.age_band, bands, '名', f.elected)}"
            + ("" if average is None else f"，平均年龄{float(average):.1f}岁")
            + f"。中共党员{f.party[rules.PARTY_MEMBER]}名，占{percent(f.party_share)}。"
            + _against_previous(report)
        )
    else:
        said.append(f"{name}尚无确认的村（居）委会选举结果。")
    said.append(
        f"在任村（社区）党组织书记{f.secretaries}名，其中35岁以下{f.secretaries_under_35}名、"
        f"40岁以下{f.secretaries_under_40}名；村（居）委会主任{f.directors}名，其中35岁以下"
        f"{f.directors_under_35}名、40岁以下{f.directors_under_40}名。书记、主任“一肩挑”的村"
        f"（社区）{f.dual_head_places}个，占{percent(f.dual_head_rate)}；“两委”成员"
        f"{f.two_committee_members}名，交叉任职{f.cross_appointed}名，"
        f"占{percent(f.cross_appointment_rate)}。"
    )
    if f.disqualified:
        said.append(f"经县级联审，取消候选人资格{f.disqualified}人。")
    complaints = f.complaints_by_type + report.office_complaints
    if complaints:
        kinds = "、".join(
            f"{t.title_zh.removeprefix('严禁')}{complaints[t.value]}件"
            for t in ComplaintType
            if complaints[t.value]
        )
        said.append(f"换届期间共受理信访举报{complaints.total()}件，其中{kinds}。")
    return said


# The tables: (title, head, lines), the total last


def tables(report) -> list[tuple[str, list[str], list[list[str]]]]:
    unit = "乡镇" if report.level == "township" else "村（社区）"
    bands = report.bands

    def turnout(f):
        return [
            f.places,
            f.registered,
            f.voted,
            percent(f.turnout),
            f.voting_places,
            f.first_time_success,
            percent(f.first_time_success_rate),
        ]

    def sex_age(f):
        return [
            f.elected,
            f.sex["M"],
            f.sex["F"],
            f.sex[rules.UNKNOWN],
            percent(f.women_share),
            *(f.age_band[b.key] for b in bands),
            f.age_band[rules.UNKNOWN],
        ]

    def education(f):
        return [
            f.elected,
            *(f.education[k] for k in rules.EDUCATION),
            f.education[rules.UNKNOWN],
            percent(f.college_share),
            f.party[rules.PARTY_MEMBER],
            percent(f.party_share),
        ]

    def two(f):
        return [
            f.places,
            f.secretaries,
            f.directors,
            f.dual_head_places,
            percent(f.dual_head_rate),
            f.two_committee_members,
            f.cross_appointed,
            percent(f.cross_appointment_rate),
        ]

    specs = [
        (
            "表1 选民参选情况",
            ["村（社区）数", "登记选民", "参加投票", "参选率", "已选举", "一次成功", "一次成功率"],
            turnout,
        ),
        (
            "表2 新一届村（居）委会成员性别、年龄结构",
            [
                "当选人数",
                "男",
                "女",
                "性别未登记",
                "女性占比",
                *(band_name(b) for b in bands),
                "年龄未登记",
            ],
            sex_age,
        ),
        (
            "表3 新一届村（居）委会成员文化程度、政治面貌",
            ["当选人数", *rules.EDUCATION.values(), "未登记", "大专及以上占比", "党员", "党员占比"],
            education,
        ),
        (
            "表4 书记、主任“一肩挑”和“两委”交叉任职",
            [
                "村（社区）数",
                "书记",
                "主任",
                "“一肩挑”",
                "“一肩挑”比例",
                "“两委”成员",
                "交叉任职",
                "交叉任职比例",
            ],
            two,
        ),
    ]
    return [
        (
            title,
            [unit, *head],
            [[row.place.name, *map(str, line(row.figures))] for row in report.rows]
            + [["合计", *map(str, line(report.total))]],
        )
        for title, head, line in specs
    ]


def summary_docx(cycle, within, today=None) -> bytes:
    """The work summary of ``within`` (a township or the county) for ``cycle``, as a
    Word document in 宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    report = statistics.cached(cycle, within, today)
    document = word.new_document()
    heading = document.add_heading(
        f"{within.name}第{cycle.term_number}届村（社区）“两委”换届选举工作总结", 0
    )
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(cycle.name).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("一、基本情况", 1)
    for text in paragraphs(report):
        document.add_paragraph(text).paragraph_format.first_line_indent = Cm(0.74)

    document.add_heading("二、统计表", 1)
    for title, head, lines in tables(report):
        document.add_heading(title, 2)
        word.add_table(document, head, lines)

    document.add_heading("三、统计图", 1)
    for chart in (
        turnout_chart(report),
        age_pyramid(report),
        women_chart(report),
        education_chart(report),
        progress_chart(progress.scope_over_time(cycle, within, today)),
    ):
        document.add_picture(io.BytesIO(charts.png(chart)), width=Cm(15.5))
    return word.to_bytes(document)
