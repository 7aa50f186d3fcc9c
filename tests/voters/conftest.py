"""Fixtures shared by the voters tests: residents of the conftest county and their rolls.

``people`` puts a handful of residents into the four places of the county (see
tests/conftest.py for the tree), chosen to give every category, a few exclusions and
two conflicts::

    金茶村 430121001201 (village_a1)
      王小明 M 1990 户在人在, 第一村民小组          李华 F 1985 户在人在, 第二村民小组
      张伟   M 1960 户在人在, 第一村民小组          王晓梅 F 2001 户在人在 (also "wxm")
      赵敏   F 2000 户在人不在 (lives in 望城区, will take part)
      孙丽   F 1992 lives away, declined → excluded (absent_declined)
      刘小   M, 17 on D → excluded (under_age)
      钱进   M 1980, 户籍 in 浏阳 (outside the county), lives here 3 years, approved
             → 人在户不在 here; conflict with his 户籍地 430181001201
      周杰   M 1988, 户籍 here, lives in 黄兴村 2 years, approved, staff of 松雅社区
             → 人在户不在 in 黄兴村; conflict over three places
    松雅社区 430121001001 (community_a2): 陈静 F 1975, 刘洋 M 1995 户在人在
    黄兴村 430121100201 (village_b1): 黄勇 M 1970 (第一村民小组), 吴芳 F 1999 户在人在
    黄花社区 430121100001 (community_b2): 郑强 M 1965 户在人在

``rolls`` builds the rolls of the whole county from them. Other helpers may add
fixtures here; keep each one small and documented.
"""

from datetime import date, timedelta
from itertools import count

import pytest

from huanjie.rules.identity import make_id
from huanjie.voters import rolls
from huanjie.voters.models import Resident

A1 = "430121001201"
A2 = "430121001001"
B1 = "430121100201"
B2 = "430121100001"
#: 浏阳市某村: a 户籍地 outside the county, which the database does not hold.
OUTSIDE = "430181001201"
#: 望城区某社区: where someone registered in 金茶村 lives now.
AWAY = "430122001001"

_sequence = count(1)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@pytest.fixture
def make_resident(db):
    """make_resident(name, household, residence=None, *, born, sex, **fields) → a
    Resident with a valid ID number whose region is that of the 户籍地."""

    def _make(name, household, residence=None, *, born=date(1980, 5, 5), sex="M", **fields):
        # Even sequences: make_id moves an odd one for a woman down by one, which
        # would give two people the same number.
        number = make_id(household[:6], born, 2 * next(_sequence) % 1000, sex)
        return Resident.objects.create(
            id_number=number,
            name=name,
            sex=sex,
            birth_date=born,
            household_code=household,
            residence_code=residence or household,
            **fields,
        )

    return _make


@pytest.fixture
def people(cycle, election_day, make_resident, group_a1_1, group_a1_2, group_b1_1):
    """The residents described in the module docstring, by name."""
    d = election_day
    made = [
        make_resident("王小明", A1, born=date(1990, 3, 1), sex="M", group=group_a1_1),
        make_resident("李华", A1, born=date(1985, 7, 9), sex="F", group=group_a1_2),
        make_resident("张伟", A1, born=date(1960, 1, 2), sex="M", group=group_a1_1),
        make_resident("王晓梅", A1, born=date(2001, 11, 30), sex="F", ethnicity="苗族"),
        make_resident("赵敏", A1, AWAY, born=date(2000, 2, 2), sex="F", intent="参加"),
        make_resident("孙丽", A1, AWAY, born=date(1992, 4, 4), sex="F", intent="不参加"),
        make_resident("刘小", A1, born=years_before(d, 18) + timedelta(days=1), sex="M"),
        make_resident(
            "钱进",
            OUTSIDE,
            A1,
            born=date(1980, 8, 8),
            sex="M",
            intent="参加",
            approved=True,
            lives_since=years_before(d, 3),
        ),
        make_resident(
            "周杰",
            A1,
            B1,
            born=date(1988, 6, 6),
            sex="M",
            intent="参加",
            approved=True,
            lives_since=years_before(d, 2),
            staff_code=A2,
        ),
        make_resident("陈静", A2, born=date(1975, 5, 5), sex="F"),
        make_resident("刘洋", A2, born=date(1995, 9, 9), sex="M"),
        make_resident("黄勇", B1, born=date(1970, 10, 10), sex="M", group=group_b1_1),
        make_resident("吴芳", B1, born=date(1999, 12, 12), sex="F"),
        make_resident("郑强", B2, born=date(1965, 6, 15), sex="M"),
    ]
    return {r.name: r for r in made}


@pytest.fixture
def rolls_built(people, cycle, county, user_county_admin):
    """The rolls of every village and community of the county, built from ``people``."""
    return rolls.build(user_county_admin, cycle, county)
