"""Who counts and the members' meeting in the JSON API (DOMAIN §8): the leaves from
the due number with their approvals, the due number with its reasons, the meetings
with their attendance and quorum, the election method, the vote, and the seats given
up after it (减少名额).

The same services as the pages (:mod:`huanjie.party.leaves`, :mod:`huanjie.party.due`,
:mod:`huanjie.party.meetings`): out of scope is 404, a missing capability 403, a
refusal by a rule 400 with its message. ID numbers are masked. The schemas are named
Party… so that the OpenAPI components of the other parts keep their names.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_election
from huanjie.cycles.timeline import localized
from huanjie.party import due as due_of
from huanjie.party import leaves, meetings
from huanjie.party.models import Attendance, Leave, Meeting, SeatReduction
from huanjie.polling.api.checkin import scoped_poll
from huanjie.rules.identity import mask_id
from huanjie.rules.members import Exclusion, has_vote
from huanjie.rules.seats import Body

router = Router()


# Schemas


class PartyPerson(Schema):
    """A member of the roster: ``vote`` false for a probationary member, one under
    probation sanction or suspended."""

    id: int
    name: str
    id_number: str  # masked
    vote: bool


class PartyFinding(Schema):
    code: str
    level: str
    message: str


class PartyLeaveOut(Schema):
    """A leave from the due number; ``counts`` when it passes every check by the day
    of the meeting (``findings`` say what is missing)."""

    id: int
    member: PartyPerson
    reason: Exclusion
    since: date | None
    branch_decided_on: date | None
    upper_level_agreed_on: date | None
    meeting_approved_on: date | None
    note: str
    counts: bool
    findings: list[PartyFinding]


class PartyLeaveIn(Schema):
    """``upper_level_agreed_on`` only by the township or county (403 otherwise)."""

    member: int
    reason: Exclusion
    since: date | None = None
    branch_decided_on: date | None = None
    upper_level_agreed_on: date | None = None
    meeting_approved_on: date | None = None
    note: str = ""


class PartyLeaveChangeIn(Schema):
    """The fields given replace those recorded; ``null`` clears a day."""

    reason: Exclusion | None = None
    since: date | None = None
    branch_decided_on: date | None = None
    upper_level_agreed_on: date | None = None
    meeting_approved_on: date | None = None
    note: str | None = None


class PartyReasonIn(Schema):
    reason: str


class PartyGroup(Schema):
    reason: str
    members: list[PartyPerson]


class PartyDueOut(Schema):
    """The due number on ``day`` and how it comes about: the roster, those without a
    vote by reason, those left out by situation, and the leaves that do not count."""

    day: date
    due: int
    roster: int
    voters: int
    without_vote: list[PartyGroup]
    left_out: list[PartyGroup]
    not_counting: list[int]  # leave ids
    members: list[PartyPerson]


class PartyQuorum(Schema):
    """Present with a vote against those due; ``quorum`` when more than ``share``."""

    due: int
    present: int
    without_vote: int
    needed: int
    share: str
    quorum: bool


class PartyAttendance(Schema):
    id: int
    member: PartyPerson
    at: datetime
    user: str


class PartyMeetingOut(Schema):
    id: int
    election: int
    kind: Meeting.Kind
    held_on: date
    venue: str
    state: Meeting.State
    due: int | None  # kept when the vote opened or the meeting was adjourned
    present: int | None
    method_adopted_at: datetime | None
    method_text: str
    poll: int | None
    quorum: PartyQuorum
    attendance: list[PartyAttendance]


class PartyMeetingIn(Schema):
    held_on: date
    venue: str = ""
    kind: Meeting.Kind = Meeting.Kind.MEMBERS


class PartyMatch(Schema):
    member: PartyPerson
    no_vote: str | None
    due: bool
    attendance: int | None


class PartyCheckIn(Schema):
    member: int


class PartyMethodIn(Schema):
    text: str = ""


class PartyReductionIn(Schema):
    consenting: Annotated[int, Field(ge=0)]
    decided_on: date | None = None


class PartyReductionOut(Schema):
    id: int
    poll: int
    seats_before: int
    seats_after: int
    consenting: int
    base: int
    decided_on: date


# Lookups and answers


def party_election(request, election_id: int):
    election = scoped_election(request, election_id)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return election


def scoped_meeting(request, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("election__place", "election__cycle"), pk=meeting_id
    )
    permissions.require(request.user, permissions.VIEW, meeting.election.place)
    return meeting


def scoped_leave(request, leave_id: int) -> Leave:
    leave = get_object_or_404(
        Leave.objects.select_related("election__place", "election__cycle", "member__resident"),
        pk=leave_id,
    )
    permissions.require(request.user, permissions.VIEW, leave.election.place)
    return leave


def _person(member) -> dict:
    return {
        "id": member.pk,
        "name": member.resident.name,
        "id_number": mask_id(member.resident.id_number),
        "vote": has_vote(member.as_rule()),
    }


def _meeting_day(election) -> date:
    meeting = meetings.current(election)
    return meeting.held_on if meeting else (election.election_day or timezone.localdate())


def _leave(leave: Leave, day: date) -> dict:
    findings = due_of.leave_findings(leave, day)
    return {
        "id": leave.pk,
        "member": _person(leave.member),
        "reason": leave.reason,
        "since": leave.since,
        "branch_decided_on": leave.branch_decided_on,
        "upper_level_agreed_on": leave.upper_level_agreed_on,
        "meeting_approved_on": leave.meeting_approved_on,
        "note": leave.note,
        "counts": not any(f.is_error for f in findings),
        "findings": [
            {"code": f.code, "level": f.level, "message": localized(f.message_zh, f.message_en)}
            for f in findings
        ],
    }


def _quorum(found: meetings.Quorum) -> dict:
    return {
        "due": found.due,
        "present": found.present,
        "without_vote": found.without_vote,
        "needed": found.needed,
        "share": str(found.share),
        "quorum": found.quorum,
    }


def _meeting(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "election": meeting.election_id,
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "venue": meeting.place_name,
        "state": meeting.state,
        "due": meeting.due,
        "present": meeting.present,
        "method_adopted_at": meeting.method_adopted_at,
        "method_text": meeting.method_text,
        "poll": meeting.poll_id,
        "quorum": _quorum(meetings.quorum(meeting)),
        "attendance": [
            {
                "id": a.pk,
                "member": _person(a.member),
                "at": a.at,
                "user": a.user.get_username(),
            }
            for a in meetings.attendees(meeting)
        ],
    }


def _reduction(found: SeatReduction) -> dict:
    return {
        "id": found.pk,
        "poll": found.poll_id,
        "seats_before": found.seats_before,
        "seats_after": found.seats_after,
        "consenting": found.consenting,
        "base": found.base,
        "decided_on": found.decided_on,
    }


# Leaves and the due number


@router.get("/elections/{id}/party/due", response=PartyDueOut)
def due(request, id: int, day: date | None = None):
    """The due number of the election's members' meeting on ``day`` (the meeting's
    day by default) with its reasons."""
    election = party_election(request, id)
    found = due_of.breakdown(election, day or _meeting_day(election))
    return {
        "day": found.day,
        "due": found.number,
        "roster": found.roster,
        "voters": found.voters,
        "without_vote": [
            {"reason": k, "members": [_person(m) for m in v]} for k, v in found.without_vote.items()
        ],
        "left_out": [
            {"reason": k, "members": [_person(m) for m in v]} for k, v in found.left_out.items()
        ],
        "not_counting": [x.pk for x in found.not_counting],
        "members": [_person(m) for m in found.members],
    }


@router.get("/elections/{id}/party/leaves", response=list[PartyLeaveOut])
def leave_list(request, id: int):
    """The leaves of the election, each with its findings by the meeting's day."""
    election = party_election(request, id)
    day = _meeting_day(election)
    found = Leave.objects.filter(election=election).select_related("member__resident")
    return [_leave(x, day) for x in found.order_by("id")]


