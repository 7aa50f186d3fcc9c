"""The delegate congress (党员代表大会) in the JSON API (DOMAIN §2 item 3, §8): the
approval with the number of delegates and the guiding shares, the units with their
seats and candidates, each unit's votes, the composition of the elected, the
credentials review, the seated delegates and calling the congress.

The same services as the page (:mod:`huanjie.party.congress`): an election outside
the user's area is 404, a missing capability 403, a refusal by a rule 400 with its
message. ID numbers are always masked here. Shares are given as fractions ("3/10").
"""

from datetime import date
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from huanjie.cycles.api import FindingOut, scoped_election
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.party import congress
from huanjie.party.models import Delegate, Member
from huanjie.rules.congress import CompositionTargets, candidates_needed
from huanjie.rules.identity import mask_id
from huanjie.rules.seats import Body

router = Router()


# Schemas


class TargetsIO(Schema):
    """The guiding shares as fractions ("1/2", "3/10"); null for no target."""

    cadres_at_most: str | None = "1/2"
    front_line_at_least: str | None = "3/10"
    women_at_least: str | None = "3/20"
    young_at_least: str | None = "3/5"
    young_under: Annotated[int, Field(ge=18, le=100)] = 50


class ApproveIn(Schema):
    approved_on: date
    reference: str = ""
    delegates: Annotated[int, Field(ge=1, le=2000)]
    scattered: bool = False
    targets: TargetsIO = TargetsIO()


class MemberRef(Schema):
    id: int
    name: str
    id_number: str  # masked


class DelegateOut(Schema):
    id: int
    member: MemberRef
    votes: int | None
    elected: bool
    review: Delegate.Review
    review_note: str
    credentials: list[FindingOut]  # for an elected delegate: what the review would refuse


class UnitOut(Schema):
    id: int
    name: str
    members: int
    seats: int
    needed: int  # the fewest candidates (20% more than seats)
    candidates: list[DelegateOut]
    tied: list[int]  # delegate ids tied across the last seat, to vote again
    findings: list[FindingOut]


class CongressOut(Schema):
    election: int
    approved_on: date
    approval_reference: str
    delegates: int
    scattered: bool
    targets: TargetsIO
    findings: list[FindingOut]  # whether a congress fits the organisation
    units: list[UnitOut]
    composition: list[FindingOut]  # the elected against the guiding shares
    all_reviewed: bool
    seated: int
    meeting: int | None  # the Meeting of kind CONGRESS once called


class CandidateIn(Schema):
    """``member``: the name or ID number of a member of the unit."""

    member: str


class ResultIn(Schema):
    """Votes of each candidate of the unit, by delegate id."""

    votes: dict[int, Annotated[int, Field(ge=0)]]


class ReviewIn(Schema):
    confirmed: bool
    note: str = ""


class CallIn(Schema):
    held_on: date
    venue: str = ""


class CallOut(Schema):
    id: int
    kind: str
    held_on: date
    venue: str
    seated: int


# Answers


def _finding(f) -> dict:
    return {
        "code": f.code,
        "section": f.section,
        "level": f.level,
        "message_zh": f.message_zh,
        "message_en": f.message_en,
        "params": f.params,
    }


def _member(member: Member) -> dict:
    return {
        "id": member.pk,
        "name": member.resident.name,
        "id_number": mask_id(member.resident.id_number),
    }


def _delegate(d: Delegate, election) -> dict:
    return {
        "id": d.pk,
        "member": _member(d.member),
        "votes": d.votes,
        "elected": d.elected,
        "review": d.review,
        "review_note": d.review_note,
        "credentials": [_finding(f) for f in congress.credentials(d, election)]
        if d.elected
        else [],
    }


def _answer(election) -> dict:
    found = congress.of(election)
    if found is None:
        raise Http404
    profile = effective_profile(election.cycle, election.place)
    meeting = congress.congress_meeting(election)
    units = []
    for unit in found.units.all():
        units.append(
            {
                "id": unit.pk,
                "name": unit.name,
                "members": unit.members,
                "seats": unit.seats,
                "needed": candidates_needed(unit.seats, profile),
                "candidates": [_delegate(d, election) for d in congress.candidates(unit)],
                "tied": [d.pk for d in congress.ties(unit)],
                "findings": [_finding(f) for f in congress.unit_findings(election, unit)],
            }
        )
    return {
        "election": election.pk,
        "approved_on": found.approved_on,
        "approval_reference": found.approval_reference,
        "delegates": found.delegates,
        "scattered": found.scattered,
        "targets": congress.targets_of(found).as_json(),
        "findings": [_finding(f) for f in congress.congress_findings(election)],
        "units": units,
        "composition": [_finding(f) for f in congress.composition(election)],
        "all_reviewed": congress.all_reviewed(election),
        "seated": len(congress.seated(election)),
        "meeting": meeting.pk if meeting else None,
    }


