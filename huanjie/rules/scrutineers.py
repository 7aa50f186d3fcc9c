"""Who watches a station or a box (DOMAIN §6).

Every place voting happens — the central venue, a polling station, a mobile box — has
at least three scrutineers (监票人), because a box watched by one or two people can be
tampered with while one of them looks away. The counters (计票人) count at the central
venue. Neither may be a candidate, nor a near relative of a candidate: they would be
watching or counting the votes of their own family.

The near relatives are those of 任职回避 (:mod:`huanjie.rules.kinship`), derived from
the recorded spouse and parent ties. Each check is a function from plain data to a
list of :class:`~huanjie.rules.findings.Finding`; every finding here is an error,
because each is the law, but a station with too few scrutineers is a state to be
fixed, not a change to refuse: the services show it until it is gone.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.kinship import Family, Tie

__all__ = [
    "MIN_SCRUTINEERS",
    "ROLES",
    "Candidate",
    "Duty",
    "check_count",
    "check_duty",
    "check_elsewhere",
    "check_station",
]

Role = Literal["scrutineer", "counter"]

#: The fewest scrutineers of a station or box (DOMAIN §6).
MIN_SCRUTINEERS = 3

#: Each role in Chinese and in English.
ROLES: dict[str, tuple[str, str]] = {
    "scrutineer": ("监票人", "scrutineer"),
    "counter": ("计票人", "counter"),
}


@dataclass(frozen=True)
class Duty:
    """A voter on duty at a station: ``person`` identifies them in the family ties (a
    resident id), ``role`` says whether they watch or count."""

    person: Hashable
    name: str
    role: Role = "scrutineer"
    chief: bool = False


@dataclass(frozen=True)
class Candidate:
    """A candidate of the election the station is for."""

    person: Hashable
    name: str


def check_count(station: str, duties: Iterable[Duty]) -> list[Finding]:
    """At least :data:`MIN_SCRUTINEERS` scrutineers at ``station`` (DOMAIN §6).

    The chief scrutineer counts as one of them; counters do not, since counting is
    not watching the box.
    """
    have = sum(1 for d in duties if d.role == "scrutineer")
    if have >= MIN_SCRUTINEERS:
        return []
    return [
        error(
            "scrutineers.too_few",
            "§6",
            f"{station}应有监票人至少{MIN_SCRUTINEERS}名，现为{have}名",
            f"{station} needs at least {MIN_SCRUTINEERS} scrutineers; it has {have}.",
            station=station,
            needed=MIN_SCRUTINEERS,
            scrutineers=have,
        )
    ]


def check_duty(
    duty: Duty, candidates: Sequence[Candidate], ties: Family | Iterable[Tie] = ()
) -> list[Finding]:
    """Whether ``duty.person`` may watch or count (DOMAIN §6): not a candidate, not a
    near relative of one. The message names the person, the candidate and what the
    person is to the candidate, so that the committee knows whom to replace and why.

    A person related to several candidates is reported once for each.
    """
    zh_role, en_role = ROLES[duty.role]
    if any(c.person == duty.person for c in candidates):
        return [
            error(
                "scrutineers.candidate",
                "§6",
                f"{duty.name}是候选人，不得担任{zh_role}",
                f"{duty.name} is a candidate and may not be a {en_role}.",
                person=duty.person,
                name=duty.name,
                role=duty.role,
            )
        ]
    family = ties if isinstance(ties, Family) else Family(ties)
    circle = family.circle(duty.person)
    findings = []
    for candidate in candidates:
        kinship = circle.get(candidate.person)
        if kinship is None:
            continue
        # ``kinship`` is what the candidate is to the person; say what the person is to
        # the candidate, the way people say it ("王强是候选人王芳的配偶").
        theirs = family.relation(candidate.person, duty.person) or kinship
        findings.append(
            error(
                "scrutineers.relative",
                "§6",
                f"{duty.name}是候选人{candidate.name}的{theirs.title_zh}，"
                f"候选人的近亲属不得担任{zh_role}",
                f"{duty.name} is the {theirs.title_en} of candidate {candidate.name}; a "
                f"candidate's near relative may not be a {en_role}.",
                person=duty.person,
                name=duty.name,
                role=duty.role,
                candidate=candidate.person,
                candidate_name=candidate.name,
                kinship=theirs.value,
            )
        )
    return findings


def check_station(
    station: str,
    duties: Sequence[Duty],
    candidates: Sequence[Candidate],
    ties: Family | Iterable[Tie] = (),
) -> list[Finding]:
    """Every rule of a station's people: enough scrutineers, then each person on duty
    in the order given."""
    family = ties if isinstance(ties, Family) else Family(ties)
    findings = check_count(station, duties)
    for duty in duties:
        findings += check_duty(duty, candidates, family)
    return findings


def check_elsewhere(
    station: str, duties: Iterable[Duty], elsewhere: Mapping[Hashable, Sequence[str]]
) -> list[Finding]:
    """People on duty at ``station`` and at another station or box of the same vote
    (``elsewhere``: person → the other stations' names).

    The stations and boxes are open at the same time, so whoever is at one is not
    watching the other, and a box counted as watched by three may be watched by two.
    A warning, not an error: DOMAIN §6 asks for three at each, and a mobile box that
    goes out after the station's busiest hours can take one of its people along; the
    committee decides.
    """
    return [
        warning(
            "scrutineers.elsewhere",
            "§6",
            f"{duty.name}同时在{'、'.join(elsewhere[duty.person])}担任工作人员，"
            f"两处同时开放时{station}的监票人数可能不足",
            f"{duty.name} is also on duty at {', '.join(elsewhere[duty.person])}; while both "
            f"are open, {station} may have fewer scrutineers than listed.",
            person=duty.person,
            name=duty.name,
            stations=list(elsewhere[duty.person]),
        )
        for duty in duties
        if elsewhere.get(duty.person)
    ]
