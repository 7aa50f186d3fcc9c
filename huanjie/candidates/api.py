"""The candidates part of the JSON API: a place's candidates and what the rules say
about them, the nomination meeting and its count, the joint review, withdrawals, the
party committee's 两推一选 and the notices (DOMAIN §5, §8).

The same lookups and services as the pages: a place, election or candidate outside the
user's area is 404, a missing capability 403 (both decided by the services, which get
``request.user``), a refusal by a rule 400 with its message (see ``huanjie.api``). ID
numbers are always masked here (rules.identity.mask_id).
"""

from datetime import date, datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import model_serializer

from huanjie.accounts import permissions
from huanjie.candidates import nomination, notices, recommendation, review, roster
from huanjie.candidates.models import (
    Candidate,
    Department,
    NominationMeeting,
    Notice,
    Recommendation,
    Verdict,
)
from huanjie.cycles.api import FindingOut, OfficeOut, electing_place, scoped_cycle, scoped_election
from huanjie.cycles.services import RuleViolation
from huanjie.places.api import PlaceRef, scoped_place
from huanjie.rules import seats
from huanjie.rules.identity import age_on, mask_id
from huanjie.voters.api import _Mapped
from huanjie.voters.models import Resident

router = Router(tags=["candidates"])

Votes = Annotated[int, Field(ge=0)]


# Schemas


class ReviewOut(Schema):
    """The joint review of a candidate (DOMAIN §5.2): ``disqualified`` as soon as a
    department found a hit (``by`` those departments, ``items`` the items of the
    negative list hit), else ``awaiting`` while ``awaiting`` names departments without
    a verdict, else ``clear``."""

    state: str
    awaiting: list[str]
    by: list[str]
    items: list[int]


class CandidateOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    sex: str
    age: int | None  # on the election day
    office: str
    status: Candidate.Status
    source: Candidate.Source
    votes: int
    member_votes: int
    public_votes: int
    replaces: int | None  # the candidate whose place this one took
    inspected_on: date | None  # 组织考察 of a party candidate
    review: ReviewOut


class NoticeOut(Schema):
    id: int
    kind: Notice.Kind
    published_on: date
    ends_on: date | None
    names: int
    url: str | None = None  # the posted PDF; left out when no page serves it

    @model_serializer(mode="wrap")
    def _without_missing_url(self, handler):
        data = handler(self)
        if data.get("url") is None:
            data.pop("url", None)
        return data


class RecommendationOut(Schema):
    """两推一选 of a party committee (DOMAIN §5.1, §8)."""

    held_on: date
    members_present: int
    public_present: int
    township_decided_on: date | None
    requested_on: date | None
    request_number: str
    approved_on: date | None
    approval_number: str


class ElectionCandidates(Schema):
    id: int
    body: str
    body_title: str
    election_day: date | None
    offices: list[OfficeOut]
    is_final: bool  # formal list posted (or, for the party committee, approved)
    candidates: list[CandidateOut]
    notices: list[NoticeOut]
    recommendation: RecommendationOut | None  # party committee only


class PlaceCandidates(Schema):
    cycle: int
    place: PlaceRef
    elections: list[ElectionCandidates]


class MeetingIn(Schema):
    """``places``: nominees per office (office key → number), at least the candidates
    each office needs; left out, exactly those."""

    held_on: date
    present: Annotated[int, Field(ge=0)]
    method: NominationMeeting.Method = NominationMeeting.Method.TOTALS
    places: dict[str, Annotated[int, Field(ge=0, le=99)]] | None = None


class TotalsRow(Schema):
    """``voter``: a voter number (12), a card number (201-0012), an ID number, or a
    name only one voter of the place has."""

    voter: str
    votes: int


class TotalsIn(Schema):
    office: str
    rows: list[TotalsRow]


class BallotIn(Schema):
    """One ballot: office key → the people it names (as ``voter`` of the totals)."""

    sections: dict[str, list[str]]


class BallotOut(Schema):
    number: int
    sections: dict[str, list[str]]  # office key → names


class RevoteIn(Schema):
    office: str
    votes: list[TotalsRow]


class MeetingOut(Schema):
    held_on: date
    voters: int  # on the roll when the meeting was opened
    present: int
    method: NominationMeeting.Method
    places: dict[str, int]
    ballots: int  # entered (before the count) or counted
    invalid: dict[str, int]
    counted: bool


class Tally(Schema):
    name: str
    id_number: str  # masked
    votes: int


