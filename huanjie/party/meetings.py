"""The members' meeting (党员大会) that elects a party committee (DOMAIN §8), and the
seats it may give up after the vote.

A meeting is called for a day and a venue. Members check in as they arrive; someone
without a vote (a probationary member, a member under probation sanction or
suspended) attends without a vote and does not count toward the quorum. The meeting
may vote only with more than 4/5 (the profile's ``party_quorum``) of those due present
(:func:`huanjie.rules.members.has_quorum`); without it, it is adjourned — the due and
present numbers kept — and another is called. With the quorum it adopts the election
method (选举办法通过) and then opens the vote: the poll of :mod:`huanjie.polling`
(:func:`huanjie.polling.polls.open_first`) with the due and present numbers, counted
with the party majority (:mod:`huanjie.rules.tally`, kind "party").

When the count leaves seats open, they are filled by a run-off (另行选举,
:func:`huanjie.polling.outcomes.schedule_runoff`) or, close to the seats and with the
consent of more than half of the voters, given up (减少名额, :func:`reduce_seats`,
the rules in :mod:`huanjie.rules.reduction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.party import due as due_of
from huanjie.party.leaves import require_party
from huanjie.party.models import Attendance, Meeting, Member, SeatReduction
from huanjie.polling import outcomes, polls
from huanjie.polling.models import Poll
from huanjie.rules import members as rules
from huanjie.rules import reduction as rules_reduction
from huanjie.rules.identity import mask_id, normalize
from huanjie.voters.rolls import initials

State = Meeting.State

#: The most members a search lists.
MAX_MATCHES = 20


# Reading a meeting


def meetings_of(election):
    return Meeting.objects.filter(election=election).order_by("held_on", "id")


def current(election) -> Meeting | None:
    """The meeting under way (checking in or voting), else the latest one."""
    found = list(meetings_of(election))
    live = [m for m in found if m.state in (State.OPEN, State.VOTING)]
    return (live or found or [None])[-1]


def _profile(election):
    return effective_profile(election.cycle, election.place)


def attendees(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("member__resident", "user").order_by("at", "id"))


@dataclass
class Quorum:
    """Those due and present at a meeting and whether they make its quorum."""

    due: int
    present: int  # with a vote
    without_vote: int  # attending without a vote
    quorum: bool
    needed: int  # the least present with a vote that make the quorum
    share: object  # the profile's party_quorum (4/5)

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.present)


def least_for_quorum(due: int, profile) -> int:
    """The least number present that is more than the profile's share of ``due``."""
    share = profile.party_quorum
    return int(share * due) + 1


def quorum(meeting: Meeting, due: due_of.Due | None = None) -> Quorum:
    """The quorum of ``meeting`` now: those due (derived, never typed) and those
    present with a vote. An adjourned meeting or one that voted keeps its numbers."""
    profile = _profile(meeting.election)
    if meeting.state != State.OPEN and meeting.due is not None:
        number, present = meeting.due, meeting.present or 0
        without = 0
    else:
        due = due or due_of.breakdown(meeting)
        number = due.number
        voting = {m.pk for m in due.members} if due.congress else None
        present = without = 0
        for attendance in attendees(meeting):
            member = attendance.member
            if voting is not None:
                counts = member.pk in voting
            else:
                counts = rules.has_vote(member.as_rule())
            present += counts
            without += not counts
    return Quorum(
        due=number,
        present=present,
        without_vote=without,
        quorum=rules.has_quorum(present, number, profile),
        needed=least_for_quorum(number, profile),
        share=profile.party_quorum,
    )


# Calling a meeting


def meeting_state(meeting: Meeting) -> dict:
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "venue": meeting.place_name,
        "state": meeting.state,
        "due": meeting.due,
        "present": meeting.present,
        "method_adopted_at": meeting.method_adopted_at.isoformat()
        if meeting.method_adopted_at
        else None,
        "poll": meeting.poll_id,
    }


