"""What a count leads to, through the API: the confirmation that locks a result,
corrections with their reason, the votes that follow (re-vote, run-off, re-run), the
state of an election across its polls, the announcement and the certificates
(DOMAIN §7 items 5, 7, 9, 10).

The services decide (:mod:`huanjie.polling.outcomes`); a refusal is 400 with the
rule's message, a place out of scope 404, a missing capability 403.
"""

from datetime import date, datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from huanjie.cycles.api import scoped_election
from huanjie.polling import outcomes, papers
from huanjie.polling.api.checkin import scoped_poll
from huanjie.polling.api.polls import PollOut
from huanjie.polling.models import Poll, Winner

router = Router()

Count = Annotated[int, Field(ge=0)]


class WinnerOut(Schema):
    id: int
    poll: int
    office: str
    who: str  # the slate id ("c<candidate id>") or the name written in
    name: str
    votes: int
    candidate: int | None
    voter: int | None  # the roll line; None for a written-in name several voters share
    voter_number: int | None
    certificate_number: str
    certified_on: date | None


class FollowUpOut(Schema):
    """A vote a confirmed result calls for: ``revote``, ``runoff`` or ``rerun``;
    ``scheduled`` is the poll holding it once there is one."""

    round: Poll.Round
    office: str | None
    title: str
    seats: int
    candidates: list[str]
    reserved_for_woman: int
    due_by: date | None
    scheduled: int | None


class PollOutcomeOut(Schema):
    id: int
    round: Poll.Round
    held_on: date
    due_by: date | None
    state: Poll.State
    follows: int | None
    valid: bool | None  # None until counted
    confirmed_at: datetime | None
    winners: list[WinnerOut]
    follow_ups: list[FollowUpOut]


class OfficeStateOut(Schema):
    id: str
    title: str
    seats: int
    open: int
    winners: list[WinnerOut]


class ElectionStateOut(Schema):
    """The election across its polls: ``complete`` once every seat is filled by
    confirmed votes and nothing is pending or still to schedule."""

    election: int
    complete: bool
    origin: int | None  # the first vote, or the re-run of a void one, that counts
    offices: list[OfficeStateOut]
    pending: list[int]  # polls not confirmed yet
    due: list[FollowUpOut]  # votes still to schedule
    polls: list[PollOutcomeOut]


class BoxIn(Schema):
    station: int
    issued: Count
    returned: Count


class CorrectionIn(Schema):
    """``counts``: office → person (slate id or name written in, ``invalid`` for the
    invalid sections) → votes, for the offices corrected; ``box``: one sheet."""

    reason: str
    counts: dict[str, dict[str, Count]] | None = None
    box: BoxIn | None = None


class CorrectionOut(Schema):
    id: int
    reason: str
    at: datetime
    poll: PollOutcomeOut


class DayIn(Schema):
    held_on: date


class ScheduleRevoteIn(DayIn):
    office: str


class AnnouncementIn(Schema):
    published_on: date | None = None


class AnnouncementOut(Schema):
    id: int
    poll: int
    published_on: date
    file: str


class CertificatesIn(Schema):
    issued_on: date | None = None
    poll: int | None = None  # only this poll's winners


class VoterIn(Schema):
    number: int  # the voter number on the place's roll


def _winner(w: Winner) -> dict:
    return {
        "id": w.pk,
        "poll": w.poll_id,
        "office": w.office,
        "who": w.who,
        "name": w.name,
        "votes": w.votes,
        "candidate": w.candidate_id,
        "voter": w.voter_id,
        "voter_number": w.voter.number if w.voter_id else None,
        "certificate_number": w.certificate_number,
        "certified_on": w.certified_on,
    }


def _follow_up(f: outcomes.FollowUp) -> dict:
    return {
        "round": f.round,
        "office": f.office,
        "title": f.title,
        "seats": f.seats,
        "candidates": list(f.candidates),
        "reserved_for_woman": f.reserved_for_woman,
        "due_by": f.due_by,
        "scheduled": f.scheduled.pk if f.scheduled else None,
    }


def _poll(poll: Poll) -> dict:
    return {
        "id": poll.pk,
        "round": poll.round,
        "held_on": poll.held_on,
        "due_by": poll.due_by,
        "state": poll.state,
        "follows": poll.follows_id,
        "valid": poll.result["valid"] if poll.result else None,
        "confirmed_at": poll.confirmed_at,
        "winners": [_winner(w) for w in poll.winners.select_related("voter")],
        "follow_ups": [_follow_up(f) for f in outcomes.follow_ups(poll)],
    }


