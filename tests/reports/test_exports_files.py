"""The XLSX exports of the roll, the candidates and the results: each file opened with
openpyxl, its header and rows compared with the records; masking and scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reports_shared import candidates, counted_poll, open_poll, sheet_names, sheet_rows, voters

from huanjie.cycles.models import Election
from huanjie.reports import exports
from huanjie.rules.identity import age_on, mask_id


@pytest.fixture
def records(cycle, village_a1, community_a2, village_b1, group_a1_1, user_county_admin):
    """金茶村: 6 voters on the roll (one more removed), five candidates, a counted
    vote; 松雅社区: 3 voters and an open vote; 黄兴村 (other township): 2 voters."""
    a1 = voters(cycle, village_a1, 6, removed=1, group=group_a1_1)
    a2 = voters(cycle, community_a2, 3, start=300)
    b1 = voters(cycle, village_b1, 2, start=400)
    election = Election.objects.get(cycle=cycle, place=village_a1)
    made = candidates(cycle, election, a1[:5], user_county_admin)
    day = timezone.localdate()
    poll = counted_poll(election, user_county_admin, made, day)
    other = Election.objects.get(cycle=cycle, place=community_a2)
    open_poll(other, user_county_admin, day + timedelta(days=3))
    return {"a1": a1, "a2": a2, "b1": b1, "election": election, "candidates": made, "poll": poll}


def url(name, cycle, place):
    return reverse(name, args=[cycle.pk, place.code])


# -- the roll ------------------------------------------------------------------------------


def test_roll_of_a_place_against_the_records(cycle, village_a1, records, election_day):
    data = exports.roll_xlsx(cycle, village_a1, full_ids=True)
    rows = sheet_rows(data)
    assert sheet_names(data) == ["选民名单"]
    assert tuple(rows[0]) == exports.ROLL_HEADER
    listed = records["a1"][:6]
    assert len(rows) == 1 + len(listed)  # the removed line is not on the roll
    for row, voter in zip(rows[1:], listed, strict=True):
        assert row[:6] == [
            "金茶村",
            voter.number,
            voter.name,
            voter.id_number,
            "女" if voter.sex == "F" else "男",
            voter.birth_date.isoformat(),
        ]
        assert row[6] == age_on(voter.birth_date, election_day)
        assert row[8:11] == ["户在人在", "第一村民小组", "登记"]


def test_roll_masks_ids_unless_full(cycle, village_a1, records):
    rows = sheet_rows(exports.roll_xlsx(cycle, village_a1, full_ids=False))
    assert [r[3] for r in rows[1:]] == [mask_id(v.id_number) for v in records["a1"][:6]]


def test_roll_of_a_township_holds_its_places_only(cycle, township_a, county, records):
    rows = sheet_rows(exports.roll_xlsx(cycle, township_a, full_ids=False))
    assert [r[0] for r in rows[1:]] == ["松雅社区"] * 3 + ["金茶村"] * 6
    assert exports.roll_places(county) == []


def test_roll_page_masks_by_capability(
    client_for, user_committee_a1, user_observer, user_township_b, cycle, village_a1, records
):
    full = client_for(user_committee_a1).get(url("reports-exports-roll", cycle, village_a1))
    assert full.status_code == 200
    assert full["Content-Type"] == exports.XLSX
    assert "attachment" in full["Content-Disposition"]
    assert sheet_rows(full.content)[1][3] == records["a1"][0].id_number
    masked = client_for(user_observer).get(url("reports-exports-roll", cycle, village_a1))
    assert sheet_rows(masked.content)[1][3] == mask_id(records["a1"][0].id_number)
    other = client_for(user_township_b).get(url("reports-exports-roll", cycle, village_a1))
    assert other.status_code == 404


def test_no_roll_of_a_whole_county(client_for, user_county_admin, cycle, county, records):
    response = client_for(user_county_admin).get(url("reports-exports-roll", cycle, county))
    assert response.status_code == 404


# -- the candidates ------------------------------------------------------------------------


def test_candidates_against_the_records(cycle, township_a, records, election_day):
    rows = sheet_rows(exports.candidates_xlsx(cycle, township_a, full_ids=False))
    assert tuple(rows[0]) == exports.CANDIDATE_HEADER
    made = records["candidates"]
    assert len(rows) == 1 + len(made)
    by_name = {r[3]: r for r in rows[1:]}
    first = by_name[made[0].resident.name]
    person = made[0].resident
    assert first == [
        "金茶村",
        "村民委员会",
        "主任",
        person.name,
        mask_id(person.id_number),
        "男" if person.sex == "M" else "女",
        age_on(person.birth_date, election_day),
        "本科",
        "汉族",
        "中共党员",
        "正式候选人",
        "选民提名",
        50,
        "通过",
        "",
    ]
    waiting = by_name[made[1].resident.name]
    assert waiting[9] == "群众" and waiting[13] == "待审（1个部门未答复）"
    out = by_name[made[4].resident.name]
    assert out[10] == "取消资格"
    assert out[13] == "不通过（县公安局：负面清单第2项）"
    assert out[14] == "负面清单第2项"
    # offices highest first, then by nomination votes
    assert [r[2] for r in rows[1:]] == ["主任", "主任", "委员", "委员", "委员"]


def test_candidates_full_ids_and_other_township_empty(cycle, township_b, village_a1, records):
    rows = sheet_rows(exports.candidates_xlsx(cycle, village_a1, full_ids=True))
    assert rows[1][4] == records["candidates"][0].resident.id_number
    assert sheet_rows(exports.candidates_xlsx(cycle, township_b)) == [
        list(exports.CANDIDATE_HEADER)
    ]


def test_candidates_page(client_for, user_observer, user_township_b, cycle, county, records):
    response = client_for(user_observer).get(url("reports-exports-candidates", cycle, county))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert len(rows) == 6
    assert {r[4] for r in rows[1:]} == {
        mask_id(c.resident.id_number) for c in records["candidates"]
    }
    denied = client_for(user_township_b).get(url("reports-exports-candidates", cycle, county))
    assert denied.status_code == 404


# -- the results ---------------------------------------------------------------------------


def test_results_against_the_records(cycle, county, records):
    data = exports.results_xlsx(cycle, county)
    assert sheet_names(data) == ["投票情况", "得票情况"]
    polls = sheet_rows(data, 0)
    assert tuple(polls[0]) == exports.POLL_HEADER
    day = timezone.localdate()
    assert polls[1] == [
        "松雅社区",
        "居民委员会",
        "选举",
        (day + timedelta(days=3)).isoformat(),
        "投票中",
        10,
        "",
        "",
        "",
        "",
        "",
        1,
        "",
        "",
    ]
    # a count from totals: issued = check-ins (none here), returned = issued
    assert polls[2] == [
        "金茶村",
        "村民委员会",
        "选举",
        day.isoformat(),
        "已确认",
        20,
        0,
        0,
        15,
        0.75,
        "是",
        3,
        3,
        0,
    ]
    votes = sheet_rows(data, 1)
    assert tuple(votes[0]) == exports.VOTE_HEADER
    made = records["candidates"]
    head = ["金茶村", "村民委员会", "选举", day.isoformat()]
    assert votes[1:] == [
        [*head, "主任", 1, 8, made[0].resident.name, "否", 12, "当选"],
        [*head, "主任", 1, 8, made[1].resident.name, "否", 3, "未当选"],
        [*head, "委员", 2, 8, made[2].resident.name, "否", 11, "当选"],
        [*head, "委员", 2, 8, "张三", "是", 9, "当选"],
        [*head, "委员", 2, 8, made[3].resident.name, "否", 4, "未当选"],
    ]


def test_results_of_a_place_and_of_another_township(cycle, village_a1, township_b, records):
    assert len(sheet_rows(exports.results_xlsx(cycle, village_a1), 0)) == 2
    data = exports.results_xlsx(cycle, township_b)
    assert sheet_rows(data, 0) == [list(exports.POLL_HEADER)]
    assert sheet_rows(data, 1) == [list(exports.VOTE_HEADER)]


def test_results_page_and_api(
    client_for, user_township_a, user_township_b, cycle, township_a, records
):
    client = client_for(user_township_a)
    page = client.get(url("reports-exports-results", cycle, township_a))
    assert page.status_code == 200
    api = client.get(f"/api/cycles/{cycle.pk}/places/{township_a.code}/exports/results.xlsx")
    assert api.status_code == 200
    assert sheet_rows(api.content, 1) == sheet_rows(page.content, 1)
    other = client_for(user_township_b)
    assert other.get(url("reports-exports-results", cycle, township_a)).status_code == 404
    assert (
        other.get(
            f"/api/cycles/{cycle.pk}/places/{township_a.code}/exports/results.xlsx"
        ).status_code
        == 404
    )


def test_api_roll_masks_for_observer(
    client_for, user_observer, user_committee_a1, cycle, village_a1, records
):
    path = f"/api/cycles/{cycle.pk}/places/{village_a1.code}/exports/roll.xlsx"
    masked = client_for(user_observer).get(path)
    assert masked.status_code == 200
    assert sheet_rows(masked.content)[1][3] == mask_id(records["a1"][0].id_number)
    full = client_for(user_committee_a1).get(path)
    assert sheet_rows(full.content)[1][3] == records["a1"][0].id_number
    assert client_for(user_committee_a1).get(path.replace("roll", "candidates")).status_code == 200


# -- the page ------------------------------------------------------------------------------


def test_exports_page_links_the_files(client_for, user_township_a, cycle, township_a, records):
    response = client_for(user_township_a).get(url("reports-exports", cycle, township_a))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("reports-exports-roll", "reports-exports-candidates", "reports-exports-results"):
        assert url(name, cycle, township_a) in html
    assert url("reports-previous", cycle, township_a) in html
    assert url("reports-exports", cycle, records["a1"][0].place) in html  # places below


def test_exports_page_of_the_county_has_no_roll(
    client_for, user_county_admin, user_township_b, cycle, county, township_a
):
    response = client_for(user_county_admin).get(url("reports-exports", cycle, county))
    assert response.status_code == 200
    assert url("reports-exports-roll", cycle, county) not in response.content.decode()
    assert url("reports-exports", cycle, township_a) in response.content.decode()
    assert (
        client_for(user_township_b).get(url("reports-exports", cycle, township_a)).status_code
        == 404
    )
    assert client_for().get(url("reports-exports", cycle, county)).status_code == 302


def test_ages_use_today_without_an_election_day(cycle, village_a1, records):
    Election.objects.filter(pk=records["election"].pk).update(election_day=None)
    rows = sheet_rows(exports.roll_xlsx(cycle, village_a1, full_ids=False))
    assert all(r[6] == "" for r in rows[1:])
    cands = sheet_rows(exports.candidates_xlsx(cycle, village_a1))
    person = records["candidates"][0].resident
    today = timezone.localdate()
    assert cands[1][6] == age_on(person.birth_date, today)
