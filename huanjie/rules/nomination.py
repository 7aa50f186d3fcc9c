"""Nomination of 居/村委会 candidates by the voters (海选, DOMAIN §5.1).

The election committee calls a meeting; it may nominate only when more than half of the
voters are present. Each voter names, per office, at most as many people as the office
has seats. The names are counted in public and the nominees (初步候选人) are those with
most votes. Nothing here breaks a tie: a tie at the cut-off goes to a re-vote among the
tied, and the result says who is in and who is tied for how many places. A vacancy left
by a nominee who is disqualified in the joint review or withdraws is filled from the
same ranking in order of votes (按提名得票数顺序递补, §5.2), again without breaking ties.

Nominees are identified by anything hashable (resident ids in the application); where
people with equal votes are listed, they are listed in the order of their ids, so the
result never depends on the order of the ballots. Ids of one count must be comparable
with one another.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from huanjie.rules.findings import Finding, error
from huanjie.rules.identity import Sex

__all__ = [
    "Backfill",
    "NominationCount",
    "Ranking",
    "backfill",
    "check_women",
    "count_nominations",
    "has_quorum",
    "rank",
]

#: A nomination ballot: office key → the people named for it.
Ballot = Mapping[str, Iterable[Any]]


def has_quorum(present: int, voters: int) -> bool:
    """Whether a nomination meeting may nominate: strictly more than half of the
    ``voters`` on the roll are ``present`` (601 of 1,200, not 600)."""
    if present < 0 or voters < 0:
        raise ValueError("counts cannot be negative")
    return 2 * present > voters


@dataclass(frozen=True)
class NominationCount:
    """The public count of one nomination meeting.

    ``votes[office]`` counts, per person, the valid ballot sections naming them.
    ``invalid[office]`` is the number of sections that named more people than the
    office has seats; such a section is invalid for that office only (as in a vote,
    DOMAIN §7 item 3), the rest of the ballot still counts. ``ballots`` is the number of
    ballots counted.
    """

    ballots: int
    votes: Mapping[str, Counter] = field(default_factory=dict)
    invalid: Mapping[str, int] = field(default_factory=dict)


def count_nominations(ballots: Iterable[Ballot], seats: Mapping[str, int]) -> NominationCount:
    """Count nomination ballots for the offices in ``seats`` (office key → seats).

    A person named twice in one section is named once. A section for an office that is
    not in ``seats`` (or has no seats) names too many people and is invalid.
    """
    votes: dict[str, Counter] = {office: Counter() for office in seats}
    invalid: dict[str, int] = {office: 0 for office in seats}
    counted = 0
    for ballot in ballots:
        counted += 1
        for office, names in ballot.items():
            named = set(names)
            if not named:
                continue
            if len(named) > seats.get(office, 0):
                invalid[office] = invalid.get(office, 0) + 1
                continue
            votes[office].update(named)
    return NominationCount(counted, votes, invalid)


def _standing(votes: Mapping[Any, int]) -> list[tuple[Any, int]]:
    return sorted(((n, v) for n, v in votes.items() if v > 0), key=lambda nv: (-nv[1], nv[0]))


@dataclass(frozen=True)
class Ranking:
    """Who is nominated for an office with ``places`` places.

    ``standing`` lists everyone named, most votes first (equal votes in id order: this
    order is for display and breaks no tie). ``nominees`` are surely in. When people
    with equal votes straddle the cut-off, they are all in ``tied`` and share the
    ``revote_places`` places left: a re-vote among them decides. ``shortfall`` is the
    number of places no one was named for.
    """

    places: int
    standing: tuple[tuple[Any, int], ...]
    nominees: tuple[Any, ...]
    tied: tuple[Any, ...] = ()
    revote_places: int = 0

    @property
    def needs_revote(self) -> bool:
        return bool(self.tied)

    @property
    def shortfall(self) -> int:
        return self.places - len(self.nominees) - self.revote_places


def rank(votes: Mapping[Any, int], places: int) -> Ranking:
    """Rank the people of ``votes`` (person → votes) for ``places`` places.

    Only people with at least one vote are ranked. Everyone whose votes are above the
    cut-off is in; if the group with the votes at the cut-off fits the places left, it
    is in as well, otherwise it is tied for them.
    """
    if places < 0:
        raise ValueError("places cannot be negative")
    standing = _standing(votes)
    if len(standing) <= places:
        return Ranking(places, tuple(standing), tuple(n for n, _ in standing))
    if places == 0:
        return Ranking(places, tuple(standing), ())
    cut = standing[places - 1][1]
    above = tuple(n for n, v in standing if v > cut)
    at_cut = tuple(n for n, v in standing if v == cut)
    left = places - len(above)
    if len(at_cut) <= left:  # the next one down has fewer votes: a clear cut
        return Ranking(places, tuple(standing), above + at_cut)
    return Ranking(places, tuple(standing), above, at_cut, left)


def check_women(nominees: Iterable[Any], sex: Mapping[Any, Sex]) -> list[Finding]:
    """The nominees of an election (all its offices) must include a woman (DOMAIN
    §5.1); without one the formal list cannot be made, hence an error."""
    if any(sex.get(n) == "F" for n in nominees):
        return []
    return [
        error(
            "nomination.no_woman",
            "§5.1",
            "初步候选人中应当至少有一名妇女",
            "There must be at least one woman among the nominees.",
        )
    ]


@dataclass(frozen=True)
class Backfill:
    """Who fills the places of the nominees who left.

    ``replacements`` pairs each one who left (in slate order) with the person taking
    the place, or None while that place waits for a re-vote among ``tied`` (for
    ``revote_places`` places) or stays empty because the ranking has no one left.
    """

    replacements: tuple[tuple[Any, Any], ...]
    tied: tuple[Any, ...] = ()
    revote_places: int = 0

    @property
    def needs_revote(self) -> bool:
        return bool(self.tied)


def backfill(votes: Mapping[Any, int], slate: Sequence[Any], out: Collection[Any]) -> Backfill:
    """Replace the people of ``slate`` who are in ``out`` (disqualified or withdrawn)
    from the nomination ranking ``votes`` (person → nomination votes), in order of
    votes (按提名得票数顺序递补, DOMAIN §5.2).

    Those already on the slate and those in ``out`` are skipped, so a disqualified
    person never comes back and the second disqualified of a ranking is passed over. A
    tie for the last place(s) is not broken: it needs a re-vote among the tied.
    """
    on_slate = set(slate)
    leaving = [n for n in slate if n in out]
    pool = {n: v for n, v in votes.items() if n not in on_slate and n not in out}
    ranking = rank(pool, len(leaving))
    fill: list[Any] = list(ranking.nominees)
    fill += [None] * (len(leaving) - len(fill))
    return Backfill(tuple(zip(leaving, fill, strict=True)), ranking.tied, ranking.revote_places)
