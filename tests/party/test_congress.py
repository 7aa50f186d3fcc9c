"""The delegate congress services (huanjie.party.congress): approval and seats, the
candidates of each unit, the votes, the composition, the credentials review, the
seated delegates and calling the congress.

金茶村党总支 here has 40 members in three party groups (21, 12, 7), so 10 delegates
are shared 5, 3, 2 (quotas 5.25, 3, 1.75).
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from huanjie.party import congress
from huanjie.party.models import Member, Organisation, Unit
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident

A1 = "430121001201"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤何"
GIVEN = ("明", "华")
#: The three party groups and their sizes.
CELLS = (("第一党小组", 21), ("第二党小组", 12), ("第三党小组", 7))


def people():
    """(name, cell, sex, birth year, cadre, front line, probationary) of 40 members."""
    names = [s + g for g in GIVEN for s in SURNAMES]
    rows, i = [], 0
    for cell, size in CELLS:
        for k in range(size):
            rows.append(
                (
                    names[i],
                    cell,
                    "F" if i % 3 == 0 else "M",
                    1960 + (i * 7) % 40,
                    k % 4 == 0,
                    k % 2 == 1,
                    k == size - 1,  # the last of each group is probationary
                )
            )
            i += 1
    return rows


def make_roster(place, name="金茶村党总支"):
    organisation = Organisation.objects.create(place=place, name=name, kind="general_branch")
    made = {}
    for i, (person, cell, sex, year, cadre, front, probationary) in enumerate(people()):
        born = date(year, 1 + i % 12, 1 + i % 28)
        resident = Resident.objects.create(
            id_number=make_id(place.code[:6], born, 2 * (i + 1) + 100, sex),
            name=person,
            sex=sex,
            birth_date=born,
            household_code=place.code,
            residence_code=place.code,
        )
        made[person] = Member.objects.create(
            organisation=organisation,
            resident=resident,
            status="probationary" if probationary else "full",
            joined_on=date(2000, 7, 1),
            cell=cell,
            cadre=cadre,
            front_line=front,
        )
    return made


def of_cell(roster, cell):
    return [m for m in roster.values() if m.cell == cell]


@pytest.fixture
def roster(village_a1, cycle):
    return make_roster(village_a1)


@pytest.fixture
def approved(party_election, roster, user_township_a):
    return congress.approve(
        user_township_a,
        party_election,
        approved_on=timezone.localdate() - timedelta(days=3),
        reference="湘星组〔2026〕7号",
        delegates=10,
    )


def unit_named(election, name):
    return Unit.objects.get(congress__election=election, name=name)


def put_forward(user, election, unit, count):
    """``count`` members of ``unit`` with a vote as its candidates."""
    members = [
        m
        for m in Member.objects.filter(organisation__place=election.place, cell=unit.name)
        .select_related("resident")
        .order_by("id")
        if m.status == "full"
    ]
    return [congress.add_candidate(user, election, unit, m.resident.name) for m in members[:count]]


def vote(user, election, unit, numbers):
    standing = congress.candidates(unit)
    return congress.record_result(
        user, election, unit, {d.pk: n for d, n in zip(standing, numbers, strict=True)}
    )


@pytest.fixture
def elected(approved, party_election, user_committee_a1):
    """Every unit has voted: 5 of 6, 3 of 4, 2 of 3 elected."""
    for name, seats in (("第一党小组", 5), ("第二党小组", 3), ("第三党小组", 2)):
        unit = unit_named(party_election, name)
        put_forward(user_committee_a1, party_election, unit, seats + 1)
        vote(user_committee_a1, party_election, unit, [30 - i for i in range(seats + 1)])
    return congress.elected(party_election)


# The seated delegates (the due list of the congress meeting)


def test_seated_are_the_elected_with_confirmed_credentials(
    elected, party_election, user_committee_a1
):
    assert congress.seated(party_election) == []
    first, second, *rest = elected
    congress.review(user_committee_a1, party_election, first.pk, confirmed=True)
    congress.review(user_committee_a1, party_election, second.pk, confirmed=False, note="违纪")
    assert congress.seated(party_election) == [first.member]
    assert all(isinstance(m, Member) for m in congress.seated(party_election))


def test_seated_without_a_congress_is_empty(party_election):
    assert congress.seated(party_election) == []
