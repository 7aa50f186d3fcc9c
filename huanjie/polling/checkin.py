"""The check-in desks of election day (DOMAIN §6): a voter is found on the roll and
handed a ballot, once.

One person, one ballot: a voter takes one ballot per poll, at whichever desk of the
place — one :class:`CheckIn` per voter and poll, which the database holds as well
(``one_ballot_per_voter``), so two desks clicking at the same moment cannot both hand
one out. A voter approved for a mobile box (流动票箱) takes their ballot from that box
only, and a box goes only to the voters approved for it. A voter who entrusted their
vote (委托投票) has the ballot collected by their proxy, who shows the written
authorisation; it is recorded on the entruster's check-in, with the proxy. Ballots
written by a helper (代写) are noted: the statistics ask for them, as for proxies and
mobile boxes.

Voters registered at the 补登 desk (:mod:`huanjie.voters.supplementary`) are on the
roll the moment they are added, so the desk finds them like everyone else.

A desk checks one voter in every few seconds all day, on rolls of tens of thousands:
the lookups go through the roll's unique indexes (ID number, voter number) and a check-in
is a handful of indexed queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.polling import polls
from huanjie.polling.models import CheckIn, MobileVoter, Poll, Proxy, Station
from huanjie.rules.identity import mask_id, normalize
from huanjie.voters import publication, supplementary
from huanjie.voters.cards import card_number
from huanjie.voters.models import Voter

#: The most voters a search lists; more than that asks for more of the name.
MAX_MATCHES = 20

#: A voter card's number as printed (huanjie.voters.cards): ``201-0012``.
CARD = re.compile(r"^(\d{3})-(\d{1,6})$")

#: What the desk searched by.
BY_ID_NUMBER = "id_number"
BY_CARD = "card"
BY_NUMBER = "number"
BY_INITIALS = "initials"
BY_NAME = "name"


@dataclass
class Entrusted:
    """An entrustment the voter collects as proxy, and its ballot if collected."""

    proxy: Proxy
    check_in: CheckIn | None


@dataclass
class Match:
    """A voter the desk found, with what decides how they get their ballot."""

    voter: Voter
    id_number: str  # masked
    card: str
    group: str
    check_in: CheckIn | None  # the ballot already taken in this poll
    mobile_box: Station | None  # the box the voter is approved for
    proxy: Proxy | None  # whom the voter entrusted with their vote
    entrusted: list[Entrusted] = field(default_factory=list)  # whose vote they collect


@dataclass
class Found:
    """The answer to a search: the matches in number order, ``more`` when there were
    more than :data:`MAX_MATCHES`, and ``elsewhere`` the place whose roll lists an ID
    number this place's roll does not."""

    query: str
    by: str
    matches: list[Match]
    more: bool = False
    elsewhere: str = ""


@dataclass
class BoxTally:
    station: Station
    issued: int = 0
    proxies: int = 0
    assisted: int = 0


@dataclass
class Counts:
    """The ballots handed out so far, per station or box and in all (DOMAIN §6)."""

    boxes: list[BoxTally]
    issued: int
    proxies: int
    assisted: int
    mobile: int  # issued by mobile boxes
    electorate: int  # on the roll now, 补登 included

    @property
    def turnout(self) -> float:
        """Ballots issued so far as a share of the roll, in per cent."""
        return round(100 * self.issued / self.electorate, 1) if self.electorate else 0.0


# Finding a voter


def roll_of(poll: Poll):
    """The lines listed on the roll of the poll's place now."""
    election = poll.election
    return publication.listed(election.cycle_id, election.place_id).order_by()


