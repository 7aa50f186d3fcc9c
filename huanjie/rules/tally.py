"""Counting a vote (计票): who is elected, who goes to a re-vote or a run-off, and when
the whole vote is void (DOMAIN §7 for 居/村委会, §8 for party elections; CONTRACTS §4).

One implementation serves ``huanjie tally`` and the application's own count, so a
result printed on the spot and one recomputed later by another office always agree.

The rules, in the order they apply:

1. More ballots returned than issued voids the vote (§7 item 1; §8).
2. A 居/村委会 vote needs more than half of the registered voters taking part (双过半,
   first half, §7 item 2), in the run-off too; a party vote needs more than 4/5 of the
   members due to attend present (§8). The fractions are the profile's.
3. A section marking more people than the office has seats is invalid for that office
   only; an unreadable section is invalid, the rest of the ballot counts (§7 item 3).
4. A winner needs strictly more than half of the participants' votes (§7 item 4) —
   participants are the ballots issued or returned, as the profile says; in a party
   vote, more than half of those due (or present, by the older rule) (§8). In a
   run-off of a 居/村委会 vote the most votes win if they reach the profile's fraction
   (1/3) of the ballots cast — the ballots returned, whatever the majority base (§7
   item 7, §12) — and a party run-off keeps the party majority (§8).
5. More majority winners than seats: most votes win; a tie at the cut-off goes to a
   re-vote among the tied, and those seats are neither filled nor open (§7 item 5).
6. A person is elected to one office, the highest: higher offices are decided first
   and their winners leave the lower ones (§7 item 6). With cascade counting
   (一次投票分别计算) a person's votes for an office add the votes of the offices above.
7. The reserved woman seat (§7 item 8), when the profile has it and no woman won.

Write-ins (另选他人) are counted like candidates under the name written (§7 item 5).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from huanjie.rules import members
from huanjie.rules.names import sort_key
from huanjie.rules.profiles import NATIONAL, Profile

__all__ = [
    "REASONS",
    "Ballot",
    "Candidate",
    "Office",
    "OfficeResult",
    "Result",
    "Tally",
    "Vote",
    "count",
    "majority",
    "runoff_minimum",
]

Kind = Literal["committee", "party"]
Round = Literal["first", "runoff"]
Mode = Literal["separate", "cascade"]

#: A ballot: office id → the people marked ○ (ids of candidates, or written-in names);
#: ``None`` for an unreadable section; ``{"invalid": True}`` for a void ballot.
Ballot = Mapping[str, "Sequence[str] | None | bool"]

INVALID = "invalid"
WOMAN = "F"

# Why a person is or is not elected (see OfficeResult.reasons), with the figures the
# explanation quotes: {votes} and {threshold}.
REASONS: Mapping[str, tuple[str, str]] = {
    "elected": (
        "得票{votes}，达到当选票数{threshold}，当选",
        "{votes} votes, at least the {threshold} needed: elected",
    ),
    "woman_seat": (
        "得票{votes}，达到当选票数{threshold}，按妇女委员专职专选当选",
        "{votes} votes, at least {threshold}: elected to the seat reserved for a woman",
    ),
    "below_threshold": (
        "得票{votes}，未达到当选票数{threshold}",
        "{votes} votes, fewer than the {threshold} needed",
    ),
    "outranked": (
        "得票{votes}，达到当选票数但名额已由得票更多者当选",
        "{votes} votes, enough to win, but the seats went to people with more votes",
    ),
    "tied": (
        "得票{votes}，与他人在当选名次上票数相等，须就票数相等者重新投票",
        "{votes} votes, tied with others at the last seat: a re-vote among the tied decides",
    ),
    "displaced_by_woman": (
        "得票{votes}，达到当选票数，但最后一个名额依法由妇女当选",
        "{votes} votes, enough to win, but the last seat goes to a woman by law",
    ),
    "seat_reserved": (
        "得票{votes}，达到当选票数，但最后一个名额须留给妇女另行选举",
        "{votes} votes, enough to win, but the last seat is kept for a woman-only run-off",
    ),
    "elected_higher": (
        "已当选更高职务",
        "elected to a higher office",
    ),
    "tied_higher": (
        "在更高职务上须再次投票，不参加本职务计票",
        "to re-vote for a higher office, so not counted for this one",
    ),
    "void": (
        "选举无效，无人当选",
        "the vote is void: no one is elected",
    ),
}


@dataclass(frozen=True)
class Office:
    id: str
    title: str
    seats: int


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    office: str
    sex: str | None = None


@dataclass(frozen=True)
class Vote:
    """Everything the count needs, as CONTRACTS §4 describes its input.

    For a party vote ``electorate`` is the number due to attend (应到会) and ``present``
    those present (实到会). Give ``ballots`` (one per returned ballot) or ``counts``
    (office → who → votes, with ``"invalid"`` for invalid sections).
    """

    offices: tuple[Office, ...]
    electorate: int
    ballots_issued: int
    ballots_returned: int
    candidates: tuple[Candidate, ...] = ()
    ballots: Sequence[Ballot] | None = None
    counts: Mapping[str, Mapping[str, int]] | None = None
    profile: Profile = NATIONAL
    kind: Kind = "committee"
    round: Round = "first"
    mode: Mode = "separate"
    present: int | None = None
    write_in_sex: Mapping[str, str] = field(default_factory=dict)

    @property
    def participants(self) -> int:
        """Those who took part: ballots issued or returned as the profile says (§7 item
        4); in a party vote the members present (§8)."""
        if self.kind == "party":
            return self.present or 0
        if self.profile.majority_base == "returned":
            return self.ballots_returned
        return self.ballots_issued


@dataclass(frozen=True)
class Tally:
    """One person's votes for one office: ``who`` is a candidate id or a written name."""

    who: str
    name: str
    votes: int
    write_in: bool


