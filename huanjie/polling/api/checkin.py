"""The check-in desks in the JSON API (DOMAIN §6): find a voter, hand them a ballot,
take a mistaken check-in back, and the counts per station and box.

The same services as the desk page (:mod:`huanjie.polling.checkin`): a poll outside
the user's area is 404, a missing capability 403, a refusal by a rule 400 with its
message — a second ballot says when and where the first was taken (see
``huanjie.api``). ID numbers are always masked here. The schemas are named Desk… so
that the OpenAPI components of the other parts keep their names.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from huanjie.accounts import permissions
from huanjie.polling import checkin
from huanjie.polling.models import CheckIn, Poll, Proxy, Station
from huanjie.rules.identity import mask_id
from huanjie.voters.models import Voter

router = Router()


# Schemas


class DeskStation(Schema):
    id: int
    name: str
    kind: Station.Kind


class DeskPerson(Schema):
    """A voter of the place's roll."""

    id: int
    number: int
    name: str


class DeskProxy(Schema):
    """An entrustment (委托投票): ``proxy`` collects the ballot of ``entruster``."""

    id: int
    entruster: DeskPerson
    proxy: DeskPerson
    relation: str


class DeskCheckIn(Schema):
    id: int
    voter: DeskPerson
    id_number: str  # masked
    station: DeskStation
    proxy: DeskProxy | None  # the entrustment by which the proxy collected it
    assisted: bool  # written by a helper (代写)
    at: datetime
    user: str


class DeskEntrusted(Schema):
    """An entrustment the voter collects, with its ballot once collected."""

    entrustment: DeskProxy
    check_in: DeskCheckIn | None


class DeskMatch(Schema):
    id: int
    number: int
    card: str  # the voter card's number, 201-0012
    name: str
    sex: str
    id_number: str  # masked
    group: str
    source: Voter.Source  # supplementary: registered at the 补登 desk
    check_in: DeskCheckIn | None  # the ballot already taken in this poll
    mobile_box: DeskStation | None  # the only box that issues the voter's ballot
    proxy: DeskProxy | None  # the only person the voter's ballot is given to
    entrusted: list[DeskEntrusted]  # the ballots this voter collects as a proxy


class DeskFound(Schema):
    """``by``: id_number, card, number, initials or name. ``more``: more voters match
    than are listed. ``elsewhere``: the place whose roll lists an ID number this one
    does not."""

    query: str
    by: str
    matches: list[DeskMatch]
    more: bool
    elsewhere: str


class DeskIssueIn(Schema):
    """``voter``: the voter's id (from find); ``proxy``: the entrustment's id when the
    proxy collects an entrusted ballot; ``assisted``: written by a helper (代写)."""

    voter: int
    station: int
    proxy: int | None = None
    assisted: bool = False


class DeskUndoIn(Schema):
    reason: str


class DeskBox(Schema):
    station: DeskStation
    issued: int
    proxies: int
    assisted: int


class DeskCounts(Schema):
    """Ballots issued so far; ``turnout`` in per cent of ``electorate``, the voters on
    the roll now (补登 included)."""

    poll: int
    state: Poll.State
    boxes: list[DeskBox]
    issued: int
    proxies: int
    assisted: int
    mobile: int
    electorate: int
    turnout: float


# Lookups and answers


def scoped_poll(request, poll_id: int) -> Poll:
    """The poll if its place is in the user's area (404 otherwise)."""
    poll = get_object_or_404(
        Poll.objects.select_related("election__place", "election__cycle"), pk=poll_id
    )
    permissions.require(request.user, permissions.VIEW, poll.election.place)
    return poll


def _person(voter: Voter) -> dict:
    return {"id": voter.id, "number": voter.number, "name": voter.name}


def _station(station: Station | None) -> dict | None:
    if station is None:
        return None
    return {"id": station.id, "name": station.name, "kind": station.kind}


def _proxy(proxy: Proxy | None, entruster: Voter | None = None) -> dict | None:
    if proxy is None:
        return None
    return {
        "id": proxy.id,
        "entruster": _person(entruster or proxy.entruster),
        "proxy": _person(proxy.proxy),
        "relation": proxy.relation,
    }


