"""A generated county of Hunan for the demo: places, households, people, family ties
and party members (DOMAIN §1–§4, §8).

Everything follows from the seed through :class:`random.Random` and lists walked in a
fixed order — never from the iteration order of a set or dict of strings, which hash
randomisation changes between runs — so one seed is one county, on every machine.
The county is built as of :data:`AS_OF` rather than the day it is generated, for the
same reason: birth dates, ages and "lives there since" do not move with the clock.

Modelling choices, where the data model leaves room:

* Population and households of a place count the people *registered* there (户籍人口),
  the figure the reports use. A township's and the county's are the sums below them.
* Only the county's own places hold elections. A few places outside it exist only so
  that every resident has a place of registration and of residence: people registered
  here who work away (户在人不在, residence outside) and people registered elsewhere who
  live here (人在户不在, registration outside). Those outside places have the kind
  ``county``, no parent, and count only the people of this database.
* ``group`` is the villager/resident group of the person's household registration;
  people registered outside the county have none.
* Family ties are spouse (stored both ways) and parent (``person``'s parent is
  ``relative``); children, siblings and grandparents follow from them. Ties exist only
  between people of the same household, as a household register would show them.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from huanjie.documents.numerals import item_number as numeral  # 第十二居民小组
from huanjie.rules.identity import make_id

#: The day the generated world describes: ages, births and moves are as of this day.
AS_OF = date(2026, 11, 21)
#: Election days (D) of the places are spread over this span.
FIRST_ELECTION_DAY = date(2026, 12, 12)
LAST_ELECTION_DAY = date(2027, 1, 20)

COUNTY_CODE = "430121000000"
COUNTY_NAME = "长沙县"
REGION = COUNTY_CODE[:6]

# (code, name): streets have 9-digit codes 001–099, towns 100–199 (GB/T 10114).
STREETS = (
    ("430121001000", "星沙街道"),
    ("430121002000", "湘龙街道"),
    ("430121003000", "泉塘街道"),
    ("430121004000", "榔梨街道"),
)
TOWNS = (
    ("430121100000", "黄花镇"),
    ("430121101000", "春华镇"),
    ("430121102000", "果园镇"),
    ("430121103000", "金井镇"),
    ("430121104000", "高桥镇"),
    ("430121105000", "开慧镇"),
)

#: Places outside the county (see the module docstring): where people registered here
#: work, and where people living here are registered.
OUTSIDE = (
    ("430102000000", "芙蓉区"),
    ("430111000000", "雨花区"),
    ("431102000000", "零陵区"),
    ("440304000000", "福田区"),
)
DESTINATIONS = (("430102000000", 35), ("430111000000", 35), ("440304000000", 30))
ORIGINS = (("431102000000", 50), ("430102000000", 25), ("430111000000", 25))
#: Region codes of people who married in from elsewhere in Hunan.
IN_LAW_REGIONS = (
    ("430102", 3),
    ("430111", 3),
    ("430124", 4),
    ("430181", 4),
    ("431102", 2),
    ("430521", 1),
    ("430621", 2),
)

# Surnames with weights close to their national frequency (per 10,000 people), plus
# some common in Hunan and a few compound ones.
SURNAMES = (
    ("王", 712), ("李", 700), ("张", 674), ("刘", 510), ("陈", 461), ("杨", 322),
    ("黄", 245), ("赵", 230), ("吴", 205), ("周", 198), ("徐", 145), ("孙", 138),
    ("马", 129), ("朱", 128), ("胡", 116), ("郭", 115), ("何", 106), ("林", 103),
    ("高", 100), ("罗", 95), ("郑", 94), ("梁", 86), ("谢", 78), ("宋", 70),
    ("唐", 69), ("许", 63), ("韩", 62), ("冯", 60), ("邓", 59), ("曹", 57),
    ("彭", 56), ("曾", 55), ("肖", 52), ("田", 50), ("董", 49), ("袁", 48),
    ("潘", 47), ("于", 46), ("蒋", 45), ("蔡", 44), ("余", 43), ("杜", 42),
    ("叶", 41), ("程", 40), ("苏", 39), ("魏", 38), ("吕", 37), ("丁", 36),
    ("任", 35), ("沈", 34), ("姚", 33), ("卢", 32), ("姜", 31), ("崔", 30),
    ("钟", 30), ("谭", 30), ("陆", 29), ("汪", 28), ("范", 27), ("廖", 27),
    ("石", 26), ("易", 22), ("龚", 20), ("熊", 20), ("文", 18), ("贺", 18),
    ("汤", 16), ("颜", 12), ("向", 10), ("伍", 8), ("欧阳", 6), ("司马", 1),
    ("诸葛", 1), ("上官", 1),
)  # fmt: skip

# Characters of given names by era and sex: (born before, male, female).
GIVEN = (
    (
        1960,
        "德福贵生春国建桂保长金财明光清炳庆松有荣和华正忠",
        "秀桂英兰珍凤莲梅淑玉翠菊芝香花春云娥美",
    ),
    (
        1990,
        "伟强军勇杰斌波辉刚峰磊涛文志海亮平华建明东兵红卫武",
        "芳娟敏静丽艳霞燕玲红萍琴慧群利华平",
    ),
    (2010, "浩宇鹏俊飞龙超杰帅鑫磊博文涛轩晨凯豪阳", "婷雪慧琳欣怡颖倩洁璐佳雅静丹蕾"),
    (9999, "子轩浩宇梓睿泽铭皓然航嘉逸煜宸奕辰沐", "子涵萱诗梦雨可悦彤妍馨欣怡若依语晴"),
)
#: Share of two-character given names by era (same order as GIVEN).
TWO_CHARACTERS = (0.7, 0.55, 0.65, 0.85)

ETHNICITIES = (("汉族", 9700), ("土家族", 120), ("苗族", 100), ("回族", 50), ("侗族", 30))

# Place names are made of two characters; these are frequent in Hunan place names.
NAME_FIRST = "金银白青新古双石龙凤桃梅松柏枫杨柳长高安福永太和平兴华东西南北大上下黄红清明德丰"
NAME_SECOND = "山塘桥冲湾坪田岭港洲江河湖园林铺坝岗峰溪源光阳沙泉井湘"


# Kinds of household: (kind, weight).
HOUSEHOLD_KINDS = (
    ("single", 12),
    ("couple", 20),
    ("nuclear", 33),
    ("three_generations", 25),
    ("single_parent", 5),
)
MAX_HOUSEHOLD = 6
INCOMER_SHARE = 0.02

DAYS_PER_YEAR = 365.2425


@dataclass(slots=True)
class PlaceRow:
    code: str
    name: str
    kind: str  # a value of huanjie.places.models.Kind
    parent: str | None  # the parent's code
    population: int = 0
    households: int = 0


@dataclass(slots=True)
class Person:
    index: int  # position in County.people: ties and members refer to it
    id_number: str
    name: str
    sex: str  # "M" or "F"
    birth_date: date
    ethnicity: str
    education: str  # a value of huanjie.voters.models.Education
    household_place: str  # codes of places
    residence_place: str
    group: str | None
    household_number: str
    lives_since: date | None = None
    deprived_of_rights: bool = False
    incapacitated: bool = False
    intent: str = ""  # 参选意愿 of someone living away from their household
    approved: bool = False  # the voters' meeting agreed (人在户不在)


@dataclass(frozen=True, slots=True)
class Tie:
    person: int
    relative: int
    kind: str  # "spouse" or "parent" (relative is the person's parent)


@dataclass(frozen=True, slots=True)
class Organisation:
    place: str
    name: str
    kind: str  # "branch", "general_branch" or "committee"


@dataclass(frozen=True, slots=True)
class Membership:
    person: int
    place: str  # the organisation's place
    status: str  # "full" or "probationary"
    joined_on: date
    under_probation_sanction: bool = False
    suspended: bool = False
    cell: str = ""  # the party group (党小组) of the person's villagers' group
    cadre: bool = False
    front_line: bool = False


@dataclass
class County:
    seed: int
    places: list[PlaceRow] = field(default_factory=list)  # parents before children
    people: list[Person] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    #: Election day D of each village and community.
    election_days: dict[str, date] = field(default_factory=dict)

    @property
    def county(self) -> PlaceRow:
        return next(p for p in self.places if p.code == COUNTY_CODE)

    def of_kind(self, *kinds: str) -> list[PlaceRow]:
        return [p for p in self.places if p.kind in kinds]

    @property
    def townships(self) -> list[PlaceRow]:
        return self.of_kind("township", "street")

    @property
    def electing(self) -> list[PlaceRow]:
        return self.of_kind("village", "community")


def generate(residents: int = 300_000, seed: int = 2026) -> County:
    """The demo county with exactly ``residents`` people.

    The places and election days depend on the seed only, not on the number of
    residents, so a small county for tests has the same places as the full one.
    """
    if residents < 1:
        raise ValueError("a county needs at least one resident")
    county = County(seed)
    county.places = _places(random.Random(f"{seed}:places"))
    builder = _People(random.Random(f"{seed}:people"), county.places)
    builder.populate(residents)
    county.people, county.ties = builder.people, builder.ties
    _count(county)
    county.organisations, county.members = _party(random.Random(f"{seed}:party"), county)
    _survey(random.Random(f"{seed}:survey"), county)
    county.election_days = _election_days(random.Random(f"{seed}:days"), county)
    return county


def _places(rng: random.Random) -> list[PlaceRow]:
    county = PlaceRow(COUNTY_CODE, COUNTY_NAME, "county", None)
    rows = [county]
    taken = {name[:2] for _code, name in STREETS + TOWNS}
    below: list[PlaceRow] = []

    def name() -> str:
        while True:
            text = rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND)
            if text not in taken:
                taken.add(text)
                return text

    for kind, townships in (("street", STREETS), ("township", TOWNS)):
        for code, township_name in townships:
            rows.append(PlaceRow(code, township_name, kind, COUNTY_CODE))
            if kind == "street":
                communities, villages = rng.randint(7, 10), rng.randint(2, 4)
            else:
                communities, villages = rng.randint(1, 2), rng.randint(21, 27)
            # Statistical codes: 居委会 001–199, 村委会 200–399.
            for n in range(1, communities + 1):
                below.append(PlaceRow(f"{code[:9]}{n:03d}", name() + "社区", "community", code))
            for n in range(1, villages + 1):
                below.append(PlaceRow(f"{code[:9]}{200 + n:03d}", name() + "村", "village", code))
    rows += below
    for place in below:
        word = "村民" if place.kind == "village" else "居民"
        rows += [
            PlaceRow(f"{place.code}{n:03d}", f"第{numeral(n)}{word}小组", "group", place.code)
            for n in range(1, rng.randint(6, 15) + 1)
        ]
    rows += [PlaceRow(code, name, "county", None) for code, name in OUTSIDE]
    return rows


class _Weighted:
    """rng.choices without rebuilding the cumulative weights on every call."""

    def __init__(self, pairs):
        pairs = list(pairs)
        self.values = [v for v, _w in pairs]
        self.cumulative = list(accumulate(w for _v, w in pairs))

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(slots=True)
class _Member:
    """One person of a household being composed, before they get a name and number."""

    sex: str
    birth: date
    father: int | None = None  # positions in the household
    mother: int | None = None
    spouse: int | None = None
    native: bool = True  # born in the county (or, for incomers, in the origin place)
    away: bool = False  # registered here, working outside the county


class _People:
    """Composes households place by place and turns them into people and ties."""

    def __init__(self, rng: random.Random, places: list[PlaceRow]):
        self.rng = rng
        self.people: list[Person] = []
        self.ties: list[Tie] = []
        self.numbers: set[str] = set()
        self.household_seq: dict[str, int] = {}
        self.electing = [p for p in places if p.kind in ("village", "community")]
        self.groups: dict[str, list[str]] = {}
        for p in places:
            if p.kind == "group":
                self.groups.setdefault(p.parent, []).append(p.code)
        # Where people move within the county: mostly to the communities of the streets.
        streets = {code for code, _name in STREETS}
        self.destinations = _Weighted((p.code, _attraction(p, streets)) for p in self.electing)
        self.surnames = _Weighted(SURNAMES)
        self.ethnicities = _Weighted(ETHNICITIES)
        self.kinds = _Weighted(HOUSEHOLD_KINDS)
        self.in_law_regions = _Weighted(IN_LAW_REGIONS)
        self.away_places = _Weighted(DESTINATIONS)
        self.origins = _Weighted(ORIGINS)

    # -- dates -------------------------------------------------------------------

    def birth_at_age(self, low: float, high: float) -> date:
        years = self.rng.uniform(low, high + 1)
        return AS_OF - timedelta(days=max(1, int(years * DAYS_PER_YEAR)))

    def years_after(self, day: date, low: float, high: float) -> date:
        return day + timedelta(days=int(self.rng.uniform(low, high) * DAYS_PER_YEAR))

    def moved_in(self, earliest: date) -> date:
        """A "lives there since" date, not before ``earliest``: a quarter within the
        last year (too recent for a 人在户不在 voter on D), the rest 1 to 15 years ago."""
        if self.rng.random() < 0.25:
            day = AS_OF - timedelta(days=self.rng.randint(20, 330))
        else:
            day = AS_OF - timedelta(days=self.rng.randint(366, 15 * 365))
        return min(max(day, earliest), AS_OF)

    # -- households --------------------------------------------------------------

    def spouse_for(self, members: list[_Member], i: int) -> int:
        """Add a spouse of member i; the husband is usually a little older."""
        person = members[i]
        gap = self.rng.triangular(-2, 8, 2) * DAYS_PER_YEAR
        if person.sex == "M":
            born = person.birth + timedelta(days=int(gap))
            spouse = _Member("F", min(born, AS_OF - timedelta(days=18 * 366)))
        else:
            spouse = _Member("M", person.birth - timedelta(days=int(gap)))
        spouse.native = self.rng.random() < 0.8
        spouse.spouse = i
        members.append(spouse)
        person.spouse = len(members) - 1
        return len(members) - 1

    def children_for(self, members: list[_Member], father: int | None, mother: int | None):
        """Children born when the mother (or the lone parent) was 21–38; those past 30
        have left the household. Fathers are at most two years younger than mothers,
        so every parent is at least 19 years older than the child."""
        parent = members[mother if mother is not None else father]
        year = parent.birth.year
        counts = (1, 2, 3)
        weights = (30, 50, 20) if year < 1975 else (50, 45, 5)
        wanted = self.rng.choices(counts, weights)[0]
        born = self.years_after(parent.birth, 21, 27)
        for _ in range(wanted):
            if len(members) >= MAX_HOUSEHOLD or born >= AS_OF or born.year - parent.birth.year > 38:
                break
            if _age(born) < 30:
                sex = "M" if self.rng.random() < 0.52 else "F"
                members.append(_Member(sex, born, father, mother))
            born = self.years_after(born, 1.2, 6)

    def compose(self) -> list[_Member]:
        rng = self.rng
        kind = self.kinds.pick(rng)
        members: list[_Member] = []
        sex = "M" if rng.random() < 0.5 else "F"
        if kind == "single":
            young = rng.random() < 0.35
            age = (20, 35) if young else (60, 92)
            members.append(_Member(sex, self.birth_at_age(*age)))
        elif kind == "couple":
            age = (22, 34) if rng.random() < 0.3 else (50, 84)
            members.append(_Member("M", self.birth_at_age(*age)))
            self.spouse_for(members, 0)
        elif kind == "nuclear":
            members.append(_Member("F", self.birth_at_age(24, 58)))
            husband = self.spouse_for(members, 0)
            self.children_for(members, husband, 0)
        elif kind == "single_parent":
            members.append(_Member("F" if rng.random() < 0.7 else "M", self.birth_at_age(28, 55)))
            lone = members[0]
            self.children_for(
                members, 0 if lone.sex == "M" else None, 0 if lone.sex == "F" else None
            )
        else:
            self.three_generations(members)
        return members

    def three_generations(self, members: list[_Member]) -> None:
        """Grandparents (one or both), their child with a spouse, and grandchildren. A
        son stays in his parents' household more often than a daughter does (上门女婿)."""
        rng = self.rng
        child_birth = self.birth_at_age(24, 50)
        grandmother = _Member("F", self.years_after(child_birth, -36, -21))
        members.append(grandmother)
        age = _age(grandmother.birth)
        father = mother = None
        roll = rng.random()
        both = 0.7 if age < 75 else 0.45
        if roll < both:
            mother, father = 0, self.spouse_for(members, 0)
        elif roll < both + (1 - both) * 0.65:
            mother = 0  # widowed grandmother
        else:
            grandmother.sex = "M"  # widowed grandfather, a little older
            grandmother.birth -= timedelta(days=int(rng.uniform(0, 5) * DAYS_PER_YEAR))
            father = 0
        child_sex = "M" if rng.random() < 0.85 else "F"
        members.append(_Member(child_sex, child_birth, father, mother))
        child = len(members) - 1
        partner = self.spouse_for(members, child)
        husband, wife = (child, partner) if child_sex == "M" else (partner, child)
        self.children_for(members, husband, wife)
        # Parents of young children often work away; the grandparents raise them.
        young_children = members[-1].father == husband and _age(members[-1].birth) < 16
        if young_children and _age(members[child].birth) < 48 and rng.random() < 0.25:
            members[child].away = members[partner].away = True

    # -- people ------------------------------------------------------------------

    def populate(self, residents: int) -> None:
        incomers = round(residents * INCOMER_SHARE)
        locals_ = residents - incomers
        weights = [
            self.rng.uniform(0.6, 1.4) * (1.5 if p.kind == "community" else 1.0)
            for p in self.electing
        ]
        quotas = _apportion(locals_, weights)
        for place, quota in zip(self.electing, quotas, strict=True):
            while quota > 0:
                members = self.compose()[:quota]
                quota -= len(members)
                self.settle(members, place.code, local=True)
        while incomers > 0:
            kind = self.rng.random()
            members = [_Member("M" if kind < 0.5 else "F", self.birth_at_age(20, 45))]
            if kind < 0.7:
                wife = self.spouse_for(members, 0) if members[0].sex == "M" else None
                if wife is not None and self.rng.random() < 0.7:
                    self.children_for(members, 0, wife)
            for m in members:
                m.native = True
            members = members[:incomers]
            incomers -= len(members)
            self.settle(members, self.origins.pick(self.rng), local=False)

    def settle(self, members: list[_Member], registered: str, *, local: bool) -> None:
        """Give a composed household its place, number, names and ID numbers."""
        rng = self.rng
        seq = self.household_seq.get(registered, 0) + 1
        self.household_seq[registered] = seq
        number = f"{registered[6:12]}{seq:04d}"
        group = rng.choice(self.groups[registered]) if local else None
        region = REGION if local else registered[:6]
        # Where the household lives, and since when.
        if local:
            moved = rng.random() < 0.05
            home = self.move_within(registered) if moved else registered
        else:
            moved, home = True, self.destinations.pick(rng)
        since = self.moved_in(min(m.birth for m in members)) if moved else None
        if any(m.away for m in members):
            away_place, away_since = self.away_places.pick(rng), self.moved_in(date(1990, 1, 1))
        first = len(self.people)
        surnames: list[str] = []
        ethnicities: list[str] = []
        generation_names: dict[tuple[int | None, int | None], str] = {}
        for i, m in enumerate(members):
            parent = m.father if m.father is not None else m.mother
            if parent is not None:
                surname, ethnic = surnames[parent], ethnicities[parent]
                if m.father is not None and m.mother is not None:
                    if rng.random() < 0.05:
                        surname = surnames[m.mother]
                    if ethnicities[m.mother] != "汉族":
                        ethnic = ethnicities[m.mother]
            else:
                surname, ethnic = self.surnames.pick(rng), self.ethnicities.pick(rng)
                if m.spouse is not None and m.spouse < i and rng.random() < 0.9:
                    ethnic = ethnicities[m.spouse]
            surnames.append(surname)
            ethnicities.append(ethnic)
            residence, lives_since = home, since
            if m.away:
                residence, lives_since = away_place, max(away_since, _birthday(m.birth, 18))
            elif local and not moved and self.moves_alone(m):
                residence = self.move_within(registered)
                lives_since = self.moved_in(_birthday(m.birth, 16))
            elif lives_since is not None:
                lives_since = max(lives_since, m.birth)
            adult = _age(m.birth) >= 18
            deprived = 0.001 if m.sex == "M" else 0.0002
            incapacity = 0.012 if _age(m.birth) >= 80 else 0.002
            self.people.append(
                Person(
                    index=first + i,
                    id_number=self.id_number(
                        region if m.native else self.in_law_regions.pick(rng), m.birth, m.sex
                    ),
                    name=surname + self.given_name(m, generation_names),
                    sex=m.sex,
                    birth_date=m.birth,
                    ethnicity=ethnic,
                    education=self.education(m.birth),
                    household_place=registered,
                    residence_place=residence,
                    group=group,
                    household_number=number,
                    lives_since=lives_since if residence != registered else None,
                    deprived_of_rights=adult and rng.random() < deprived,
                    incapacitated=adult and rng.random() < incapacity,
                )
            )
        # Children under 16 live with a parent who moved within the county alone.
        for i, m in enumerate(members):
            if m.away or _age(m.birth) >= 16:
                continue
            child = self.people[first + i]
            for parent in (m.mother, m.father):
                if parent is None or members[parent].away:
                    continue
                mover = self.people[first + parent]
                if mover.residence_place not in (registered, child.residence_place):
                    child.residence_place = mover.residence_place
                    child.lives_since = max(mover.lives_since, m.birth)
                    break
        for i, m in enumerate(members):
            if m.spouse is not None and m.spouse < len(members):
                self.ties.append(Tie(first + i, first + m.spouse, "spouse"))
            for parent in (m.father, m.mother):
                if parent is not None:
                    self.ties.append(Tie(first + i, first + parent, "parent"))

    def moves_alone(self, m: _Member) -> bool:
        """Working-age people who live in another place of the county than their
        household: to the county seat for work, mostly (人户分离)."""
        if not 20 <= _age(m.birth) < 55:
            return False
        chance = 0.09 if m.spouse is None else 0.045
        return self.rng.random() < chance

    def move_within(self, registered: str) -> str:
        while True:
            code = self.destinations.pick(self.rng)
            if code != registered:
                return code

    def id_number(self, region: str, birth: date, sex: str) -> str:
        while True:
            number = make_id(region, birth, self.rng.randrange(1000), sex)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def given_name(self, m: _Member, generation_name: dict) -> str:
        """One or two characters of the era; siblings often share a generation
        character (字辈), as Hunan families do."""
        rng = self.rng
        era = next(i for i, (before, _m, _f) in enumerate(GIVEN) if m.birth.year < before)
        _before, male, female = GIVEN[era]
        pool = male if m.sex == "M" else female
        if rng.random() >= TWO_CHARACTERS[era]:
            return rng.choice(pool)
        siblings = (m.father, m.mother)
        if m.father is not None or m.mother is not None:
            shared = generation_name.get(siblings)
            if shared is None and rng.random() < 0.4:
                shared = generation_name[siblings] = rng.choice(male + female)
            if shared is not None:
                return shared + rng.choice(pool)
        return rng.choice(pool) + rng.choice(pool)

    def education(self, birth: date) -> str:
        age = _age(birth)
        if age < 16:
            return "middle_school"
        if age < 21:
            bands = {"middle_school": 25, "high_school": 50, "college": 25}
        elif birth.year < 1956:
            bands = {"middle_school": 880, "high_school": 100, "college": 15, "bachelor": 5}
        elif birth.year < 1971:
            bands = {"middle_school": 72, "high_school": 20, "college": 5, "bachelor": 3}
        elif birth.year < 1986:
            bands = {"middle_school": 50, "high_school": 27, "college": 13, "bachelor": 9}
            bands["postgraduate"] = 1
        else:
            bands = {"middle_school": 26, "high_school": 27, "college": 25, "bachelor": 19}
            bands["postgraduate"] = 3
        return self.rng.choices(list(bands), list(bands.values()))[0]