@transaction.atomic
def call(
    user,
    election,
    held_on: date,
    venue: str = "",
    *,
    kind: str = Meeting.Kind.MEMBERS,
) -> Meeting:
    """Call a members' meeting (or the delegate congress) of ``election`` for
    ``held_on`` at ``venue`` (``party.meeting``).

    Refused for an election other than a party one, while another meeting is under
    way, once a meeting has voted, and for a congress the election was not approved
    for.
    """
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_party(election)
    if held_on is None:
        raise RuleViolation(_("Give the day of the meeting."))
    if kind not in Meeting.Kind.values:
        raise RuleViolation(_("Unknown kind of meeting: %(kind)s") % {"kind": kind})
    if kind == Meeting.Kind.CONGRESS and not hasattr(election, "party_congress"):
        raise RuleViolation(
            _("%(election)s has no delegate congress approved: it elects at a members' meeting.")
            % {"election": election}
        )
    meetings = meetings_of(election).select_for_update()
    if meetings.filter(state=State.OPEN).exists():
        raise RuleViolation(
            _("A meeting of %(election)s is under way: adjourn it first.") % {"election": election}
        )
    if meetings.filter(Q(state__in=(State.VOTING, State.CLOSED)) | Q(poll__isnull=False)).exists():
        raise RuleViolation(
            _("A meeting of %(election)s has voted already.") % {"election": election}
        )
    venue = (venue or "").strip()
    if len(venue) > 100:
        raise RuleViolation(_("The venue is at most 100 characters."))
    meeting = Meeting.objects.create(
        election=election, kind=kind, held_on=held_on, place_name=venue, user=user
    )
    record(user, "party.meeting", meeting, after=meeting_state(meeting), place=election.place)
    return meeting


# Attendance


@dataclass
class Match:
    """A member the search found: their vote, whether they are due and their
    check-in at this meeting."""

    member: Member
    id_number: str  # masked
    no_vote: str | None  # the reason they have no vote
    due: bool
    attendance: Attendance | None


def _people(meeting: Meeting, due: due_of.Due):
    """Who may check in: the organisation's members, or at a congress its delegates."""
    if due.congress:
        return due.members
    return list(due_of.roster_of(meeting.election))


def find(meeting: Meeting, query: str) -> list[Match]:
    """The members ``query`` names: an ID number (18 characters, exact), the pinyin
    initials of a name (wf), or a name — whole, or its beginning."""
    text = "".join((query or "").split())
    if not text:
        return []
    due = due_of.breakdown(meeting)
    people = _people(meeting, due)
    if len(text) == 18 and text[:17].isascii() and text[:17].isdigit():
        number = normalize(text)
        found = [m for m in people if m.resident.id_number == number]
    elif text.isascii() and text.isalpha():
        found = [m for m in people if initials(m.resident.name).startswith(text.lower())]
    else:
        found = [m for m in people if m.resident.name == text]
        found = found or [m for m in people if m.resident.name.startswith(text)]
    found = found[:MAX_MATCHES]
    taken = {
        a.member_id: a
        for a in Attendance.objects.filter(meeting=meeting, member__in=found).select_related("user")
    }
    due_ids = {m.pk for m in due.members}
    return [
        Match(
            member=m,
            id_number=mask_id(m.resident.id_number),
            no_vote=None if due.congress else rules.no_vote_reason(m.as_rule()),
            due=m.pk in due_ids,
            attendance=taken.get(m.pk),
        )
        for m in found
    ]


def require_checking_in(meeting: Meeting, today: date | None = None) -> None:
    if meeting.state != State.OPEN:
        raise RuleViolation(
            _("The meeting is %(state)s: attendance no longer changes.")
            % {"state": meeting.get_state_display().lower()}
        )
    if (today or timezone.localdate()) < meeting.held_on:
        raise RuleViolation(
            _("The meeting is held on %(day)s: members check in that day.")
            % {"day": meeting.held_on.isoformat()}
        )


def attendance_state(attendance: Attendance) -> dict:
    member = attendance.member
    return {
        "meeting": attendance.meeting_id,
        "member": member.pk,
        "name": member.resident.name,
        "id_number": mask_id(member.resident.id_number),
        "vote": rules.has_vote(member.as_rule()),
    }


def _taken_message(attendance: Attendance) -> str:
    return _("%(name)s checked in already, at %(time)s.") % {
        "name": attendance.member.resident.name,
        "time": timezone.localtime(attendance.at).strftime("%H:%M"),
    }


def check_in(user, meeting: Meeting, member: Member) -> Attendance:
    """Record ``member`` present at ``meeting`` (``party.check_in``). Someone without a
    vote attends without one and does not count toward the quorum.

    Refused once the meeting voted or was adjourned, before its day, for someone who
    is not a member of the organisation (at a congress: not a seated delegate), and a
    second time (saying when the first was)."""
    election = meeting.election
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_checking_in(meeting)
    due = due_of.breakdown(meeting)
    if member.pk not in {m.pk for m in _people(meeting, due)}:
        if due.congress:
            raise RuleViolation(
                _("%(name)s is not a delegate whose credentials are confirmed.")
                % {"name": member.resident.name}
            )
        raise RuleViolation(
            _("%(name)s is not a member of the party organisation of %(place)s.")
            % {"name": member.resident.name, "place": election.place.name}
        )
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, member=member, user=user)
            record(
                user,
                "party.check_in",
                attendance,
                after=attendance_state(attendance),
                place=election.place,
            )
    except IntegrityError:
        taken = Attendance.objects.filter(meeting=meeting, member=member).first()
        if taken is not None:
            raise RuleViolation(_taken_message(taken)) from None
        raise
    return attendance