def find(poll: Poll, query: str) -> Found:
    """The voters of the place's roll that ``query`` names: an 18-character ID number
    (exact), a voter number (12), a voter card's number (201-0012), the pinyin initials
    of a name (wf) or a name — the whole name, or else its beginning.

    A card of another place is refused (its first digits are the place's, so a card
    brought to the wrong polling place is noticed); an ID number listed elsewhere in the
    cycle says where.
    """
    text = "".join(query.split())
    if not text:
        return Found(text, "", [])
    election = poll.election
    lines = roll_of(poll).select_related("group")
    elsewhere = ""
    if len(text) == 18 and text[:17].isascii() and text[:17].isdigit():
        by, number = BY_ID_NUMBER, normalize(text)
        found = list(lines.filter(id_number=number))
        if not found:
            line = supplementary.listed_line(election.cycle_id, number)
            elsewhere = line.place.name if line is not None else ""
    elif card := CARD.match(text):
        by = BY_CARD
        if card.group(1) != election.place.code[-3:]:
            raise RuleViolation(
                _(
                    "Card %(card)s is not a card of %(place)s: its cards begin with "
                    "%(digits)s-. The voter votes where their card was issued."
                )
                % {"card": text, "place": election.place.name, "digits": election.place.code[-3:]}
            )
        found = list(lines.filter(number=int(card.group(2))))
    elif text.isascii() and text.isdigit():
        if len(text) > 9:
            raise RuleViolation(
                _("%(text)s is neither an ID number (18 characters) nor a voter number.")
                % {"text": text}
            )
        by, found = BY_NUMBER, list(lines.filter(number=int(text)))
    elif text.isascii() and text.isalpha():
        by = BY_INITIALS
        found = list(lines.filter(name_initials=text.lower()).order_by("number")[: MAX_MATCHES + 1])
    else:
        by = BY_NAME
        found = list(lines.filter(name=text).order_by("number")[: MAX_MATCHES + 1])
        if not found:
            # name >= text lets the name index find where the names begin.
            begins = lines.filter(name__gte=text, name__startswith=text)
            found = list(begins.order_by("number")[: MAX_MATCHES + 1])
    more = len(found) > MAX_MATCHES
    return Found(text, by, matches(poll, found[:MAX_MATCHES]), more, elsewhere)


def matches(poll: Poll, voters: list[Voter]) -> list[Match]:
    """The voters with their check-in, mobile box, proxy and the entrustments they
    collect: three queries whatever the number of voters."""
    if not voters:
        return []
    election = poll.election
    ids = {v.id for v in voters}
    given, collects = {}, defaultdict(list)
    for p in (
        Proxy.objects.filter(Q(entruster_id__in=ids) | Q(proxy_id__in=ids), election_id=election.id)
        .select_related("entruster", "proxy")
        .order_by()
    ):
        if p.entruster_id in ids:
            given[p.entruster_id] = p
        if p.proxy_id in ids:
            collects[p.proxy_id].append(p)
    entrusters = [p.entruster_id for found in collects.values() for p in found]
    taken = {
        c.voter_id: c
        for c in CheckIn.objects.filter(poll=poll, voter_id__in=ids.union(entrusters))
        .select_related("station", "proxy__proxy", "user")
        .order_by()
    }
    boxes = {
        m.voter_id: m.station
        for m in MobileVoter.objects.filter(station__election_id=election.id, voter_id__in=ids)
        .select_related("station")
        .order_by()
    }
    return [
        Match(
            voter=v,
            id_number=mask_id(v.id_number),
            card=card_number(election.place, v.number),
            group=v.group.name if v.group_id and v.group else "",
            check_in=taken.get(v.id),
            mobile_box=boxes.get(v.id),
            proxy=given.get(v.id),
            entrusted=[
                Entrusted(p, taken.get(p.entruster_id))
                for p in sorted(collects.get(v.id, ()), key=lambda p: p.entruster.number)
            ],
        )
        for v in voters
    ]


# Issuing a ballot