class OfficeCount(Schema):
    """The count of one office: round 1 is the meeting's, 2… re-votes among the tied."""

    office: str
    title: str
    places: int
    rounds: list[list[Tally]]


class Tie(Schema):
    names: list[str]
    places: int


class NominationOut(Schema):
    election: int
    meeting: MeetingOut | None
    offices: list[OfficeCount]
    ties: dict[str, Tie]  # office key → the people tied at the cut-off
    candidates: list[CandidateOut]


class AddedOut(Schema):
    """The candidates a change brought in (from the count, a re-vote, a backfill)."""

    added: list[CandidateOut]


class NoticeIn(Schema):
    published_on: date


class DepartmentOut(Schema):
    id: int
    name: str
    rank: int
    can_review: bool  # the user may give this department's verdicts


class VerdictOut(Schema):
    department: str
    outcome: Verdict.Outcome
    items: list[int]
    note: str
    user: str
    at: datetime


class QueueItem(CandidateOut):
    place: PlaceRef
    election: int
    body: str
    verdict: VerdictOut | None  # this department's, in the answered queue


class VerdictIn(Schema):
    """``items``: numbers of the negative list (1–10), at least one for a hit and none
    for a clear verdict; a hit needs ``note``, the evidence."""

    department: int
    outcome: Verdict.Outcome
    items: list[int] = []
    note: str = ""


class VerdictResult(AddedOut):
    verdict: VerdictOut
    candidate: CandidateOut


class WithdrawIn(Schema):
    reason: str


class WithdrawOut(AddedOut):
    candidate: CandidateOut


class RecommendRow(Schema):
    """``member``: the ID number or name of a full party member of the place."""

    member: str
    member_votes: Votes
    public_votes: Votes


class RecommendationIn(Schema):
    held_on: date
    members_present: Annotated[int, Field(ge=0)]
    public_present: Annotated[int, Field(ge=0)]
    rows: list[RecommendRow]


class DecisionIn(Schema):
    decided_on: date
    chosen: list[int]  # candidate ids among the recommended


class InspectionIn(Schema):
    findings: str
    inspected_on: date


class RequestIn(Schema):
    requested_on: date
    number: str = ""


class ApprovalIn(Schema):
    approved_on: date
    number: str = ""


class RecommendationResult(RecommendationOut):
    candidates: list[CandidateOut]


# Lookups


def scoped_candidate(request, candidate_id: int) -> Candidate:
    """The candidate if its place is in the user's area (404 otherwise)."""
    candidate = get_object_or_404(
        Candidate.objects.select_related("resident", "election__place", "election__cycle__county"),
        pk=candidate_id,
    )
    permissions.require(request.user, permissions.VIEW, candidate.election.place)
    return candidate


def meeting_of(election) -> NominationMeeting:
    meeting = nomination.meeting_of(election)
    if meeting is None:
        raise RuleViolation(_("The nomination meeting has not been recorded yet."))
    return meeting


def _department_names(cycle) -> dict[int, str]:
    return dict(Department.objects.filter(cycle=cycle).values_list("id", "name"))


def _candidates(cycle, candidates) -> list[dict]:
    """Candidates as the answer's dicts, with the state of their joint review."""
    candidates = list(candidates)
    reviews = roster.reviews(candidates, cycle)
    departments = _department_names(cycle)
    return [_candidate(c, reviews[c.id], departments) for c in candidates]


def _candidate(candidate: Candidate, found, departments: dict[int, str]) -> dict:
    resident = candidate.resident
    day = candidate.election.election_day
    return {
        "id": candidate.id,
        "name": resident.name,
        "id_number": mask_id(resident.id_number),
        "sex": resident.sex,
        "age": age_on(resident.birth_date, day) if day else None,
        "office": candidate.office,
        "status": candidate.status,
        "source": candidate.source,
        "votes": candidate.votes,
        "member_votes": candidate.member_votes,
        "public_votes": candidate.public_votes,
        "replaces": candidate.replaces_id,
        "inspected_on": candidate.inspected_on,
        "review": {
            "state": found.state,
            "awaiting": [departments.get(d, str(d)) for d in found.awaiting],
            "by": [departments.get(d, str(d)) for d in found.by],
            "items": list(found.items),
        },
    }


def _one(candidate: Candidate) -> dict:
    candidate.refresh_from_db()
    return _candidates(candidate.election.cycle, [candidate])[0]


def _office_order(election):
    return {o.key: i for i, o in enumerate(election.offices.all())}


