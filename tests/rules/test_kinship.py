"""Near relatives derived from spouse and parent ties (DOMAIN §5.3, 任职回避)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.kinship import Family, Kinship, near_relatives, relation

# Three generations, each tie recorded once, from one side only: 1 ═ 2 (recorded as
# 1 → 2), their son 3 (only 3 → 1), his wife 4 (4 → 3), and three grandchildren: 5 and 7
# record their father 3, 6 records only her mother 4.
TIES = [
    (1, 2, "spouse"),
    (3, 1, "parent"),
    (4, 3, "spouse"),
    (5, 3, "parent"),
    (6, 4, "parent"),
    (7, 3, "parent"),
]


@pytest.mark.parametrize(
    ("a", "b", "kinship"),
    [
        (1, 2, Kinship.SPOUSE),
        (2, 1, Kinship.SPOUSE),  # recorded from 1's side only
        (3, 4, Kinship.SPOUSE),
        (3, 1, Kinship.PARENT),
        (1, 3, Kinship.CHILD),
        (5, 7, Kinship.SIBLING),  # share parent 3, recorded on each child's side
        (7, 5, Kinship.SIBLING),
        (5, 1, Kinship.GRANDPARENT),  # only through the chain 5 → 3 → 1
        (1, 5, Kinship.GRANDCHILD),
        (1, 7, Kinship.GRANDCHILD),
    ],
)
def test_relations_of_the_family(a, b, kinship):
    assert relation(a, b, TIES) is kinship


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (5, 6),  # each recorded one parent, and not the same one: not derivable
        (2, 3),  # 3's mother is not recorded: 2 is only his father's wife
        (2, 5),
        (4, 1),  # in-laws are not near relatives
        (5, 5),  # nobody is their own relative
        (5, 99),  # unknown people have no relatives
    ],
)
def test_unrelated(a, b):
    assert relation(a, b, TIES) is None


def test_maternal_grandparent_counts_too():
    # 外祖父母: the mother's parents.
    ties = [(10, 11, "parent"), (11, 12, "parent"), (11, 13, "parent")]
    assert relation(10, 12, ties) is Kinship.GRANDPARENT
    assert relation(13, 10, ties) is Kinship.GRANDCHILD


def test_half_siblings_share_one_parent():
    ties = [(1, 10, "parent"), (1, 11, "parent"), (2, 10, "parent"), (2, 12, "parent")]
    assert relation(1, 2, ties) is Kinship.SIBLING


def test_the_closest_relation_is_reported():
    # 2 is both 1's spouse and (a data-entry oddity) her sibling.
    ties = [(1, 2, "spouse"), (1, 9, "parent"), (2, 9, "parent")]
    assert relation(1, 2, ties) is Kinship.SPOUSE


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="cousin"):
        Family([(1, 2, "cousin")])


def test_titles():
    assert Kinship.GRANDPARENT.title_zh == "祖父母、外祖父母"
    assert Kinship.SIBLING.title_en == "sibling"


def test_near_relatives_among_candidates():
    family = Family(TIES)
    assert near_relatives([5, 1, 6, 7, 5], family) == [
        (5, 1, Kinship.GRANDPARENT),
        (5, 7, Kinship.SIBLING),
        (1, 7, Kinship.GRANDCHILD),
    ]
    assert near_relatives([2, 6], TIES) == []
    assert near_relatives([], TIES) == []


def test_many_ties_few_candidates():
    # Ten thousand households of three generations; candidates from a few of them.
    ties = []
    for h in range(10_000):
        g, p, c1, c2, s = (h * 10 + i for i in range(5))
        ties += [(p, g, "parent"), (c1, p, "parent"), (c2, p, "parent"), (s, p, "spouse")]
    family = Family(ties)
    candidates = [40, 43, 52, 70, 72, 73]
    assert near_relatives(candidates, family) == [
        (40, 43, Kinship.GRANDCHILD),
        (70, 72, Kinship.GRANDCHILD),
        (70, 73, Kinship.GRANDCHILD),
        (72, 73, Kinship.SIBLING),
    ]


ties_strategy = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from(["spouse", "parent"])),
    max_size=30,
)


CONVERSE = {
    Kinship.SPOUSE: Kinship.SPOUSE,
    Kinship.SIBLING: Kinship.SIBLING,
    Kinship.PARENT: Kinship.CHILD,
    Kinship.CHILD: Kinship.PARENT,
    Kinship.GRANDPARENT: Kinship.GRANDCHILD,
    Kinship.GRANDCHILD: Kinship.GRANDPARENT,
}


def _all_relations(family, a, b):
    return {
        kinship
        for kinship, people in (
            (Kinship.SPOUSE, family.spouses(a)),
            (Kinship.PARENT, family.parents(a)),
            (Kinship.CHILD, family.children(a)),
            (Kinship.SIBLING, family.siblings(a)),
            (Kinship.GRANDPARENT, family.grandparents(a)),
            (Kinship.GRANDCHILD, family.grandchildren(a)),
        )
        if b in people and a != b
    }


@given(ties_strategy, st.integers(0, 12), st.integers(0, 12))
def test_relations_come_in_converse_pairs(ties, a, b):
    family = Family(ties)
    there = _all_relations(family, a, b)
    assert {CONVERSE[k] for k in there} == _all_relations(family, b, a)
    assert (family.relation(a, b) is None) == (not there)
    if there:
        assert family.relation(a, b) == min(there, key=list(Kinship).index)


@given(ties_strategy, st.lists(st.integers(0, 12), max_size=8))
def test_near_relatives_agrees_with_relation(ties, people):
    family = Family(ties)
    pairs = near_relatives(people, family)
    unique = list(dict.fromkeys(people))
    expected = [
        (a, b, family.relation(a, b))
        for i, a in enumerate(unique)
        for b in unique[i + 1 :]
        if family.relation(a, b) is not None
    ]
    assert pairs == expected
