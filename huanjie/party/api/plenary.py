"""The first plenary (一届一次全委会) and the two committees (“两委”) through the API
(DOMAIN §2, §8, §11): open the plenary on the committee the members' meeting elected,
choose its candidates, enter its votes (counted by the rules core, with the reasons),
report the results, withdraw the report, record the approval (批复) that puts the
committee in office; and the party committee in office beside the 居/村委会 of a place,
or of every place under a township or county with the rates of §11.

The services decide (:mod:`huanjie.party.plenary`, :mod:`huanjie.party.committees`);
a refusal is 400 with the rule's message, a place out of scope 404, a missing
capability 403.
"""

from datetime import date
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_cycle, scoped_election
from huanjie.cycles.timeline import localized
from huanjie.party import committees, plenary
from huanjie.party.models import Plenary
from huanjie.places.api import scoped_place
from huanjie.rules.seats import Body

router = Router()

Count = Annotated[int, Field(ge=0)]


class PersonOut(Schema):
    member: int
    name: str


class CandidateOut(PersonOut):
    office: str


class OfficeOut(Schema):
    id: str
    title: str
    seats: int


class ReasonOut(Schema):
    office: str
    who: str
    name: str
    votes: int
    elected: bool
    reason: str  # a key of huanjie.rules.tally.REASONS
    zh: str
    en: str


class FindingOut(Schema):
    level: str
    code: str
    section: str
    message: str


class PlenaryOut(Schema):
    """A plenary: ``result`` is the rules core's (CONTRACTS §4, kind "party", with the
    committee as those due); ``elected`` office → names."""

    id: int
    election: int
    state: Plenary.State
    held_on: date
    present: int
    committee: list[PersonOut]
    offices: list[OfficeOut]
    candidates: list[CandidateOut]
    counts: dict[str, dict[str, int]]
    ballots_issued: int | None
    ballots_returned: int | None
    result: dict | None
    elected: dict[str, list[str]]
    reasons: list[ReasonOut]
    findings: list[FindingOut]
    reported_on: date | None
    approved_on: date | None
    approved_by: str
    approval_reference: str


class OpenIn(Schema):
    """``candidates``: office → committee members (Member ids or names); the ones
    recommended for 书记 and 副书记 when left out."""

    held_on: date
    present: Count
    candidates: dict[str, list[int | str]] | None = None


class CandidatesIn(Schema):
    candidates: dict[str, list[int | str]]
    present: Count | None = None


class VotesIn(Schema):
    """``counts``: office → person (``m<Member id>``, a Member id or a name of the
    committee; ``invalid`` for the invalid ballots) → votes."""

    counts: dict[str, dict[str, Count]]
    ballots_issued: Count | None = None
    ballots_returned: Count | None = None
    present: Count | None = None


class ReportIn(Schema):
    reported_on: date


class ApprovalIn(Schema):
    approved_on: date
    approved_by: str
    reference: str = ""


class SeatOut(Schema):
    member: int
    name: str
    office: str
    since: date


class RowOut(Schema):
    person: int | None  # the resident; None for a written-in name nobody matched
    name: str
    office: str


class TwoCommitteesOut(Schema):
    """One place: ``dual_head`` (一肩挑) and ``cross_appointed`` (交叉任职, names)."""

    place: str
    name: str
    party: list[RowOut]
    committee: list[RowOut]
    election: int | None  # the 居/村委会 election of the cycle
    dual_head: bool
    secretary: str | None
    director: str | None
    cross_appointed: list[str]


class RatesOut(Schema):
    """The counts of DOMAIN §11 and their rates, as decimals to four places."""

    places: int
    dual_head_places: int
    places_with_both_heads: int
    dual_head_rate: float | None
    members: int
    cross_appointed: int
    cross_appointment_rate: float | None


class ReportOut(Schema):
    within: str
    places: list[TwoCommitteesOut]
    rates: RatesOut


def _party_election(request, election_id: int):
    election = scoped_election(request, election_id)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return election


def scoped_plenary(request, plenary_id: int) -> Plenary:
    held = get_object_or_404(
        Plenary.objects.select_related("election__place", "election__cycle"), pk=plenary_id
    )
    permissions.require(request.user, permissions.VIEW, held.election.place)
    return held


def _plenary(held: Plenary) -> dict:
    return {
        "id": held.pk,
        "election": held.election_id,
        "state": held.state,
        "held_on": held.held_on,
        "present": held.present,
        "committee": [{"member": c["member"], "name": c["name"]} for c in held.committee],
        "offices": held.offices,
        "candidates": [
            {"member": plenary.member_of(c["id"]), "name": c["name"], "office": c["office"]}
            for c in held.candidates
        ],
        "counts": held.counts,
        "ballots_issued": held.ballots_issued,
        "ballots_returned": held.ballots_returned,
        "result": held.result,
        "elected": plenary.elected_of(held),
        "reasons": plenary.explanations(held),
        "findings": [
            {
                "level": f.level,
                "code": f.code,
                "section": f.section,
                "message": localized(f.message_zh, f.message_en),
            }
            for f in plenary.findings_of(held)
        ],
        "reported_on": held.reported_on,
        "approved_on": held.approved_on,
        "approved_by": held.approved_by,
        "approval_reference": held.approval_reference,
    }


