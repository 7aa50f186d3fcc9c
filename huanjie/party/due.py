"""Who is due to attend (应到会) a party election's meeting (DOMAIN §8), derived from
the roster and the recorded leaves — never typed.

Everyone with a vote in the organisations of the election's place is due, except
those whose leave (:class:`~huanjie.party.models.Leave`) passes every check of
:func:`huanjie.rules.members.check_leave` by the day of the meeting. At a delegate
congress (党员代表大会) the due are the delegates whose credentials are confirmed
(:func:`huanjie.party.congress.seated`).

The due number decides both the quorum and the majority that elects, so the page
shows how it comes about: the members, those without a vote by reason, those left
out by situation, and the leaves recorded that do not count (yet).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from huanjie.party.models import Leave, Meeting, Member, Organisation
from huanjie.rules import members as rules
from huanjie.rules.findings import Finding

__all__ = [
    "Due",
    "breakdown",
    "due_members",
    "leave_findings",
    "organisation_of",
    "roster_of",
    "rule_leave",
]

#: The organisation kinds from the highest: a place with a party committee elects it.
KIND_ORDER = (
    Organisation.Kind.COMMITTEE,
    Organisation.Kind.GENERAL_BRANCH,
    Organisation.Kind.BRANCH,
)


def rule_leave(leave: Leave) -> rules.Leave:
    """The rules core's view of a recorded leave: an approval counts once dated."""
    return rules.Leave(
        member=leave.member_id,
        reason=rules.Exclusion(leave.reason),
        since=leave.since,
        branch_decided=leave.branch_decided_on is not None,
        upper_level_agreed=leave.upper_level_agreed_on is not None,
        meeting_approved=leave.meeting_approved_on is not None,
    )


def roster_of(election):
    """The members of the organisations of the election's place."""
    return (
        Member.objects.filter(organisation__place_id=election.place_id)
        .select_related("resident", "organisation")
        .order_by("organisation_id", "id")
    )


def organisation_of(election) -> Organisation | None:
    """The organisation whose committee the election elects: the place's highest."""
    found = list(Organisation.objects.filter(place_id=election.place_id))
    found.sort(key=lambda o: (KIND_ORDER.index(o.kind), o.pk))
    return found[0] if found else None


def leave_findings(leave: Leave, day: date) -> list[Finding]:
    """What :func:`huanjie.rules.members.check_leave` says of ``leave`` by ``day``."""
    return rules.check_leave(rule_leave(leave), leave.member.as_rule(), day)


@dataclass
class Due:
    """The due number of a meeting on ``day`` and how it comes about."""

    day: date
    members: list[Member]  # those due
    roster: int = 0  # members of the organisations
    without_vote: dict[str, list[Member]] = field(default_factory=dict)  # reason → members
    left_out: dict[str, list[Member]] = field(default_factory=dict)  # situation → members
    not_counting: list[Leave] = field(default_factory=list)  # leaves recorded, not counting
    congress: bool = False

    @property
    def number(self) -> int:
        return len(self.members)

    @property
    def voters(self) -> int:
        """Members with a vote, before any is left out."""
        return self.roster - sum(len(m) for m in self.without_vote.values())


def _election_and_kind(meeting_or_election):
    if isinstance(meeting_or_election, Meeting):
        return meeting_or_election.election, meeting_or_election.kind
    return meeting_or_election, Meeting.Kind.MEMBERS


def breakdown(meeting_or_election, day: date | None = None) -> Due:
    """The due of a meeting (or of the members' meeting of an election) on ``day``,
    the meeting's day by default, with the reasons (see :class:`Due`)."""
    election, kind = _election_and_kind(meeting_or_election)
    if day is None:
        day = getattr(meeting_or_election, "held_on", None) or timezone.localdate()
    if kind == Meeting.Kind.CONGRESS:
        from huanjie.party.congress import seated

        delegates = list(seated(election))
        return Due(day, delegates, roster=len(delegates), congress=True)
    roster = list(roster_of(election))
    without_vote = defaultdict(list)
    voters = {}
    for member in roster:
        reason = rules.no_vote_reason(member.as_rule())
        if reason is None:
            voters[member.pk] = member
        else:
            without_vote[reason].append(member)
    left_out = defaultdict(list)
    not_counting = []
    leaves = Leave.objects.filter(election=election).select_related("member__resident")
    for leave in leaves:
        if leave.member_id not in voters:
            continue
        if any(f.is_error for f in leave_findings(leave, day)):
            not_counting.append(leave)
        else:
            left_out[leave.reason].append(voters.pop(leave.member_id))
    return Due(
        day,
        list(voters.values()),
        roster=len(roster),
        without_vote=dict(without_vote),
        left_out=dict(left_out),
        not_counting=not_counting,
    )


def due_members(meeting_or_election, day: date | None = None) -> list[Member]:
    """Those due to attend the meeting (or the election's members' meeting) on ``day``."""
    return breakdown(meeting_or_election, day).members