def _party_election(request, id: int):
    election = scoped_election(request, id)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return election


SHARES = ("cadres_at_most", "front_line_at_least", "women_at_least", "young_at_least")


def _targets(payload: TargetsIO) -> CompositionTargets:
    try:
        targets = CompositionTargets.from_json(payload.dict())
    except (ValueError, ZeroDivisionError):
        raise RuleViolation(_("Shares are fractions such as 3/10.")) from None
    for field in SHARES:
        value = getattr(targets, field)
        if value is not None and not 0 <= value <= 1:
            raise RuleViolation(_("%(field)s must be between 0 and 1.") % {"field": field})
    return targets


# Endpoints


@router.get("/elections/{id}/congress", response=CongressOut)
def get_congress(request, id: int):
    """The congress of a party election; 404 while none is approved."""
    return _answer(_party_election(request, id))


@router.put("/elections/{id}/congress", response=CongressOut)
def approve(request, id: int, payload: ApproveIn):
    """Record the upper level's approval and share the delegates among the units
    (needs approve_party); changed again while no candidate is put forward."""
    election = _party_election(request, id)
    targets = _targets(payload.targets)
    congress.approve(
        request.user,
        election,
        approved_on=payload.approved_on,
        reference=payload.reference,
        delegates=payload.delegates,
        scattered=payload.scattered,
        targets=targets,
    )
    return _answer(election)


@router.post("/elections/{id}/congress/reallocate", response=CongressOut)
def reallocate(request, id: int):
    """Share the seats again from the roster as it is now."""
    election = _party_election(request, id)
    congress.reallocate(request.user, election)
    return _answer(election)


@router.post("/elections/{id}/congress/units/{unit_id}/candidates", response=CongressOut)
def add_candidate(request, id: int, unit_id: int, payload: CandidateIn):
    election = _party_election(request, id)
    congress.add_candidate(
        request.user, election, congress.unit_of(election, unit_id), payload.member
    )
    return _answer(election)


@router.delete("/elections/{id}/congress/candidates/{delegate_id}", response=CongressOut)
def remove_candidate(request, id: int, delegate_id: int):
    election = _party_election(request, id)
    congress.remove_candidate(request.user, election, delegate_id)
    return _answer(election)


@router.post("/elections/{id}/congress/units/{unit_id}/result", response=CongressOut)
def record_result(request, id: int, unit_id: int, payload: ResultIn):
    """The votes of each candidate: the most votes are elected up to the seats; a tie
    across the last seat is listed in the unit's ``tied`` for a re-vote."""
    election = _party_election(request, id)
    congress.record_result(
        request.user, election, congress.unit_of(election, unit_id), payload.votes
    )
    return _answer(election)


@router.post("/elections/{id}/congress/delegates/{delegate_id}/review", response=CongressOut)
def review(request, id: int, delegate_id: int, payload: ReviewIn):
    """The credentials review of an elected delegate; a refusal needs a note."""
    election = _party_election(request, id)
    congress.review(
        request.user, election, delegate_id, confirmed=payload.confirmed, note=payload.note
    )
    return _answer(election)


@router.get("/elections/{id}/congress/seated", response=list[MemberRef])
def seated(request, id: int):
    """The delegates elected and with confirmed credentials: the congress's due list."""
    election = _party_election(request, id)
    return [_member(m) for m in congress.seated(election)]


@router.post("/elections/{id}/congress/call", response=CallOut)
def call(request, id: int, payload: CallIn):
    """Call the congress (a meeting of kind "congress", run with the meetings API)."""
    election = _party_election(request, id)
    meeting = congress.call(request.user, election, held_on=payload.held_on, venue=payload.venue)
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "venue": meeting.place_name,
        "seated": len(congress.seated(election)),
    }