@dataclass(frozen=True)
class OfficeResult:
    id: str
    title: str
    seats: int
    threshold: int
    votes: tuple[Tally, ...]
    invalid: int
    elected: tuple[str, ...]
    revote: tuple[tuple[str, ...], ...]
    unfilled: int
    reserved_for_woman: int
    runoff_candidates: tuple[str, ...]
    #: who → a key of :data:`REASONS`, for everyone in ``votes``.
    reasons: Mapping[str, str] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "seats": self.seats,
            "threshold": self.threshold,
            "votes": [
                {"who": t.who, "name": t.name, "votes": t.votes, "write_in": t.write_in}
                for t in self.votes
            ],
            "invalid": self.invalid,
            "elected": list(self.elected),
            "revote": [list(group) for group in self.revote],
            "unfilled": self.unfilled,
            "reserved_for_woman": self.reserved_for_woman,
            "runoff_candidates": list(self.runoff_candidates),
        }


@dataclass(frozen=True)
class Result:
    valid: bool
    void_reasons: tuple[str, ...]
    electorate: int
    participants: int
    offices: tuple[OfficeResult, ...]
    woman_elected: bool

    @property
    def rate(self) -> float:
        return round(self.participants / self.electorate, 4) if self.electorate else 0.0

    def as_json(self) -> dict:
        """The result as CONTRACTS §4 prints it."""
        return {
            "valid": self.valid,
            "void_reasons": list(self.void_reasons),
            "turnout": {
                "electorate": self.electorate,
                "participants": self.participants,
                "rate": self.rate,
            },
            "offices": [o.as_json() for o in self.offices],
            "woman_elected": self.woman_elected,
        }


def majority(base: int) -> int:
    """The least whole number of votes that is strictly more than half of ``base``
    (§7 item 4, §8): 501 of 1,000, 501 of 1,001."""
    return base // 2 + 1


def runoff_minimum(base: int, fraction: Fraction) -> int:
    """The least whole number of votes that is at least ``fraction`` of ``base`` (§7
    item 7: a run-off winner needs at least 1/3 of the ballots cast): 334 of 1,000,
    333 of 999. Never less than one vote."""
    return max(1, math.ceil(fraction * base))


