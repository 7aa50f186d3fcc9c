"""Setting up the vote in the JSON API (DOMAIN §6): an election's stations and mobile
boxes with their scrutineers, counters and box voters and what the rules say about
each; the entrustments, checked before or while they are registered, withdrawn, and
their published list.

The same services as the pages (:mod:`huanjie.polling.stations`,
:mod:`huanjie.polling.proxies`): an election or station outside the user's area is
404, a missing capability 403, a refusal by a rule 400 with its message (see
``huanjie.api``). ID numbers are always masked here.
"""

from datetime import date
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.candidates.nomination import find_voter
from huanjie.cycles.api import FindingOut, scoped_election
from huanjie.polling import proxies, stations
from huanjie.polling.models import Notice, Proxy, Scrutineer, Station
from huanjie.rules.identity import mask_id
from huanjie.voters.api import _Mapped
from huanjie.voters.models import Voter

router = Router()


# Schemas


class LineRef(Schema):
    """A voter of the place's roll."""

    id: int
    number: int
    name: str
    id_number: str  # masked


class DutyOut(Schema):
    id: int
    role: Scrutineer.Role
    chief: bool  # the chief scrutineer (总监票人)
    voter: LineRef


class MobileVoterOut(Schema):
    id: int
    voter: LineRef
    reason: str


class StationOut(Schema):
    """A station and its people. ``findings``: the rules about them (at least three
    scrutineers, no candidate or candidate's near relative, DOMAIN §6). For a mobile
    box, ``voters`` it goes to, ``approved_on`` by the representatives' meeting and
    ``posted_on``; both null and ``voters`` empty for other stations."""

    id: int
    election: int
    kind: Station.Kind
    name: str
    location: str
    booths: int
    scrutineers: list[DutyOut]
    findings: list[FindingOut]
    voters: list[MobileVoterOut]
    approved_on: date | None
    posted_on: date | None


class StationIn(Schema):
    kind: Station.Kind
    name: str
    location: str = ""
    booths: Annotated[int, Field(ge=1, le=99)] = 1


class DutyIn(Schema):
    """``voter``: a voter number (12), card number (201-0012), ID number, or a name only
    one voter of the place has."""

    voter: str
    role: Scrutineer.Role = Scrutineer.Role.SCRUTINEER
    chief: bool = False


class MobileVoterIn(Schema):
    """``voter`` as for a duty; ``reason``: why they cannot come (old, ill, disabled)."""

    voter: str
    reason: str


class EntrustmentOut(Schema):
    """``entruster`` gives ``proxy`` their vote; ``relation``: what the proxy is to the
    entruster (spouse, parent, child, sibling, grandparent, grandchild)."""

    id: int
    entruster: LineRef
    proxy: LineRef
    relation: str
    signed_on: date


class EntrustmentIn(Schema):
    """``entruster`` and ``proxy`` as a duty's ``voter``."""

    entruster: str
    proxy: str
    relation: str
    signed_on: date


class EntrustmentCheck(Schema):
    entruster: str
    proxy: str
    relation: str


class RegisteredOut(Schema):
    """The entrustment registered, with the warnings to show (a relation the family
    records say otherwise about)."""

    entrustment: EntrustmentOut
    findings: list[FindingOut]


class WithdrawalIn(Schema):
    reason: str = ""


class ListNoticeOut(Schema):
    id: int
    kind: Notice.Kind
    published_on: date
    people: int


class ProxyListIn(Schema):
    published_on: date


# Lookups and answers


def scoped_station(request, station_id: int) -> Station:
    """The station if its place is in the user's area (404 otherwise)."""
    station = get_object_or_404(
        Station.objects.select_related("election__place", "election__cycle"), pk=station_id
    )
    permissions.require(request.user, permissions.VIEW, station.election.place)
    return station


def _line(voter: Voter) -> dict:
    return {
        "id": voter.id,
        "number": voter.number,
        "name": voter.name,
        "id_number": mask_id(voter.id_number),
    }


def _station(station: Station, findings=None) -> dict:
    boxed = station.kind == Station.Kind.MOBILE_BOX
    notice = stations.mobile_notice(station) if boxed else None
    if findings is None:
        findings = stations.station_findings(station)
    return {
        "id": station.id,
        "election": station.election_id,
        "kind": station.kind,
        "name": station.name,
        "location": station.location,
        "booths": station.booths,
        "scrutineers": [
            {"id": d.id, "role": d.role, "chief": d.chief, "voter": _line(d.voter)}
            for d in stations.duties_of(station)
        ],
        "findings": findings,
        "voters": [
            {"id": m.id, "voter": _line(m.voter), "reason": m.reason}
            for m in stations.mobile_voters(station)
        ]
        if boxed
        else [],
        "approved_on": station.approved_on,
        "posted_on": notice.published_on if notice else None,
    }


def _entrustment(line: Proxy) -> dict:
    return {
        "id": line.id,
        "entruster": _line(line.entruster),
        "proxy": _line(line.proxy),
        "relation": line.relation,
        "signed_on": line.signed_on,
    }