@router.get("/elections/{id}/plenaries", response=list[PlenaryOut])
def plenaries(request, id: int):
    """The plenaries of a party committee election (one, once opened)."""
    election = _party_election(request, id)
    return [_plenary(p) for p in Plenary.objects.filter(election=election)]


@router.post("/elections/{id}/plenaries", response=PlenaryOut)
def open_plenary(request, id: int, payload: OpenIn):
    """Open the first plenary once the members' meeting has filled the committee."""
    election = _party_election(request, id)
    held = plenary.open_plenary(
        request.user,
        election,
        held_on=payload.held_on,
        present=payload.present,
        candidates=payload.candidates,
    )
    return _plenary(held)


@router.get("/plenaries/{id}", response=PlenaryOut)
def plenary_detail(request, id: int):
    return _plenary(scoped_plenary(request, id))


@router.put("/plenaries/{id}/candidates", response=PlenaryOut)
def set_candidates(request, id: int, payload: CandidatesIn):
    held = plenary.set_candidates(
        request.user, scoped_plenary(request, id), payload.candidates, present=payload.present
    )
    return _plenary(held)


@router.post("/plenaries/{id}/votes", response=PlenaryOut)
def enter_votes(request, id: int, payload: VotesIn):
    """Enter the tally sheet and count it; entering again replaces the votes."""
    held = plenary.enter_votes(
        request.user,
        scoped_plenary(request, id),
        counts=payload.counts,
        ballots_issued=payload.ballots_issued,
        ballots_returned=payload.ballots_returned,
        present=payload.present,
    )
    return _plenary(held)


@router.delete("/plenaries/{id}", response={204: None})
def cancel(request, id: int):
    """Take back an open plenary."""
    plenary.cancel(request.user, scoped_plenary(request, id))
    return Status(204, None)


@router.post("/plenaries/{id}/report", response=PlenaryOut)
def report(request, id: int, payload: ReportIn):
    """Report the results for approval: a valid vote that filled every seat."""
    held = plenary.report(
        request.user, scoped_plenary(request, id), reported_on=payload.reported_on
    )
    return _plenary(held)


@router.delete("/plenaries/{id}/report", response=PlenaryOut)
def withdraw_report(request, id: int):
    return _plenary(plenary.withdraw_report(request.user, scoped_plenary(request, id)))


@router.post("/plenaries/{id}/approval", response=list[SeatOut])
def approve(request, id: int, payload: ApprovalIn):
    """The upper level's approval (批复): the committee's seats from that day."""
    seats = plenary.approve(
        request.user,
        scoped_plenary(request, id),
        approved_on=payload.approved_on,
        approved_by=payload.approved_by,
        reference=payload.reference,
    )
    return [
        {
            "member": s.member_id,
            "name": s.member.resident.name,
            "office": s.office,
            "since": s.since,
        }
        for s in seats
    ]


def _rows(rows) -> list[dict]:
    return [
        {
            "person": r.person if isinstance(r.person, int) else None,
            "name": r.name,
            "office": r.office,
        }
        for r in rows
    ]


def _two(found: committees.PlaceCommittees) -> dict:
    return {
        "place": found.place.code,
        "name": found.place.name,
        "party": _rows(found.party),
        "committee": _rows(found.committee),
        "election": found.election.pk if found.election else None,
        "dual_head": found.dual_head,
        "secretary": found.secretary,
        "director": found.director,
        "cross_appointed": found.cross_appointed,
    }


def _rate(value) -> float | None:
    return None if value is None else round(float(value), 4)


@router.get("/cycles/{id}/places/{code}/two-committees", response=TwoCommitteesOut)
def place_two_committees(request, id: int, code: str):
    """The party committee in office and the 居/村委会 of one place."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code)
    if not place.is_electing:
        raise Http404
    return _two(committees.of_place(cycle, place))


@router.get("/cycles/{id}/two-committees", response=ReportOut)
def two_committees_report(request, id: int, within: str | None = None):
    """Every electing place under ``within`` (a township or the county; the user's
    scope by default) with its two committees, and the rates of 一肩挑 and 交叉任职."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, within) if within else permissions.scope_of(request.user)
    found = committees.report(cycle, place)
    rates = found.rates
    return {
        "within": place.code,
        "places": [_two(p) for p in found.places],
        "rates": {
            "places": rates.places,
            "dual_head_places": rates.dual_head_places,
            "places_with_both_heads": rates.places_with_both_heads,
            "dual_head_rate": _rate(rates.dual_head_rate),
            "members": rates.members,
            "cross_appointed": rates.cross_appointed,
            "cross_appointment_rate": _rate(rates.cross_appointment_rate),
        },
    }
