"""The two committees of 金茶村 side by side: the party committee in office after the
approval and the 村委会 the cycle elected (DOMAIN §2, §11)."""

from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from plenary_shared import committee_winners, elect_committee, hold_plenary

from huanjie.cycles.models import Election
from huanjie.party import committees, plenary


@pytest.fixture
def village_committee(cycle, village_a1):
    """金茶村's 村民委员会 election."""
    return Election.objects.get(cycle=cycle, place=village_a1, body="villagers_committee")


@pytest.fixture
def in_office(final_list, party_election, members, user_township_a):
    """The new party committee approved: 丁一 书记, 王芳 副书记."""
    elect_committee(user_township_a, party_election, members)
    held = hold_plenary(user_township_a, party_election)
    held = plenary.report(user_township_a, held, reported_on=timezone.localdate())
    plenary.approve(
        user_township_a, held, approved_on=timezone.localdate(), approved_by="星沙街道党工委"
    )
    return held


def test_no_committee_yet(cycle, village_a1):
    found = committees.of_place(cycle, village_a1)
    assert found.party == [] and found.committee == []
    assert not found.dual_head
    assert found.cross_appointed == []
    assert found.election is not None  # the 村委会 election, not voted yet


def test_the_secretary_elected_director_is_a_dual_head(
    in_office, cycle, village_a1, village_committee, residents, user_township_a
):
    committee_winners(
        village_committee,
        user_township_a,
        [
            ("丁一", "director", residents["丁一"]),
            ("刘伟", "deputy", residents["刘伟"]),
            ("黄涛", "member", residents["黄涛"]),
        ],
    )
    found = committees.of_place(cycle, village_a1)
    assert [(r.office, r.name) for r in found.party][:2] == [
        ("secretary", "丁一"),
        ("deputy_secretary", "王芳"),
    ]
    assert [(r.office, r.name) for r in found.committee] == [
        ("director", "丁一"),
        ("deputy", "刘伟"),
        ("member", "黄涛"),
    ]
    assert found.dual_head
    assert (found.secretary, found.director) == ("丁一", "丁一")
    assert found.cross_appointed == ["丁一", "刘伟"]


def test_another_director_is_no_dual_head(
    in_office, cycle, village_a1, village_committee, residents, user_township_a
):
    committee_winners(
        village_committee,
        user_township_a,
        [("黄涛", "director", residents["黄涛"]), ("丁一", "member", residents["丁一"])],
    )
    found = committees.of_place(cycle, village_a1)
    assert not found.dual_head
    assert found.cross_appointed == ["丁一"]


def test_the_township_report_counts_every_electing_place(
    in_office, cycle, township_a, village_committee, residents, user_township_a
):
    committee_winners(
        village_committee,
        user_township_a,
        [("丁一", "director", residents["丁一"]), ("黄涛", "member", residents["黄涛"])],
    )
    found = committees.report(cycle, township_a)
    # 松雅社区 has elected neither committee yet.
    assert [r.place.name for r in found.places] == ["松雅社区", "金茶村"]
    assert found.rates.dual_head_rate == Fraction(1, 2)
    # 金茶村: five on the party committee, 黄涛 on the 村委会 only; 丁一 on both.
    assert (found.rates.members, found.rates.cross_appointed) == (6, 1)
    assert found.rates.cross_appointment_rate == Fraction(1, 6)


def test_the_township_page_lists_the_places_and_the_rates(
    in_office,
    cycle,
    village_a1,
    village_committee,
    residents,
    township_a,
    client_for,
    user_township_a,
    user_township_b,
):
    committee_winners(village_committee, user_township_a, [("丁一", "director", residents["丁一"])])
    url = reverse("party_two_committees", args=[cycle.pk])
    page = client_for(user_township_a).get(url, {"within": township_a.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-place="{village_a1.code}" data-dual-head="yes"' in html
    assert 'data-dual-head="1"' in html  # one place of the township with 一肩挑
    assert client_for(user_township_b).get(url, {"within": township_a.code}).status_code == 404