def require_open(poll: Poll, today=None) -> None:
    """Ballots are handed out on the day of the vote, while it is open."""
    if poll.state != Poll.State.OPEN:
        raise RuleViolation(
            _("Voting in %(poll)s is over (%(state)s): no ballot is issued or taken back.")
            % {"poll": poll, "state": poll.get_state_display()}
        )
    if (today or timezone.localdate()) < poll.held_on:
        raise RuleViolation(
            _("The vote is held on %(day)s: the desks open that day.")
            % {"day": poll.held_on.isoformat()}
        )


def taken_message(voter: Voter, taken: CheckIn) -> str:
    """Why a second ballot is refused: when and where the first one was taken."""
    values = {
        "name": voter.name,
        "number": voter.number,
        "station": taken.station.name,
        "time": timezone.localtime(taken.at).strftime("%H:%M"),
    }
    if taken.proxy_id:
        values["proxy"] = taken.proxy.proxy.name
        return (
            _(
                "%(name)s (No. %(number)d) has had their ballot already: collected by their "
                "proxy %(proxy)s at %(station)s at %(time)s. One person, one ballot."
            )
            % values
        )
    return (
        _(
            "%(name)s (No. %(number)d) has taken a ballot already, at %(station)s at "
            "%(time)s. One person, one ballot."
        )
        % values
    )


def first_ballot(poll: Poll, voter: Voter) -> CheckIn | None:
    return (
        CheckIn.objects.filter(poll=poll, voter=voter)
        .select_related("station", "proxy__proxy")
        .order_by("pk")
        .first()
    )


def _refuse_second(poll: Poll, voter: Voter) -> None:
    taken = first_ballot(poll, voter)
    if taken is not None:
        raise RuleViolation(taken_message(voter, taken)) from None


def check_in_state(check_in: CheckIn) -> dict:
    """A check-in for the audit trail, the ID number masked."""
    voter = check_in.voter
    return {
        "poll": check_in.poll_id,
        "voter": voter.number,
        "name": voter.name,
        "id_number": mask_id(voter.id_number),
        "station": check_in.station.name,
        "proxy": check_in.proxy.proxy.name if check_in.proxy_id else None,
        "assisted": check_in.assisted,
    }


def _require_roll(poll: Poll, voter: Voter) -> None:
    election = poll.election
    if (
        voter.cycle_id != election.cycle_id
        or voter.place_id != election.place_id
        or voter.status != Voter.Status.LISTED
    ):
        raise RuleViolation(
            _(
                "%(name)s is not on the voter list of %(place)s: only its voters take a "
                "ballot here (DOMAIN §4)."
            )
            % {"name": voter.name, "place": election.place.name}
        )


def _require_box(poll: Poll, voter: Voter, station: Station) -> None:
    """A mobile-box voter votes by their box, and a box takes only its voters."""
    boxes = list(
        MobileVoter.objects.filter(station__election_id=poll.election_id, voter=voter)
        .values_list("station_id", "station__name")
        .order_by()
    )
    if boxes and station.id not in {pk for pk, _name in boxes}:
        raise RuleViolation(
            _(
                "%(name)s is approved for the mobile box %(box)s: their ballot is issued by "
                "that box only (DOMAIN §6)."
            )
            % {"name": voter.name, "box": boxes[0][1]}
        )
    if station.kind == Station.Kind.MOBILE_BOX and not boxes:
        raise RuleViolation(
            _(
                "The mobile box %(box)s goes only to the voters approved and published for "
                "it; %(name)s is not one of them (DOMAIN §6)."
            )
            % {"box": station.name, "name": voter.name}
        )


