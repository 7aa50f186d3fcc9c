"""Near relatives (近亲属) for 任职回避 (DOMAIN §5.3).

Members of the two committees and the supervision committee may not be spouses,
parents, children, siblings, grandparents or grandchildren of one another. The roll
records only two kinds of tie (``voters.Relation``): *spouse* and *parent*, each as
``(person, relative, kind)`` where the relative is the person's spouse or parent. The
other four relations follow from those two, so they can never disagree with them:

* child — the other way round of parent;
* sibling (兄弟姐妹) — the two share a recorded parent; each child needs only one of
  the parents recorded, and half-siblings count as siblings in law;
* grandparent (祖父母、外祖父母) — a parent's parent, on either side;
* grandchild (孙子女、外孙子女) — a child's child.

A spouse is often recorded once, from one side; both directions are read into the index.
A parent tie recorded from the child's side only is all there is to record.

Checking a slate asks about every pair of a few dozen candidates against thousands of
ties, so :class:`Family` indexes the ties once; :func:`near_relatives` then looks only at
each candidate's own circle.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from enum import StrEnum
from typing import TypeAlias

PersonId: TypeAlias = Hashable
Tie: TypeAlias = tuple[PersonId, PersonId, str]

__all__ = ["Family", "Kinship", "near_relatives", "relation"]


class Kinship(StrEnum):
    """What one person is to another: ``relation(a, b) == PARENT`` says b is a's parent.

    Members are in order of closeness: when the recorded ties make two people related in
    two ways (a widower who married his late wife's sister's daughter…), the closest is
    the one reported.
    """

    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"

    @property
    def title_zh(self) -> str:
        return _TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _TITLES[self][1]


_TITLES = {
    Kinship.SPOUSE: ("配偶", "spouse"),
    Kinship.PARENT: ("父母", "parent"),
    Kinship.CHILD: ("子女", "child"),
    Kinship.SIBLING: ("兄弟姐妹", "sibling"),
    Kinship.GRANDPARENT: ("祖父母、外祖父母", "grandparent"),
    Kinship.GRANDCHILD: ("孙子女、外孙子女", "grandchild"),
}

_EMPTY: frozenset = frozenset()


class Family:
    """The recorded ties, indexed both ways.

    ``ties`` are ``(person, relative, kind)`` with kind ``"spouse"`` or ``"parent"``
    (the relative is the person's spouse or parent); any other kind is a ValueError,
    because silently ignoring a tie would let relatives through the avoidance check.
    A tie of a person to themself is ignored.
    """

    def __init__(self, ties: Iterable[Tie]) -> None:
        spouses: defaultdict[PersonId, set] = defaultdict(set)
        parents: defaultdict[PersonId, set] = defaultdict(set)
        children: defaultdict[PersonId, set] = defaultdict(set)
        for person, relative, kind in ties:
            if kind not in ("spouse", "parent"):
                raise ValueError(f"unknown kind of tie: {kind!r}")
            if person == relative:
                continue
            if kind == "spouse":
                spouses[person].add(relative)
                spouses[relative].add(person)
            else:
                parents[person].add(relative)
                children[relative].add(person)
        self._spouses: Mapping[PersonId, frozenset] = {k: frozenset(v) for k, v in spouses.items()}
        self._parents: Mapping[PersonId, frozenset] = {k: frozenset(v) for k, v in parents.items()}
        self._children: Mapping[PersonId, frozenset] = {
            k: frozenset(v) for k, v in children.items()
        }

    def spouses(self, person: PersonId) -> frozenset:
        return self._spouses.get(person, _EMPTY)

    def parents(self, person: PersonId) -> frozenset:
        return self._parents.get(person, _EMPTY)

    def children(self, person: PersonId) -> frozenset:
        return self._children.get(person, _EMPTY)

    def siblings(self, person: PersonId) -> frozenset:
        found = {child for parent in self.parents(person) for child in self.children(parent)}
        found.discard(person)
        return frozenset(found)

    def grandparents(self, person: PersonId) -> frozenset:
        return frozenset(g for parent in self.parents(person) for g in self.parents(parent))

    def grandchildren(self, person: PersonId) -> frozenset:
        return frozenset(g for child in self.children(person) for g in self.children(child))

    def circle(self, person: PersonId) -> dict[PersonId, Kinship]:
        """Every near relative of ``person`` and what each is to them (the closest
        relation where there are several)."""
        found: dict[PersonId, Kinship] = {}
        for kinship, people in (
            (Kinship.SPOUSE, self.spouses(person)),
            (Kinship.PARENT, self.parents(person)),
            (Kinship.CHILD, self.children(person)),
            (Kinship.SIBLING, self.siblings(person)),
            (Kinship.GRANDPARENT, self.grandparents(person)),
            (Kinship.GRANDCHILD, self.grandchildren(person)),
        ):
            for other in people:
                if other != person:
                    found.setdefault(other, kinship)
        return found

    def relation(self, a: PersonId, b: PersonId) -> Kinship | None:
        """What ``b`` is to ``a``, or None when they are not near relatives."""
        if a == b:
            return None
        return self.circle(a).get(b)


def _family(ties: Family | Iterable[Tie]) -> Family:
    return ties if isinstance(ties, Family) else Family(ties)


def relation(a: PersonId, b: PersonId, ties: Family | Iterable[Tie]) -> Kinship | None:
    """What ``b`` is to ``a`` (``PARENT``: b is a's parent), or None.

    ``ties`` may be a :class:`Family` already built; build one when asking many times.
    """
    return _family(ties).relation(a, b)


def near_relatives(
    people: Iterable[PersonId], ties: Family | Iterable[Tie]
) -> list[tuple[PersonId, PersonId, Kinship]]:
    """Every pair of near relatives among ``people``, as ``(a, b, what b is to a)``.

    Each pair appears once, ``a`` before ``b`` in the order of ``people`` (duplicates
    count once), so the result is as stable as the input.
    """
    family = _family(ties)
    order: dict[PersonId, int] = {}
    for person in people:
        order.setdefault(person, len(order))
    pairs: list[tuple[int, int, PersonId, PersonId, Kinship]] = []
    for a, i in order.items():
        for b, kinship in family.circle(a).items():
            j = order.get(b)
            if j is not None and i < j:
                pairs.append((i, j, a, b, kinship))
    pairs.sort(key=lambda pair: pair[:2])
    return [(a, b, kinship) for _, _, a, b, kinship in pairs]