@transaction.atomic
def undo(user, attendance: Attendance, reason: str) -> None:
    """Take back a check-in made by mistake, with the reason (``party.check_in_undo``)."""
    meeting = attendance.meeting
    permissions.require(user, permissions.RUN_PARTY, meeting.election.place)
    require_checking_in(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the check-in is taken back."))
    record(
        user,
        "party.check_in_undo",
        attendance,
        before=attendance_state(attendance),
        after={"reason": reason[:200]},
        place=meeting.election.place,
    )
    attendance.delete()


# The meeting's decisions


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("election__place").get(pk=meeting.pk)


def _require_open(meeting: Meeting) -> None:
    if meeting.state != State.OPEN:
        raise RuleViolation(
            _("The meeting is %(state)s.") % {"state": meeting.get_state_display().lower()}
        )


def _quorum_message(found: Quorum) -> str:
    return _(
        "Without quorum: %(present)d of the %(due)d due are present with a vote; more "
        "than %(share)s of them are needed (%(needed)d)."
    ) % {
        "present": found.present,
        "due": found.due,
        "share": found.share,
        "needed": found.needed,
    }


def _require_quorum(meeting: Meeting) -> Quorum:
    found = quorum(meeting)
    if not found.quorum:
        raise RuleViolation(_quorum_message(found))
    return found


@transaction.atomic
def adjourn(user, meeting: Meeting) -> Meeting:
    """Adjourn a meeting that lacks its quorum (``party.meeting_adjourn``): the due and
    present numbers are kept, and another meeting can be called. Refused when the
    quorum is there."""
    permissions.require(user, permissions.RUN_PARTY, meeting.election.place)
    meeting = _locked(meeting)
    _require_open(meeting)
    found = quorum(meeting)
    if found.quorum:
        raise RuleViolation(
            _("%(present)d of the %(due)d due are present: the meeting has its quorum.")
            % {"present": found.present, "due": found.due}
        )
    before = meeting_state(meeting)
    meeting.state = State.ADJOURNED
    meeting.due, meeting.present = found.due, found.present
    meeting.save(update_fields=["state", "due", "present"])
    record(
        user,
        "party.meeting_adjourn",
        meeting,
        before=before,
        after=meeting_state(meeting),
        place=meeting.election.place,
    )
    return meeting


@transaction.atomic
def adopt_method(user, meeting: Meeting, text: str = "") -> Meeting:
    """The meeting adopts the election method (选举办法通过, ``party.method``) — only
    with its quorum, once."""
    permissions.require(user, permissions.RUN_PARTY, meeting.election.place)
    meeting = _locked(meeting)
    _require_open(meeting)
    if meeting.method_adopted_at is not None:
        raise RuleViolation(_("The election method is adopted already."))
    found = _require_quorum(meeting)
    before = meeting_state(meeting)
    meeting.method_adopted_at = timezone.now()
    meeting.method_text = (text or "").strip()
    meeting.save(update_fields=["method_adopted_at", "method_text"])
    record(
        user,
        "party.method",
        meeting,
        before=before,
        after={**meeting_state(meeting), "due": found.due, "present": found.present},
        place=meeting.election.place,
    )
    return meeting


@transaction.atomic
def open_vote(user, meeting: Meeting) -> Poll:
    """Open the meeting's vote (``party.vote_open``): only with its quorum and the
    election method adopted. The poll takes the due and present numbers as they are
    now, and the meeting keeps them."""
    election = meeting.election
    permissions.require(user, permissions.RUN_PARTY, election.place)
    meeting = _locked(meeting)
    _require_open(meeting)
    found = _require_quorum(meeting)
    if meeting.method_adopted_at is None:
        raise RuleViolation(_("Adopt the election method (选举办法) before the vote."))
    poll = polls.open_first(
        user, election, held_on=meeting.held_on, due=found.due, present=found.present
    )
    before = meeting_state(meeting)
    meeting.poll = poll
    meeting.state = State.VOTING
    meeting.due, meeting.present = found.due, found.present
    meeting.save(update_fields=["poll", "state", "due", "present"])
    record(
        user,
        "party.vote_open",
        meeting,
        before=before,
        after=meeting_state(meeting),
        place=election.place,
    )
    return poll


@transaction.atomic
def close(user, meeting: Meeting) -> Meeting:
    """Close a meeting whose vote is confirmed (``party.meeting_close``)."""
    permissions.require(user, permissions.RUN_PARTY, meeting.election.place)
    meeting = _locked(meeting)
    if meeting.state != State.VOTING:
        raise RuleViolation(_("Only a meeting that voted is closed."))
    if meeting.poll is None or meeting.poll.state != Poll.State.CONFIRMED:
        raise RuleViolation(_("Confirm the result of the vote before closing the meeting."))
    before = meeting_state(meeting)
    meeting.state = State.CLOSED
    meeting.save(update_fields=["state"])
    record(
        user,
        "party.meeting_close",
        meeting,
        before=before,
        after=meeting_state(meeting),
        place=meeting.election.place,
    )
    return meeting


# Giving up the open seats (减少名额)


def reduction_of(poll: Poll, consenting: int) -> rules_reduction.Reduction:
    """The rules core's view of giving up ``poll``'s open seats with ``consenting``
    voters."""
    election = poll.election
    # The whole committee across the chain of votes: a run-off's own slate has only
    # the seats the first vote left open.
    state = outcomes.election_state(election)
    seats = sum(o.seats for o in state.offices)
    elected = len(state.winners)
    organisation = due_of.organisation_of(election)
    base = rules_reduction.consent_base(poll.electorate, poll.present or 0, _profile(election))
    return rules_reduction.Reduction(
        seats=seats,
        elected=elected,
        consenting=consenting,
        base=base,
        organisation=organisation.kind if organisation else "",
    )


def reduction_findings(poll: Poll, consenting: int):
    return rules_reduction.check_reduction(reduction_of(poll, consenting))


def reduction_state(found: SeatReduction) -> dict:
    return {
        "poll": found.poll_id,
        "seats_before": found.seats_before,
        "seats_after": found.seats_after,
        "consenting": found.consenting,
        "base": found.base,
        "decided_on": found.decided_on.isoformat(),
    }


@transaction.atomic
def reduce_seats(
    user, poll: Poll, consenting: int, decided_on: date | None = None
) -> SeatReduction:
    """Give up the seats ``poll`` left open instead of a run-off (减少名额,
    ``party.seat_reduction``): a confirmed party vote, no re-vote among the tied
    pending, no run-off scheduled, close to the seats, a committee no smaller than its
    kind allows and more than half of the voters consenting
    (:func:`huanjie.rules.reduction.check_reduction`). The election's open seats are
    then none (:func:`huanjie.polling.outcomes.election_state`)."""
    election = poll.election
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_party(election)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    poll.election = election
    if poll.state != Poll.State.CONFIRMED or not poll.result:
        raise RuleViolation(
            _("The result of this vote is not confirmed yet: confirm it first (DOMAIN §7 item 9).")
        )
    if not poll.result["valid"]:
        raise RuleViolation(_("The vote is void: it is held again, no seat is given up."))
    if SeatReduction.objects.filter(poll=poll).exists():
        raise RuleViolation(_("The seats of this vote are reduced already."))
    if poll.followed_by.filter(round=Poll.Round.RUNOFF).exists():
        raise RuleViolation(_("The run-off of this vote is scheduled: its seats are not given up."))
    origin = outcomes.election_state(election).origin
    if origin is None or outcomes.origin_of(poll).pk != origin.pk:
        raise RuleViolation(_("A later vote started the election again: this one does not count."))
    if not any(o["unfilled"] for o in poll.result["offices"]):
        raise RuleViolation(_("No seat of this vote is left open: there is nothing to reduce."))
    if any(o["revote"] for o in poll.result["offices"]):
        raise RuleViolation(
            _("A re-vote among the tied is due first: the seats left open follow from it.")
        )
    if isinstance(consenting, bool) or not isinstance(consenting, int) or consenting < 0:
        raise RuleViolation(_("The voters consenting are a whole number, not below zero."))
    decided_on = decided_on or timezone.localdate()
    if decided_on < poll.held_on:
        raise RuleViolation(
            _("The decision cannot come before the vote (%(day)s).")
            % {"day": poll.held_on.isoformat()}
        )
    wanted = reduction_of(poll, consenting)
    errors = [f for f in rules_reduction.check_reduction(wanted) if f.is_error]
    if errors:
        raise RuleViolation("；".join(localized(f.message_zh, f.message_en) for f in errors))
    found = SeatReduction.objects.create(
        poll=poll,
        seats_before=wanted.seats,
        seats_after=wanted.seats_after,
        consenting=consenting,
        base=wanted.base,
        decided_on=decided_on,
        user=user,
    )
    record(
        user,
        "party.seat_reduction",
        found,
        before={"seats": wanted.seats, "open": wanted.open},
        after=reduction_state(found),
        place=election.place,
    )
    return found
