"""The demo county generator: deterministic, and consistent the way real registers are."""

import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import astuple

import pytest

from huanjie.demo import county as demo
from huanjie.rules.identity import age_on, check_id

SMALL = 3_000


@pytest.fixture(scope="module")
def county():
    """Large enough for shares (party members, migrants) to be near their targets."""
    return demo.generate(20_000, seed=7)


def digest(county: demo.County) -> str:
    h = hashlib.sha256()
    for rows in (county.places, county.people, county.ties, county.organisations, county.members):
        for row in rows:
            h.update(repr(astuple(row)).encode())
    h.update(repr(sorted(county.election_days.items())).encode())
    return h.hexdigest()


def test_same_seed_same_county():
    first, second = demo.generate(SMALL, seed=11), demo.generate(SMALL, seed=11)
    assert first.people == second.people
    assert first.ties == second.ties
    assert digest(first) == digest(second)
    assert digest(demo.generate(SMALL, seed=12)) != digest(first)


def test_independent_of_hash_randomisation():
    """Two interpreters with different string hashing make the same county."""
    here = os.path.dirname(__file__)
    code = (
        f"import sys; sys.path.insert(0, {here!r}); from test_county import digest; "
        "from huanjie.demo.county import generate; print(digest(generate(500, seed=3)))"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout.strip())
    assert outputs == {digest(demo.generate(500, seed=3))}


def test_places_do_not_depend_on_size():
    """A small county for tests has the places and election days of the full one."""
    small, smaller = demo.generate(SMALL, seed=7), demo.generate(50, seed=7)

    def tree(county):
        return [(p.code, p.name, p.kind, p.parent) for p in county.places]

    assert tree(small) == tree(smaller)
    assert small.election_days == smaller.election_days
    assert tree(small) != tree(demo.generate(50, seed=8))


def test_exact_number_of_residents(county):
    assert len(county.people) == 20_000
    assert [p.index for p in county.people] == list(range(20_000))
    assert len(demo.generate(1, seed=1).people) == 1
    with pytest.raises(ValueError):
        demo.generate(0)


def test_place_tree(county):
    by_code = {p.code: p for p in county.places}
    assert len(by_code) == len(county.places)
    assert county.county.code == "430121000000" and county.county.name == "长沙县"
    townships = county.townships
    assert len(townships) == 10
    assert {p.kind for p in townships} == {"township", "street"}
    for t in townships:
        assert t.parent == "430121000000" and t.code.startswith("430121") and t.code.endswith("000")
        number = int(t.code[6:9])
        assert (1 <= number < 100) if t.kind == "street" else (100 <= number < 200)
        assert t.name.endswith("街道" if t.kind == "street" else "镇")
    electing = county.electing
    assert 180 <= len(electing) <= 220
    for p in electing:
        assert len(p.code) == 12 and p.code.startswith(p.parent[:9])
        assert by_code[p.parent].kind in ("township", "street")
        assert p.name.endswith("村" if p.kind == "village" else "社区")
        assert (int(p.code[9:]) > 200) == (p.kind == "village")
    assert len({p.name for p in electing}) == len(electing)
    # Villages mostly under towns, communities mostly under streets.
    under_towns = Counter(p.kind for p in electing if by_code[p.parent].kind == "township")
    under_streets = Counter(p.kind for p in electing if by_code[p.parent].kind == "street")
    assert under_towns["village"] > 5 * under_towns["community"]
    assert under_streets["community"] > under_streets["village"]
    groups = defaultdict(list)
    for g in county.of_kind("group"):
        groups[g.parent].append(g)
        assert len(g.code) == 15 and g.code.startswith(g.parent)
    for p in electing:
        mine = groups[p.code]
        assert 6 <= len(mine) <= 15
        word = "村民" if p.kind == "village" else "居民"
        assert [g.name for g in mine[:3]] == [
            f"第一{word}小组",
            f"第二{word}小组",
            f"第三{word}小组",
        ]
        assert [g.code[12:] for g in mine] == [f"{n:03d}" for n in range(1, len(mine) + 1)]
    # Parents come before children, so the rows can be inserted in order.
    seen = set()
    for p in county.places:
        assert p.parent is None or p.parent in seen
        seen.add(p.code)


