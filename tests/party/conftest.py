"""Fixtures of the party tests: 金茶村 (village_a1, tests/conftest.py) and its party
branch.

Twelve of its thirteen residents (``party_shared.PEOPLE``) are members of 金茶村党支部;
one is probationary and one under probation sanction, so ten have a vote and are due
to attend: more than 4/5 of ten is nine. The party committee election has three seats
(书记, 副书记, 委员) and four candidates, approved (批复), so its list is final.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from party_shared import CANDIDATES, NOT_MEMBERS, PEOPLE, PROBATIONARY, SANCTIONED

from huanjie.candidates.models import Candidate, Recommendation
from huanjie.cycles.models import Election, Office
from huanjie.party.models import Member, Organisation
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident

A1 = "430121001201"


@pytest.fixture
def election_day():
    return timezone.localdate()


@pytest.fixture
def residents(cycle, village_a1):
    """The residents of 金茶村 by name."""
    made = {}
    for i, (name, sex, year) in enumerate(PEOPLE):
        born = date(year, 3, 1 + i)
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
def branch(village_a1):
    return Organisation.objects.create(place=village_a1, name="金茶村党支部", kind="branch")


@pytest.fixture
def members(branch, residents):
    """The members of 金茶村党支部 by name."""
    return {
        name: Member.objects.create(
            organisation=branch,
            resident=person,
            status="probationary" if name == PROBATIONARY else "full",
            under_probation_sanction=name == SANCTIONED,
            joined_on=date(2005, 7, 1),
        )
        for name, person in residents.items()
        if name not in NOT_MEMBERS
    }


@pytest.fixture
def party_election(cycle, village_a1, election_day):
    """金茶村's party committee election, held today: 1 书记, 1 副书记, 1 委员."""
    election = Election.objects.create(
        cycle=cycle, place=village_a1, body="party_committee", election_day=election_day
    )
    for rank, key, title in (
        (0, "secretary", "书记"),
        (1, "deputy_secretary", "副书记"),
        (2, "member", "委员"),
    ):
        Office.objects.create(election=election, key=key, title=title, seats=1, rank=rank)
    return election


@pytest.fixture
def final_list(party_election, members, user_township_a):
    """The four candidates, recommended, decided and approved (批复): the list is final."""
    Recommendation.objects.create(
        election=party_election,
        held_on=timezone.localdate() - timedelta(days=20),
        members_present=10,
        public_present=30,
        township_decided_on=timezone.localdate() - timedelta(days=15),
        requested_on=timezone.localdate() - timedelta(days=8),
        approved_on=timezone.localdate() - timedelta(days=5),
        approval_number="湘龙组〔2026〕1号",
        user=user_township_a,
    )
    return {
        name: Candidate.objects.create(
            election=party_election,
            office=office,
            resident=members[name].resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.RECOMMENDATION,
        )
        for office, names in CANDIDATES.items()
        for name in names
    }