def _of_election(election) -> list[Candidate]:
    """Every candidate of the election, whatever their status: office by office, most
    votes first."""
    ranks = _office_order(election)
    found = Candidate.objects.filter(election=election).select_related("resident", "election")
    return sorted(found, key=lambda c: (ranks.get(c.office, 99), -c.votes, c.id))


def _notice(notice: Notice) -> dict:
    out = {
        "id": notice.id,
        "kind": notice.kind,
        "published_on": notice.published_on,
        "ends_on": notice.ends_on,
        "names": notice.names,
    }
    try:
        out["url"] = reverse("candidates-notice", args=[notice.pk])
    except NoReverseMatch:  # no page serves the notices (yet)
        pass
    return out


def _standing_ids(election) -> set[int]:
    return {c.id for c in roster.standing(election)}


def _added(election, before: set[int]) -> list[dict]:
    added = [c for c in roster.standing(election) if c.id not in before]
    return _candidates(election.cycle, added)


def _nomination(election) -> dict:
    meeting = nomination.meeting_of(election)
    out = {
        "election": election.id,
        "meeting": None,
        "offices": [],
        "ties": {},
        "candidates": _candidates(election.cycle, _of_election(election)),
    }
    if meeting is None:
        return out
    out["meeting"] = {
        "held_on": meeting.held_on,
        "voters": meeting.voters,
        "present": meeting.present,
        "method": meeting.method,
        "places": meeting.places,
        "ballots": meeting.ballots if meeting.counted else meeting.ballot_set.count(),
        "invalid": meeting.invalid,
        "counted": meeting.counted,
    }
    offices = list(election.offices.all())
    rounds = {o.key: nomination.round_votes(meeting, o.key) for o in offices}
    ties = nomination.ties(meeting)
    people = {r for votes in rounds.values() for rnd in votes for r in rnd}
    people |= {r for tied, _places in ties.values() for r in tied}
    residents = Resident.objects.in_bulk(people)
    out["offices"] = [
        {
            "office": o.key,
            "title": o.title,
            "places": meeting.places.get(o.key, 0),
            "rounds": [
                [
                    {
                        "name": residents[r].name,
                        "id_number": mask_id(residents[r].id_number),
                        "votes": v,
                    }
                    for r, v in sorted(rnd.items(), key=lambda rv: (-rv[1], residents[rv[0]].name))
                ]
                for rnd in rounds[o.key]
            ],
        }
        for o in offices
    ]
    out["ties"] = {
        office: {"names": sorted(residents[r].name for r in tied), "places": places}
        for office, (tied, places) in ties.items()
    }
    return out


def _recommendation(election) -> dict:
    rec = get_object_or_404(Recommendation, election=election)
    return {
        **{field: getattr(rec, field) for field in recommendation.RECOMMENDATION_FIELDS},
        "candidates": _candidates(election.cycle, _of_election(election)),
    }


def _verdict(verdict: Verdict) -> dict:
    return {
        "department": verdict.department.name,
        "outcome": verdict.outcome,
        "items": verdict.items,
        "note": verdict.note,
        "user": verdict.user.get_username(),
        "at": verdict.at,
    }


# A place's candidates


@router.get("/cycles/{id}/places/{code}/candidates", response=PlaceCandidates)
def place_candidates(request, id: int, code: str):
    """The elections of a village or community (committee, party committee, …), each
    with all its candidates — standing or not — the state of their joint review,
    whether the list is final and the notices posted."""
    cycle = scoped_cycle(request, id)
    place = electing_place(request, cycle, code)
    elections = roster.place_elections(cycle, place)
    for election in elections:
        election.cycle = cycle
    candidates = {e.id: _of_election(e) for e in elections}
    reviews = roster.reviews([c for found in candidates.values() for c in found], cycle)
    departments = _department_names(cycle)
    posted = {}
    for notice in Notice.objects.filter(election__in=elections).order_by("at", "id"):
        posted.setdefault(notice.election_id, []).append(_notice(notice))
    return {
        "cycle": cycle.pk,
        "place": place,
        "elections": [
            {
                "id": e.id,
                "body": e.body,
                "body_title": seats.Body(e.body).title_zh,
                "election_day": e.election_day,
                "offices": list(e.offices.all()),
                "is_final": roster.is_final(e),
                "candidates": [_candidate(c, reviews[c.id], departments) for c in candidates[e.id]],
                "notices": posted.get(e.id, []),
                "recommendation": recommendation.of(e),
            }
            for e in elections
        ],
    }