def _notice(notice: Notice) -> dict:
    return {
        "id": notice.id,
        "kind": notice.kind,
        "published_on": notice.published_on,
        "people": len(notice.people),
    }


# Stations


@router.get("/elections/{id}/stations", response=list[StationOut])
def list_stations(request, id: int):
    """The central venue, polling stations and mobile boxes with their people and what
    the rules say about each."""
    election = scoped_election(request, id)
    found = stations.stations_of(election)
    findings = stations.election_findings(election, found)
    for station in found:
        station.election = election
    return [_station(s, findings[s.pk]) for s in found]


@router.post("/elections/{id}/stations", response=StationOut)
def add_station(request, id: int, payload: StationIn):
    """Set up a station or box: one central venue per election, names unique."""
    election = scoped_election(request, id)
    station = stations.add_station(
        request.user,
        election,
        kind=payload.kind,
        name=payload.name,
        location=payload.location,
        booths=payload.booths,
    )
    return _station(station)


@router.get("/stations/{id}", response=StationOut)
def get_station(request, id: int):
    return _station(scoped_station(request, id))


@router.get("/stations/{id}/scrutineers", response=list[DutyOut])
def list_duties(request, id: int):
    """The scrutineers and counters of a station, the chief scrutineer first."""
    station = scoped_station(request, id)
    return [
        {"id": d.id, "role": d.role, "chief": d.chief, "voter": _line(d.voter)}
        for d in stations.duties_of(station)
    ]


@router.post("/stations/{id}/scrutineers", response=StationOut)
def add_duty(request, id: int, payload: DutyIn):
    """Put a voter on duty. A candidate or a candidate's near relative is refused with
    the relation named (DOMAIN §6); fewer than three scrutineers stays a finding."""
    station = scoped_station(request, id)
    stations.add_duty(request.user, station, payload.voter, role=payload.role, chief=payload.chief)
    return _station(station)


@router.delete("/stations/{id}/scrutineers/{duty_id}", response=StationOut)
def remove_duty(request, id: int, duty_id: int):
    station = scoped_station(request, id)
    line = get_object_or_404(
        Scrutineer.objects.select_related("voter"), pk=duty_id, station=station
    )
    line.station = station
    stations.remove_duty(request.user, line)
    return _station(station)


@router.post("/stations/{id}/mobile-voters", response=StationOut)
def add_mobile_voter(request, id: int, payload: MobileVoterIn):
    """Approve a voter for a mobile box with the reason; a voter is on one box at most
    and a posted list no longer changes."""
    station = scoped_station(request, id)
    stations.add_mobile_voter(request.user, station, payload.voter, payload.reason)
    station.refresh_from_db()
    return _station(station)


# Entrustments


@router.get("/elections/{id}/proxies", response=list[EntrustmentOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_proxies(request, id: int, q: str = ""):
    """The entrustments by proxy; ``q`` finds a name, a voter number or the last four
    characters (or more) of an ID number on either side."""
    election = scoped_election(request, id)
    return _Mapped(proxies.entrustments(election, q), _entrustment)


@router.post("/elections/{id}/proxies/check", response=list[FindingOut])
def check_proxy(request, id: int, payload: EntrustmentCheck):
    """What the rules would say about registering this entrustment, without
    registering it: errors refuse, warnings are shown (DOMAIN §6)."""
    election = scoped_election(request, id)
    permissions.require(request.user, permissions.RUN_POLL, election.place)
    giver = find_voter(election.cycle, election.place, payload.entruster)
    taker = find_voter(election.cycle, election.place, payload.proxy)
    return proxies.check(election, giver, taker, payload.relation)


@router.post("/elections/{id}/proxies", response=RegisteredOut)
def register_proxy(
    request,
    id: int,
    payload: Form[EntrustmentIn],
    authorisation: File[UploadedFile] = None,
):
    """Register an entrustment with the signed authorisation (multipart: the fields
    and the file ``authorisation``, a PDF, JPG or PNG), before election day."""
    election = scoped_election(request, id)
    line, warnings = proxies.register(
        request.user,
        election,
        entruster=payload.entruster,
        proxy=payload.proxy,
        relation=payload.relation,
        signed_on=payload.signed_on,
        authorisation=authorisation,
    )
    return {"entrustment": _entrustment(line), "findings": warnings}


@router.post("/proxies/{id}/withdraw", response=EntrustmentOut)
def withdraw_proxy(request, id: int, payload: WithdrawalIn):
    """Take an entrustment back, before election day; the answer is what was withdrawn."""
    line = get_object_or_404(
        Proxy.objects.select_related("entruster", "proxy", "election__place", "election__cycle"),
        pk=id,
    )
    permissions.require(request.user, permissions.VIEW, line.election.place)
    withdrawn = _entrustment(line)
    proxies.withdraw(request.user, line, payload.reason)
    return withdrawn


@router.post("/elections/{id}/proxies/publish", response=ListNoticeOut)
def publish_proxies(request, id: int, payload: ProxyListIn):
    """Publish the list of entrusters and proxies (PDF), before election day."""
    election = scoped_election(request, id)
    return _notice(proxies.publish(request.user, election, payload.published_on))
