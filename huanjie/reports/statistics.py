"""The statistics of a cycle (DOMAIN §11) for a village or community, a township or the
county, computed from the records: the roll, the check-ins, the confirmed votes and
their winners, the party committees in office, the members' meetings, the joint review.

Nothing is typed and nothing is counted place by place: each kind of record is read
once for the whole scope by a grouped query, and the figures of each place are built
from those rows by the rules core (:mod:`huanjie.rules.statistics`). A township is the
sum of its places and the county the sum of its townships (place → township → county
→ cycle), so a total never disagrees with its rows.

What each figure counts:

* registered voters — the lines listed on the place's roll now
  (:func:`huanjie.voters.publication.listed`);
* voted, proxy votes, mobile-box votes, helper-written ballots — the check-ins of the
  first vote of the 居/村委会 election; proxies — the entrustments recorded;
* party member turnout — those checked in at the members' meeting (or congress) that
  voted, of those due to attend;
* a place voted when its first vote is confirmed, and succeeded the first time when
  that vote was valid and filled every seat; it needs 另行选举 when a confirmed vote left
  seats open or a run-off was held, 重新选举 when its vote was void or re-run;
* the members elected — the winners of the confirmed votes of the election's current
  chain (:func:`huanjie.polling.outcomes.election_state`), as the residents the
  candidates or voters are;
* secretaries — the party seats of 书记 in office; directors — the 主任 elected; ages on
  the place's election day;
* 一肩挑 and 交叉任职 — :mod:`huanjie.rules.two_committees` over the same party seats
  and winners (:func:`huanjie.party.committees.report` gives the same, place by place);
* candidates disqualified — by the lowest item of the negative list any department
  found (so that the reasons add up to the people).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from huanjie.candidates.models import Candidate, Verdict
from huanjie.cycles.models import Election, Office
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.party.models import Meeting, Member, Seat
from huanjie.places.models import Kind, Place
from huanjie.polling.models import BoxCount, CheckIn, Poll, Proxy, Station, Winner
from huanjie.rules import statistics as rules
from huanjie.rules import two_committees
from huanjie.rules.ages import AGE_BANDS, AgeBand
from huanjie.rules.seats import DIRECTOR, SECRETARY, Body
from huanjie.voters.models import Resident, Voter

__all__ = ["PlaceRow", "Report", "Row", "compute", "re_elected"]

Round = Poll.Round
ORIGINS = (Round.FIRST, Round.RERUN)


@dataclass
class PlaceRow:
    """One village or community: its figures, the ID numbers of the members elected
    (for re-elected vs new), and what the records say besides the figures, for the
    consistency checks (:mod:`huanjie.reports.checks`)."""

    place: Place
    figures: rules.Figures
    elected_ids: tuple[str, ...] = ()
    #: Ballots issued on the box sheets of the first vote; None without a sheet.
    ballots_issued: int | None = None
    #: Those present as the members' meeting recorded them; None without a meeting.
    meeting_present: int | None = None
    #: Office → (winners, seats) of the 居/村委会's current vote.
    offices: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Row:
    """A line of a report: a township (the sum of its places) or a place."""

    place: Place
    figures: rules.Figures
    places: list[PlaceRow] = field(default_factory=list)


@dataclass
class Report:
    """The statistics of ``within``: its places, a row per place or township right
    below it, and the total."""

    cycle: object
    within: Place
    places: list[PlaceRow]
    rows: list[Row]
    total: rules.Figures
    bands: tuple[AgeBand, ...] = AGE_BANDS

    @property
    def level(self) -> str:
        """What the rows are: "township", "place" (or "place" for a place itself)."""
        return "township" if self.within.kind in _ABOVE_TOWNSHIP else "place"


_ABOVE_TOWNSHIP = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)


def _chains(polls: list[dict]) -> tuple[dict | None, list[dict]]:
    """(origin, chain) of one election's polls, as
    :func:`huanjie.polling.outcomes.election_state` reads them: the latest first vote or
    re-run and the polls that follow from it."""
    by_id = {p["id"]: p for p in polls}

    def origin_of(p):
        while p["round"] not in ORIGINS and p["follows_id"] in by_id:
            p = by_id[p["follows_id"]]
        return p

    origins = sorted(
        (p for p in polls if p["round"] in ORIGINS), key=lambda p: (p["held_on"], p["id"])
    )
    if not origins:
        return None, []
    origin = origins[-1]
    return origin, [p for p in polls if origin_of(p)["id"] == origin["id"]]


def _unfilled(result: Mapping | None) -> bool:
    return bool(result) and result["valid"] and any(o["unfilled"] for o in result["offices"])


def compute(cycle, within: Place, today: date | None = None, bands=AGE_BANDS) -> Report:
    """The statistics of every village and community in ``within`` (itself when it is
    one), with a row per township below a county, or per place below a township."""
    today = today or timezone.localdate()
    places = list(
        Place.objects.within(within)
        .electing()
        .order_by("code")
        .only("id", "code", "name", "kind", "parent_id")
    )
    ids = [p.id for p in places]
    elections = list(
        Election.objects.filter(cycle=cycle, place_id__in=ids).values(
            "id", "place_id", "body", "election_day"
        )
    )
    committee = {e["id"]: e for e in elections if e["body"] in COMMITTEE_BODIES}
    committee_of = {e["place_id"]: e["id"] for e in committee.values()}
    party_ids = [e["id"] for e in elections if e["body"] == Body.PARTY_COMMITTEE]
    place_of = {e["id"]: e["place_id"] for e in elections}
    day_of = {e["place_id"]: e["election_day"] or today for e in committee.values()}

    figures: dict[int, rules.Figures] = {pid: rules.Figures(places=1) for pid in ids}
    rows = {p.id: PlaceRow(p, figures[p.id]) for p in places}

    # The roll
    for place_id, n in (
        Voter.objects.filter(cycle=cycle, place_id__in=ids, status=Voter.Status.LISTED)
        .values_list("place_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures[place_id].registered = n

    # The votes of the 居/村委会
    polls_of: dict[int, list[dict]] = defaultdict(list)
    for p in Poll.objects.filter(election_id__in=list(committee)).values(
        "id", "election_id", "round", "follows_id", "state", "held_on", "result", "offices"
    ):
        polls_of[p["election_id"]].append(p)
    seats_of: dict[int, dict[str, int]] = defaultdict(dict)
    for election_id, key, seats in Office.objects.filter(
        election_id__in=list(committee)
    ).values_list("election_id", "key", "seats"):
        seats_of[election_id][key] = seats

    first_poll: dict[int, int] = {}  # first vote → place
    counted: dict[int, int] = {}  # confirmed poll of a current chain → place
    office_seats: dict[int, dict[str, int]] = {}
    for election_id, polls in polls_of.items():
        f = figures[place_of[election_id]]
        pid = place_of[election_id]
        first = next((p for p in polls if p["round"] == Round.FIRST), None)
        if first is not None:
            first_poll[first["id"]] = pid
            if first["state"] == Poll.State.CONFIRMED:
                f.voting_places = 1
                f.first_time_success = int(rules.filled_first_time(first["result"]))
        confirmed = [p for p in polls if p["state"] == Poll.State.CONFIRMED]
        f.runoff_places = int(
            any(p["round"] == Round.RUNOFF for p in polls)
            or any(_unfilled(p["result"]) for p in confirmed)
        )
        f.rerun_places = int(
            any(p["round"] == Round.RERUN for p in polls)
            or any(
                p["round"] in ORIGINS and p["result"] and not p["result"]["valid"]
                for p in confirmed
            )
        )
        origin, chain = _chains(polls)
        if origin is not None:
            office_seats[pid] = {o["id"]: o["seats"] for o in origin["offices"]}
        for p in chain:
            if p["state"] == Poll.State.CONFIRMED:
                counted[p["id"]] = pid
    for pid, election_id in committee_of.items():
        seats = office_seats.setdefault(pid, seats_of.get(election_id, {}))
        figures[pid].seats = sum(seats.values())

    # Check-ins of the first vote, and the box sheets
    mobile = list(
        Station.objects.filter(
            election_id__in=list(committee), kind=Station.Kind.MOBILE_BOX
        ).values_list("id", flat=True)
    )
    counts = {
        "n": Count("id"),
        "proxy": Count("proxy_id"),
        "assisted": Count("id", filter=Q(assisted=True)),
    }
    if mobile:
        counts["mobile"] = Count("id", filter=Q(station_id__in=mobile))
    for c in (
        CheckIn.objects.filter(poll_id__in=list(first_poll))
        .values("poll_id")
        .annotate(**counts)
        .order_by()
    ):
        f = figures[first_poll[c["poll_id"]]]
        f.voted, f.proxy_votes, f.assisted = c["n"], c["proxy"], c["assisted"]
        f.mobile_box_votes = c.get("mobile", 0)
    for poll_id, issued in (
        BoxCount.objects.filter(poll_id__in=list(first_poll))
        .values_list("poll_id")
        .annotate(n=Sum("issued"))
        .order_by()
    ):
        rows[first_poll[poll_id]].ballots_issued = issued
    for election_id, n in (
        Proxy.objects.filter(election_id__in=list(committee))
        .values_list("election_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures[place_of[election_id]].proxies = n

    # The members' meeting that voted
    for m in (
        Meeting.objects.filter(election_id__in=party_ids, poll__isnull=False)
        .annotate(n=Count("attendance"))
        .values("election_id", "due", "present", "n")
        .order_by("held_on", "id")
    ):  # the latest meeting of an election last, so it is the one kept
        pid = place_of[m["election_id"]]
        figures[pid].party_due = m["due"] or 0
        figures[pid].party_present = m["n"]
        rows[pid].meeting_present = m["present"]

    # Who sits where: winners of the 居/村委会, party seats in office
    winners = list(
        Winner.objects.filter(poll_id__in=list(counted)).values(
            "id", "poll_id", "office", "candidate__resident_id", "voter__resident_id"
        )
    )
    seats = list(
        Seat.objects.filter(until__isnull=True, organisation__place_id__in=ids).values(
            "organisation__place_id", "member__resident_id", "office"
        )
    )
    people = {w["candidate__resident_id"] or w["voter__resident_id"] for w in winners}
    people |= {s["member__resident_id"] for s in seats}
    people.discard(None)
    residents = {
        r["id"]: r
        for r in Resident.objects.filter(id__in=people).values(
            "id", "sex", "birth_date", "education", "ethnicity", "id_number"
        )
    }
    members = set(
        Member.objects.filter(resident_id__in=people).values_list("resident_id", flat=True)
    )
    elected: dict[int, list[rules.Elected]] = defaultdict(list)
    holders: dict[int, list[two_committees.Holder]] = defaultdict(list)
    per_office: dict[int, Counter] = defaultdict(Counter)
    for w in sorted(winners, key=lambda w: w["id"]):
        pid = counted[w["poll_id"]]
        if w["office"] not in office_seats.get(pid, {}):
            continue  # an office the current vote does not have
        per_office[pid][w["office"]] += 1
        resident = residents.get(w["candidate__resident_id"] or w["voter__resident_id"])
        person = resident["id"] if resident else ("winner", w["id"])
        holders[pid].append(two_committees.Holder(person, w["office"]))
        elected[pid].append(
            rules.Elected(
                person,
                w["office"],
                sex=resident and resident["sex"],
                birth_date=resident and resident["birth_date"],
                education=resident and resident["education"],
                ethnicity=resident and resident["ethnicity"],
                party_member=bool(resident) and resident["id"] in members,
                id_number=resident["id_number"] if resident else "",
            )
        )
    party: dict[int, list[two_committees.Holder]] = defaultdict(list)
    for s in seats:
        party[s["organisation__place_id"]].append(
            two_committees.Holder(s["member__resident_id"], s["office"])
        )

    # The joint review
    disqualified = dict(
        Candidate.objects.filter(
            election_id__in=list(place_of), status=Candidate.Status.DISQUALIFIED
        ).values_list("id", "election_id")
    )
    lowest: dict[int, int] = {}
    for candidate_id, items in Verdict.objects.filter(
        candidate_id__in=list(disqualified), outcome=Verdict.Outcome.HIT
    ).values_list("candidate_id", "items"):
        for item in items or ():
            lowest[candidate_id] = min(lowest.get(candidate_id, item), item)
    for candidate_id, election_id in disqualified.items():
        f = figures[place_of[election_id]]
        f.disqualified += 1
        f.disqualified_by_item[str(lowest.get(candidate_id, rules.UNKNOWN))] += 1

    birth = {r: residents[r]["birth_date"] for r in residents}
    for p in places:
        day = day_of.get(p.id, today)
        f = figures[p.id]
        secretaries = [birth.get(h.person) for h in party[p.id] if h.office == SECRETARY.key]
        directors = [birth.get(h.person) for h in holders[p.id] if h.office == DIRECTOR.key]
        row = rows[p.id]
        row.figures = rules.merge(
            (
                f,
                rules.elected_figures(elected[p.id], day, bands),
                rules.young_heads(secretaries, day, "secretaries"),
                rules.young_heads(directors, day, "directors"),
                rules.two_committee_figures(
                    [two_committees.two_committees(party[p.id], holders[p.id])]
                ),
            )
        )
        row.elected_ids = tuple(e.id_number for e in elected[p.id])
        seats_here = office_seats.get(p.id, {})
        row.offices = {o: (per_office[p.id][o], n) for o, n in seats_here.items()}

    return _report(cycle, within, [rows[p.id] for p in places], bands)


def _report(cycle, within: Place, places: list[PlaceRow], bands) -> Report:
    if within.kind in _ABOVE_TOWNSHIP:
        # A village's or community's parent is its township or street (CHILD_KINDS).
        grouped: dict[int, list[PlaceRow]] = defaultdict(list)
        for row in places:
            grouped[row.place.parent_id].append(row)
        townships = Place.objects.filter(pk__in=list(grouped)).order_by("code")
        rows = [
            Row(t, rules.merge(r.figures for r in grouped[t.pk]), grouped[t.pk]) for t in townships
        ]
    else:
        rows = [Row(r.place, r.figures, [r]) for r in places]
    total = rules.merge(r.figures for r in rows)
    return Report(cycle, within, places, rows, total, tuple(bands))


def re_elected(
    report: Report, previous_ids: Collection[str]
) -> tuple[dict[str, rules.ReElection], rules.ReElection]:
    """Re-elected vs new (§11) per place code and in all, given the ID numbers of the
    members of the previous term's committees in the report's scope."""
    per_place = {
        row.place.code: rules.re_elected(row.elected_ids, previous_ids) for row in report.places
    }
    everyone = [i for row in report.places for i in row.elected_ids]
    return per_place, rules.re_elected(everyone, previous_ids)