@router.get("/cycles/{id}/places/{code}/candidates/findings", response=list[FindingOut])
def place_findings(request, id: int, code: str):
    """What the slate rules say about the candidates still standing in the place's
    elections (差额, a woman, 任职回避, …, DOMAIN §5.3) and the verdicts still awaited
    (§5.2). Errors block the formal list; warnings are the targets."""
    cycle = scoped_cycle(request, id)
    place = electing_place(request, cycle, code)
    return roster.slate_findings(cycle, place)


# The nomination meeting (居/村委会)


@router.get("/elections/{id}/nomination", response=NominationOut)
def get_nomination(request, id: int):
    """The meeting, the count of each office round by round, the ties waiting for a
    re-vote and the election's candidates."""
    return _nomination(scoped_election(request, id))


@router.post("/elections/{id}/nomination/meeting", response=NominationOut)
def open_meeting(request, id: int, payload: MeetingIn):
    """Record the meeting with its attendance: more than half of the voters on the
    posted roll (DOMAIN §5.1). Recorded again to correct it until the count."""
    election = scoped_election(request, id)
    nomination.open_meeting(
        request.user,
        election,
        held_on=payload.held_on,
        present=payload.present,
        method=payload.method,
        places=payload.places,
    )
    return _nomination(election)


@router.post("/elections/{id}/nomination/totals", response=NominationOut)
def enter_totals(request, id: int, payload: TotalsIn):
    """The count of one office as totals per person, replacing what was entered for
    it before."""
    election = scoped_election(request, id)
    nomination.enter_totals(
        request.user,
        meeting_of(election),
        payload.office,
        [(row.voter, row.votes) for row in payload.rows],
    )
    return _nomination(election)


@router.post("/elections/{id}/nomination/ballots", response=BallotOut)
def enter_ballot(request, id: int, payload: BallotIn):
    """One nomination ballot, as written: a section naming more people than the
    office's seats is invalid for that office at the count."""
    election = scoped_election(request, id)
    ballot = nomination.enter_ballot(request.user, meeting_of(election), payload.sections)
    residents = Resident.objects.in_bulk({r for ids in ballot.sections.values() for r in ids})
    return {
        "number": ballot.number,
        "sections": {
            office: [residents[r].name for r in ids] for office, ids in ballot.sections.items()
        },
    }


@router.post("/elections/{id}/nomination/count", response=AddedOut)
def count(request, id: int):
    """Count the meeting; the nominees of each office are those with most votes. A tie
    at the cut-off waits for a re-vote."""
    election = scoped_election(request, id)
    added = nomination.count(request.user, meeting_of(election))
    return {"added": _candidates(election.cycle, added)}


@router.post("/elections/{id}/nomination/revote", response=AddedOut)
def revote(request, id: int, payload: RevoteIn):
    """A re-vote among the people tied for ``office``: all of them, only them."""
    election = scoped_election(request, id)
    meeting = meeting_of(election)
    votes = {}
    for row in payload.votes:
        voter = nomination.find_voter(election.cycle, election.place, row.voter)
        votes[voter.resident_id] = row.votes
    added = nomination.revote(request.user, meeting, payload.office, votes)
    return {"added": _candidates(election.cycle, added)}


# Notices


@router.post("/elections/{id}/notices/nomination", response=NoticeOut)
def publish_nomination(request, id: int, payload: NoticeIn):
    """Post the nomination result with the votes (提名结果公告), the day of the count."""
    election = scoped_election(request, id)
    return _notice(notices.publish_nomination(request.user, election, payload.published_on))


@router.post("/elections/{id}/notices/formal", response=NoticeOut)
def publish_formal(request, id: int, payload: NoticeIn):
    """Post the formal candidates (正式候选人公告): every verdict given, no slate error,
    at least the profile's days before D. After it the list is final."""
    election = scoped_election(request, id)
    return _notice(notices.publish_formal(request.user, election, payload.published_on))


@router.post("/elections/{id}/notices/publicity", response=NoticeOut)
def publish_publicity(request, id: int, payload: NoticeIn):
    """Post the party committee's candidates for the profile's days (公示)."""
    election = scoped_election(request, id)
    return _notice(notices.publish_publicity(request.user, election, payload.published_on))


# The joint review (联审) and withdrawals


@router.get("/cycles/{id}/departments", response=list[DepartmentOut])
def list_departments(request, id: int):
    """The review departments of the cycle, and which of them the user answers for."""
    cycle = scoped_cycle(request, id)
    mine = {d.id for d in review.departments_for(request.user, cycle)}
    return [
        {"id": d.id, "name": d.name, "rank": d.rank, "can_review": d.id in mine}
        for d in roster.departments(cycle)
    ]


