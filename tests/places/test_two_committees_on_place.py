"""The place page shows the two committees of the place: the party committee in office
beside the 村委会 the cycle elected, with 一肩挑 and 交叉任职 (DOMAIN §2, §11)."""

from datetime import date

import pytest
from django.utils import timezone

from huanjie.candidates.models import Candidate
from huanjie.cycles.models import Election
from huanjie.party.models import Member, Organisation, Seat
from huanjie.polling.models import Poll, Winner
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident

A1 = "430121001201"


@pytest.fixture
def people(village_a1):
    made = {}
    for i, (name, sex) in enumerate((("丁一", "M"), ("王芳", "F"), ("刘伟", "M"), ("黄涛", "M"))):
        born = date(1980, 3, 1 + i)
        made[name] = Resident.objects.create(
            id_number=make_id(A1[:6], born, 2 * (i + 1), sex),
            name=name,
            sex=sex,
            birth_date=born,
            household_code=A1,
            residence_code=A1,
        )
    return made


@pytest.fixture
def party_committee(village_a1, people):
    """金茶村党支部 in office: 丁一 书记, 王芳 副书记, 刘伟 委员."""
    branch = Organisation.objects.create(place=village_a1, name="金茶村党支部", kind="branch")
    for name, office in (("丁一", "secretary"), ("王芳", "deputy_secretary"), ("刘伟", "member")):
        member = Member.objects.create(
            organisation=branch, resident=people[name], status="full", joined_on=date(2005, 7, 1)
        )
        Seat.objects.create(
            organisation=branch, member=member, office=office, since=timezone.localdate()
        )
    return branch


def elect(cycle, village_a1, user, winners):
    """The 村委会's confirmed vote that elected ``winners``: (resident, office)."""
    election = Election.objects.get(cycle=cycle, place=village_a1)
    poll = Poll.objects.create(
        election=election,
        round=Poll.Round.FIRST,
        held_on=timezone.localdate(),
        electorate=100,
        offices=[{"id": o.key, "title": o.title, "seats": o.seats} for o in election.offices.all()],
        candidates=[],
        state=Poll.State.CONFIRMED,
        user=user,
    )
    for resident, office in winners:
        candidate = Candidate.objects.create(
            election=election,
            office=office,
            resident=resident,
            status="formal",
            source="nomination",
        )
        Winner.objects.create(
            poll=poll,
            office=office,
            who=f"c{candidate.pk}",
            name=resident.name,
            votes=60,
            candidate=candidate,
        )


def page(client_for, user, place):
    response = client_for(user).get(f"/places/{place.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_place_page_shows_a_dual_head(
    cycle, village_a1, people, party_committee, user_township_a, client_for
):
    elect(
        cycle,
        village_a1,
        user_township_a,
        [(people["丁一"], "director"), (people["刘伟"], "deputy"), (people["黄涛"], "member")],
    )
    text = page(client_for, user_township_a, village_a1)
    assert 'data-dual-head="yes"' in text
    assert '<span class="badge green">yes</span> 丁一' in text
    assert "<b>丁一、刘伟</b>" in text  # 交叉任职
    assert '<span data-office="director">director 丁一</span>' in text


def test_another_director_is_no_dual_head(
    cycle, village_a1, people, party_committee, user_township_a, client_for
):
    elect(cycle, village_a1, user_township_a, [(people["黄涛"], "director")])
    text = page(client_for, user_township_a, village_a1)
    assert 'data-dual-head="no"' in text
    assert "secretary 丁一, director 黄涛" in text


def test_before_either_committee_there_is_nothing_to_compare(
    cycle, village_a1, user_observer, client_for
):
    text = page(client_for, user_observer, village_a1)
    assert 'data-dual-head="no"' in text
    assert "No committee in office yet" in text
    assert "Nobody elected yet." in text
