"""Roll pages: a community's roll with filters, search and pages; the people left off
it; one voter's line; the rebuild button; a township's and the county's overview."""

import re
from datetime import date

import pytest
from django.utils import timezone

from huanjie.cycles.models import Election
from huanjie.places.models import Place
from huanjie.voters import rolls
from huanjie.voters.models import Exclusion, Publication, Voter

pytestmark = pytest.mark.django_db

# The places of tests/voters/conftest.py's ``people``.
A1, A2, B1 = "430121001201", "430121001001", "430121100201"


def roll_url(cycle, code, suffix=""):
    return f"/cycles/{cycle.pk}/places/{code}/voters/{suffix}"


def names(response) -> list[str]:
    """The names on the roll table of a page, in order."""
    table = response.content.decode().split('id="roll-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/cycles/\d+/places/\d+/voters/\d+/">([^<]+)</a>', table)


def post_list(cycle, place, user):
    return Publication.objects.create(
        cycle=cycle,
        place=place,
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate(),
        voters=1,
        file="notices/test.pdf",
        user=user,
    )


def test_the_roll_of_a_village_in_roll_order_with_masked_numbers(
    rolls_built, cycle, people, client_for, user_committee_a1
):
    response = client_for(user_committee_a1).get(roll_url(cycle, A1))

    assert response.status_code == 200
    assert names(response) == ["王晓梅", "赵敏", "钱进", "王小明", "张伟", "李华"]
    page = response.content.decode()
    for person in people.values():
        assert person.id_number not in page
    assert "430***********" + people["王小明"].id_number[-4:] in page
    assert "6 voters on the roll" in page
    assert "Rebuild the roll" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "人在户不在"}, ["钱进"]),
        ({"category": "户在人不在"}, ["赵敏"]),
        ({"group": "430121001201001"}, ["王小明", "张伟"]),
        ({"group": "none"}, ["王晓梅", "赵敏", "钱进"]),
        ({"sex": "F"}, ["王晓梅", "赵敏", "李华"]),
        ({"band": "over_55"}, ["张伟"]),
        ({"band": "under_30"}, ["王晓梅", "赵敏"]),
        ({"q": "wxm"}, ["王晓梅", "王小明"]),
        ({"q": "WX"}, ["王晓梅", "王小明"]),
        ({"q": "王"}, ["王晓梅", "王小明"]),
        ({"q": "小明"}, ["王小明"]),
        ({"sex": "M", "q": "wxm"}, ["王小明"]),
        ({"category": "bogus"}, ["王晓梅", "赵敏", "钱进", "王小明", "张伟", "李华"]),
        ({"status": "removed"}, []),
    ],
)
def test_filters_and_search(rolls_built, cycle, client_for, user_committee_a1, query, expected):
    Election.objects.filter(cycle=cycle).update(election_day=date(2026, 6, 1))  # for the bands
    response = client_for(user_committee_a1).get(roll_url(cycle, A1), query)

    assert response.status_code == 200
    assert names(response) == expected


def test_search_by_the_id_number_whole_or_its_last_digits(
    rolls_built, cycle, people, client_for, user_township_a
):
    client = client_for(user_township_a)
    number = people["李华"].id_number

    assert names(client.get(roll_url(cycle, A1), {"q": number})) == ["李华"]
    assert names(client.get(roll_url(cycle, A1), {"q": number[-6:]})) == ["李华"]
    assert names(client.get(roll_url(cycle, A1), {"q": number.lower()})) == ["李华"]
    assert names(client.get(roll_url(cycle, A1), {"q": "999999999999999999"})) == []


def test_the_age_band_is_that_on_the_election_day(
    rolls_built, cycle, people, client_for, user_township_a, election_a1
):
    """王小明, born 1990-03-01, turns 36 on 1 March 2026: with D the day before he is
    counted in 30–35, with D that day in 36–40 (with 李华, 40)."""
    client = client_for(user_township_a)

    Election.objects.filter(pk=election_a1.pk).update(election_day=date(2026, 2, 28))
    assert names(client.get(roll_url(cycle, A1), {"band": "30_35"})) == ["王小明"]
    assert names(client.get(roll_url(cycle, A1), {"band": "36_40"})) == ["李华"]
    Election.objects.filter(pk=election_a1.pk).update(election_day=date(2026, 3, 1))
    assert names(client.get(roll_url(cycle, A1), {"band": "30_35"})) == []
    assert names(client.get(roll_url(cycle, A1), {"band": "36_40"})) == ["王小明", "李华"]