@router.get("/cycles/{id}/reviews/{department_id}", response=list[QueueItem])
@paginate(LimitOffsetPagination, max_limit=500)
def review_queue(
    request, id: int, department_id: int, answered: bool = False, place: str | None = None
):
    """The candidates in the user's area (or below ``place``) awaiting the department's
    verdict, or with ``answered`` those it has given, by place and office."""
    cycle = scoped_cycle(request, id)
    department = get_object_or_404(Department, pk=department_id, cycle=cycle)
    top = scoped_place(request, place) if place else None
    found = review.queue(request.user, department, place=top, answered=answered)

    def convert(part: list[Candidate]) -> list[dict]:
        verdicts = {
            v.candidate_id: v
            for v in Verdict.objects.filter(
                department=department, candidate__in=part
            ).select_related("department", "user")
        }
        rows = _candidates(cycle, part)
        for row, candidate in zip(rows, part, strict=True):
            verdict = verdicts.get(candidate.id)
            row["place"] = candidate.election.place
            row["election"] = candidate.election_id
            row["body"] = candidate.election.body
            row["verdict"] = _verdict(verdict) if verdict else None
        return rows

    return _Mapped(found, convert, whole=True)


@router.post("/candidates/{id}/verdicts", response=VerdictResult)
def give_verdict(request, id: int, payload: VerdictIn):
    """A department's verdict on the candidate (given again, it is revised). A hit
    disqualifies and the next person of the ranking takes the place (``added``)."""
    candidate = scoped_candidate(request, id)
    election = candidate.election
    department = get_object_or_404(Department, pk=payload.department, cycle=election.cycle)
    before = _standing_ids(election)
    verdict = review.give_verdict(
        request.user, candidate, department, payload.outcome, payload.items, payload.note
    )
    return {
        "verdict": _verdict(verdict),
        "candidate": _one(candidate),
        "added": _added(election, before),
    }


@router.post("/candidates/{id}/withdraw", response=WithdrawOut)
def withdraw(request, id: int, payload: WithdrawIn):
    """The candidate's withdrawal, until the list is final (DOMAIN §3); the next person
    of the ranking takes the place (``added``)."""
    candidate = scoped_candidate(request, id)
    added = review.withdraw(request.user, candidate, payload.reason)
    return {
        "candidate": _one(candidate),
        "added": _candidates(candidate.election.cycle, added),
    }


# 两推一选 of the party committee


@router.post("/elections/{id}/recommendation", response=RecommendationResult)
def hold_recommendation(request, id: int, payload: RecommendationIn):
    """The recommendation by the members and by the public (两推): one row per person
    recommended, with both counts. Recorded again until the township decides."""
    election = scoped_election(request, id)
    recommendation.hold(
        request.user,
        election,
        held_on=payload.held_on,
        members_present=payload.members_present,
        public_present=payload.public_present,
        rows=[(row.member, row.member_votes, row.public_votes) for row in payload.rows],
    )
    return _recommendation(election)


@router.post("/elections/{id}/recommendation/decision", response=RecommendationResult)
def decide(request, id: int, payload: DecisionIn):
    """The township committee puts forward the candidates among the recommended, at
    least 20% more than the seats (DOMAIN §5.3)."""
    election = scoped_election(request, id)
    recommendation.decide(
        request.user, election, decided_on=payload.decided_on, chosen=payload.chosen
    )
    return _recommendation(election)


@router.post("/candidates/{id}/inspection", response=CandidateOut)
def inspect(request, id: int, payload: InspectionIn):
    """The inspection (组织考察) of a party candidate put forward."""
    candidate = scoped_candidate(request, id)
    recommendation.inspect(request.user, candidate, payload.findings, on=payload.inspected_on)
    return _one(candidate)


@router.post("/elections/{id}/recommendation/request", response=RecommendationResult)
def request_approval(request, id: int, payload: RequestIn):
    """The request for approval of the candidates (请示), once the 公示 is over."""
    election = scoped_election(request, id)
    recommendation.request_approval(
        request.user, election, requested_on=payload.requested_on, number=payload.number
    )
    return _recommendation(election)


@router.post("/elections/{id}/recommendation/approval", response=RecommendationResult)
def approve(request, id: int, payload: ApprovalIn):
    """The township's approval (批复): the candidates are final."""
    election = scoped_election(request, id)
    recommendation.approve(
        request.user, election, approved_on=payload.approved_on, number=payload.number
    )
    return _recommendation(election)