def threshold(vote: Vote) -> int:
    """The least number of votes that can win in ``vote``."""
    if vote.kind == "party":
        base = vote.electorate if vote.profile.party_majority_base == "due" else vote.participants
        return majority(base)
    if vote.round == "runoff":  # of the ballots cast (已投选票数), not of the base above
        return runoff_minimum(vote.ballots_returned, vote.profile.runoff_threshold)
    return majority(vote.participants)


def void_reasons(vote: Vote) -> tuple[str, ...]:
    """Why the whole vote is void, in the order of CONTRACTS §4; empty when it stands."""
    reasons = []
    if vote.ballots_returned > vote.ballots_issued:
        reasons.append("returned_exceeds_issued")
    if vote.kind == "committee":
        if not vote.participants > vote.profile.turnout_needed * vote.electorate:
            reasons.append("turnout_not_majority")
    elif not members.has_quorum(vote.participants, vote.electorate, vote.profile):
        reasons.append("quorum_not_met")
    return tuple(reasons)


def _count_ballots(vote: Vote) -> tuple[list[Counter], list[int]]:
    """Votes and invalid sections per office, ballot by ballot.

    A section is invalid when unreadable (``None``) or when it marks more people than
    the office has seats (§7 item 3); a name marked twice counts once. In a party vote
    more approvals than seats void the whole ballot (§8). With cascade counting a
    ballot gives a person one vote for an office if it marks them for that office or
    any above it (§7 item 6).
    """
    offices = [(o.id, o.seats) for o in vote.offices]
    marks: list[list[str]] = [[] for _ in offices]
    invalid = [0] * len(offices)
    void = 0
    cascade = vote.mode == "cascade"
    party = vote.kind == "party"
    for ballot in vote.ballots or ():
        if ballot.get(INVALID) is True:
            void += 1
            continue
        sections = []
        for office_id, seats in offices:
            section = ballot.get(office_id, ())
            if section is None or isinstance(section, bool):
                sections.append(None)
                continue
            if len(section) > 1 and len(set(section)) != len(section):
                section = list(dict.fromkeys(section))
            if len(section) > seats:
                if party:
                    break
                sections.append(None)
            else:
                sections.append(section)
        else:
            above: set[str] = set()
            for i, section in enumerate(sections):
                if section is None:
                    invalid[i] += 1
                    if cascade:
                        marks[i].extend(above)
                elif cascade:
                    above.update(section)
                    marks[i].extend(above)
                else:
                    marks[i].extend(section)
            continue
        void += 1  # a party ballot approving more people than seats
    return [Counter(m) for m in marks], [n + void for n in invalid]


def _count_totals(vote: Vote) -> tuple[list[Counter], list[int]]:
    votes, invalid = [], []
    for office in vote.offices:
        given = dict((vote.counts or {}).get(office.id, {}))
        invalid.append(given.pop(INVALID, 0))
        votes.append(Counter({who: n for who, n in given.items() if n > 0}))
    return votes, invalid


class _Person:
    __slots__ = ("name", "sex", "who", "write_in")

    def __init__(self, who: str, name: str, sex: str | None, write_in: bool):
        self.who, self.name, self.sex, self.write_in = who, name, sex, write_in


def _people(vote: Vote, votes: list[Counter]) -> dict[str, _Person]:
    known = {c.id: _Person(c.id, c.name, c.sex, False) for c in vote.candidates}
    for counter in votes:
        for who in counter:
            if who not in known:
                known[who] = _Person(who, who, vote.write_in_sex.get(who), True)
    return known


def _top(standing: list[Tally], n: int) -> list[Tally]:
    """The first ``n`` of ``standing`` (most votes first), and anyone tied with the last."""
    if n <= 0 or not standing:
        return []
    if len(standing) <= n:
        return list(standing)
    edge = standing[n - 1].votes
    return [t for t in standing if t.votes >= edge]


@dataclass
class _Group:
    """People tied for ``seats`` seats: a re-vote among them decides (§7 item 5)."""

    people: list[Tally]
    seats: int


@dataclass
class _Seats:
    """The decision of one office while it is being made."""

    office: Office
    threshold: int
    standing: list[Tally]  # eligible for this office, most votes first
    everyone: list[Tally]  # the office's count as shown
    elected: list[Tally]
    revote: list[_Group]
    unfilled: int
    reasons: dict[str, str]
    reserved: int = 0


