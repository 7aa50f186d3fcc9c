"""The checklist of one place's term change and the date each step is due
(DOMAIN §3 for the committee election, §5.1 and §8 for the party election).

Deadlines are computed, not typed: from election day D and the rule profile. Those the
law sets (the voter list at least 20 days before D, objections within 5 days, …) come
from the profile's parameters; the rest come from the profile's ``plan``, the seed work
plan's dates as days from D. Changing D, or overriding a parameter for a township,
therefore moves every deadline at once.

Some steps may not be signed off before others (:func:`unmet_requirements`). Only real
dependencies are gates — a later step that uses what an earlier one produces, or a rule
that says "not before" — because a gate that is not in the law would stop work that
the law allows.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Literal

from huanjie.rules.profiles import Profile

Phase = Literal["preparation", "party", "committee", "after"]


@dataclass(frozen=True)
class Step:
    """One item of the checklist.

    ``requires`` lists the steps that must be finished before this one can be signed
    off. An ``optional`` step (the run-off) happens only when needed and is not counted
    in the progress. ``statutory`` marks a deadline set by law through the profile's
    parameters rather than by the work plan.
    """

    key: str
    title_zh: str
    title_en: str
    section: str
    phase: Phase
    requires: tuple[str, ...] = ()
    optional: bool = False
    statutory: bool = False


STEPS: tuple[Step, ...] = (
    # Preparation (DOMAIN §3). Nothing starts before the audit: 审计不结束不换届.
    Step("survey", "调查摸底", "Survey", "§3", "preparation"),
    Step("org_setting", "优化组织设置", "Organisation setting", "§3", "preparation"),
    Step("financial_audit", "财务清理和离任审计", "Financial audit", "§3", "preparation"),
    Step("democratic_evaluation", "民主测评", "Democratic evaluation", "§3", "preparation"),
    Step("election_plan", "换届方案报审定", "Election plan approved", "§3", "preparation"),
    # Party election, 两推一选 (DOMAIN §5.1, §8); in the seed it comes first.
    Step(
        "party_recommendation",
        "党员和群众推荐",
        "Recommendation by members and public",
        "§5.1",
        "party",
    ),
    # The township committee decides on the basis of the recommendation (004 推荐阶段).
    Step(
        "party_township_review",
        "乡镇（街道）党委研究推荐",
        "Township committee review",
        "§5.1",
        "party",
        ("party_recommendation",),
    ),
    # Joint review and inspection are of the people the township put forward.
    Step(
        "party_inspection",
        "资格联审和组织考察",
        "Joint review and inspection",
        "§5.1",
        "party",
        ("party_township_review",),
    ),
    # "没有经过组织考察、资格审查和公示的，不能列为候选人" (004).
    Step(
        "party_publicity",
        "候选人预备人选公示",
        "Public notice of party candidates",
        "§5.1",
        "party",
        ("party_inspection",),
        statutory=True,
    ),
    # The township approves the candidates after the notice has run (004: 公示结束后…批复).
    Step(
        "party_approval_of_candidates",
        "候选人预备人选批复",
        "Candidates approved",
        "§8",
        "party",
        ("party_publicity",),
    ),
    # The meeting votes on approved, published candidates, and not before the audit.
    Step(
        "party_members_meeting",
        "党员大会选举",
        "Party members' meeting",
        "§8",
        "party",
        ("party_publicity", "party_approval_of_candidates", "financial_audit"),
    ),
    # The new committee, elected by the meeting, elects its secretary and deputies.
    Step(
        "party_first_plenary",
        "新一届委员会第一次全体会议",
        "First plenary",
        "§8",
        "party",
        ("party_members_meeting",),
    ),
    Step(
        "party_results_approval",
        "选举结果报批",
        "Results approved",
        "§8",
        "party",
        ("party_first_plenary",),
    ),
    # Committee election (DOMAIN §3). Its start is the election committee: the audit
    # gate and the approved plan apply here.
    Step(
        "election_committee",
        "推选选举委员会",
        "Election committee elected",
        "§3",
        "committee",
        ("financial_audit", "election_plan"),
    ),
    # The election committee registers the voters (DOMAIN §1).
    Step(
        "voter_registration",
        "选民登记",
        "Voter registration",
        "§4",
        "committee",
        ("election_committee",),
    ),
    Step(
        "voter_list_published",
        "张榜公布选民名单",
        "Voter list published",
        "§3",
        "committee",
        ("voter_registration", "election_committee"),
        statutory=True,
    ),
    # The objection window runs from the publication of the list.
    Step(
        "objections_closed",
        "申诉期满",
        "Objection window closed",
        "§3",
        "committee",
        ("voter_list_published",),
        statutory=True,
    ),
    Step(
        "objections_decided",
        "申诉处理决定公布",
        "Objections decided",
        "§3",
        "committee",
        ("objections_closed",),
        statutory=True,
    ),
    # Voters on the published list nominate; outgoing members are evaluated before.
    Step(
        "nomination",
        "提名候选人",
        "Nomination",
        "§5.1",
        "committee",
        ("voter_list_published", "democratic_evaluation"),
    ),
    Step(
        "qualification_review",
        "资格审查（联审）",
        "Qualification review",
        "§5.2",
        "committee",
        ("nomination",),
    ),
    Step(
        "formal_candidates_published",
        "公布正式候选人",
        "Formal candidates published",
        "§3",
        "committee",
        ("qualification_review",),
        statutory=True,
    ),
    # Formal candidates may not be proxies (DOMAIN §6), so the proxy list needs them.
    Step(
        "proxy_list_published",
        "公布委托投票名单",
        "Proxy list published",
        "§6",
        "committee",
        ("formal_candidates_published",),
        statutory=True,
    ),
    # Only voters on the roll may use a mobile box.
    Step(
        "mobile_box_published",
        "公布流动票箱选民",
        "Mobile-box voters published",
        "§6",
        "committee",
        ("voter_list_published",),
        statutory=True,
    ),
    # Ballots list the formal candidates; the roll is final once objections are decided.
    Step(
        "voting",
        "投票选举",
        "Voting",
        "§6",
        "committee",
        ("formal_candidates_published", "objections_decided"),
        statutory=True,
    ),
    Step(
        "results_reported",
        "选举结果上报",
        "Results reported",
        "§3",
        "committee",
        ("voting",),
        statutory=True,
    ),
    Step(
        "runoff",
        "另行选举",
        "Run-off",
        "§7",
        "committee",
        ("voting",),
        optional=True,
        statutory=True,
    ),
    # After the election (DOMAIN §3, §9).
    Step("handover", "新老班子交接", "Handover", "§9", "after", ("voting",)),
    Step(
        "filing_and_certificates",
        "备案和颁发当选证书",
        "Filing and certificates",
        "§9",
        "after",
        ("results_reported",),
    ),
    Step("archive", "资料归档", "Archive", "§9", "after", ("handover", "filing_and_certificates")),
)

BY_KEY: Mapping[str, Step] = MappingProxyType({s.key: s for s in STEPS})


def formal_list_deadline(election_day: date, profile: Profile) -> date:
    """The last day the formal candidates may be published: ``formal_candidates_days_before``
    days before D (DOMAIN §3, §12)."""
    return election_day - timedelta(days=profile.formal_candidates_days_before)


def runoff_deadline(election_day: date, profile: Profile) -> date:
    """The last day of a run-off (另行选举) after the vote of ``election_day``: within
    ``runoff_within_days`` (DOMAIN §7 item 7, §12; seed 004: 选举当日或选举日后的十日内)."""
    return election_day + timedelta(days=profile.runoff_within_days)


def publicity_end(start: date, profile: Profile) -> date:
    """The day the party candidates' public notice (公示) posted on ``start`` is over:
    ``party_publicity_days`` later (DOMAIN §5.1, §12; the seed's 12-21 notice ran to
    12-26)."""
    return start + timedelta(days=profile.party_publicity_days)


def windows(election_day: date, profile: Profile) -> dict[str, tuple[date, date]]:
    """(first day, last day) of the steps that are periods rather than moments: the
    objection window after the voter list, and the party candidates' public notice."""
    listed = election_day - timedelta(days=profile.voter_list_days_before)
    notice = election_day + timedelta(days=profile.plan["party_publicity"])
    return {
        "objections_closed": (listed, listed + timedelta(days=profile.objection_days)),
        "party_publicity": (notice, publicity_end(notice, profile)),
    }


