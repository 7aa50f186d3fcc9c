"""The two committees (“两委”) of a place together (DOMAIN §2, §11, §13).

A place has a party committee (书记, 副书记, 委员) and a villagers' or residents'
committee (主任, 副主任, 委员). The cycle's targets are the party secretary also
elected committee director — 一肩挑, ``dual_head`` — and people sitting on both
committees — 交叉任职, ``cross_appointment``. The reports give both as rates (§11):

* the 一肩挑 rate is the places whose party secretary is also the committee director,
  of the places counted;
* the 交叉任职 rate is the people on both committees, of all members of the two
  committees, each person counted once however many seats they hold.

People are compared by identity (a resident), never by name: two people of one name
on the two committees are two people.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from huanjie.rules.seats import DIRECTOR, SECRETARY

__all__ = ["Holder", "Rates", "TwoCommittees", "rates", "two_committees"]


@dataclass(frozen=True)
class Holder:
    """A person holding an office of one committee."""

    person: Hashable
    office: str
    name: str = ""


@dataclass(frozen=True)
class TwoCommittees:
    """The party committee and the 居/村委会 of one place, either possibly empty (not
    elected yet)."""

    party: tuple[Holder, ...] = ()
    committee: tuple[Holder, ...] = ()

    @property
    def secretary(self) -> Hashable | None:
        return next((h.person for h in self.party if h.office == SECRETARY.key), None)

    @property
    def director(self) -> Hashable | None:
        return next((h.person for h in self.committee if h.office == DIRECTOR.key), None)

    @property
    def dual_head(self) -> bool:
        """一肩挑: the party secretary is also the committee director (§2, §11). No
        when either committee has no head yet."""
        return self.secretary is not None and self.secretary == self.director

    @property
    def cross_appointed(self) -> tuple[Hashable, ...]:
        """交叉任职: the people on both committees, in the party committee's order
        (§2, §11); the dual head is one of them."""
        on_committee = {h.person for h in self.committee}
        return tuple(dict.fromkeys(h.person for h in self.party if h.person in on_committee))

    @property
    def people(self) -> frozenset[Hashable]:
        """Everyone on either committee, once."""
        return frozenset(h.person for h in self.party) | {h.person for h in self.committee}

    def holders_of(self, person: Hashable) -> tuple[Holder, ...]:
        """The offices ``person`` holds on the two committees, party first."""
        return tuple(h for h in self.party + self.committee if h.person == person)


def two_committees(party: Iterable[Holder], committee: Iterable[Holder]) -> TwoCommittees:
    return TwoCommittees(tuple(party), tuple(committee))


@dataclass(frozen=True)
class Rates:
    """The two committees over several places (§11).

    ``places`` are the places counted; ``dual_head_places`` those with 一肩挑;
    ``members`` everyone on either committee of those places, once each;
    ``cross_appointed`` those on both."""

    places: int
    dual_head_places: int
    members: int
    cross_appointed: int
    #: Places with both a party secretary and a committee director, which can be
    #: compared at all.
    places_with_both_heads: int = 0

    @property
    def dual_head_rate(self) -> Fraction | None:
        """一肩挑 rate: places whose secretary is also director / places (§11)."""
        return Fraction(self.dual_head_places, self.places) if self.places else None

    @property
    def cross_appointment_rate(self) -> Fraction | None:
        """交叉任职 rate: people on both committees / all members (§11)."""
        return Fraction(self.cross_appointed, self.members) if self.members else None


def rates(places: Sequence[TwoCommittees]) -> Rates:
    """The rates of §11 over ``places``. A place with neither committee elected still
    counts as a place without 一肩挑, so that the rate's base is every place of the
    report (§11: a breakdown adds up to its total)."""
    return Rates(
        places=len(places),
        dual_head_places=sum(p.dual_head for p in places),
        members=sum(len(p.people) for p in places),
        cross_appointed=sum(len(p.cross_appointed) for p in places),
        places_with_both_heads=sum(
            p.secretary is not None and p.director is not None for p in places
        ),
    )
