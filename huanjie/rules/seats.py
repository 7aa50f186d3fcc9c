"""The bodies elected in a place, their offices and how many seats each may have
(DOMAIN §2, §5.3).

Seat numbers are set per place by the township before nomination, and every later
rule depends on them: how many candidates each office needs (差额), how many names a
ballot section may mark, how many winners a count may declare. So they are checked
when they are set. A size fixed by law is an error; a target of the seed's work plan
(a party committee of 5) is only a warning.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.profiles import Profile

KindOfPlace = Literal["village", "community"]


class Body(StrEnum):
    """A body elected in a village or community (DOMAIN §2)."""

    VILLAGERS_COMMITTEE = "villagers_committee"
    RESIDENTS_COMMITTEE = "residents_committee"
    PARTY_COMMITTEE = "party_committee"
    ELECTION_COMMITTEE = "election_committee"
    SUPERVISION_COMMITTEE = "supervision_committee"
    CONSULTATION_COUNCIL = "consultation_council"

    @property
    def title_zh(self) -> str:
        return _TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _TITLES[self][1]


_TITLES = {
    Body.VILLAGERS_COMMITTEE: ("村民委员会", "villagers' committee"),
    Body.RESIDENTS_COMMITTEE: ("居民委员会", "residents' committee"),
    Body.PARTY_COMMITTEE: ("党组织委员会", "party committee"),
    Body.ELECTION_COMMITTEE: ("选举委员会", "election committee"),
    Body.SUPERVISION_COMMITTEE: ("村/居务监督委员会", "affairs supervision committee"),
    Body.CONSULTATION_COUNCIL: ("协商议事会", "consultation council"),
}


@dataclass(frozen=True)
class Office:
    """An office (职务) of a body. ``key`` is what elections, ballots and counts use."""

    key: str
    title_zh: str
    title_en: str


DIRECTOR = Office("director", "主任", "director")
DEPUTY = Office("deputy", "副主任", "deputy director")
MEMBER = Office("member", "委员", "member")
SECRETARY = Office("secretary", "书记", "secretary")
DEPUTY_SECRETARY = Office("deputy_secretary", "副书记", "deputy secretary")
CHAIR = Office("chair", "主任", "chair")

#: The offices of each body, highest first: the order of ballot sections and of
#: cascade counting (DOMAIN §7 item 6).
OFFICES: Mapping[Body, tuple[Office, ...]] = MappingProxyType(
    {
        Body.VILLAGERS_COMMITTEE: (DIRECTOR, DEPUTY, MEMBER),
        Body.RESIDENTS_COMMITTEE: (DIRECTOR, DEPUTY, MEMBER),
        Body.PARTY_COMMITTEE: (SECRETARY, DEPUTY_SECRETARY, MEMBER),
        Body.ELECTION_COMMITTEE: (CHAIR, MEMBER),
        Body.SUPERVISION_COMMITTEE: (CHAIR, MEMBER),
        Body.CONSULTATION_COUNCIL: (CHAIR, MEMBER),
    }
)

#: The one office each body must have exactly one of.
HEAD: Mapping[Body, Office] = MappingProxyType(
    {body: offices[0] for body, offices in OFFICES.items()}
)

_DEFAULTS: Mapping[Body, tuple[int, ...]] = MappingProxyType(
    {
        Body.VILLAGERS_COMMITTEE: (1, 1, 3),
        Body.RESIDENTS_COMMITTEE: (1, 1, 5),
        Body.PARTY_COMMITTEE: (1, 1, 3),
        Body.ELECTION_COMMITTEE: (1, 6),
        Body.SUPERVISION_COMMITTEE: (1, 2),
        Body.CONSULTATION_COUNCIL: (1, 6),
    }
)

#: Sizes of the election committee (DOMAIN §1, §3): an odd number, so that it can decide.
ELECTION_COMMITTEE_SIZES = (5, 7, 9)
SUPERVISION_COMMITTEE_SIZE = (3, 5)
#: The seed sets the council at "7–10 左右 … 可适当增减": a guide, hence a warning.
CONSULTATION_COUNCIL_SIZE = (7, 10)


def committee_body(kind_of_place: KindOfPlace) -> Body:
    """The self-governing committee a place elects: 村委会 in a village, 居委会 in a
    community."""
    match kind_of_place:
        case "village":
            return Body.VILLAGERS_COMMITTEE
        case "community":
            return Body.RESIDENTS_COMMITTEE
    raise ValueError(f"not an electing place: {kind_of_place!r}")


def default_offices(body: Body, kind_of_place: KindOfPlace) -> dict[str, int]:
    """A sensible seat layout to start from, which passes :func:`check_seats` under the
    national profile. Raises ValueError for a committee that the kind of place does not
    elect (a community has no 村民委员会)."""
    body = Body(body)
    if body in (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE):
        if committee_body(kind_of_place) != body:
            raise ValueError(f"a {kind_of_place} does not elect a {body.title_en}")
    else:
        committee_body(kind_of_place)  # validates the kind
    return {o.key: n for o, n in zip(OFFICES[body], _DEFAULTS[body], strict=True)}


def _size_range(body: Body, profile: Profile) -> tuple[int, int] | None:
    match body:
        case Body.VILLAGERS_COMMITTEE:
            return profile.village_committee_seats
        case Body.RESIDENTS_COMMITTEE:
            return profile.residents_committee_seats
        case Body.SUPERVISION_COMMITTEE:
            return SUPERVISION_COMMITTEE_SIZE
    return None


def check_seats(body: Body, seats: Mapping[str, int], profile: Profile) -> list[Finding]:
    """What is wrong with a seat layout of ``body``; empty when nothing is.

    ``seats`` maps office keys to seat numbers; a missing office has no seats.
    """
    body = Body(body)
    known = {o.key: o for o in OFFICES[body]}
    findings: list[Finding] = []
    for key in seats:
        if key not in known:
            findings.append(
                error(
                    "seats.unknown_office",
                    "§2",
                    f"{body.title_zh}没有“{key}”职务",
                    f"A {body.title_en} has no office {key!r}.",
                    body=body.value,
                    office=key,
                )
            )
    for office in OFFICES[body]:
        count = seats.get(office.key, 0)
        if count < 0:
            findings.append(
                error(
                    "seats.negative",
                    "§2",
                    f"{office.title_zh}名额不能为负数，现为{count}",
                    f"Seats of {office.title_en} cannot be negative ({count}).",
                    body=body.value,
                    office=office.key,
                    seats=count,
                )
            )
    head = HEAD[body]
    heads = seats.get(head.key, 0)
    if heads != 1:
        findings.append(
            error(
                "seats.head",
                "§2",
                f"{body.title_zh}应设{head.title_zh}1名，现为{heads}名",
                f"A {body.title_en} has exactly one {head.title_en}; this one has {heads}.",
                body=body.value,
                office=head.key,
                seats=heads,
            )
        )
    total = sum(n for key, n in seats.items() if key in known)
    findings += _check_total(body, total, profile)
    return findings


def _check_total(body: Body, total: int, profile: Profile) -> list[Finding]:
    size = _size_range(body, profile)
    if size is not None and not size[0] <= total <= size[1]:
        low, high = size
        return [
            error(
                "seats.total_out_of_range",
                "§2",
                f"{body.title_zh}成员应为{low}至{high}人，现为{total}人",
                f"A {body.title_en} has {low} to {high} members; this one has {total}.",
                body=body.value,
                least=low,
                most=high,
                total=total,
            )
        ]
    if body == Body.ELECTION_COMMITTEE and total not in ELECTION_COMMITTEE_SIZES:
        return [
            error(
                "seats.election_committee_size",
                "§1",
                f"选举委员会成员应为5人、7人或9人，现为{total}人",
                f"An election committee has 5, 7 or 9 members; this one has {total}.",
                body=body.value,
                total=total,
            )
        ]
    if body == Body.CONSULTATION_COUNCIL:
        low, high = CONSULTATION_COUNCIL_SIZE
        if not low <= total <= high:
            return [
                warning(
                    "seats.council_size",
                    "§2",
                    f"协商议事会一般由{low}至{high}人组成，现为{total}人",
                    f"A consultation council usually has {low} to {high} members; "
                    f"this one has {total}.",
                    body=body.value,
                    least=low,
                    most=high,
                    total=total,
                )
            ]
    target = profile.party_committee_posts
    if body == Body.PARTY_COMMITTEE and target is not None and total != target:
        return [
            warning(
                "seats.party_committee_target",
                "§5.3",
                f"党组织委员会一般设委员{target}名，现为{total}名",
                f"The plan sets a party committee of {target}; this one has {total}.",
                body=body.value,
                target=target,
                total=total,
            )
        ]
    return []