def _decide(office: Office, standing: list[Tally], least: int) -> _Seats:
    """Fill the seats of one office from those eligible (§7 items 4–5)."""
    passed = [t for t in standing if t.votes >= least]
    reasons = {t.who: "below_threshold" for t in standing if t.votes < least}
    revote = []
    if len(passed) <= office.seats:
        elected = passed
    else:
        cut = passed[office.seats - 1].votes
        elected = [t for t in passed if t.votes > cut]
        tied = [t for t in passed if t.votes == cut]
        for t in passed[len(elected) + len(tied) :]:
            reasons[t.who] = "outranked"
        if len(elected) + len(tied) <= office.seats:  # the last seat's holder is alone
            elected += tied
        else:
            revote.append(_Group(tied, office.seats - len(elected)))
            reasons.update({t.who: "tied" for t in tied})
    reasons.update({t.who: "elected" for t in elected})
    unfilled = office.seats - len(elected) - sum(g.seats for g in revote)
    return _Seats(office, least, standing, list(standing), elected, revote, unfilled, reasons)


def _reserve_woman_seat(last: _Seats, sex: Mapping[str, str | None], taken: set[str]) -> None:
    """No woman won: the last office's last seat goes to the woman with most votes who
    reached the threshold, or stays open for a woman-only run-off (§7 item 8). Women
    tied for most votes re-vote for it; winners tied for the lowest place re-vote for
    the seats left among them — the law knows no other way to part a tie."""
    women = [
        t
        for t in last.standing
        if sex.get(t.who) == WOMAN and t.votes >= last.threshold and t.who not in taken
    ]
    if not women:
        if not last.unfilled:
            _free_seat(last, None, "seat_reserved")
            last.unfilled += 1
        last.reserved = 1
        _settle(last)
        return
    best = [t for t in women if t.votes == women[0].votes]
    _free_seat(last, best[0] if len(best) == 1 else None, "displaced_by_woman")
    for group in last.revote:
        group.people = [t for t in group.people if t not in best]
    if len(best) == 1:
        last.elected.append(best[0])
        last.elected.sort(key=_order)
        last.reasons[best[0].who] = "woman_seat"
    else:
        last.revote.append(_Group(best, 1))
        last.reasons.update({t.who: "tied" for t in best})
    _settle(last)


def _free_seat(seats: _Seats, woman: Tally | None, reason: str) -> None:
    """Make one seat of the office free for the reserved seat: an open one, else one
    the tied were to re-vote for, else the lowest winner's."""
    if seats.unfilled:
        seats.unfilled -= 1
        return
    if seats.revote:
        group = next((g for g in seats.revote if woman in g.people), seats.revote[-1])
        group.seats -= 1
        if not group.seats:
            for t in group.people:
                if t is not woman:
                    seats.reasons[t.who] = reason
        return
    lowest = seats.elected[-1].votes  # most votes first
    tied = [t for t in seats.elected if t.votes == lowest]
    seats.elected = [t for t in seats.elected if t.votes != lowest]
    if len(tied) == 1:
        seats.reasons[tied[0].who] = reason
    else:
        seats.revote.append(_Group(tied, len(tied) - 1))
        seats.reasons.update({t.who: "tied" for t in tied})


def _settle(seats: _Seats) -> None:
    """Drop re-votes left without seats; elect a group no larger than its seats."""
    for group in list(seats.revote):
        if not group.seats or len(group.people) <= group.seats:
            seats.revote.remove(group)
            if group.seats:
                seats.elected += group.people
                seats.reasons.update({t.who: "elected" for t in group.people})
    seats.elected.sort(key=_order)