@router.post("/elections/{id}/party/leaves", response=PartyLeaveOut)
def leave_add(request, id: int, payload: PartyLeaveIn):
    """Leave a member out of the due number, with the approvals given so far."""
    election = party_election(request, id)
    member = get_object_or_404(due_of.roster_of(election), pk=payload.member)
    leave = leaves.record_leave(
        request.user,
        election,
        member,
        payload.reason,
        since=payload.since,
        branch_decided_on=payload.branch_decided_on,
        upper_level_agreed_on=payload.upper_level_agreed_on,
        meeting_approved_on=payload.meeting_approved_on,
        note=payload.note,
    )
    return _leave(leave, _meeting_day(election))


@router.patch("/party/leaves/{id}", response=PartyLeaveOut)
def leave_change(request, id: int, payload: PartyLeaveChangeIn):
    """Record an approval of a leave, or change its situation, days or note."""
    leave = scoped_leave(request, id)
    changes = payload.dict(exclude_unset=True)
    if changes.get("reason") is None:
        changes.pop("reason", None)
    if changes.get("note") is None:
        changes.pop("note", None)
    leaves.change_leave(request.user, leave, **changes)
    return _leave(leave, _meeting_day(leave.election))


@router.post("/party/leaves/{id}/withdraw", response=PartyDueOut)
def leave_withdraw(request, id: int, payload: PartyReasonIn):
    """Withdraw a leave, with the reason; the answer is the due number without it."""
    leave = scoped_leave(request, id)
    election = leave.election
    leaves.withdraw_leave(request.user, leave, payload.reason)
    return due(request, election.pk)


