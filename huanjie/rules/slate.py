"""The rules of a slate of candidates, checked as findings (DOMAIN §5.3).

A slate is every candidate of one place's cycle: the 居/村委会, the party committee, the
supervision committee. Its rules are checked again whenever it changes (a nominee is
disqualified, withdraws, is replaced), so each is a function from plain data to a list
of :class:`~huanjie.rules.findings.Finding`:

* errors block the formal list: too few candidates for an office (差额), no woman, two
  near relatives who would both sit on the committees (任职回避), a candidate who is still
  a member of the election committee;
* warnings are the seed's structure targets (ages, a young cadre with a degree, the
  women's share), which are goals of the work plan and not law.

Ages are whole years on the election day D (:func:`huanjie.rules.identity.age_on`).
The age targets read "男55周岁以下" as *under* 55, as DOMAIN §5.3 states them.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.identity import Sex, age_on
from huanjie.rules.kinship import Family, Tie, near_relatives
from huanjie.rules.profiles import Profile
from huanjie.rules.seats import OFFICES, SECRETARY, Body

__all__ = [
    "AVOIDANCE_BODIES",
    "COLLEGE_OR_ABOVE",
    "Candidate",
    "candidates_needed",
    "check_avoidance",
    "check_election_committee",
    "check_slate",
    "check_structure",
    "check_surplus",
    "check_women",
]

#: The bodies whose members may not be near relatives of one another (DOMAIN §5.3).
AVOIDANCE_BODIES = frozenset(
    {
        Body.VILLAGERS_COMMITTEE,
        Body.RESIDENTS_COMMITTEE,
        Body.PARTY_COMMITTEE,
        Body.SUPERVISION_COMMITTEE,
    }
)
#: The two committees (两委), which the structure targets are about.
TWO_COMMITTEES = frozenset(
    {Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_COMMITTEE}
)
#: The bodies elected by the voters at a meeting the election committee runs; a member
#: of the election committee who stands for one of them leaves it (DOMAIN §3, 推选递补).
VOTER_ELECTED = frozenset(
    {Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.SUPERVISION_COMMITTEE}
)
#: 大专以上学历: the education values (``voters.Education``) that count as a degree.
COLLEGE_OR_ABOVE = frozenset({"college", "bachelor", "postgraduate"})

# The seed's structure targets (004, 优化班子结构; DOMAIN §5.3).
NEW_SECRETARY_UNDER: Mapping[Sex, int] = {"M": 55, "F": 50}
NEW_MEMBER_UNDER = 50
CONTINUING_UNDER: Mapping[Sex, int] = {"M": 55, "F": 50}
CONTINUING_AT_MOST = 60
#: "30岁左右": the young cadre the seed asks for is taken to be 35 at most.
YOUNG_CADRE_AT_MOST = 35
WOMEN_SHARE = Fraction(3, 10)


@dataclass(frozen=True)
class Candidate:
    """A candidacy: one person standing for one office of one body.

    ``person`` identifies the person in the recorded family ties (a resident id); one
    person may stand for several bodies (交叉任职) and is then several candidacies.
    ``continuing`` says the person sits on the outgoing committee of that body;
    ``is_committee_member`` that the person is still a member of the election committee.
    ``education`` takes the values of ``voters.Education`` ("" when unknown).
    """

    id: Hashable
    person: Hashable
    name: str
    sex: Sex
    birth_date: date
    body: Body
    office: str
    education: str = ""
    continuing: bool = False
    is_committee_member: bool = False


def _percent(share: Fraction) -> str:
    return f"{float(share):.0%}"


def _of(body: Body, candidates: Iterable[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.body == body]


def _people(candidates: Iterable[Candidate]) -> dict[Hashable, Candidate]:
    """The first candidacy of each person."""
    people: dict[Hashable, Candidate] = {}
    for candidate in candidates:
        people.setdefault(candidate.person, candidate)
    return people


def candidates_needed(body: Body, seats: int, profile: Profile) -> int:
    """The fewest candidates for ``seats`` seats (DOMAIN §5.3, §12).

    For an office of the 居/村委会: seats + ``committee_surplus``. For the party committee
    as a whole: seats × (1 + ``party_surplus_ratio``) rounded up — 5 seats need 6, 7 need
    9 (8.4). Other bodies have no surplus rule: as many as the seats.
    """
    if seats <= 0:
        return 0
    match Body(body):
        case Body.VILLAGERS_COMMITTEE | Body.RESIDENTS_COMMITTEE:
            return seats + profile.committee_surplus
        case Body.PARTY_COMMITTEE:
            return math.ceil(seats * (1 + profile.party_surplus_ratio))
    return seats


def check_surplus(
    body: Body, seats: Mapping[str, int], candidates: Iterable[Candidate], profile: Profile
) -> list[Finding]:
    """Enough candidates for each office of ``body`` (差额, DOMAIN §5.3).

    The 居/村委会 elects each office separately, so each office needs its surplus. The
    party members' meeting elects the committee as a whole, with the 20% surplus over
    all its seats; the 书记 and 副书记 are then elected from the new committee at its
    first plenary and may be single-candidate (等额), so they have no rule of their own.
    """
    body = Body(body)
    mine = _of(body, candidates)
    findings: list[Finding] = []
    if body == Body.PARTY_COMMITTEE:
        total = sum(seats.values())
        have = len(_people(mine))
        need = candidates_needed(body, total, profile)
        if have < need:
            ratio = _percent(profile.party_surplus_ratio)
            findings.append(
                error(
                    "slate.party_surplus",
                    "§5.3",
                    f"党组织委员会应选{total}名，候选人应多于应选人数的{ratio}，"
                    f"至少{need}名，现为{have}名",
                    f"The party committee has {total} seats and needs at least {need} "
                    f"candidates ({ratio} more); it has {have}.",
                    body=body.value,
                    seats=total,
                    needed=need,
                    candidates=have,
                ),
            )
        return findings
    if body not in (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE):
        return findings
    for office in OFFICES[body]:
        count = seats.get(office.key, 0)
        need = candidates_needed(body, count, profile)
        have = len(_people(c for c in mine if c.office == office.key))
        if have < need:
            findings.append(
                error(
                    "slate.surplus",
                    "§5.3",
                    f"{body.title_zh}{office.title_zh}应选{count}名，实行差额选举，"
                    f"候选人至少{need}名，现为{have}名",
                    f"{office.title_en.capitalize()} of the {body.title_en}: {count} seat(s) "
                    f"need at least {need} candidates; there are {have}.",
                    body=body.value,
                    office=office.key,
                    seats=count,
                    needed=need,
                    candidates=have,
                )
            )
    return findings


def check_women(body: Body, candidates: Iterable[Candidate], profile: Profile) -> list[Finding]:
    """A woman among the candidates of ``body`` (DOMAIN §5.3); where the profile
    reserves a member seat of the 居/村委会 for a woman (妇女委员专职专选, §7 item 8), a
    woman among the 委员 candidates."""
    body = Body(body)
    mine = _of(body, candidates)
    if not any(c.sex == "F" for c in mine):
        return [
            error(
                "slate.no_woman",
                "§5.3",
                f"{body.title_zh}正式候选人中应当至少有一名妇女",
                f"There must be at least one woman among the candidates for the {body.title_en}.",
                body=body.value,
            )
        ]
    if (
        profile.reserved_woman_seat
        and body in (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)
        and not any(c.sex == "F" and c.office == "member" for c in mine)
    ):
        return [
            error(
                "slate.no_woman_member",
                "§7",
                f"妇女委员专职专选：{body.title_zh}委员候选人中应当有妇女",
                f"A member seat of the {body.title_en} is reserved for a woman; there must "
                "be a woman among the candidates for member.",
                body=body.value,
            )
        ]
    return []


def check_avoidance(candidates: Sequence[Candidate], ties: Family | Iterable[Tie]) -> list[Finding]:
    """Near relatives among the candidates of the two committees and the supervision
    committee (任职回避, DOMAIN §5.3): if both were elected, one could not serve.

    Each pair of people is reported once, in the order of the candidates.
    """
    standing = _people(c for c in candidates if c.body in AVOIDANCE_BODIES)
    findings = []
    for a, b, kinship in near_relatives(standing, ties):
        first, second = standing[a], standing[b]
        findings.append(
            error(
                "slate.avoidance",
                "§5.3",
                f"{first.name}与{second.name}为近亲属（{second.name}是{first.name}的"
                f"{kinship.title_zh}），应实行任职回避",
                f"{first.name} and {second.name} are near relatives ({second.name} is "
                f"{first.name}'s {kinship.title_en}); they may not both serve.",
                candidates=[first.id, second.id],
                persons=[a, b],
                kinship=kinship.value,
            )
        )
    return findings


def check_election_committee(candidates: Iterable[Candidate]) -> list[Finding]:
    """A member of the election committee who stands for a body it elects leaves the
    committee (DOMAIN §3); until then the candidacy blocks the formal list."""
    findings = []
    for person, candidate in _people(
        c for c in candidates if c.is_committee_member and c.body in VOTER_ELECTED
    ).items():
        findings.append(
            error(
                "slate.election_committee_member",
                "§3",
                f"{candidate.name}是选举委员会成员，作为候选人应退出选举委员会",
                f"{candidate.name} is a member of the election committee and must leave it "
                "to stand as a candidate.",
                candidate=candidate.id,
                person=person,
            )
        )
    return findings


def _age_finding(candidate: Candidate, age: int) -> Finding | None:
    if candidate.continuing:
        limit = CONTINUING_UNDER[candidate.sex]
        if age > CONTINUING_AT_MOST:
            return warning(
                "slate.age_continuing_over",
                "§5.3",
                f"{candidate.name}继续提名，{age}岁，原则上不超过{CONTINUING_AT_MOST}周岁",
                f"{candidate.name}, continuing, is {age}; the plan's limit is "
                f"{CONTINUING_AT_MOST}.",
                candidate=candidate.id,
                age=age,
                limit=CONTINUING_AT_MOST,
            )
        if age >= limit:
            return warning(
                "slate.age_continuing",
                "§5.3",
                f"{candidate.name}继续提名，{age}岁，超过{limit}周岁以下的要求，"
                "需经换届工作领导小组同意",
                f"{candidate.name}, continuing, is {age}, not under {limit}: this needs the "
                "leading group's consent.",
                candidate=candidate.id,
                age=age,
                limit=limit,
            )
        return None
    if candidate.body == Body.PARTY_COMMITTEE and candidate.office == SECRETARY.key:
        under, who_zh, who_en = NEW_SECRETARY_UNDER[candidate.sex], "新提名书记", "new secretary"
    else:
        under, who_zh, who_en = NEW_MEMBER_UNDER, "新进班子成员", "new member"
    if age < under:
        return None
    return warning(
        "slate.age_new",
        "§5.3",
        f"{candidate.name}为{who_zh}，{age}岁，目标为{under}周岁以下",
        f"{candidate.name}, {who_en}, is {age}; the target is under {under}.",
        candidate=candidate.id,
        age=age,
        limit=under,
    )


def check_structure(
    candidates: Sequence[Candidate],
    day: date,
    residents_committee_seats: int = 0,
) -> list[Finding]:
    """The seed's structure targets for the two committees, as warnings (DOMAIN §5.3):

    * ages on ``day`` (D): a new secretary under 55 (men) or 50 (women), new members
      under 50, continuing members under 55/50, and never over 60;
    * a cadre of about 30 (at most :data:`YOUNG_CADRE_AT_MOST`) with a college degree;
    * in a community, enough women standing for the 居委会 to make up 30% of its
      ``residents_committee_seats``.
    """
    mine = [c for c in candidates if c.body in TWO_COMMITTEES]
    findings: list[Finding] = []
    seen: set[tuple[Hashable, str]] = set()
    for candidate in mine:
        finding = _age_finding(candidate, age_on(candidate.birth_date, day))
        if finding is not None and (candidate.person, finding.code) not in seen:
            seen.add((candidate.person, finding.code))
            findings.append(finding)
    if mine and not any(
        age_on(c.birth_date, day) <= YOUNG_CADRE_AT_MOST and c.education in COLLEGE_OR_ABOVE
        for c in mine
    ):
        findings.append(
            warning(
                "slate.young_cadre",
                "§5.3",
                f"“两委”候选人中没有{YOUNG_CADRE_AT_MOST}岁以下、大专以上学历的年轻人选",
                f"No candidate for the two committees is {YOUNG_CADRE_AT_MOST} or younger "
                "with a college degree.",
                age=YOUNG_CADRE_AT_MOST,
            )
        )
    if residents_committee_seats > 0:
        target = math.ceil(residents_committee_seats * WOMEN_SHARE)
        women = len(_people(c for c in mine if c.body == Body.RESIDENTS_COMMITTEE and c.sex == "F"))
        if women < target:
            share, seats = _percent(WOMEN_SHARE), residents_committee_seats
            findings.append(
                warning(
                    "slate.women_share",
                    "§5.3",
                    f"居民委员会女性成员比例目标为{share}以上（{seats}名中至少{target}名），"
                    f"女性候选人仅{women}名",
                    f"Women should be {share} of the residents' committee ({target} of "
                    f"{seats}); only {women} women stand.",
                    seats=residents_committee_seats,
                    target=target,
                    women=women,
                )
            )
    return findings


def check_slate(
    candidates: Sequence[Candidate],
    seats: Mapping[Body, Mapping[str, int]],
    profile: Profile,
    day: date,
    ties: Family | Iterable[Tie] = (),
) -> list[Finding]:
    """Every slate rule: surplus and women for each body in ``seats``, avoidance, the
    election committee, then the structure targets. Errors first, in that order."""
    findings: list[Finding] = []
    for body, layout in seats.items():
        findings += check_surplus(body, layout, candidates, profile)
    for body in seats:
        if Body(body) in TWO_COMMITTEES:
            findings += check_women(body, candidates, profile)
    findings += check_avoidance(candidates, ties)
    findings += check_election_committee(candidates)
    residents = sum(seats.get(Body.RESIDENTS_COMMITTEE, {}).values())
    findings += check_structure(candidates, day, residents)
    return findings
