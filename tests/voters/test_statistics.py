"""Statistics of the rolls (DOMAIN §11): every breakdown adds up to its total, rows add
up to the total, ages are counted on each place's own election day; the XLSX file
holds the table of the page."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from huanjie.cycles.models import Election
from huanjie.rules.ages import AGE_BANDS
from huanjie.voters import rolls, statistics
from huanjie.voters.models import Voter

pytestmark = pytest.mark.django_db

A1, A2 = "430121001201", "430121001001"


def assert_adds_up(stats):
    """DOMAIN §11: a breakdown adds up to its total — for the total and every row —
    and the rows add up to the total, breakdown by breakdown."""
    assert stats.adds_up()
    for counts in [stats.total, *(row.counts for row in stats.rows)]:
        for breakdown in counts.breakdowns().values():
            assert sum(breakdown.values()) == counts.total
    assert sum(row.counts.total for row in stats.rows) == stats.total.total
    for name, breakdown in stats.total.breakdowns().items():
        for key, n in breakdown.items():
            assert sum(row.counts.breakdowns()[name][key] for row in stats.rows) == n


def test_the_county_by_township(rolls_built, cycle, county):
    stats = statistics.compute(cycle, county)

    assert_adds_up(stats)
    assert stats.places == 4
    assert [(row.label, row.counts.total) for row in stats.rows] == [("星沙街道", 8), ("黄花镇", 4)]
    total = stats.total
    assert total.total == 12
    assert dict(total.category) == {"户在人在": 9, "人在户不在": 2, "户在人不在": 1}
    assert dict(total.sex) == {"M": 7, "F": 5}
    assert dict(total.ethnicity) == {"汉族": 11, "苗族": 1}
    assert sum(total.band[b.key] for b in AGE_BANDS) == 12
    assert dict(stats.excluded) == {
        "absent_declined": 1,
        "under_age": 1,
        "registered_elsewhere": 2,
    }
    assert [row.excluded for row in stats.rows] == [4, 0]


def test_a_township_by_place(rolls_built, cycle, township_a):
    stats = statistics.compute(cycle, township_a)

    assert_adds_up(stats)
    assert [(row.place.code, row.counts.total) for row in stats.rows] == [(A2, 2), (A1, 6)]
    a1 = stats.rows[1].counts
    assert a1.category["人在户不在"] == 1  # 钱进, a migrant registered where he lives
    assert a1.category["户在人不在"] == 1  # 赵敏
    assert a1.women_percent == 50.0


def test_a_village_by_group(rolls_built, cycle, village_a1, english):
    stats = statistics.compute(cycle, village_a1)

    assert_adds_up(stats)
    assert [(row.label, row.counts.total) for row in stats.rows] == [
        ("第一村民小组", 2),
        ("第二村民小组", 1),
        ("No group (小组)", 3),
    ]
    assert stats.rows[-1].place is None
    table = statistics.table(stats)
    assert table[-1][:2] == ["Total", 6]
    assert table[0][-1] is None  # exclusions are not by group
    assert table[-1][-1] == 3


def test_ages_are_counted_on_each_places_own_election_day(
    people, cycle, county, make_resident, user_county_admin, township_a
):
    """Two people born on 1 March 1996, one in each place of 星沙街道: 金茶村 votes on
    28 February 2026 (甲 is 29), 松雅社区 on 1 March 2026 (乙 is 30)."""
    people["刘小"].delete()  # 18 or not depends on today
    make_resident("甲", A1, born=date(1996, 3, 1), sex="F")
    make_resident("乙", A2, born=date(1996, 3, 1), sex="M")
    Election.objects.filter(place__code=A1).update(election_day=date(2026, 2, 28))
    Election.objects.filter(place__code=A2).update(election_day=date(2026, 3, 1))
    rolls.build(user_county_admin, cycle, county, today=date(2026, 1, 1))

    stats = statistics.compute(cycle, township_a)
    by_code = {row.place.code: row.counts for row in stats.rows}

    # 乙 30 and 刘洋 (1995-09-09) 30; 陈静 (1975-05-05) 50
    assert +by_code[A2].band == {"30_35": 2, "46_50": 1}
    # 甲 29, 王晓梅 24, 赵敏 26; 王小明 35 (36 the next day); 李华 40; 钱进 45; 张伟 66
    assert +by_code[A1].band == {
        "under_30": 3,
        "30_35": 1,
        "36_40": 1,
        "41_45": 1,
        "over_55": 1,
    }
    assert_adds_up(stats)


def test_removed_lines_and_other_places_are_not_counted(rolls_built, cycle, village_a1):
    Voter.objects.filter(name="李华").update(status=Voter.Status.REMOVED)

    stats = statistics.compute(cycle, village_a1)

    assert stats.total.total == 5
    assert_adds_up(stats)


def test_an_empty_roll_adds_up_too(cycle, township_b):
    stats = statistics.compute(cycle, township_b)

    assert stats.total.total == 0
    assert stats.total.women_percent == 0.0
    assert_adds_up(stats)


def stats_url(cycle, code, suffix="statistics/"):
    return f"/cycles/{cycle.pk}/places/{code}/voters/{suffix}"


def test_the_statistics_page(rolls_built, cycle, client_for, user_township_a):
    response = client_for(user_township_a).get(stats_url(cycle, "430121001000"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="statistics-table"' in page
    assert "松雅社区" in page and "金茶村" in page
    assert "户在人不在" in page and "苗族" in page and "&lt;30" in page
    assert "statistics.xlsx" in page


def test_the_xlsx_file_holds_the_same_table(rolls_built, cycle, client_for, user_county_admin):
    response = client_for(user_county_admin).get(stats_url(cycle, A1, "statistics.xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert quote("选民登记统计-金茶村.xlsx") in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "金茶村: voter registration statistics"
    header = rows[3]
    assert header[:3] == ["Place", "Registered voters", "户在人在"]
    assert "<30" in header and ">55" in header and "苗族" in header
    body, total = rows[4:-1], rows[-1]
    assert [r[0] for r in body] == ["第一村民小组", "第二村民小组", "No group (小组)"]
    assert total[:2] == ["Total", 6]
    for column in range(1, len(header) - 1):
        assert sum(r[column] for r in body) == total[column], header[column]
    reasons = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert ["未满十八周岁", "under_age", 1] in reasons
    assert reasons[-1] == ["Total", None, 3]


def test_statistics_within_scope_only(
    rolls_built, cycle, client_for, user_township_b, user_observer, group_a1_1
):
    assert client_for(user_township_b).get(stats_url(cycle, A1)).status_code == 404
    assert client_for(user_township_b).get(stats_url(cycle, "430121000000")).status_code == 404
    assert client_for(user_observer).get(stats_url(cycle, "430121000000")).status_code == 200
    assert client_for(user_observer).get(stats_url(cycle, group_a1_1.code)).status_code == 404
