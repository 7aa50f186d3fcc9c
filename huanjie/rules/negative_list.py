"""The negative list (十种情形) of the joint qualification review (联审, DOMAIN §5.2).

Every nominee is checked by every joint-review department. A person falling under any
item cannot be a candidate (and if elected, the election of that person is void), so a
single "hit" from any department disqualifies; and the formal list may not be made while
any department still owes a verdict on anyone on it. The items are data: their wording
is the seed's (004, the Changsha work plan citing the provincial document), word for
word with its punctuation in full-width form, because a notice of disqualification
quotes it.
"""

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from huanjie.rules.findings import Finding, error

__all__ = [
    "BY_NUMBER",
    "NEGATIVE_LIST",
    "SEED_DEPARTMENTS",
    "NegativeItem",
    "Review",
    "Verdict",
    "check_departments",
    "check_reviews",
    "review",
]


@dataclass(frozen=True)
class NegativeItem:
    """One item of the list: its number (1–10), the seed's text, an English gloss."""

    number: int
    text_zh: str
    gloss_en: str

    @property
    def label_zh(self) -> str:
        return f"第{self.number}项"


NEGATIVE_LIST: tuple[NegativeItem, ...] = (
    NegativeItem(
        1,
        "对党不忠诚，政治上的“两面人”，散布违背党的理论和路线方针政策的意见，公开发表违背"
        "党中央决定的言论，制造、传播政治谣言及丑化党和国家形象言论的",
        "Disloyal to the party, politically two-faced, spreading views or rumours against "
        "the party's line and decisions or defaming the party and the state.",
    ),
    NegativeItem(
        2,
        "受过刑事处罚，以及存在“村霸”和涉黑涉恶问题的",
        "Has a criminal record, or is a village bully (村霸) or involved with gangs and "
        "organised crime.",
    ),
    NegativeItem(
        3,
        "受到党纪政务处分和组织处理尚在有关任职影响期的，以及涉嫌严重违纪违法正在接受调查处理的",
        "Within the period of effect of a party or government sanction or organisational "
        "measure, or under investigation for serious violations of discipline or law.",
    ),
    NegativeItem(
        4,
        "组织、实施或参与非法宗教邪教、迷信、黄赌毒活动，组织、利用宗族宗派宗教势力干扰侵蚀"
        "基层组织和基层政权的",
        "Organising or taking part in illegal religious or cult activity, superstition, "
        "pornography, gambling or drugs; using clan, faction or religious forces to "
        "interfere with grassroots organisations and government.",
    ),
    NegativeItem(
        5,
        "非法串联拉票、贿选或操纵、破坏选举的",
        "Illegal canvassing, vote buying, or manipulating or sabotaging elections.",
    ),
    NegativeItem(
        6,
        "有组织、煽动、串联、胁迫、利诱、参与聚众闹事、违法信访的，以及有扰乱公共秩序、"
        "妨碍公务等行为被处理的",
        "Organising, inciting or taking part in mass disturbances or illegal petitions, "
        "or sanctioned for disturbing public order or obstructing official duties.",
    ),
    NegativeItem(
        7,
        "在疫情防控、抗洪救灾等重大应急处置工作中存在玩忽职守、不服从安排、干扰破坏等情形的，"
        "本届任职内考核不称职、有被依法罢免等情形，近3年内曾被评为不合格党员，以及长期外出"
        "不能正常履行职务的",
        "Derelict, insubordinate or obstructive in emergencies (epidemic, floods); rated "
        "incompetent or recalled in the current term; rated an unqualified party member "
        "in the last 3 years; or long absent and unable to serve.",
    ),
    NegativeItem(
        8,
        "有截留挪用惠民政策资金、侵占村（社区）集体财产等行为未整改到位的",
        "Withheld or misappropriated public welfare funds or took collective property of "
        "the village (community), not yet remedied.",
    ),
    NegativeItem(
        9,
        "有严重违法用地、违章建房行为尚未整改的，近5年内有严重损害生态环境行为的，有恶意失信"
        "行为被法院纳入失信被执行人名单且至今未撤销的",
        "Serious illegal land use or building not yet remedied; serious environmental "
        "damage in the last 5 years; on the courts' list of dishonest judgment debtors "
        "and not removed.",
    ),
    NegativeItem(
        10,
        "其他不宜确定为村（社区）“两委”成员候选人的",
        "Otherwise unsuitable as a candidate for the two committees.",
    ),
)

