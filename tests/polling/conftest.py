"""Fixtures of the polling tests: 金茶村 (village_a1, tests/conftest.py) votes today.

Its roll has the twelve voters of ``polling_shared.PEOPLE``; its 村委会 has one director
and two members with the formal candidates of ``polling_shared.SLATE`` (the list is
final), and ``poll`` is the first vote, opened by the committee.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from polling_shared import PEOPLE, SLATE

from huanjie.candidates.models import Candidate, Notice
from huanjie.cycles.models import Office
from huanjie.polling import counting, polls
from huanjie.polling.models import MobileVoter, Proxy, Station
from huanjie.rules.identity import make_id
from huanjie.voters import rolls
from huanjie.voters.models import Relation, Resident, Voter

A1 = "430121001201"


@pytest.fixture
def election_day():
    return timezone.localdate()


@pytest.fixture
def residents(cycle, village_a1, user_county_admin, county):
    """The residents of 金茶村 by name, their ties, and the roll built from them."""
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
    Relation.objects.create(person=made["王芳"], relative=made["王强"], kind="spouse")
    Relation.objects.create(person=made["张勇"], relative=made["石磊"], kind="parent")
    rolls.build(user_county_admin, cycle, county)
    return made


@pytest.fixture
def roll(residents, cycle, village_a1):
    """金茶村's voters by name."""
    return {v.name: v for v in Voter.objects.filter(cycle=cycle, place=village_a1)}


@pytest.fixture
def election(election_a1):
    """金茶村's 村委会 election: 1 director, 2 members."""
    Office.objects.filter(election=election_a1, key="deputy").delete()
    Office.objects.filter(election=election_a1, key="member").update(seats=2)
    return election_a1


@pytest.fixture
def formal(election, residents, user_committee_a1, media):
    """The final list: the formal candidates by name."""
    made = {}
    for office, names in SLATE.items():
        for name in names:
            made[name] = Candidate.objects.create(
                election=election,
                office=office,
                resident=residents[name],
                status=Candidate.Status.FORMAL,
                source=Candidate.Source.NOMINATION,
            )
    Notice.objects.create(
        election=election,
        kind=Notice.Kind.FORMAL,
        published_on=timezone.localdate(),
        names=len(made),
        file="candidates/formal.pdf",
        user=user_committee_a1,
    )
    return made


@pytest.fixture
def poll(election, formal, roll, user_committee_a1):
    """The first vote of 金茶村, today."""
    return polls.open_first(user_committee_a1, election, held_on=timezone.localdate())


@pytest.fixture
def central(election, user_committee_a1):
    return Station.objects.create(
        election=election, kind=Station.Kind.CENTRAL, name="中心会场", user=user_committee_a1
    )


@pytest.fixture
def station(election, user_committee_a1):
    return Station.objects.create(
        election=election, kind=Station.Kind.STATION, name="第一投票站", user=user_committee_a1
    )


@pytest.fixture
def box(election, roll, user_committee_a1):
    """A mobile box approved for 陈霞 (born 1960, ill at home)."""
    box = Station.objects.create(
        election=election, kind=Station.Kind.MOBILE_BOX, name="流动票箱一", user=user_committee_a1
    )
    MobileVoter.objects.create(station=box, voter=roll["陈霞"], reason="卧病在床")
    return box


@pytest.fixture
def entrusted(election, roll, user_committee_a1):
    """王芳 is away and entrusted her vote to her husband 王强."""
    return Proxy.objects.create(
        election=election,
        entruster=roll["王芳"],
        proxy=roll["王强"],
        relation="配偶",
        signed_on=timezone.localdate() - timedelta(days=7),
        authorisation="proxies/wangfang.pdf",
        user=user_committee_a1,
    )


@pytest.fixture
def boxed(poll, central, user_committee_a1):
    """The first vote with ten ballots issued and returned at the central venue."""
    counting.set_box(user_committee_a1, poll, central, 10, 10)
    return poll