def _check_in(check_in: CheckIn | None, voter: Voter | None = None) -> dict | None:
    if check_in is None:
        return None
    voter = voter or check_in.voter
    return {
        "id": check_in.id,
        "voter": _person(voter),
        "id_number": mask_id(voter.id_number),
        "station": _station(check_in.station),
        "proxy": _proxy(check_in.proxy, voter) if check_in.proxy_id else None,
        "assisted": check_in.assisted,
        "at": check_in.at,
        "user": check_in.user.get_username(),
    }


def _match(match: checkin.Match) -> dict:
    voter = match.voter
    return {
        "id": voter.id,
        "number": voter.number,
        "card": match.card,
        "name": voter.name,
        "sex": voter.sex,
        "id_number": match.id_number,
        "group": match.group,
        "source": voter.source,
        "check_in": _check_in(match.check_in, voter),
        "mobile_box": _station(match.mobile_box),
        "proxy": _proxy(match.proxy, voter),
        "entrusted": [
            {
                "entrustment": _proxy(e.proxy),
                "check_in": _check_in(e.check_in, e.proxy.entruster),
            }
            for e in match.entrusted
        ],
    }


def _counts(poll: Poll) -> dict:
    found = checkin.counts(poll)
    return {
        "poll": poll.id,
        "state": poll.state,
        "boxes": [
            {
                "station": _station(b.station),
                "issued": b.issued,
                "proxies": b.proxies,
                "assisted": b.assisted,
            }
            for b in found.boxes
        ],
        "issued": found.issued,
        "proxies": found.proxies,
        "assisted": found.assisted,
        "mobile": found.mobile,
        "electorate": found.electorate,
        "turnout": found.turnout,
    }


# Endpoints


@router.get("/polls/{id}/check-ins/find", response=DeskFound)
def find(request, id: int, q: str):
    """The voters of the poll's place that ``q`` names: an ID number (exact), a voter
    number, a voter card's number, pinyin initials or a name (whole, or its
    beginning) — each with whether they took a ballot, their mobile box and proxy."""
    poll = scoped_poll(request, id)
    found = checkin.find(poll, q)
    return {
        "query": found.query,
        "by": found.by,
        "matches": [_match(m) for m in found.matches],
        "more": found.more,
        "elsewhere": found.elsewhere,
    }


@router.post("/polls/{id}/check-ins", response=DeskCheckIn)
def issue(request, id: int, payload: DeskIssueIn):
    """Hand the voter a ballot at ``station`` — to their proxy with ``proxy`` — once
    per poll; refused for a second ballot (saying when and where the first was
    taken), at a desk other than the voter's mobile box, to anyone but the proxy of a
    voter who entrusted their vote, and once voting is over."""
    poll = scoped_poll(request, id)
    election = poll.election
    station = get_object_or_404(Station, pk=payload.station, election=election)
    voter = get_object_or_404(
        Voter, pk=payload.voter, cycle_id=election.cycle_id, place_id=election.place_id
    )
    proxy = None
    if payload.proxy is not None:
        proxy = get_object_or_404(
            Proxy.objects.select_related("proxy"), pk=payload.proxy, election=election
        )
    done = checkin.issue(request.user, poll, voter, station, proxy=proxy, assisted=payload.assisted)
    return _check_in(done, voter)


@router.post("/polls/{id}/check-ins/{check_in_id}/undo", response=DeskCounts)
def undo(request, id: int, check_in_id: int, payload: DeskUndoIn):
    """Take back a check-in clicked by mistake, with the reason, while voting is open;
    the answer is the counts without it."""
    poll = scoped_poll(request, id)
    check_in = get_object_or_404(
        CheckIn.objects.select_related("voter", "station", "proxy__proxy"),
        pk=check_in_id,
        poll=poll,
    )
    check_in.poll = poll
    checkin.undo(request.user, check_in, payload.reason)
    return _counts(poll)


@router.get("/polls/{id}/check-ins/counts", response=DeskCounts)
def counts(request, id: int):
    """Ballots issued per station and box and in all, proxies, assisted, mobile boxes,
    the roll and the turnout so far."""
    return _counts(scoped_poll(request, id))