def test_numerals():
    assert [demo.numeral(n) for n in (1, 3, 10, 11, 15, 20, 23)] == [
        "一",
        "三",
        "十",
        "十一",
        "十五",
        "二十",
        "二十三",
    ]


def test_identity_numbers(county):
    numbers = [p.id_number for p in county.people]
    assert len(set(numbers)) == len(numbers)
    regions = Counter()
    for p in county.people:
        result = check_id(p.id_number, today=demo.AS_OF)
        assert result.valid, (p, result.reason)
        assert result.birth_date == p.birth_date
        assert result.sex == p.sex
        regions[p.id_number[:6]] += 1
        if not p.household_place.startswith("430121"):
            # Registered outside the county: born where they are registered.
            assert p.id_number[:6] == p.household_place[:6]
    assert regions.most_common(1)[0][0] == "430121"
    assert regions["430121"] > 0.75 * len(county.people)
    assert {"430102", "430111", "431102"} <= set(regions)


def test_people(county):
    people = county.people
    assert set(Counter(p.sex for p in people)) == {"M", "F"}
    assert 0.45 < sum(p.sex == "M" for p in people) / len(people) < 0.55
    ages = [age_on(p.birth_date, demo.AS_OF) for p in people]
    assert min(ages) >= 0 and max(ages) <= 100
    children = sum(a < 18 for a in ages) / len(ages)
    elderly = sum(a >= 60 for a in ages) / len(ages)
    assert 0.1 < children < 0.3 and 0.12 < elderly < 0.3
    ethnicities = Counter(p.ethnicity for p in people)
    assert ethnicities["汉族"] > 0.9 * len(people)
    assert {"土家族", "苗族", "回族"} <= set(ethnicities)
    assert set(Counter(p.education for p in people)) == {
        "postgraduate",
        "bachelor",
        "college",
        "high_school",
        "middle_school",
    }
    compound = ("欧阳", "司马", "诸葛", "上官")
    surnames = Counter(p.name[:2] if p.name[:2] in compound else p.name[0] for p in people)
    top = [s for s, _n in surnames.most_common(6)]
    assert set(top) <= {"王", "李", "张", "刘", "陈", "杨", "黄"}
    assert any(s in surnames for s in compound)
    assert all(2 <= len(p.name) <= 4 for p in people)
    adults = [p for p, a in zip(people, ages, strict=True) if a >= 18]
    assert 0 < sum(p.deprived_of_rights for p in adults) < 0.005 * len(adults)
    assert 0 < sum(p.incapacitated for p in adults) < 0.02 * len(adults)
    minors = [p for p, a in zip(people, ages, strict=True) if a < 18]
    assert not any(p.deprived_of_rights or p.incapacitated for p in minors)


def test_households(county):
    households = defaultdict(list)
    for p in county.people:
        households[(p.household_place, p.household_number)].append(p)
    sizes = Counter(len(members) for members in households.values())
    assert set(sizes) == {1, 2, 3, 4, 5, 6}
    for members in households.values():
        assert len({p.group for p in members}) == 1
    # Registered in the county: a group of their own village or community.
    by_code = {p.code: p for p in county.places}
    for p in county.people:
        if p.household_place.startswith("430121"):
            assert by_code[p.group].parent == p.household_place
        else:
            assert p.group is None
    # Household numbers are unique within the county.
    here = [key for key in households if key[0].startswith("430121")]
    assert len({number for _place, number in here}) == len(here)


def test_family_ties(county):
    people = county.people
    spouses = {(t.person, t.relative) for t in county.ties if t.kind == "spouse"}
    assert spouses and all((b, a) in spouses for a, b in spouses)
    partners = Counter(a for a, _b in spouses)
    assert max(partners.values()) == 1
    for a, b in spouses:
        assert people[a].sex != people[b].sex
        assert age_on(people[a].birth_date, demo.AS_OF) >= 18
    parents = defaultdict(list)
    for t in county.ties:
        assert t.person != t.relative
        same = people[t.person], people[t.relative]
        assert same[0].household_place == same[1].household_place
        assert same[0].household_number == same[1].household_number
        if t.kind == "parent":
            child, parent = same
            assert age_on(parent.birth_date, child.birth_date) >= 18
            parents[t.person].append(parent)
    for mine in parents.values():
        assert len(mine) <= 2
        assert len({p.sex for p in mine}) == len(mine)  # one father, one mother
    # Three generations: a grandparent is a parent's parent in the same household.
    grand = [c for c, mine in parents.items() if any(p.index in parents for p in mine)]
    assert len(grand) > 100
    assert len(county.ties) == len(set(county.ties))


