"""Party members and who counts at the members' meeting (党员大会, DOMAIN §2 item 3, §8).

Only full members (正式党员) vote. A probationary member (预备党员) and a member under
probation sanction (留党察看) take part without a vote; a member detained or arrested is
suspended. Everyone with a vote is due to attend (应到会), except members in one of five
situations whom the branch decides, the upper level agrees and the meeting approves to
leave out — recorded, since the due number decides both the quorum (more than 4/5 of
those due present) and the majority a winner needs (more than half of those due).
The due number is therefore always derived from the roster, never typed.

The organisation setting follows the number of members: 50 or more usually make a
general branch (党总支), 100 or more a party committee (党委, with approval).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.profiles import NATIONAL, Profile

__all__ = [
    "GENERAL_BRANCH_FROM",
    "PARTY_COMMITTEE_FROM",
    "Exclusion",
    "Leave",
    "Member",
    "check_leave",
    "due_to_attend",
    "has_quorum",
    "has_vote",
    "no_vote_reason",
    "organisation_advice",
]

#: Members from which a general branch (党总支) is the usual setting (DOMAIN §2 item 3).
GENERAL_BRANCH_FROM = 50
#: Members from which a party committee (党委) is set up, with approval.
PARTY_COMMITTEE_FROM = 100

#: Months away that allow leaving a member out of the due number (DOMAIN §8).
MONTHS_AWAY = 6


@dataclass(frozen=True)
class Member:
    """A party member as the roster has them."""

    id: object
    name: str
    full: bool  # 正式党员; a probationary member (预备党员) is not
    under_probation_sanction: bool = False  # 留党察看
    suspended: bool = False  # detained or arrested


def no_vote_reason(member: Member) -> str | None:
    """Why ``member`` has no vote (§8), or None when they have one."""
    if not member.full:
        return "probationary"
    if member.under_probation_sanction:
        return "probation_sanction"
    if member.suspended:
        return "suspended"
    return None


def has_vote(member: Member) -> bool:
    return no_vote_reason(member) is None


class Exclusion(StrEnum):
    """The five situations in which a member with a vote may be left out of the due
    number (DOMAIN §8)."""

    UNABLE_TO_EXPRESS_WILL = "unable_to_express_will"  # 患精神疾病或不能表达本人意志
    ABROAD = "abroad"  # 自费出国出境半年以上
    BEDRIDDEN = "bedridden"  # 年老体弱卧床不起、长期生病生活不能自理
    AWAY = "away"  # 外出半年以上未转组织关系
    SERVING_SENTENCE = "serving_sentence"  # 正在服刑、未受留党察看以上处分

    @property
    def title_zh(self) -> str:
        return _TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _TITLES[self][1]

    @property
    def needs_months(self) -> bool:
        """Whether the situation counts only after :data:`MONTHS_AWAY` months."""
        return self in (Exclusion.ABROAD, Exclusion.AWAY)


_TITLES: Mapping[Exclusion, tuple[str, str]] = {
    Exclusion.UNABLE_TO_EXPRESS_WILL: (
        "患有精神病或其他原因不能表达本人意志",
        "mental illness or unable to express their will",
    ),
    Exclusion.ABROAD: ("自费出国出境半年以上", "abroad at own expense for six months or more"),
    Exclusion.BEDRIDDEN: (
        "年老体弱卧床不起或长期生病生活不能自理",
        "bedridden or unable to care for themselves",
    ),
    Exclusion.AWAY: (
        "外出半年以上且未转出组织关系",
        "away six months or more without transferring membership",
    ),
    Exclusion.SERVING_SENTENCE: (
        "正在服刑且未受留党察看以上党纪处分",
        "serving a sentence without a sanction above probation",
    ),
}


@dataclass(frozen=True)
class Leave:
    """A member left out of the due number: the situation, since when (for the two
    that count in months), and the three approvals, each needed."""

    member: object
    reason: Exclusion
    since: date | None = None
    branch_decided: bool = False  # 支部委员会研究决定
    upper_level_agreed: bool = False  # 上级党组织同意
    meeting_approved: bool = False  # 党员大会通过

    @property
    def approved(self) -> bool:
        return self.branch_decided and self.upper_level_agreed and self.meeting_approved


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def check_leave(leave: Leave, member: Member, meeting_day: date) -> list[Finding]:
    """What stands between ``leave`` and leaving the member out of the due number
    (DOMAIN §8): a member without a vote is not due anyway; the situations counted in
    months need their six months by the meeting; each approval is needed."""
    findings = []
    if not has_vote(member):
        findings.append(
            warning(
                "members.no_vote",
                "§8",
                f"{member.name}没有表决权，本不计入应到会人数",
                f"{member.name} has no vote and is not due to attend anyway.",
                member=member.id,
            )
        )
    if leave.reason.needs_months:
        if leave.since is None or _months_between(leave.since, meeting_day) < MONTHS_AWAY:
            findings.append(
                error(
                    "members.not_six_months",
                    "§8",
                    f"{member.name}：{leave.reason.title_zh}须满{MONTHS_AWAY}个月",
                    f"{member.name}: {leave.reason.title_en} needs {MONTHS_AWAY} months "
                    "by the day of the meeting.",
                    member=member.id,
                    reason=leave.reason.value,
                )
            )
    missing = [
        (zh, en)
        for done, zh, en in (
            (leave.branch_decided, "支部委员会研究决定", "the branch's decision"),
            (leave.upper_level_agreed, "上级党组织同意", "the upper level's consent"),
            (leave.meeting_approved, "党员大会通过", "the meeting's approval"),
        )
        if not done
    ]
    if missing:
        findings.append(
            error(
                "members.approval_missing",
                "§8",
                f"{member.name}不计入应到会人数还需：{'、'.join(zh for zh, _ in missing)}",
                f"Leaving {member.name} out of the due number still needs "
                f"{', '.join(en for _, en in missing)}.",
                member=member.id,
                missing=len(missing),
            )
        )
    return findings


def due_to_attend(members: Iterable[Member], leaves: Iterable[Leave], meeting_day: date) -> int:
    """The number due to attend (应到会): members with a vote, less those whose leave
    passes every check of :func:`check_leave`."""
    voters = {m.id: m for m in members if has_vote(m)}
    left_out = {
        leave.member
        for leave in leaves
        if leave.member in voters
        and not any(f.is_error for f in check_leave(leave, voters[leave.member], meeting_day))
    }
    return len(voters) - len(left_out)


def has_quorum(present: int, due: int, profile: Profile = NATIONAL) -> bool:
    """More than the profile's share (4/5) of those due are present (DOMAIN §8):
    exactly 80 of 100 is not enough, 81 is."""
    return Fraction(present) > profile.party_quorum * due


def organisation_advice(members: int) -> str:
    """The organisation setting the number of members suggests (DOMAIN §2 item 3):
    "committee" from 100, "general_branch" from 50, else "branch"."""
    if members >= PARTY_COMMITTEE_FROM:
        return "committee"
    if members >= GENERAL_BRANCH_FROM:
        return "general_branch"
    return "branch"
