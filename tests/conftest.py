"""Shared fixtures: a small county, a user for each role, a cycle with elections.

The tree (codes are real-shaped 统计用区划代码)::

    430121000000 长沙县 (county)
    ├── 430121001000 星沙街道 (street)            township_a
    │   ├── 430121001001 松雅社区 (community)     community_a2
    │   └── 430121001201 金茶村 (village)         village_a1
    │       ├── 430121001201001 第一村民小组      group_a1_1
    │       └── 430121001201002 第二村民小组      group_a1_2
    └── 430121100000 黄花镇 (township)            township_b
        ├── 430121100001 黄花社区 (community)     community_b2
        └── 430121100201 黄兴村 (village)         village_b1
            └── 430121100201001 第一村民小组      group_b1_1

Users have no usable password (hashing with Argon2 would slow every test); log them
in with ``client_for(user)``. The cycle uses the "national" profile and has the
committee election (村委会 or 居委会, default seats) of each village and community,
with election day D = ``election_day`` (30 days from today).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone, translation

from huanjie.accounts.models import Role, RoleKind
from huanjie.cycles.models import Cycle, Election, Office
from huanjie.places.models import Kind, Place
from huanjie.rules import seats


def make_place(code, name, kind, parent=None, population=0, households=0):
    return Place.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        population=population,
        households=households,
    )


def make_user(username, kind=None, place=None, department=""):
    """A user, with a Role of ``kind`` over ``place`` when given."""
    user = User.objects.create_user(username, first_name=username)
    if kind is not None:
        Role.objects.create(user=user, kind=kind, place=place, department=department)
    return user


@pytest.fixture
def english():
    """Run the test in English, so messages can be compared whatever the zh catalog
    says."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and posted files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Places


@pytest.fixture
def county(db):
    return make_place("430121000000", "长沙县", Kind.COUNTY, population=1_000_000)


@pytest.fixture
def township_a(county):
    return make_place("430121001000", "星沙街道", Kind.STREET, county, 120_000, 40_000)


@pytest.fixture
def township_b(county):
    return make_place("430121100000", "黄花镇", Kind.TOWNSHIP, county, 60_000, 20_000)


@pytest.fixture
def village_a1(township_a):
    return make_place("430121001201", "金茶村", Kind.VILLAGE, township_a, 3_200, 1_010)


@pytest.fixture
def community_a2(township_a):
    return make_place("430121001001", "松雅社区", Kind.COMMUNITY, township_a, 8_600, 3_100)


@pytest.fixture
def village_b1(township_b):
    return make_place("430121100201", "黄兴村", Kind.VILLAGE, township_b, 2_700, 880)


@pytest.fixture
def community_b2(township_b):
    return make_place("430121100001", "黄花社区", Kind.COMMUNITY, township_b, 5_400, 1_900)


@pytest.fixture
def group_a1_1(village_a1):
    return make_place("430121001201001", "第一村民小组", Kind.GROUP, village_a1, 310, 96)


@pytest.fixture
def group_a1_2(village_a1):
    return make_place("430121001201002", "第二村民小组", Kind.GROUP, village_a1, 280, 90)


@pytest.fixture
def group_b1_1(village_b1):
    return make_place("430121100201001", "第一村民小组", Kind.GROUP, village_b1, 300, 95)


@pytest.fixture
def tree(
    county,
    township_a,
    township_b,
    village_a1,
    community_a2,
    village_b1,
    community_b2,
    group_a1_1,
    group_a1_2,
    group_b1_1,
):
    """The whole tree, by fixture name."""
    return {
        "county": county,
        "township_a": township_a,
        "township_b": township_b,
        "village_a1": village_a1,
        "community_a2": community_a2,
        "village_b1": village_b1,
        "community_b2": community_b2,
        "group_a1_1": group_a1_1,
        "group_a1_2": group_a1_2,
        "group_b1_1": group_b1_1,
    }


# Users, one per role


@pytest.fixture
def user_county_admin(county):
    return make_user("county_admin", RoleKind.COUNTY_ADMIN, county)


@pytest.fixture
def user_township_a(township_a):
    return make_user("township_a", RoleKind.TOWNSHIP_STAFF, township_a)


@pytest.fixture
def user_township_b(township_b):
    return make_user("township_b", RoleKind.TOWNSHIP_STAFF, township_b)


@pytest.fixture
def user_committee_a1(village_a1):
    return make_user("committee_a1", RoleKind.COMMITTEE_MEMBER, village_a1)


@pytest.fixture
def user_reviewer(county):
    return make_user("reviewer", RoleKind.REVIEWER, county, department="县公安局")


@pytest.fixture
def user_observer(county):
    return make_user("observer", RoleKind.OBSERVER, county)


@pytest.fixture
def user_without_role(db):
    return make_user("nobody")


@pytest.fixture
def client_for(db):
    """client_for(user) → a test Client logged in as ``user``, asking for English
    pages (language="zh-hans" for Chinese); csrf=True makes it enforce CSRF checks."""

    def _client(user=None, *, language="en", csrf=False):
        client = Client(enforce_csrf_checks=csrf, headers={"accept-language": language})
        if user is not None:
            client.force_login(user)
        return client

    return _client


# A cycle with its elections


@pytest.fixture
def election_day():
    return timezone.localdate() + timedelta(days=30)


@pytest.fixture
def cycle(tree, election_day):
    """第十二届 换届 of the county, national profile, with the committee election of
    every village and community on ``election_day``."""
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        county=tree["county"],
        name="长沙县第十二届村（社区）“两委”换届",
        term_number=12,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=120),
        profile="national",
    )
    for place in Place.objects.electing():
        body = seats.committee_body(place.kind)
        election = Election.objects.create(
            cycle=cycle, place=place, body=body, election_day=election_day
        )
        Office.objects.bulk_create(election.default_offices(place.kind))
    return cycle


@pytest.fixture
def election_a1(cycle, village_a1):
    """The 村民委员会 election of 金茶村: 主任 1, 副主任 1, 委员 3."""
    return Election.objects.get(cycle=cycle, place=village_a1)


@pytest.fixture
def election_b1(cycle, village_b1):
    return Election.objects.get(cycle=cycle, place=village_b1)
