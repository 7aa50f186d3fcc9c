"""The two committees (“两委”) of a place side by side: the party committee in office
and the villagers' or residents' committee the cycle elected, with 一肩挑 (the party
secretary also the committee director) and 交叉任职 (people on both) as the rules core
finds them (:mod:`huanjie.rules.two_committees`, DOMAIN §2, §11).

The party committee is the one in office — the seats without an end, put there by the
approval of a first plenary; the 居/村委会 is the winners of the cycle's confirmed votes
(all of its polls, run-offs included). People are compared as residents: a party
member is a resident, and a winner is a candidate's resident or a voter's.

:func:`of_place` serves the place's page and the API; :func:`report` gives the same
for every electing place under a township or county, with the rates of §11, for the
reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from huanjie.cycles.models import Election
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.party.models import Seat
from huanjie.places.models import Place
from huanjie.polling import outcomes
from huanjie.polling.models import Winner
from huanjie.rules import two_committees as rules
from huanjie.rules.seats import OFFICES, Body

__all__ = [
    "PlaceCommittees",
    "Report",
    "committee_election",
    "committee_winners",
    "of_place",
    "of_places",
    "party_seats",
    "report",
]

_RANKS = {
    body: {office.key: rank for rank, office in enumerate(offices)}
    for body, offices in OFFICES.items()
}
_TITLES = {office.key: office for offices in OFFICES.values() for office in offices}


@dataclass(frozen=True)
class Row:
    """One seat of one committee as a page shows it."""

    person: object  # a resident id, or ("winner", pk) for a name nobody matched
    name: str
    office: str

    @property
    def office_zh(self) -> str:
        office = _TITLES.get(self.office)
        return office.title_zh if office else self.office

    @property
    def office_en(self) -> str:
        office = _TITLES.get(self.office)
        return office.title_en if office else self.office


@dataclass
class PlaceCommittees:
    """The two committees of one place."""

    place: Place
    party: list[Row] = field(default_factory=list)
    committee: list[Row] = field(default_factory=list)
    election: Election | None = None  # the 居/村委会 election of the cycle

    @property
    def two(self) -> rules.TwoCommittees:
        return rules.two_committees(
            (rules.Holder(r.person, r.office, r.name) for r in self.party),
            (rules.Holder(r.person, r.office, r.name) for r in self.committee),
        )

    @property
    def dual_head(self) -> bool:
        return self.two.dual_head

    @property
    def cross_appointed(self) -> list[str]:
        """The names of the people on both committees."""
        names = {r.person: r.name for r in self.party}
        return [names[p] for p in self.two.cross_appointed]

    @property
    def secretary(self) -> str | None:
        return next((r.name for r in self.party if r.office == "secretary"), None)

    @property
    def director(self) -> str | None:
        return next((r.name for r in self.committee if r.office == "director"), None)


def party_seats(place) -> list[Seat]:
    """The party committee in office at ``place``: its seats without an end, 书记
    first."""
    seats = Seat.objects.filter(organisation__place=place, until__isnull=True).select_related(
        "member__resident"
    )
    ranks = _RANKS[Body.PARTY_COMMITTEE]
    return sorted(seats, key=lambda s: (ranks.get(s.office, len(ranks)), s.since, s.pk))


def committee_election(cycle, place) -> Election | None:
    """The 居/村委会 election of ``place`` in ``cycle``."""
    return (
        Election.objects.filter(cycle=cycle, place=place, body__in=COMMITTEE_BODIES)
        .select_related("cycle", "place")
        .first()
    )


def committee_winners(election) -> list[Winner]:
    """The winners of the committee election's confirmed votes, 主任 first."""
    winners = outcomes.election_state(election).winners
    ranks = _RANKS.get(Body(election.body), {})
    return sorted(winners, key=lambda w: ranks.get(w.office, len(ranks)))


def _person(winner: Winner):
    if winner.candidate_id:
        return winner.candidate.resident_id
    if winner.voter_id:
        return winner.voter.resident_id
    return ("winner", winner.pk)


def of_place(cycle, place) -> PlaceCommittees:
    """The two committees of ``place``: the party committee in office and the
    居/村委会 elected in ``cycle`` (empty while either is not there yet)."""
    found = PlaceCommittees(place)
    found.party = [
        Row(s.member.resident_id, s.member.resident.name, s.office) for s in party_seats(place)
    ]
    found.election = committee_election(cycle, place)
    if found.election is not None:
        found.committee = [
            Row(_person(w), w.name, w.office) for w in committee_winners(found.election)
        ]
    return found


def of_places(cycle, places: Iterable[Place]) -> list[PlaceCommittees]:
    return [of_place(cycle, place) for place in places]


@dataclass
class Report:
    """The two committees of every electing place under a township or county, and the
    rates of §11 over them."""

    within: Place
    places: list[PlaceCommittees]
    rates: rules.Rates


def report(cycle, within: Place) -> Report:
    """Every electing place under ``within`` (itself when it is one), its two
    committees and the rates: 一肩挑 of the places, 交叉任职 of the people."""
    places = Place.objects.within(within).electing().order_by("code")
    rows = of_places(cycle, places)
    return Report(within, rows, rules.rates([r.two for r in rows]))
