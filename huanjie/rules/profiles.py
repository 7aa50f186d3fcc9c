"""Rule profiles: every rule a province may set, as data (DOMAIN §12).

The national law leaves some numbers to the provinces (how many entrustments a proxy
may accept, within how many days a run-off is held, …) and the seed's Hunan/Changsha
work plan sets its own. Each such number is a field of :class:`Profile`; no rule module
keeps one as a constant. A county may override single parameters for a township or a
place (``ProfileOverride`` in the cycles app); overrides come as JSON values and are
checked here, so a wrong override is refused with a message instead of breaking a
deadline or a count later. Overrides compose by applying them in turn: the county's,
then the township's, then the place's.

``plan`` holds the seed work plan's dates for the checklist steps that have no legal
deadline, as days relative to election day D (negative = before D; DOMAIN §3). The
statutory deadlines are computed from the other fields by :mod:`.timeline`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

from huanjie.rules.kinship import Kinship

MajorityBase = Literal["issued", "returned"]
PartyMajorityBase = Literal["due", "present"]


class ProfileError(ValueError):
    """An override names no parameter, or gives it a value it cannot take."""

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter}: {problem}")
        self.parameter = parameter
        self.problem = problem


# The seed's dates (004: D = 2021-01-28; work from 2020-12-04; party elections
# 2020-12-10..28 with the members' meeting on 12-27/28; 整章建制 by 2021-02-10) as days
# from D, for the steps without a statutory deadline. The due date is the day by which
# the step should be finished.
SEED_PLAN: Mapping[str, int] = MappingProxyType(
    {
        "survey": -50,  # 准备和宣传发动 2020-12-04..12-09
        "org_setting": -50,
        "financial_audit": -50,  # must precede the start (审计不结束不换届)
        "democratic_evaluation": -50,
        "election_plan": -50,  # 报街道审定 before the party stage starts on 12-10
        "party_recommendation": -42,  # 推荐阶段 12-14..12-19
        "party_township_review": -40,  # 街道工委研究推荐, by 12-19
        "party_inspection": -39,  # 联审 and 考察, by 12-20
        "party_publicity": -38,  # start of the 公示 (5 days: 12-21..12-26)
        "party_approval_of_candidates": -32,  # 街道工委批复 after the 公示, 12-27
        "party_members_meeting": -31,  # 党员大会 12-27..12-28
        "party_first_plenary": -31,  # first plenary right after the meeting
        "party_results_approval": -24,  # 报街道工委批复, within a week
        "election_committee": -28,  # 居委会 stage from 12-29
        "voter_registration": -21,  # finished the day before the list is posted
        "nomination": -10,  # 2021-01-18
        "qualification_review": -8,  # 逐级资格审查 before the formal list of 01-21
        "handover": 7,  # by the end of the 换届 period, 2021-02-04
        "filing_and_certificates": 13,  # 整章建制 by 2021-02-10
        "archive": 13,
    }
)


@dataclass(frozen=True)
class Profile:
    """The parameters of DOMAIN §12, with the national defaults.

    Fractions are exact (``Fraction``) because they decide counts at the edge: with
    ``turnout_needed = 1/2`` and 1,200 voters, 600 votes are not enough and 601 are.
    """

    key: str = "national"
    title: str = "全国通行"
    title_en: str = "National defaults"
    # §3, §4: notices and objections
    voter_list_days_before: int = 20
    objection_days: int = 5
    objection_decision_days: int = 3
    formal_candidates_days_before: int = 7
    party_publicity_days: int = 5
    # §6: proxies
    proxies_per_person: int = 3
    proxy_relations: tuple[str, ...] = tuple(k.value for k in Kinship)
    # §5.3: 差额
    committee_surplus: int = 1
    party_surplus_ratio: Fraction = Fraction(1, 5)
    # §7: counting 居/村委会
    turnout_needed: Fraction = Fraction(1, 2)
    majority_base: MajorityBase = "issued"
    runoff_threshold: Fraction = Fraction(1, 3)
    runoff_within_days: int = 10
    cascade_counting: bool = False
    reserved_woman_seat: bool = False
    # §8: party elections
    party_majority_base: PartyMajorityBase = "due"
    party_quorum: Fraction = Fraction(4, 5)
    # §2, §5.3: sizes and structure targets
    village_committee_seats: tuple[int, int] = (3, 7)
    residents_committee_seats: tuple[int, int] = (5, 9)
    two_committees_posts: int | None = None
    party_committee_posts: int | None = None
    # §3: the work plan's dates of steps without a legal deadline
    # Left out of the hash (a mapping has none); equal profiles still hash equal.
    plan: Mapping[str, int] = field(default_factory=lambda: SEED_PLAN, hash=False)


@dataclass(frozen=True)
class Parameter:
    """How a parameter is shown and what values it takes (``kind``)."""

    name: str
    title_zh: str
    title_en: str
    section: str
    kind: Literal["days", "count", "fraction", "bool", "choice", "range", "posts", "relations"]
    choices: tuple[str, ...] = ()


#: The parameters in the order of the DOMAIN §12 table.
PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "voter_list_days_before",
        "选民名单在选举日前公布天数",
        "Voter list published, days before D",
        "§3",
        "days",
    ),
    Parameter("objection_days", "申诉期限（天）", "Objection window (days)", "§3", "days"),
    Parameter(
        "objection_decision_days", "申诉处理期限（天）", "Objection decision (days)", "§3", "days"
    ),
    Parameter(
        "formal_candidates_days_before",
        "正式候选人在选举日前公布天数",
        "Formal candidates published, days before D",
        "§3",
        "days",
    ),
    Parameter(
        "party_publicity_days",
        "党组织候选人公示天数",
        "Party candidates' public notice (days)",
        "§5.1",
        "days",
    ),
    Parameter("proxies_per_person", "每人接受委托上限", "Entrustments per proxy", "§6", "count"),
    Parameter(
        "proxy_relations",
        "可接受委托的近亲属范围",
        "Near relatives who may be proxies",
        "§6",
        "relations",
        tuple(k.value for k in Kinship),
    ),
    Parameter(
        "committee_surplus",
        "村/居委会差额（每职务至少多出人数）",
        "Committee surplus per office",
        "§5.3",
        "count",
    ),
    Parameter(
        "party_surplus_ratio",
        "党组织委员差额比例",
        "Party committee surplus ratio",
        "§5.3",
        "fraction",
    ),
    Parameter(
        "turnout_needed", "选举有效参选比例（超过）", "Turnout needed (more than)", "§7", "fraction"
    ),
    Parameter(
        "majority_base", "当选过半数的基数", "Majority base", "§7", "choice", ("issued", "returned")
    ),
    Parameter(
        "runoff_threshold",
        "另行选举当选票数比例（不少于）",
        "Run-off threshold (at least)",
        "§7",
        "fraction",
    ),
    Parameter("runoff_within_days", "另行选举期限（天）", "Run-off within (days)", "§7", "days"),
    Parameter("cascade_counting", "一次投票分别计算", "Cascade counting", "§7", "bool"),
    Parameter("reserved_woman_seat", "妇女委员专职专选", "Reserved woman seat", "§7", "bool"),
    Parameter(
        "party_majority_base",
        "党组织选举过半数的基数",
        "Party majority base",
        "§8",
        "choice",
        ("due", "present"),
    ),
    Parameter(
        "party_quorum", "党员大会有效到会比例（超过）", "Party quorum (more than)", "§8", "fraction"
    ),
    Parameter(
        "village_committee_seats", "村民委员会职数", "Villagers' committee size", "§2", "range"
    ),
    Parameter(
        "residents_committee_seats", "居民委员会职数", "Residents' committee size", "§2", "range"
    ),
    Parameter(
        "two_committees_posts", "“两委”职数目标", "Two committees' posts (target)", "§5.3", "posts"
    ),
    Parameter(
        "party_committee_posts",
        "党组织委员会职数目标",
        "Party committee posts (target)",
        "§5.3",
        "posts",
    ),
)

BY_NAME: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in PARAMETERS})

NATIONAL = Profile()

#: The seed's profile (004, 湘办发〔2020〕22号): five entrustments per proxy, a member
#: seat reserved for a woman, the two committees at about 9 posts, a party committee of
#: 5 (1 secretary, 2 deputies).
HUNAN = replace(
    NATIONAL,
    key="hunan",
    title="湖南省（长沙）",
    title_en="Hunan (Changsha)",
    proxies_per_person=5,
    reserved_woman_seat=True,
    two_committees_posts=9,
    party_committee_posts=5,
)

PROFILES: Mapping[str, Profile] = MappingProxyType({"national": NATIONAL, "hunan": HUNAN})

# The least value of each "days"/"count" parameter. A window of 0 days would close the
# objections before they open; a deadline of 0 days before D (or a run-off on D itself,
# which the seed allows: "选举当日或选举日后的十日内") is possible.
_MINIMUM = {
    "voter_list_days_before": 0,
    "objection_days": 1,
    "objection_decision_days": 1,
    "formal_candidates_days_before": 0,
    "party_publicity_days": 1,
    "proxies_per_person": 0,
    "committee_surplus": 0,
    "runoff_within_days": 0,
}

# Allowed intervals of fractions: (least, greatest, greatest included).
_FRACTION_RANGE = {
    "party_surplus_ratio": (Fraction(0), Fraction(1), True),
    "turnout_needed": (Fraction(0), Fraction(1), False),
    "runoff_threshold": (Fraction(0), Fraction(1), True),
    "party_quorum": (Fraction(0), Fraction(1), False),
}

_FRACTION_TEXT = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*|\s*\d+(\.\d+)?\s*")


def _integer(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(name, f"expected a whole number, got {value!r}")
    if value < least:
        raise ProfileError(name, f"must be at least {least}, got {value}")
    return value


def _fraction(name: str, value: object) -> Fraction:
    if isinstance(value, bool):
        raise ProfileError(name, f'expected a fraction such as "1/3", got {value!r}')
    if isinstance(value, Fraction | int):
        result = Fraction(value)
    elif isinstance(value, float):
        result = Fraction(repr(value))
    elif isinstance(value, str) and _FRACTION_TEXT.fullmatch(value):
        if "/" in value and int(value.split("/")[1]) == 0:
            raise ProfileError(name, f"denominator is zero in {value!r}")
        result = Fraction(value.replace(" ", ""))
    else:
        raise ProfileError(name, f'expected a fraction such as "1/3", got {value!r}')
    least, greatest, closed = _FRACTION_RANGE[name]
    if result < least or result > greatest or (result == greatest and not closed):
        upper = "at most" if closed else "less than"
        raise ProfileError(name, f"must be at least {least} and {upper} {greatest}, got {result}")
    return result


def _seat_range(name: str, value: object) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
    ):
        raise ProfileError(name, f"expected two whole numbers such as [3, 7], got {value!r}")
    low, high = value
    if not 1 <= low <= high:
        raise ProfileError(name, f"expected 1 ≤ least ≤ most, got [{low}, {high}]")
    return (low, high)


def _relations(name: str, value: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Near relatives as a JSON list (["spouse", "parent"]), or as the text of a form
    ("spouse, parent"); kept in the order of ``allowed`` so equal scopes compare equal.
    An empty list is a scope of its own: the local method allows no proxies."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,，、]+", value) if part]
    example = '["spouse", "parent"]'
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ProfileError(name, f"expected a list of relations such as {example}, got {value!r}")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ProfileError(
            name, f"unknown relation {unknown[0]!r}; expected some of {', '.join(allowed)}"
        )
    twice = next((v for i, v in enumerate(value) if v in value[:i]), None)
    if twice is not None:
        raise ProfileError(name, f"{twice!r} is listed twice")
    return tuple(v for v in allowed if v in value)


def _parse(name: str, value: object) -> object:
    """The value of parameter ``name`` given as JSON, checked."""
    parameter = BY_NAME.get(name)
    if parameter is None:
        raise ProfileError(name, "unknown parameter")
    match parameter.kind:
        case "days" | "count":
            return _integer(name, value, _MINIMUM[name])
        case "fraction":
            return _fraction(name, value)
        case "bool":
            if not isinstance(value, bool):
                raise ProfileError(name, f"expected true or false, got {value!r}")
            return value
        case "choice":
            if value not in parameter.choices:
                allowed = " or ".join(f'"{c}"' for c in parameter.choices)
                raise ProfileError(name, f"expected {allowed}, got {value!r}")
            return value
        case "range":
            return _seat_range(name, value)
        case "posts":
            return None if value is None else _integer(name, value, 1)
        case "relations":
            return _relations(name, value, parameter.choices)
    raise AssertionError(parameter.kind)  # pragma: no cover


def _plan_offset(profile: Profile, step: str, value: object, name: str) -> int:
    if step not in profile.plan:
        raise ProfileError(name, "not a planned step (statutory deadlines follow from parameters)")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(name, f"expected a whole number of days from D, got {value!r}")
    return value


def apply_overrides(profile: Profile, overrides: Mapping[str, object]) -> Profile:
    """A new profile with ``overrides`` applied; ``profile`` itself is unchanged.

    Keys are parameter names, ``plan.<step>`` for one planned step (days from D), or
    ``plan`` with a mapping of steps. Values are JSON-ish: whole numbers, true/false,
    "1/3" for fractions, [3, 7] for seat ranges, null for "no target". Raises
    :class:`ProfileError` on the first unknown name or bad value.
    """
    changes: dict[str, object] = {}
    plan = dict(profile.plan)
    for name, value in overrides.items():
        if name == "plan":
            if not isinstance(value, Mapping):
                raise ProfileError(name, f"expected a mapping of steps to days, got {value!r}")
            for step, days in value.items():
                plan[step] = _plan_offset(profile, step, days, f"plan.{step}")
        elif name.startswith("plan."):
            step = name.removeprefix("plan.")
            plan[step] = _plan_offset(profile, step, value, name)
        else:
            changes[name] = _parse(name, value)
    if plan != profile.plan:
        changes["plan"] = MappingProxyType(plan)
    return replace(profile, **changes) if changes else profile


def profile_values(profile: Profile) -> list[tuple[str, object]]:
    """(name, value) of every parameter in :data:`PARAMETERS` order, then the planned
    steps as ``plan.<step>``, for pages that show which rules apply."""
    values: list[tuple[str, object]] = [(p.name, getattr(profile, p.name)) for p in PARAMETERS]
    values += [(f"plan.{step}", days) for step, days in profile.plan.items()]
    return values
