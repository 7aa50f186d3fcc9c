"""Complaints and reports (信访/举报) and incidents of the cycle (DOMAIN §10).

The discipline of the election is the "eight prohibitions" (八个严禁); a complaint is
about one of them or about the work itself (registration, a candidate's qualification,
the procedure). Each complaint is registered with the day it was received and gets an
answer deadline; one still open after it is overdue, and overdue complaints are
referred to the county office.

An incident (a disturbance, a threat to the vote) has a level — 一般, 较重 or 严重 —
that says whom it is reported to; one not handled within its level's hours rises one
level, so that nothing stays with a level that could not handle it.

The numbers here are choices, not law, and each is a parameter of the functions that
use it:

* ``ANSWER_DAYS`` = 15: the period within which a complaint received must be answered
  in writing (书面告知, 《信访工作条例》 and the earlier 信访条例 art. 22: within 15 days
  of receiving it). A county may set a shorter one during the 换届; pass ``days``.
* ``HANDLE_WITHIN_HOURS``: 一般 72 hours at the township office; 较重 24 hours with the
  township leading group and the county office; 严重 goes to the county leading group
  at once and has no level above it. The work plans require "第一时间报告" of serious
  matters without fixing hours; these follow the usual 72/24-hour practice of
  emergency reporting.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from huanjie.rules import findings
from huanjie.rules.findings import Finding

#: Days from the day a complaint is received to its answer deadline (configurable).
ANSWER_DAYS = 15

SECTION = "§10"


class ComplaintType(StrEnum):
    """What a complaint is about: one of the eight prohibitions (八个严禁), or the work."""

    THREATS = "threats"
    BRIBERY = "bribery"
    CLAN_INTERFERENCE = "clan_interference"
    SMEARING = "smearing"
    DISRUPTING_VOTE = "disrupting_vote"
    COLLECTIVE_ASSETS = "collective_assets"
    LOBBYING = "lobbying"
    REFUSING_HANDOVER = "refusing_handover"
    VOTER_REGISTRATION = "voter_registration"
    CANDIDATE_QUALIFICATION = "candidate_qualification"
    PROCEDURE = "procedure"
    OTHER = "other"

    @property
    def title_zh(self) -> str:
        return _TYPE_TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _TYPE_TITLES[self][1]

    @property
    def is_prohibition(self) -> bool:
        """Whether the complaint alleges a breach of the eight prohibitions."""
        return self in PROHIBITIONS


_TYPE_TITLES: Mapping[ComplaintType, tuple[str, str]] = {
    ComplaintType.THREATS: ("严禁威胁恐吓、强迫选民", "threats or coercion"),
    ComplaintType.BRIBERY: (
        "严禁贿选（含发红包）",
        "bribery, including red envelopes",
    ),
    ComplaintType.CLAN_INTERFERENCE: (
        "严禁宗族、宗派和黑恶势力干扰",
        "interference by clans or gangs",
    ),
    ComplaintType.SMEARING: ("严禁造谣诽谤、诋毁他人", "smearing others"),
    ComplaintType.DISRUPTING_VOTE: (
        "严禁破坏选举、伪造选票",
        "disrupting the vote or forging ballots",
    ),
    ComplaintType.COLLECTIVE_ASSETS: (
        "严禁突击花钱、私分集体资产",
        "spending or dividing collective assets",
    ),
    ComplaintType.LOBBYING: ("严禁拉票、说情打招呼", "lobbying or canvassing"),
    ComplaintType.REFUSING_HANDOVER: ("严禁拒不移交工作", "refusing the handover"),
    ComplaintType.VOTER_REGISTRATION: ("选民登记", "voter registration"),
    ComplaintType.CANDIDATE_QUALIFICATION: ("候选人资格", "candidate qualification"),
    ComplaintType.PROCEDURE: ("选举程序", "election procedure"),
    ComplaintType.OTHER: ("其他", "other"),
}

#: The eight prohibitions (八个严禁), in the order the discipline lists them.
PROHIBITIONS: tuple[ComplaintType, ...] = tuple(ComplaintType)[:8]


class Channel(StrEnum):
    """How a complaint reached the office."""

    LETTER = "letter"
    VISIT = "visit"
    PHONE = "phone"
    ONLINE = "online"
    HOTLINE = "hotline"

    @property
    def title_zh(self) -> str:
        return _CHANNEL_TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _CHANNEL_TITLES[self][1]


_CHANNEL_TITLES: Mapping[Channel, tuple[str, str]] = {
    Channel.LETTER: ("来信", "letter"),
    Channel.VISIT: ("来访", "visit"),
    Channel.PHONE: ("来电", "phone"),
    Channel.ONLINE: ("网上信访", "online"),
    Channel.HOTLINE: ("举报热线", "hotline"),
}


class Outcome(StrEnum):
    """What the inquiry found (查实情况)."""

    SUBSTANTIATED = "substantiated"
    PARTLY = "partly"
    UNSUBSTANTIATED = "unsubstantiated"

    @property
    def title_zh(self) -> str:
        return _OUTCOME_TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _OUTCOME_TITLES[self][1]

    @property
    def needs_measures(self) -> bool:
        """A complaint found true, even in part, is closed with what was done about it."""
        return self is not Outcome.UNSUBSTANTIATED


_OUTCOME_TITLES: Mapping[Outcome, tuple[str, str]] = {
    Outcome.SUBSTANTIATED: ("属实", "substantiated"),
    Outcome.PARTLY: ("部分属实", "partly substantiated"),
    Outcome.UNSUBSTANTIATED: ("不属实", "not substantiated"),
}


# -- the answer deadline ----------------------------------------------------------------


def answer_deadline(received_on: date, days: int = ANSWER_DAYS) -> date:
    """The last day to answer a complaint received on ``received_on``: ``days`` days
    after it (the day of receipt itself is not counted, as in every legal period)."""
    if days < 1:
        raise ValueError("the answer period is at least one day")
    return received_on + timedelta(days=days)


def is_overdue(deadline: date, today: date, closed_on: date | None = None) -> bool:
    """An open complaint is overdue from the day after its deadline; a closed one was
    overdue if it was closed after it."""
    return (closed_on or today) > deadline


def days_overdue(deadline: date, today: date, closed_on: date | None = None) -> int:
    """Days past the deadline (0 when in time)."""
    return max(0, ((closed_on or today) - deadline).days)


def days_left(deadline: date, today: date) -> int:
    """Days remaining to answer, today and the deadline both counted; 0 once past."""
    return max(0, (deadline - today).days + 1)


def check_complaint(
    received_on: date,
    today: date,
    *,
    complainant: str = "",
    closed_on: date | None = None,
    outcome: Outcome | None = None,
    measures: str = "",
) -> list[Finding]:
    """What is wrong with a complaint's days and outcome: received in the future, closed
    before received or in the future, closed without an outcome, or found true without
    the measures taken. An anonymous complaint is registered all the same (a warning:
    it cannot be answered in writing)."""
    found: list[Finding] = []
    if received_on > today:
        found.append(
            findings.error(
                "complaints.received_in_future",
                SECTION,
                "收到日期不能晚于今天。",
                "The day received cannot be in the future.",
                received_on=received_on.isoformat(),
            )
        )
    if closed_on is not None:
        if closed_on < received_on:
            found.append(
                findings.error(
                    "complaints.closed_before_received",
                    SECTION,
                    "办结日期不能早于收到日期。",
                    "The day closed cannot come before the day received.",
                    closed_on=closed_on.isoformat(),
                    received_on=received_on.isoformat(),
                )
            )
        if closed_on > today:
            found.append(
                findings.error(
                    "complaints.closed_in_future",
                    SECTION,
                    "办结日期不能晚于今天。",
                    "The day closed cannot be in the future.",
                    closed_on=closed_on.isoformat(),
                )
            )
        if outcome is None:
            found.append(
                findings.error(
                    "complaints.no_outcome",
                    SECTION,
                    "办结时须写明查实情况（属实、部分属实或不属实）。",
                    "A complaint is closed with its outcome: substantiated, partly or not.",
                )
            )
    if outcome is not None and outcome.needs_measures and not measures.strip():
        found.append(
            findings.error(
                "complaints.no_measures",
                SECTION,
                "反映问题属实或部分属实的，须写明处理措施。",
                "A complaint found true, even in part, is closed with the measures taken.",
                outcome=outcome.value,
            )
        )
    if not complainant.strip():
        found.append(
            findings.warning(
                "complaints.anonymous",
                SECTION,
                "匿名举报：照常登记核查，无法书面答复。",
                "Anonymous: registered and looked into, but cannot be answered in writing.",
            )
        )
    return found


# -- incidents --------------------------------------------------------------------------


class Recipient(StrEnum):
    """Who an incident or a complaint is reported to."""

    TOWNSHIP_OFFICE = "township_office"
    TOWNSHIP_GROUP = "township_group"
    COUNTY_OFFICE = "county_office"
    COUNTY_GROUP = "county_group"

    @property
    def title_zh(self) -> str:
        return _RECIPIENT_TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _RECIPIENT_TITLES[self][1]

    @property
    def is_county(self) -> bool:
        return self in (Recipient.COUNTY_OFFICE, Recipient.COUNTY_GROUP)


_RECIPIENT_TITLES: Mapping[Recipient, tuple[str, str]] = {
    Recipient.TOWNSHIP_OFFICE: ("乡镇（街道）换届办", "township office"),
    Recipient.TOWNSHIP_GROUP: ("乡镇（街道）换届领导小组", "township leading group"),
    Recipient.COUNTY_OFFICE: ("县（区）换届办", "county office"),
    Recipient.COUNTY_GROUP: ("县（区）换届领导小组", "county leading group"),
}


class Level(StrEnum):
    """How grave an incident is, lowest first."""

    GENERAL = "general"
    SERIOUS = "serious"
    SEVERE = "severe"

    @property
    def title_zh(self) -> str:
        return _LEVEL_TITLES[self][0]

    @property
    def title_en(self) -> str:
        return _LEVEL_TITLES[self][1]

    @property
    def rank(self) -> int:
        return LEVELS.index(self)

    @property
    def reported_to(self) -> tuple[Recipient, ...]:
        """Whom an incident at this level is reported to."""
        return REPORTED_TO[self]

    @property
    def handle_within(self) -> timedelta | None:
        """How long an incident may stay at this level unhandled before it rises; None
        at the top level."""
        hours = HANDLE_WITHIN_HOURS[self]
        return None if hours is None else timedelta(hours=hours)

    @property
    def next(self) -> "Level | None":
        """The level above, or None at the top."""
        return LEVELS[self.rank + 1] if self.rank + 1 < len(LEVELS) else None

    @property
    def reaches_county(self) -> bool:
        return any(r.is_county for r in self.reported_to)


_LEVEL_TITLES: Mapping[Level, tuple[str, str]] = {
    Level.GENERAL: ("一般", "general"),
    Level.SERIOUS: ("较重", "serious"),
    Level.SEVERE: ("严重", "severe"),
}

LEVELS: tuple[Level, ...] = tuple(Level)

REPORTED_TO: Mapping[Level, tuple[Recipient, ...]] = {
    Level.GENERAL: (Recipient.TOWNSHIP_OFFICE,),
    Level.SERIOUS: (Recipient.TOWNSHIP_GROUP, Recipient.COUNTY_OFFICE),
    Level.SEVERE: (Recipient.COUNTY_GROUP,),
}

#: Hours an incident may stay at its level unhandled (None: the top, reported at once).
HANDLE_WITHIN_HOURS: Mapping[Level, int | None] = {
    Level.GENERAL: 72,
    Level.SERIOUS: 24,
    Level.SEVERE: None,
}


@dataclass(frozen=True)
class Escalation:
    """One rise of an incident: from a level to the next, due at ``due``."""

    from_level: Level
    to_level: Level
    due: datetime


def escalation_due(level: Level, since: datetime, hours: Mapping | None = None) -> datetime | None:
    """When an incident at ``level`` since ``since`` rises if still unhandled; None at
    the top level."""
    limit = (hours or HANDLE_WITHIN_HOURS)[level]
    if limit is None or level.next is None:
        return None
    return since + timedelta(hours=limit)


def escalations(
    level: Level, since: datetime, now: datetime, hours: Mapping | None = None
) -> list[Escalation]:
    """The rises an unhandled incident has gone through by ``now``: each level is
    reached when the one below has run out of time, so an incident left alone for 100
    hours at 一般 is 较重 at 72 hours and 严重 at 96."""
    found = []
    due = escalation_due(level, since, hours)
    while due is not None and due <= now:
        above = level.next
        found.append(Escalation(level, above, due))
        level, since = above, due
        due = escalation_due(level, since, hours)
    return found


def needs_attention(level: Level, escalated: bool, resolved: bool) -> bool:
    """An open incident at 较重 or 严重, or one that has risen, is shown to those it is
    reported to until it is resolved."""
    return not resolved and (level is not Level.GENERAL or escalated)


#: Whom an overdue complaint is referred to: the county office watches the township's.
OVERDUE_COMPLAINT_TO = Recipient.COUNTY_OFFICE