# Meetings


@router.get("/elections/{id}/party/meetings", response=list[PartyMeetingOut])
def meeting_list(request, id: int):
    election = party_election(request, id)
    return [_meeting(m) for m in meetings.meetings_of(election)]


@router.post("/elections/{id}/party/meetings", response=PartyMeetingOut)
def meeting_call(request, id: int, payload: PartyMeetingIn):
    """Call a members' meeting (or the approved delegate congress)."""
    election = party_election(request, id)
    meeting = meetings.call(
        request.user, election, payload.held_on, payload.venue, kind=payload.kind
    )
    return _meeting(meeting)


@router.get("/party/meetings/{id}", response=PartyMeetingOut)
def meeting_get(request, id: int):
    """A meeting with its attendance and its quorum now."""
    return _meeting(scoped_meeting(request, id))


@router.get("/party/meetings/{id}/find", response=list[PartyMatch])
def meeting_find(request, id: int, q: str):
    """The members ``q`` names: an ID number, pinyin initials or a name."""
    meeting = scoped_meeting(request, id)
    return [
        {
            "member": _person(m.member),
            "no_vote": m.no_vote,
            "due": m.due,
            "attendance": m.attendance.pk if m.attendance else None,
        }
        for m in meetings.find(meeting, q)
    ]


@router.post("/party/meetings/{id}/attendance", response=PartyMeetingOut)
def meeting_check_in(request, id: int, payload: PartyCheckIn):
    """Record a member present; refused a second time and for non-members."""
    meeting = scoped_meeting(request, id)
    member = get_object_or_404(due_of.roster_of(meeting.election), pk=payload.member)
    meetings.check_in(request.user, meeting, member)
    return _meeting(meeting)


@router.post("/party/meetings/{id}/attendance/{attendance_id}/undo", response=PartyMeetingOut)
def meeting_undo(request, id: int, attendance_id: int, payload: PartyReasonIn):
    """Take back a check-in made by mistake, with the reason."""
    meeting = scoped_meeting(request, id)
    attendance = get_object_or_404(
        Attendance.objects.select_related("member__resident"), pk=attendance_id, meeting=meeting
    )
    attendance.meeting = meeting
    meetings.undo(request.user, attendance, payload.reason)
    return _meeting(meeting)


@router.post("/party/meetings/{id}/adjourn", response=PartyMeetingOut)
def meeting_adjourn(request, id: int):
    """Adjourn the meeting for lack of quorum."""
    return _meeting(meetings.adjourn(request.user, scoped_meeting(request, id)))


@router.post("/party/meetings/{id}/method", response=PartyMeetingOut)
def meeting_method(request, id: int, payload: PartyMethodIn):
    """Adopt the election method (only with the quorum)."""
    return _meeting(meetings.adopt_method(request.user, scoped_meeting(request, id), payload.text))


@router.post("/party/meetings/{id}/vote", response=PartyMeetingOut)
def meeting_vote(request, id: int):
    """Open the vote (quorum and method adopted); ``poll`` is then the poll to count
    with the polling API."""
    meeting = scoped_meeting(request, id)
    meetings.open_vote(request.user, meeting)
    meeting.refresh_from_db()
    return _meeting(meeting)


@router.post("/party/polls/{id}/seat-reduction", response=PartyReductionOut)
def seat_reduction(request, id: int, payload: PartyReductionIn):
    """Give up the seats a confirmed party vote left open (减少名额) with the voters
    consenting; refused unless close to the seats, big enough and consented."""
    poll = scoped_poll(request, id)
    if poll.election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return _reduction(
        meetings.reduce_seats(request.user, poll, payload.consenting, payload.decided_on)
    )