@router.get("/elections/{id}/outcome", response=ElectionStateOut)
def election_outcome(request, id: int):
    """Where the election stands: winners per office across its confirmed votes, the
    seats still open, the votes pending and those still to schedule."""
    election = scoped_election(request, id)
    state = outcomes.election_state(election)
    return {
        "election": election.pk,
        "complete": state.complete,
        "origin": state.origin.pk if state.origin else None,
        "offices": [
            {
                "id": o.id,
                "title": o.title,
                "seats": o.seats,
                "open": o.open,
                "winners": [_winner(w) for w in o.winners],
            }
            for o in state.offices
        ],
        "pending": [p.pk for p in state.pending],
        "due": [_follow_up(f) for f in state.due],
        "polls": [_poll(p) for p in state.polls],
    }


@router.get("/polls/{id}/outcome", response=PollOutcomeOut)
def poll_outcome(request, id: int):
    """A poll's state, winners and the votes its result calls for."""
    return _poll(scoped_poll(request, id))


@router.post("/polls/{id}/confirm", response=PollOutcomeOut)
def confirm(request, id: int):
    """The scrutineers' confirmation of a counted poll: the result is locked and its
    winners recorded."""
    return _poll(outcomes.confirm(request.user, scoped_poll(request, id)))


@router.post("/polls/{id}/correct", response=CorrectionOut)
def correct(request, id: int, payload: CorrectionIn):
    """Correct a confirmed result, with the reason; it is counted again."""
    poll = scoped_poll(request, id)
    box = None
    if payload.box is not None:
        box = outcomes.BoxFigures(payload.box.station, payload.box.issued, payload.box.returned)
    correction = outcomes.correct(
        request.user, poll, payload.reason, counts=payload.counts, box=box
    )
    poll.refresh_from_db()
    return {
        "id": correction.pk,
        "reason": correction.reason,
        "at": correction.at,
        "poll": _poll(poll),
    }


@router.post("/polls/{id}/revote", response=PollOut)
def schedule_revote(request, id: int, payload: ScheduleRevoteIn):
    """A re-vote among the office's tied, for the seats they were tied for."""
    poll = scoped_poll(request, id)
    return outcomes.schedule_revote(request.user, poll, payload.office, payload.held_on)


@router.post("/polls/{id}/runoff", response=PollOut)
def schedule_runoff(request, id: int, payload: DayIn):
    """A run-off (另行选举) for the seats left open, within the profile's days."""
    poll = scoped_poll(request, id)
    return outcomes.schedule_runoff(request.user, poll, payload.held_on)


@router.post("/polls/{id}/rerun", response=PollOut)
def schedule_rerun(request, id: int, payload: DayIn):
    """A re-run (重新选举) of a void election with the full list."""
    poll = scoped_poll(request, id)
    return outcomes.schedule_rerun(request.user, poll, payload.held_on)


@router.post("/polls/{id}/announcement", response=AnnouncementOut)
def publish_announcement(request, id: int, payload: AnnouncementIn):
    """Post the announcement of a confirmed result (today unless a day is given)."""
    poll = scoped_poll(request, id)
    notice = papers.publish_announcement(request.user, poll, payload.published_on)
    return {
        "id": notice.pk,
        "poll": poll.pk,
        "published_on": notice.published_on,
        "file": notice.file.name,
    }


@router.post("/elections/{id}/certificates", response=list[WinnerOut])
def issue_certificates(request, id: int, payload: CertificatesIn):
    """Number the certificates of the winners who have none yet."""
    election = scoped_election(request, id)
    target = election
    if payload.poll is not None:
        target = get_object_or_404(Poll, pk=payload.poll, election=election)
    issued = papers.issue_certificates(request.user, target, payload.issued_on)
    return [_winner(w) for w in issued]


@router.put("/winners/{id}/voter", response=WinnerOut)
def assign_write_in(request, id: int, payload: VoterIn):
    """Name the voter a written-in winner is, by voter number."""
    winner = get_object_or_404(
        Winner.objects.select_related("poll__election__place", "poll__election__cycle"), pk=id
    )
    election = winner.poll.election
    scoped_election(request, election.pk)
    voter = outcomes.voter_numbered(election, payload.number)
    return _winner(outcomes.assign_write_in(request.user, winner, voter))