def _runoff_candidates(seats: _Seats, sex: Mapping[str, str | None], taken: set[str]) -> list[str]:
    """Who stands in the run-off for the open seats: the non-elected with most votes,
    open seats + 1, ties at the edge included; women only for a reserved seat (§7 item
    7–8, CONTRACTS §4)."""
    if not seats.unfilled:
        return []
    pending = {t.who for g in seats.revote for t in g.people}
    others = [t for t in seats.standing if t.who not in taken and t.who not in pending]
    women = [t for t in others if sex.get(t.who) == WOMAN]
    if seats.reserved and seats.reserved == seats.unfilled:
        chosen = _top(women, seats.unfilled + 1)
    else:
        chosen = _top(others, seats.unfilled + 1)
        chosen += [t for t in _top(women, seats.reserved + 1) if seats.reserved and t not in chosen]
    return [t.who for t in sorted(chosen, key=_order)]


def _order(t: Tally):
    return (-t.votes, sort_key(t.name), t.who)


def count(vote: Vote) -> Result:
    """The result of ``vote`` (CONTRACTS §4)."""
    if vote.ballots is not None:
        votes, invalid = _count_ballots(vote)
    else:
        votes, invalid = _count_totals(vote)
    people = _people(vote, votes)
    sex = {who: p.sex for who, p in people.items()}
    reasons_void = void_reasons(vote)
    least = threshold(vote)

    decided: list[_Seats] = []
    taken: set[str] = set()  # elected to a higher office
    pending: set[str] = set()  # to re-vote for a higher office
    for office, counter in zip(vote.offices, votes, strict=True):
        counted = sorted(
            (Tally(who, people[who].name, n, people[who].write_in) for who, n in counter.items()),
            key=_order,
        )
        if vote.mode == "cascade":  # the winners above leave this office's count
            counted = [t for t in counted if t.who not in taken]
        out = taken | pending
        seats = _decide(office, [t for t in counted if t.who not in out], least)
        seats.everyone = counted
        seats.reasons.update({t.who: "tied_higher" for t in counted if t.who in pending})
        seats.reasons.update({t.who: "elected_higher" for t in counted if t.who in taken})
        decided.append(seats)
        taken.update(t.who for t in seats.elected)
        pending.update(t.who for g in seats.revote for t in g.people)

    if reasons_void:
        # A void vote elects no one (§7 item 10): the votes are shown as counted, and
        # a re-run (重新选举) follows, not a run-off.
        for seats in decided:
            seats.elected, seats.revote, seats.unfilled = [], [], 0
            seats.reasons = {t.who: "void" for t in seats.everyone}

    woman_won = any(sex.get(t.who) == WOMAN for s in decided for t in s.elected)
    if (
        not reasons_void
        and vote.kind == "committee"
        and vote.round == "first"
        and vote.profile.reserved_woman_seat
        and not woman_won
        and decided
    ):
        last = decided[-1]
        higher = {t.who for s in decided[:-1] for t in s.elected}
        _reserve_woman_seat(last, sex, higher)
        woman_won = any(sex.get(t.who) == WOMAN for t in last.elected)

    elected_anywhere = {t.who for s in decided for t in s.elected}
    offices = tuple(
        OfficeResult(
            id=s.office.id,
            title=s.office.title,
            seats=s.office.seats,
            threshold=least,
            votes=tuple(s.everyone),
            invalid=n_invalid,
            elected=tuple(t.who for t in s.elected),
            revote=tuple(tuple(t.who for t in sorted(g.people, key=_order)) for g in s.revote),
            unfilled=s.unfilled,
            reserved_for_woman=s.reserved,
            runoff_candidates=tuple(_runoff_candidates(s, sex, elected_anywhere)),
            reasons=s.reasons,
        )
        for s, n_invalid in zip(decided, invalid, strict=True)
    )
    return Result(
        not reasons_void, reasons_void, vote.electorate, vote.participants, offices, woman_won
    )


def explain(office: OfficeResult, language: str = "zh") -> list[tuple[Tally, str]]:
    """Each person of ``office`` with the sentence saying why they are or are not
    elected, in Chinese (``"zh"``) or English."""
    which = 0 if language == "zh" else 1
    return [
        (
            t,
            REASONS[office.reasons.get(t.who, "below_threshold")][which].format(
                votes=t.votes, threshold=office.threshold
            ),
        )
        for t in office.votes
    ]