def test_migrants(county):
    people = county.people
    inside = [p for p in people if p.household_place.startswith("430121")]
    within = [p for p in inside if p.residence_place != p.household_place]
    within_county = [p for p in within if p.residence_place.startswith("430121")]
    away = [p for p in within if not p.residence_place.startswith("430121")]
    incomers = [p for p in people if not p.household_place.startswith("430121")]
    assert 0.05 < len(within_county) / len(people) < 0.11
    assert 0.01 < len(away) / len(people) < 0.05
    assert 0.015 < len(incomers) / len(people) < 0.025
    assert all(p.residence_place.startswith("430121") for p in incomers)
    electing = {p.code for p in county.electing}
    assert all(p.residence_place in electing for p in within_county + incomers)
    for p in people:
        if p.residence_place == p.household_place:
            assert p.lives_since is None
        else:
            assert p.birth_date <= p.lives_since <= demo.AS_OF
    movers = within_county + incomers
    recent = [p for p in movers if (demo.FIRST_ELECTION_DAY - p.lives_since).days < 365]
    assert len(recent) > 0.1 * len(movers)


def test_counts_of_places(county):
    population, households = Counter(), defaultdict(set)
    for p in county.people:
        for code in (p.household_place, p.group):
            if code:
                population[code] += 1
                households[code].add(p.household_number)
    by_code = {p.code: p for p in county.places}
    for place in county.places:
        if place.kind in ("village", "community", "group") or place.parent is None:
            if place.code == county.county.code:
                continue
            assert place.population == population[place.code], place
            assert place.households == len(households[place.code]), place
    for place in county.electing:
        groups = [g for g in county.places if g.parent == place.code]
        assert sum(g.population for g in groups) == place.population
        assert sum(g.households for g in groups) == place.households
    for township in county.townships:
        below = [p for p in county.electing if p.parent == township.code]
        assert township.population == sum(p.population for p in below) > 0
        assert township.households == sum(p.households for p in below)
    registered_here = [p for p in county.people if p.household_place.startswith("430121")]
    assert county.county.population == len(registered_here)
    assert county.county.households == len({p.household_number for p in registered_here})
    assert by_code["431102000000"].population == sum(
        p.household_place == "431102000000" for p in county.people
    )


def test_party(county):
    people = county.people
    adults = [p for p in people if age_on(p.birth_date, demo.AS_OF) >= 18]
    assert 0.05 <= len(county.members) / len(adults) <= 0.065
    assert len({m.person for m in county.members}) == len(county.members)
    status = Counter(m.status for m in county.members)
    assert status["full"] > status["probationary"] > 0
    assert any(m.under_probation_sanction for m in county.members)
    assert any(m.suspended for m in county.members)
    for m in county.members:
        person = people[m.person]
        assert m.place == person.household_place
        assert not person.deprived_of_rights
        assert age_on(person.birth_date, m.joined_on) >= 18
        assert m.joined_on <= demo.AS_OF
        if m.status == "probationary":
            assert (demo.AS_OF - m.joined_on).days < 366
    counts = Counter(m.place for m in county.members)
    assert [o.place for o in county.organisations] == [p.code for p in county.electing]
    for o in county.organisations:
        n = counts[o.place]
        expected = "committee" if n >= 100 else "general_branch" if n >= 50 else "branch"
        assert o.kind == expected, (o, n)
        assert o.name.startswith("中共") and o.name.endswith("委员会")


def test_election_days(county):
    assert list(county.election_days) == [p.code for p in county.electing]
    days = list(county.election_days.values())
    assert min(days) >= demo.FIRST_ELECTION_DAY and max(days) <= demo.LAST_ELECTION_DAY
    assert len(set(days)) > 10
