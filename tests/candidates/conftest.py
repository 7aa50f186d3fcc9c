"""Fixtures of the candidates tests: 金茶村 (village_a1, tests/conftest.py) with a roll of
sixteen voters, its voter list posted today with D = today + 20, and a 村委会 of one
director and two members (so 2 + 3 nominees make the 差额). Two review departments
(纪检监察机关, 公安局), each with its reviewer.

The voters, by name (sex, birth year, education)::

    丁一 M 1975 college     王芳 F 1988 bachelor   王强 M 1990 high_school
    方敏 F 1992 college     石磊 M 1965 middle     朱红 F 1970 high_school
    刘伟 M 1985 bachelor    许静 F 1995 college    李军 M 1980 middle
    吴丽 F 1983 bachelor    张勇 M 1978 college    陈霞 F 1960 middle
    欧阳明 M 1991 bachelor  周洁 F 1986 high_school 黄涛 M 1972 college
    董玲 F 1999 postgraduate

Family ties: 石磊 is 张勇's father and 陈霞 is 石磊's mother, so 陈霞 is 张勇's
grandmother — a relation found only through the chain. 王芳 is 王强's spouse.
"""

from datetime import date, timedelta

import pytest
from candidates_shared import today
from django.contrib.auth.models import User

from huanjie.accounts.models import Role, RoleKind
from huanjie.candidates.models import Department
from huanjie.cycles.models import Election, Office, Step, StepStatus
from huanjie.party.models import Member, Organisation
from huanjie.rules.identity import make_id
from huanjie.voters import publication, rolls
from huanjie.voters.models import Relation, Resident

A1 = "430121001201"

PEOPLE = (
    ("丁一", "M", 1975, "college"),
    ("王芳", "F", 1988, "bachelor"),
    ("王强", "M", 1990, "high_school"),
    ("方敏", "F", 1992, "college"),
    ("石磊", "M", 1965, "middle_school"),
    ("朱红", "F", 1970, "high_school"),
    ("刘伟", "M", 1985, "bachelor"),
    ("许静", "F", 1995, "college"),
    ("李军", "M", 1980, "middle_school"),
    ("吴丽", "F", 1983, "bachelor"),
    ("张勇", "M", 1978, "college"),
    ("陈霞", "F", 1960, "middle_school"),
    ("欧阳明", "M", 1991, "bachelor"),
    ("周洁", "F", 1986, "high_school"),
    ("黄涛", "M", 1972, "college"),
    ("董玲", "F", 1999, "postgraduate"),
)

#: Steps the posting of the list and the formal list depend on.
DONE_BEFORE = ("financial_audit", "election_plan", "election_committee", "democratic_evaluation")


@pytest.fixture
def d():
    return today() + timedelta(days=20)


@pytest.fixture
def voters(cycle, village_a1, user_county_admin, county, d):
    """The sixteen residents of 金茶村, by name, with their family ties and the roll."""
    made = {}
    for i, (name, sex, year, education) in enumerate(PEOPLE):
        born = date(year, 3, 1 + i)
        made[name] = Resident.objects.create(
            id_number=make_id(A1[:6], born, 2 * (i + 1), sex),
            name=name,
            sex=sex,
            birth_date=born,
            education=education,
            household_code=A1,
            residence_code=A1,
        )
    Relation.objects.create(person=made["张勇"], relative=made["石磊"], kind="parent")
    Relation.objects.create(person=made["石磊"], relative=made["陈霞"], kind="parent")
    Relation.objects.create(person=made["王芳"], relative=made["王强"], kind="spouse")
    Election.objects.filter(cycle=cycle).update(election_day=d)
    rolls.build(user_county_admin, cycle, county)
    return made


@pytest.fixture
def election(cycle, village_a1):
    """金茶村's 村委会 election: 1 director, 2 members."""
    election = Election.objects.get(cycle=cycle, place=village_a1)
    Office.objects.filter(election=election, key="deputy").delete()
    Office.objects.filter(election=election, key="member").update(seats=2)
    return election


@pytest.fixture
def posted(cycle, village_a1, voters, election, user_committee_a1, media):
    """金茶村's voter list posted today, 20 days before D."""
    for key in DONE_BEFORE:
        Step.objects.create(
            cycle=cycle,
            place=village_a1,
            key=key,
            status=StepStatus.DONE,
            done_on=today() - timedelta(days=40),
        )
    return publication.publish_list(user_committee_a1, cycle, village_a1, today())


@pytest.fixture
def departments(cycle):
    return [
        Department.objects.create(cycle=cycle, name="纪检监察机关", rank=0),
        Department.objects.create(cycle=cycle, name="公安局", rank=1),
    ]


def make_reviewer(username, county, department):
    user = User.objects.create_user(username, first_name=username)
    Role.objects.create(user=user, kind=RoleKind.REVIEWER, place=county, department=department)
    return user


@pytest.fixture
def discipline_reviewer(county):
    return make_reviewer("discipline", county, "纪检监察机关")


@pytest.fixture
def police_reviewer(county):
    return make_reviewer("police", county, "公安局")


@pytest.fixture
def party_election(cycle, village_a1, d):
    """金茶村's party committee election: 1 secretary, 1 deputy, 3 members (5 seats,
    so 6 candidates at least)."""
    election = Election.objects.create(
        cycle=cycle, place=village_a1, body="party_committee", election_day=d - timedelta(days=5)
    )
    for rank, (key, title, n) in enumerate(
        (("secretary", "书记", 1), ("deputy_secretary", "副书记", 1), ("member", "委员", 3))
    ):
        Office.objects.create(election=election, key=key, title=title, seats=n, rank=rank)
    return election


@pytest.fixture
def party_members(voters, village_a1):
    """Everyone of 金茶村 is a full party member except 董玲 (probationary)."""
    branch = Organisation.objects.create(place=village_a1, name="金茶村党支部", kind="branch")
    for name, person in voters.items():
        Member.objects.create(
            organisation=branch,
            resident=person,
            status="probationary" if name == "董玲" else "full",
            joined_on=date(2010, 7, 1),
        )
    return branch
