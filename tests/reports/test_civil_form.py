"""The civil-affairs form (民主选举情况统计表): the file opened with openpyxl, its
headings, each place's line against the statistics service, each subtotal and the
total the sum of the lines above them; scope and who may download it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huanjie.reports import civil_form, statistics
from huanjie.reports.civil_form import FIRST_LINE, GROUP_ROW, HEADER_ROW, TITLE_ROW

#: Headings and the figure each reads (independently of the module's own columns).
EXPECTED = {
    "登记选民数": lambda f: f.registered,
    "户在人在": lambda f: f.registered_by_category["户在人在"],
    "人在户不在": lambda f: f.registered_by_category["人在户不在"],
    "选举日补登": lambda f: f.supplementary,
    "召开提名大会数": lambda f: f.nomination_places,
    "提名大会到会选民数": lambda f: f.nomination_present,
    "初步候选人数": lambda f: f.nominees,
    "正式候选人数": lambda f: f.candidates,
    "女性正式候选人数": lambda f: f.women_candidates,
    "资格联审不合格人数": lambda f: f.disqualified,
    "参选人数": lambda f: f.voted,
    "委托投票人数": lambda f: f.proxies,
    "委托代投票数": lambda f: f.proxy_votes,
    "流动票箱投票数": lambda f: f.mobile_box_votes,
    "代写选票数": lambda f: f.assisted,
    "已选举村（社区）数": lambda f: f.voting_places,
    "一次选举成功数": lambda f: f.first_time_success,
    "另行选举数": lambda f: f.runoff_places,
    "重新选举数": lambda f: f.rerun_places,
    "应选名额": lambda f: f.seats,
    "当选人数": lambda f: f.elected,
    "男": lambda f: f.sex["M"],
    "女": lambda f: f.sex["F"],
    "<30岁": lambda f: f.age_band["under_30"],
    ">55岁": lambda f: f.age_band["over_55"],
    "本科": lambda f: f.education["bachelor"],
    "中共党员": lambda f: f.party["party_member"],
    "汉族": lambda f: f.ethnicity["汉族"],
    "少数民族": lambda f: f.ethnicity["苗族"] + f.ethnicity["土家族"],
    "连选连任": lambda f: f.term["re_elected"],
    "新当选": lambda f: f.term["new"],
    "“一肩挑”村（社区）数": lambda f: f.dual_head_places,
    "交叉任职人数": lambda f: f.cross_appointed,
}
RATES = ("参选率", "女性占比", "“一肩挑”比例", "交叉任职比例")


def open_form(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def table(sheet):
    """(headings, lines): each line as (township, place, {heading: value})."""
    headings = [sheet.cell(HEADER_ROW, c).value for c in range(1, sheet.max_column + 1)]
    out = []
    for r in range(FIRST_LINE, sheet.max_row + 1):
        values = [sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)]
        out.append((values[0], values[1], dict(zip(headings[2:], values[2:], strict=True))))
    return headings, out


def counts(line) -> dict:
    return {k: v for k, v in line[2].items() if k not in RATES}


def summed(lines) -> dict:
    return {k: sum(counts(line)[k] for line in lines) for k in counts(lines[0])}


@pytest.fixture
def county_form(built, cycle, county):
    return statistics.compute(cycle, county), open_form(civil_form.workbook(cycle, county))


def test_title_and_headings(county_form, cycle, county):
    _report, sheet = county_form
    assert sheet.cell(TITLE_ROW, 1).value.startswith(f"{county.name}{cycle.name}")
    headings, _lines = table(sheet)
    assert headings[:2] == [None, None]  # merged down from the group row
    assert sheet.cell(GROUP_ROW, 1).value == "乡镇（街道）"
    assert sheet.cell(GROUP_ROW, 2).value == "村（社区）"
    for heading in (*EXPECTED, *RATES):
        assert heading in headings, heading
    groups = {sheet.cell(GROUP_ROW, c).value for c in range(1, sheet.max_column + 1)}
    assert {"选民登记", "候选人提名", "投票情况", "选举结果", "当选成员情况", "两委"} <= groups
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert "A3:A4" in merged and any(m.startswith("A1:") for m in merged)
    assert sheet.freeze_panes == f"C{FIRST_LINE}"


def test_each_place_line_is_the_services_figures(county_form):
    report, sheet = county_form
    _headings, lines = table(sheet)
    by_place = {(t, p): values for t, p, values in lines}
    for row in report.rows:
        for place_row in row.places:
            values = by_place[row.place.name, place_row.place.name]
            for heading, read in EXPECTED.items():
                assert values[heading] == read(place_row.figures), (place_row.place, heading)
                assert isinstance(values[heading], int)
            turnout = place_row.figures.turnout
            assert values["参选率"] == (None if turnout is None else pytest.approx(float(turnout)))


def test_subtotals_and_the_total_are_sums(county_form):
    report, sheet = county_form
    _headings, lines = table(sheet)
    assert [line[1] for line in lines].count("小计") == len(report.rows) == 2
    assert lines[-1][:2] == (report.within.name, "合计")
    subtotals = []
    start = 0
    for i, line in enumerate(lines[:-1]):
        if line[1] == "小计":
            assert counts(line) == summed(lines[start:i]), line[0]
            subtotals.append(line)
            start = i + 1
    assert start == len(lines) - 1  # every place line is under a subtotal
    places = [line for line in lines[:-1] if line[1] != "小计"]
    assert len(places) == len(report.places) == 4
    assert counts(lines[-1]) == summed(subtotals) == summed(places)
    for heading, read in EXPECTED.items():
        assert lines[-1][2][heading] == read(report.total), heading
    # the story of the fixture: 金茶村 and 松雅社区 voted, 黄兴村's vote was void
    total = lines[-1][2]
    assert total["登记选民数"] == 50
    assert (total["人在户不在"], total["选举日补登"], total["连选连任"]) == (2, 1, 2)
    assert (total["一次选举成功数"], total["另行选举数"], total["重新选举数"]) == (1, 1, 1)


def test_a_township_form_has_its_places_and_its_total(built, cycle, township_a):
    report = statistics.compute(cycle, township_a)
    _headings, lines = table(open_form(civil_form.workbook(cycle, township_a)))
    assert [line[1] for line in lines] == [*(p.place.name for p in report.places), "合计"]
    assert {line[1] for line in lines[:-1]} == {"金茶村", "松雅社区"}
    assert counts(lines[-1]) == summed(lines[:-1])
    assert lines[-1][2]["登记选民数"] == report.total.registered == 32


def test_download_page_and_api_in_scope(
    built, client_for, user_township_a, user_township_b, user_observer, cycle, county, township_a
):
    path = reverse("reports-civil-form", args=[cycle.pk, township_a.code])
    api = f"/api/cycles/{cycle.pk}/places/{township_a.code}/exports/civil-form.xlsx"
    for user in (user_township_a, user_observer):  # reading needs VIEW only
        for url in (path, api):
            response = client_for(user).get(url)
            assert response.status_code == 200, (user, url)
            assert "attachment" in response.headers["Content-Disposition"]
            sheet = open_form(response.content)
            assert sheet.cell(sheet.max_row, 2).value == "合计"
    other = client_for(user_township_b)
    assert other.get(path).status_code == 404
    assert other.get(api).status_code == 404
    page = client_for(user_township_a).get(
        reverse("reports-exports", args=[cycle.pk, township_a.code])
    )
    assert path in page.content.decode()
    assert client_for(user_observer).post(path).status_code == 405
