"""The work summary (工作总结) as a Word document: its headings, its paragraphs and
tables written with the figures of the statistics, its charts; the charts of the
statistics page; and the scope of both."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from huanjie.reports import statistics, summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(cycle, place) -> str:
    return f"/cycles/{cycle.pk}/places/{place.code}/statistics/summary.docx"


def opened(response) -> Document:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def table_of(document, title: str) -> list[list[str]]:
    """The cells of the table that follows the heading ``title``."""
    found = False
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and block.text == title:
            found = True
        elif found and isinstance(block, Table):
            return [[c.text for c in row.cells] for row in block.rows]
    raise AssertionError(f"no table after {title}")


def test_the_county_summary_has_its_headings_tables_and_charts(
    built, cycle, client_for, user_county_admin, township_a, township_b
):
    document = opened(client_for(user_county_admin).get(url(cycle, cycle.county)))
    report = statistics.compute(cycle, cycle.county)
    total = report.total
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0].startswith(cycle.county.name)
    assert headings[0].endswith("工作总结")
    assert {"一、基本情况", "二、统计表", "三、统计图"} <= set(headings)

    turnout = table_of(document, "表1 选民参选情况")
    assert turnout[0][:2] == ["乡镇", "村（社区）数"]
    assert [line[0] for line in turnout[1:]] == [township_a.name, township_b.name, "合计"]
    a = report.rows[0].figures
    assert turnout[1][1:5] == [
        str(a.places),
        str(a.registered),
        str(a.voted),
        f"{100 * a.voted / a.registered:.1f}%",
    ]
    assert turnout[-1][1:4] == [str(total.places), str(total.registered), str(total.voted)]

    sex_age = table_of(document, "表2 新一届村（居）委会成员性别、年龄结构")
    elected, men, women, unknown = (int(v) for v in sex_age[-1][1:5])
    assert (elected, men, women) == (total.elected, total.sex["M"], total.sex["F"])
    assert men + women + unknown == elected == 12
    bands = [int(v) for v in sex_age[-1][6:]]
    assert sum(bands) == elected
    assert bands == [total.age_band[b.key] for b in report.bands] + [total.age_band["unknown"]]

    education = table_of(document, "表3 新一届村（居）委会成员文化程度、政治面貌")
    levels = [int(v) for v in education[-1][2:8]]
    assert sum(levels) == total.elected

    two = table_of(document, "表4 书记、主任“一肩挑”和“两委”交叉任职")
    assert two[-1][1:] == [
        str(total.places),
        str(total.secretaries),
        str(total.directors),
        "1",
        "25.0%",
        str(total.two_committee_members),
        str(total.cross_appointed),
        f"{100 * total.cross_appointed / total.two_committee_members:.1f}%",
    ]
    pictures = [s for s in document.inline_shapes]
    assert len(pictures) == 5  # turnout, pyramid, women, education, progress


def test_the_paragraphs_write_the_figures_and_their_parts_add_up(built, cycle):
    report = statistics.compute(cycle, cycle.county)
    f = report.total
    text = "".join(summary.paragraphs(report))
    assert f"登记选民{f.registered}人" in text
    assert f"参加投票{f.voted}人" in text
    assert f"共选出{f.elected}人" in text
    # Each breakdown named in the paragraph adds up to the members elected.
    structure = text.split(f"共选出{f.elected}人", 1)[1]
    sexes, rest = structure.split("。文化结构上看", 1)
    education, rest = rest.split("大专及以上", 1)
    ages = rest.split("年龄结构上", 1)[1].split("平均年龄", 1)[0]
    for part in (sexes, education, ages):
        assert sum(int(n) for n in re.findall(r"(\d+)名，占", part)) == f.elected
    assert f"女性{f.sex['F']}名" in sexes
    assert f"“一肩挑”的村（社区）{f.dual_head_places}个" in text
    assert "其中选举日补登1人" in text
    assert f"共提名初步候选人{f.nominees}人，确定正式候选人{f.candidates}人" in text
    places, new, old = report.against_previous()
    assert f"与上届相比（{places}个村（社区）），连选连任2名，新当选3名" in text
    assert f"平均年龄由{float(old.average_age):.1f}岁变为{float(new.average_age):.1f}岁" in text
    # Four complaints: three at villages, one at township A's office
    assert "共受理信访举报4件，其中贿选（含发红包）2件、拉票、说情打招呼1件、选民登记1件" in text


def test_the_document_is_set_in_song_ti(built, cycle):
    document = Document(io.BytesIO(summary.summary_docx(cycle, cycle.county)))
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_a_township_summary_has_a_line_per_place(
    built, cycle, client_for, user_township_a, township_a
):
    document = opened(client_for(user_township_a).get(url(cycle, township_a)))
    turnout = table_of(document, "表1 选民参选情况")
    assert turnout[0][0] == "村（社区）"
    lines = {line[0]: line for line in turnout[1:]}
    assert list(lines) == [
        *(r.place.name for r in statistics.compute(cycle, township_a).rows),
        "合计",
    ]
    assert set(lines) == {built["a1"].name, built["a2"].name, "合计"}
    assert lines[built["a1"].name][2:5] == ["20", "14", "70.0%"]


def test_the_api_gives_the_same_document(built, cycle, client_for, user_county_admin, township_b):
    response = client_for(user_county_admin).get(f"/api{url(cycle, township_b)}")
    document = opened(response)
    assert table_of(document, "表1 选民参选情况")[-1][2] == "18"


def test_the_statistics_page_shows_the_charts_and_links_the_summary(
    built, cycle, client_for, user_county_admin, township_a
):
    html = client_for(user_county_admin).get(f"/cycles/{cycle.pk}/statistics/").content.decode()
    section = html.split('id="statistics-charts"', 1)[1].split("</section>", 1)[0]
    assert section.count("<svg") == 2
    assert "Turnout by township" in section
    assert township_a.name in section
    assert "age pyramid" in section
    assert f'href="{url(cycle, cycle.county)}"' in html
    html = client_for(user_county_admin).get(
        f"/cycles/{cycle.pk}/places/{township_a.code}/statistics/"
    )
    assert "Turnout by place" in html.content.decode()


def test_the_charts_say_when_there_is_nothing_to_show(cycle, client_for, user_county_admin):
    html = client_for(user_county_admin).get(f"/cycles/{cycle.pk}/statistics/").content.decode()
    section = html.split('id="statistics-charts"', 1)[1].split("</section>", 1)[0]
    assert section.count("No data yet") == 2


def test_the_pyramid_counts_men_and_women_by_band(built, cycle):
    report = statistics.compute(cycle, cycle.county)
    pairs = report.total.sex_age_band
    for band in report.bands:
        assert (
            pairs["M", band.key] + pairs["F", band.key] + pairs["unknown", band.key]
            == (report.total.age_band[band.key])
        )


@pytest.mark.parametrize("who", ["user_township_b", "user_committee_a1"])
def test_a_summary_outside_the_scope_is_not_found(
    built, cycle, client_for, request, who, township_a
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(cycle, township_a)).status_code == 404
    assert client.get(f"/api{url(cycle, township_a)}").status_code == 404


def test_observers_read_the_summary_and_strangers_do_not(
    built, cycle, client_for, user_observer, user_without_role, group_a1_1
):
    observer = client_for(user_observer)
    assert observer.get(url(cycle, cycle.county)).status_code == 200
    assert observer.post(url(cycle, cycle.county)).status_code == 405
    assert observer.get(url(cycle, group_a1_1)).status_code == 404
    assert client_for(user_without_role).get(url(cycle, cycle.county)).status_code == 404
    assert client_for().get(f"/api{url(cycle, cycle.county)}").status_code == 401