def due_dates(election_day: date, profile: Profile) -> dict[str, date]:
    """The date each step is due, for every step of :data:`STEPS`.

    Statutory deadlines (DOMAIN §3, §7): the voter list ``voter_list_days_before`` days
    before D; objections close ``objection_days`` after it and are decided
    ``objection_decision_days`` after that; formal candidates
    ``formal_candidates_days_before`` days before D; the proxy and mobile-box lists the
    day before D; results reported by the day after D; a run-off within
    ``runoff_within_days``; the party notice runs ``party_publicity_days`` from its
    planned start. Other steps: D plus the profile's planned offset.

    Planned dates give way to legal ones, so that the gates can be met: a planned step
    is due no earlier than the steps it requires (a 7-day party notice moves the
    approval after it) and no later than the steps that require it (a voter list 30
    days before D moves the registration before it). Statutory deadlines never move.
    With the seed's plan and the national or Hunan parameters nothing moves.
    """
    day = election_day
    due = {
        key: day + timedelta(days=offset) for key, offset in profile.plan.items() if key in BY_KEY
    }
    spans = windows(day, profile)
    objections_closed = spans["objections_closed"][1]
    due |= {
        "party_publicity": spans["party_publicity"][1],
        "voter_list_published": day - timedelta(days=profile.voter_list_days_before),
        "objections_closed": objections_closed,
        "objections_decided": objections_closed + timedelta(days=profile.objection_decision_days),
        "formal_candidates_published": formal_list_deadline(day, profile),
        "proxy_list_published": day - timedelta(days=1),
        "mobile_box_published": day - timedelta(days=1),
        "voting": day,
        "results_reported": day + timedelta(days=1),
        "runoff": runoff_deadline(day, profile),
    }
    # Requirements always come earlier in STEPS, so one pass each way suffices.
    for step in STEPS:
        if not step.statutory and step.requires:
            due[step.key] = max(due[step.key], *(due[r] for r in step.requires))
    for step in reversed(STEPS):
        for required in step.requires:
            if not BY_KEY[required].statutory:
                due[required] = min(due[required], due[step.key])
    return {s.key: due[s.key] for s in STEPS}


def overdue(due: date, done_on: date | None, today: date) -> bool:
    """A step is overdue when it is still pending after its due date."""
    return done_on is None and today > due


def late(due: date, done_on: date | None) -> bool:
    """A step was late when it was finished after its due date."""
    return done_on is not None and done_on > due


def unmet_requirements(key: str, done_keys: Collection[str]) -> tuple[str, ...]:
    """The steps that must be finished before ``key`` and are not, in the order of
    :attr:`Step.requires`."""
    return tuple(r for r in BY_KEY[key].requires if r not in done_keys)


def progress(done_keys: Collection[str]) -> tuple[int, int]:
    """(finished, total) over the steps that every place must do (optional ones left
    out: a place that needs no run-off is not behind)."""
    required = [s.key for s in STEPS if not s.optional]
    return sum(1 for k in required if k in done_keys), len(required)