#: The departments that review the candidates with the organisation department, in the
#: seed's order (004: 区委组织部会同纪检监察机关、法院、检察院和统战、政法、信访、公安、
#: 民政、司法、自然资源、生态环境、住建、卫健、应急管理、税务等部门…进行资格联审).
SEED_DEPARTMENTS: tuple[str, ...] = (
    "纪检监察机关",
    "法院",
    "检察院",
    "统战部",
    "政法委",
    "信访局",
    "公安局",
    "民政局",
    "司法局",
    "自然资源局",
    "生态环境局",
    "住建局",
    "卫健局",
    "应急管理局",
    "税务局",
)

BY_NUMBER: Mapping[int, NegativeItem] = MappingProxyType(
    {item.number: item for item in NEGATIVE_LIST}
)

Outcome = Literal["clear", "hit"]


@dataclass(frozen=True)
class Verdict:
    """One department's verdict on one candidate: ``clear``, or ``hit`` with the items
    of the list it falls under (at least one) and the evidence in ``note``."""

    candidate: Hashable
    department: Hashable
    outcome: Outcome
    items: tuple[int, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in ("clear", "hit"):
            raise ValueError(f"unknown outcome: {self.outcome!r}")
        if self.outcome == "hit" and not self.items:
            raise ValueError("a hit names at least one item of the negative list")
        if self.outcome == "clear" and self.items:
            raise ValueError("a clear verdict names no item")
        unknown = [n for n in self.items if n not in BY_NUMBER]
        if unknown:
            raise ValueError(f"not an item of the negative list: {unknown}")


State = Literal["clear", "disqualified", "awaiting"]


@dataclass(frozen=True)
class Review:
    """Where one candidate stands in the joint review.

    ``disqualified`` as soon as any department found a hit, whatever the others say or
    have yet to say (``items`` are all the items hit, ``by`` the departments that hit);
    else ``awaiting`` while ``awaiting`` names departments without a verdict; else
    ``clear``.
    """

    candidate: Hashable
    state: State
    items: tuple[int, ...] = ()
    by: tuple[Hashable, ...] = ()
    awaiting: tuple[Hashable, ...] = ()


def review(
    candidates: Iterable[Hashable],
    departments: Collection[Hashable],
    verdicts: Iterable[Verdict],
) -> list[Review]:
    """The review state of each candidate, in the order of ``candidates``.

    A department may revise its verdict: of several verdicts by one department on one
    candidate the last counts. A verdict by a department not (any longer) in
    ``departments`` still counts — a hit found is a hit — but no verdict is awaited
    from it.
    """
    latest: dict[tuple[Hashable, Hashable], Verdict] = {}
    for verdict in verdicts:
        latest[(verdict.candidate, verdict.department)] = verdict
    by_candidate: dict[Hashable, list[Verdict]] = {}
    for verdict in latest.values():
        by_candidate.setdefault(verdict.candidate, []).append(verdict)
    reviews = []
    for candidate in dict.fromkeys(candidates):
        given = by_candidate.get(candidate, [])
        hits = [v for v in given if v.outcome == "hit"]
        if hits:
            items = tuple(sorted({n for v in hits for n in v.items}))
            reviews.append(
                Review(candidate, "disqualified", items, tuple(v.department for v in hits))
            )
            continue
        answered = {v.department for v in given}
        awaiting = tuple(d for d in departments if d not in answered)
        reviews.append(Review(candidate, "awaiting" if awaiting else "clear", awaiting=awaiting))
    return reviews


def check_reviews(reviews: Iterable[Review]) -> list[Finding]:
    """What stops the formal list (正式候选人名单) from being made: a verdict still
    missing on a candidate who is not already disqualified (DOMAIN §5.2). The
    disqualified are not findings here: they leave the list and are replaced."""
    waiting = [r for r in reviews if r.state == "awaiting"]
    if not waiting:
        return []
    departments = len({d for r in waiting for d in r.awaiting})
    return [
        error(
            "review.awaiting",
            "§5.2",
            f"尚有{len(waiting)}名候选人未完成联审（{departments}个部门未反馈意见），不能确定正式候选人",
            f"{len(waiting)} candidate(s) still await a verdict from {departments} "
            "department(s); the formal list cannot be made.",
            candidates=[r.candidate for r in waiting],
            departments=departments,
        )
    ]


def check_departments(departments: Collection[Hashable]) -> list[Finding]:
    """A joint review with no department reviews nothing: until the cycle names its
    departments, the formal list cannot be made (DOMAIN §5.2)."""
    if departments:
        return []
    return [
        error(
            "review.no_departments",
            "§5.2",
            "尚未确定联审部门，不能进行资格联审",
            "No joint-review department has been set up for the cycle; nobody can be reviewed.",
        )
    ]