def test_filtering_with_htmx_returns_only_the_table(
    rolls_built, cycle, client_for, user_township_a
):
    response = client_for(user_township_a).get(
        roll_url(cycle, A1), {"q": "wxm"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="roll-table"' in body
    assert "2 voters match, of 6 on the roll" in body


def test_the_roll_is_paginated(
    people, cycle, county, make_resident, client_for, user_county_admin, user_township_a
):
    for n in range(63):
        make_resident(f"陈{'一二三四五六七八九十'[n % 10]}{n}", A2, born=date(1970 + n % 30, 1, 5))
    rolls.build(user_county_admin, cycle, county)
    client = client_for(user_township_a)

    first = client.get(roll_url(cycle, A2))
    second = client.get(roll_url(cycle, A2), {"page": 2})

    assert len(names(first)) == 50
    assert len(names(second)) == 15
    assert set(names(first)).isdisjoint(names(second))
    assert "65 voters on the roll · showing 1–50" in first.content.decode()
    assert "page 2 of 2" in second.content.decode()
    filtered = client.get(roll_url(cycle, A2), {"sex": "M", "page": 2})
    assert "sex=M&amp;page=1" in filtered.content.decode()


def test_another_townships_places_are_not_found(
    rolls_built, cycle, client_for, user_township_b, user_township_a
):
    client = client_for(user_township_b)
    for suffix in ("", "excluded/", "1/", "statistics/", "statistics.xlsx"):
        assert client.get(roll_url(cycle, A1, suffix)).status_code == 404
    assert client.post(roll_url(cycle, A1, "rebuild/")).status_code == 404
    assert client.get(roll_url(cycle, B1)).status_code == 200
    assert client_for(user_township_a).get(roll_url(cycle, A1)).status_code == 200


def test_a_group_or_a_place_outside_the_cycle_is_not_a_roll(
    rolls_built, cycle, client_for, user_county_admin, group_a1_1
):
    client = client_for(user_county_admin)
    assert client.get(roll_url(cycle, group_a1_1.code)).status_code == 404
    assert client.get(f"/cycles/{cycle.pk + 1}/places/{A1}/voters/").status_code == 404


def test_observers_read_but_cannot_rebuild(rolls_built, cycle, client_for, user_observer):
    client = client_for(user_observer)

    page = client.get(roll_url(cycle, A1))
    assert page.status_code == 200
    assert "Rebuild the roll" not in page.content.decode()
    assert client.post(roll_url(cycle, A1, "rebuild/")).status_code == 403


def test_rebuild_builds_the_roll_of_the_place(
    people, cycle, client_for, user_committee_a1, village_a1
):
    response = client_for(user_committee_a1).post(roll_url(cycle, A1, "rebuild/"), follow=True)

    assert response.status_code == 200
    assert "Rolls rebuilt for 1 place(s): 6 voters, 3 not registered, 2 conflicts." in (
        response.content.decode()
    )
    assert Voter.objects.filter(place=village_a1).count() == 6
    assert not Voter.objects.exclude(place=village_a1).exists()


def test_rebuild_of_a_posted_roll_is_refused_with_the_reason(
    rolls_built, cycle, client_for, user_committee_a1, village_a1
):
    post_list(cycle, village_a1, user_committee_a1)
    client = client_for(user_committee_a1)

    page = client.get(roll_url(cycle, A1)).content.decode()
    assert "Rebuild the roll" not in page
    assert "List posted on" in page
    response = client.post(roll_url(cycle, A1, "rebuild/"), follow=True)
    assert "has been posted" in response.content.decode()
    assert Voter.objects.filter(place=village_a1).count() == 6


def test_rebuild_without_an_election_day_says_so(
    people, cycle, client_for, user_committee_a1, election_a1
):
    election_a1.election_day = None
    election_a1.save()

    response = client_for(user_committee_a1).post(roll_url(cycle, A1, "rebuild/"), follow=True)

    assert "Set the election day first: 金茶村" in response.content.decode()
    assert not Voter.objects.exists()


def test_the_excluded_tab_gives_the_reasons_in_chinese_and_english(
    rolls_built, cycle, people, client_for, user_township_a
):
    client = client_for(user_township_a)

    response = client.get(roll_url(cycle, A1, "excluded/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "户在人不在，不参加选举" in page and "Lives elsewhere, declined to take part" in page
    assert "未满十八周岁" in page and "Under 18 on election day" in page
    assert "已在其他村（社区）登记" in page
    assert "3 people" in page
    assert people["孙丽"].id_number not in page

    only = client.get(roll_url(cycle, A1, "excluded/"), {"reason": "under_age"}).content.decode()
    assert "刘小" in only and "孙丽" not in only
    zh = client_for(user_township_a, language="zh-hans").get(roll_url(cycle, A1, "excluded/"))
    assert "Lives elsewhere" not in zh.content.decode()


def test_one_voter_shows_the_full_number_only_to_those_keeping_the_roll(
    rolls_built, cycle, people, client_for, user_committee_a1, user_observer
):
    number = Voter.objects.get(name="李华").number
    full = people["李华"].id_number

    kept = client_for(user_committee_a1).get(roll_url(cycle, A1, f"{number}/"))
    read = client_for(user_observer).get(roll_url(cycle, A1, f"{number}/"))

    assert kept.status_code == read.status_code == 200
    assert full in kept.content.decode()
    assert "1985-07-09" in kept.content.decode()
    assert full not in read.content.decode()
    assert "1985-07-09" not in read.content.decode()
    assert full[:3] + "*" * 11 + full[-4:] in read.content.decode()
    assert client_for(user_observer).get(roll_url(cycle, A1, "99/")).status_code == 404


def test_a_voter_in_a_conflict_links_to_it(rolls_built, cycle, client_for, user_county_admin):
    number = Voter.objects.get(name="周杰").number

    page = client_for(user_county_admin).get(roll_url(cycle, B1, f"{number}/")).content.decode()

    assert "/voters/conflicts/" in page
    assert "金茶村" in page and "松雅社区" in page  # not registered there, and why


def test_a_township_lists_its_places_with_their_counts(
    rolls_built, cycle, client_for, user_township_a, village_a1, user_county_admin
):
    response = client_for(user_township_a).get(roll_url(cycle, "430121001000"))

    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<tr data-code="(\d+)">(.*?)</tr>', page, re.S)
    cells = {code: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for code, row in rows}
    assert list(cells) == [A2, A1]
    # place, code, election day, voters, not registered, open conflicts, posted
    assert cells[A1][3] == "6"
    assert ">3<" in cells[A1][4]
    assert ">2<" in cells[A1][5]  # 钱进 and 周杰
    assert cells[A2][3] == "2"
    assert ">1<" in cells[A2][5]  # 周杰 is also staff of 松雅社区
    assert "<th>2</th>" in page.split("<tfoot>")[1]  # two conflicts, not three

    post_list(cycle, village_a1, user_county_admin)
    county = client_for(user_county_admin).get(roll_url(cycle, "430121000000")).content.decode()
    rows = dict(re.findall(r'<tr data-code="(\d+)">(.*?)</tr>', county, re.S))
    assert list(rows) == ["430121001000", "430121100000"]
    assert "1 / 2" in rows["430121001000"]
    assert "<th>12</th>" in county  # voters of the county


def test_a_township_rebuilds_all_its_places(
    people, cycle, client_for, user_township_a, village_a1, community_a2
):
    response = client_for(user_township_a).post(
        roll_url(cycle, "430121001000", "rebuild/"), follow=True
    )

    assert "Rolls rebuilt for 2 place(s): 8 voters" in response.content.decode()
    assert set(Voter.objects.values_list("place__code", flat=True)) == {A1, A2}
    # 周杰 lives in 黄兴村, which is not rebuilt: left off both rolls of 星沙街道
    assert set(Exclusion.objects.filter(name="周杰").values_list("place__code", "reason")) == {
        (A1, "registered_elsewhere"),
        (A2, "registered_elsewhere"),
    }
    assert Place.objects.get(code=B1).voters.count() == 0