def _age(birth: date) -> int:
    """Age in whole years on AS_OF."""
    return AS_OF.year - birth.year - ((AS_OF.month, AS_OF.day) < (birth.month, birth.day))


def _birthday(birth: date, years: int) -> date:
    """The day a person born on ``birth`` turns ``years`` (1 March for 29 February)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


def _attraction(place: PlaceRow, streets: set[str]) -> int:
    """How likely people of the county are to move to a place: the communities of the
    streets (the county seat) most."""
    if place.kind == "community":
        return 5 if place.parent in streets else 3
    return 1


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders, ties to the
    earlier place), so the parts add up exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _count(county: County) -> None:
    """Set population and households of every place from the people registered there
    (a group, village or community, or an outside place), and of each township and the
    county as the sums of the places below them."""
    people: dict[str, int] = {}
    households: dict[str, set[str]] = {}
    for person in county.people:
        for code in (person.household_place, person.group):
            if code is not None:
                people[code] = people.get(code, 0) + 1
                households.setdefault(code, set()).add(person.household_number)
    for place in county.places:
        place.population = people.get(place.code, 0)
        place.households = len(households.get(place.code, ()))
    for parent in county.townships + [county.county]:
        children = [p for p in county.places if p.parent == parent.code]
        parent.population = sum(p.population for p in children)
        parent.households = sum(p.households for p in children)


def _survey(rng: random.Random, county: County) -> None:
    """The committee's survey of people living away from their household (调查摸底):
    most say they will take part, some decline or cannot be reached; the voters'
    meeting agrees to most who applied where they live (DOMAIN §4)."""
    for person in county.people:
        if person.residence_place == person.household_place or _age(person.birth_date) < 18:
            continue
        roll = rng.random()
        person.intent = (
            "参加" if roll < 0.62 else "不参加" if roll < 0.8 else "联系不上" if roll < 0.95 else ""
        )
        person.approved = person.intent == "参加" and rng.random() < 0.9


def _party(rng: random.Random, county: County) -> tuple[list[Organisation], list[Membership]]:
    """Party members, about 5.5% of adults, in one organisation per village or
    community whose kind follows its size (DOMAIN §2 item 3)."""
    electing = {p.code: p for p in county.electing}
    names = {p.code: p.name for p in county.places}
    members: list[Membership] = []

    def roles(person, age) -> dict:
        """The party group and, without a draw of the generator (so the members stay
        the same), about one cadre in nine and a third at the front line."""
        cadre = person.index % 9 == 0
        return {
            "cell": f"{names[person.group]}党小组" if person.group else "",
            "cadre": cadre,
            "front_line": not cadre and age < 60 and person.index % 3 == 0,
        }

    for person in county.people:
        place = electing.get(person.household_place)
        age = _age(person.birth_date)
        if place is None or age < 18 or person.deprived_of_rights:
            continue
        chance = 0.058 * (1.35 if person.sex == "M" else 0.62)
        chance *= 0.5 if age < 26 else 0.9 if age < 36 else 1.1 if age < 61 else 1.25
        chance *= {"postgraduate": 2.4, "bachelor": 2.0, "college": 1.5}.get(
            person.education, 1.0 if person.education == "high_school" else 0.8
        )
        if rng.random() >= chance:
            continue
        eighteen = _birthday(person.birth_date, 18)
        if rng.random() < 0.04 or age < 20:
            # 预备党员: admitted within the last year.
            joined = max(eighteen, AS_OF - timedelta(days=rng.randint(10, 350)))
            members.append(
                Membership(person.index, place.code, "probationary", joined, **roles(person, age))
            )
            continue
        earliest = eighteen + timedelta(days=365)
        latest = AS_OF - timedelta(days=400)
        if earliest > latest:
            earliest = latest = max(eighteen, AS_OF - timedelta(days=400))
        joined = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        roll = rng.random()
        members.append(
            Membership(
                person.index,
                place.code,
                "full",
                joined,
                under_probation_sanction=roll < 0.005,
                suspended=0.005 <= roll < 0.007,
                **roles(person, age),
            )
        )
    counts: dict[str, int] = {}
    for m in members:
        counts[m.place] = counts.get(m.place, 0) + 1
    organisations = []
    for place in county.electing:
        n = counts.get(place.code, 0)
        full_name = names[place.parent] + place.name
        if n >= 100:
            kind, title = "committee", f"中共{full_name}委员会"
        elif n >= 50:
            kind, title = "general_branch", f"中共{full_name}总支部委员会"
        else:
            kind, title = "branch", f"中共{full_name}支部委员会"
        organisations.append(Organisation(place.code, title, kind))
    return organisations, members


def _election_days(rng: random.Random, county: County) -> dict[str, date]:
    """Each township holds its elections within about ten days, townships at
    different times across the span."""
    span = (LAST_ELECTION_DAY - FIRST_ELECTION_DAY).days
    days = {}
    for township in county.townships:
        start = rng.randint(0, span - 9)
        for place in county.electing:
            if place.parent == township.code:
                offset = min(span, start + rng.randint(0, 9))
                days[place.code] = FIRST_ELECTION_DAY + timedelta(days=offset)
    return days