def _entrustment(poll: Poll, voter: Voter, proxy: Proxy | None) -> Proxy | None:
    """The entrustment the ballot goes by: a voter who entrusted their vote has it
    collected by their proxy only, and a proxy collects only what was entrusted to them."""
    given = (
        Proxy.objects.filter(election_id=poll.election_id, entruster=voter)
        .select_related("proxy")
        .order_by("pk")
        .first()
    )
    if proxy is None:
        if given is not None:
            raise RuleViolation(
                _(
                    "%(name)s entrusted their vote to %(proxy)s (委托投票): the ballot is "
                    "given to %(proxy)s, who shows the written authorisation."
                )
                % {"name": voter.name, "proxy": given.proxy.name}
            )
        return None
    if given is None or given.pk != proxy.pk:
        raise RuleViolation(
            _("%(name)s has not entrusted their vote to %(proxy)s.")
            % {"name": voter.name, "proxy": proxy.proxy.name}
        )
    return given


def issue(
    user,
    poll: Poll,
    voter: Voter,
    station: Station,
    *,
    proxy: Proxy | None = None,
    assisted: bool = False,
) -> CheckIn:
    """Hand ``voter`` a ballot of ``poll`` at ``station`` — to their proxy when
    ``proxy`` is given — and record it (``polling.check_in``).

    Refused once voting is over, for someone not on the place's roll, for a second
    ballot (saying when and where the first was taken), at a desk other than the
    voter's mobile box or at a box the voter is not approved for, and to anyone but the
    proxy of a voter who entrusted their vote.
    """
    election = poll.election
    permissions.require(user, permissions.RUN_POLL, election.place)
    require_open(poll)
    if station.election_id != election.id:
        raise RuleViolation(
            _("%(station)s is not a station of %(election)s.")
            % {"station": station.name, "election": election}
        )
    _require_roll(poll, voter)
    try:
        _require_box(poll, voter, station)
        entrustment = _entrustment(poll, voter, proxy)
    except RuleViolation:
        _refuse_second(poll, voter)  # the first thing to say, whatever else is wrong
        raise
    # The database refuses a second ballot (one_ballot_per_voter): looked up only
    # then, which spares every first ballot a query and holds when two desks click at
    # the same moment.
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(
                poll=poll,
                voter=voter,
                station=station,
                proxy=entrustment,
                assisted=bool(assisted),
                user=user,
            )
            record(
                user,
                "polling.check_in",
                check_in,
                after=check_in_state(check_in),
                place=election.place,
            )
    except IntegrityError:
        _refuse_second(poll, voter)
        raise
    return check_in


@transaction.atomic
def undo(user, check_in: CheckIn, reason: str) -> None:
    """Take back a check-in clicked by mistake, while voting is open, with the reason
    (``polling.check_in_undo``); the voter may then be checked in again."""
    poll = check_in.poll
    permissions.require(user, permissions.RUN_POLL, poll.election.place)
    require_open(poll)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the check-in is taken back."))
    record(
        user,
        "polling.check_in_undo",
        check_in,
        before=check_in_state(check_in),
        after={"reason": reason[:200]},
        place=poll.election.place,
    )
    check_in.delete()


# Counts


def counts(poll: Poll) -> Counts:
    """Ballots issued per station or box and in all, with the proxies, the ballots a
    helper wrote and the mobile boxes' share, against the roll as it stands."""
    election = poll.election
    rows = {
        row["station"]: row
        for row in CheckIn.objects.filter(poll=poll)
        .values("station")
        .annotate(
            issued=Count("id"),
            proxies=Count("id", filter=Q(proxy__isnull=False)),
            assisted=Count("id", filter=Q(assisted=True)),
        )
        .order_by()
    }
    boxes = []
    for station in Station.objects.filter(election_id=election.id).order_by("kind", "name"):
        row = rows.get(station.id, {})
        boxes.append(
            BoxTally(
                station,
                row.get("issued", 0),
                row.get("proxies", 0),
                row.get("assisted", 0),
            )
        )
    return Counts(
        boxes=boxes,
        issued=sum(b.issued for b in boxes),
        proxies=sum(b.proxies for b in boxes),
        assisted=sum(b.assisted for b in boxes),
        mobile=sum(b.issued for b in boxes if b.station.kind == Station.Kind.MOBILE_BOX),
        electorate=polls.electorate_of(election),
    )
