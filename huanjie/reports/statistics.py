"""The statistics of a cycle (DOMAIN §11) for a village or community, a township or the
county, computed from the records: the roll, the check-ins, the confirmed votes and
their winners, the party committees in office, the members' meetings, the joint review.

Nothing is typed and nothing is counted place by place: each kind of record is read
once for the whole scope by a grouped query — the roll and the check-ins, a million
lines each in a county, from the counts the database keeps of them
(:mod:`huanjie.counts`) — and the figures of each place are built from those rows by
the rules core (:mod:`huanjie.rules.statistics`). A township is the
sum of its places and the county the sum of its townships (place → township → county
→ cycle), so a total never disagrees with its rows.

What each figure counts:

* registered voters — the lines listed on the place's roll now
  (:func:`huanjie.voters.publication.listed`), by category, and those added on election
  day (补登);
* the nomination — the nomination meeting once counted (the roll and those present as
  it recorded them), everyone who stood for the 居/村委会 (初步候选人, whatever became
  of them), the formal candidates and the women among them;
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
  found (so that the reasons add up to the people);
* re-elected — a member elected whose ID number is among the previous term's
  居/村委会 members of the place (:mod:`huanjie.reports.previous`);
* complaints — by type, at the village or community they were registered at; those
  registered at a township or county office are :attr:`Report.office_complaints`.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.candidates.models import Candidate, NominationMeeting, Verdict
from huanjie.complaints.models import Complaint
from huanjie.cycles.models import Election, Office
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.party.models import Meeting, Seat
from huanjie.places.models import ELECTING_KINDS, Kind, Place, codes_above
from huanjie.polling.models import BoxCount, CheckInCount, Poll, Proxy, Station, Winner
from huanjie.reports.models import PreviousMember
from huanjie.rules import statistics as rules
from huanjie.rules import two_committees
from huanjie.rules.ages import AGE_BANDS, AgeBand
from huanjie.rules.seats import DIRECTOR, SECRETARY, Body
from huanjie.voters.models import RollCount, Voter

__all__ = ["PlaceRow", "Report", "Row", "cached", "compute", "latest_change"]

Round = Poll.Round
CONFIRMED = Poll.State.CONFIRMED
ORIGINS = (Round.FIRST, Round.RERUN)


@dataclass
class PlaceRow:
    """One village or community: its figures, its previous committee's, and what the
    records say besides the figures, for the consistency checks
    (:mod:`huanjie.reports.checks`)."""

    place: Place
    figures: rules.Figures
    #: The previous term's 居/村委会 counted as the new one is (sex, ages on the same
    #: election day, education, …), to set the two side by side (§11); None when it is
    #: not on record.
    previous: rules.Figures | None = None
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
    #: Complaints registered at a township or county office of the scope, by type:
    #: about no one village or community, so in no place's figures.
    office_complaints: Counter = field(default_factory=Counter)

    def against_previous(self) -> tuple[int, rules.Figures, rules.Figures]:
        """(places, new, previous): the new 居/村委会 and the previous term's, of the
        places whose previous committee is on record, to be set side by side."""
        recorded = [row for row in self.places if row.previous is not None]
        if len(recorded) == len(self.places):
            new = self.total  # every place: the sum is made already
        else:
            new = rules.merge(row.figures for row in recorded)
        return len(recorded), new, rules.merge(row.previous for row in recorded)

    @property
    def level(self) -> str:
        """What the rows are: "township", "place" (or "place" for a place itself)."""
        return "township" if self.within.kind in _ABOVE_TOWNSHIP else "place"


_ABOVE_TOWNSHIP = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY)


#: How long a computed report of a township or place is kept, in seconds, at most: a
#: change recorded in the audit trail makes a new one at once (:func:`cached`).
CACHE_SECONDS = 60

#: How long the townships of a county's report are kept, in seconds, at most. Each is
#: computed again as soon as the audit trail records a change at one of its places, and
#: all of them when it records one at the county or above, or one that names no place.
PARTS_SECONDS = 24 * 3600


def latest_change() -> int:
    """The number of the latest record of the audit trail: every change the services
    make is recorded there, so the figures cannot have changed while it stays the
    same."""
    return Record.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def cached(cycle, within: Place, today: date | None = None) -> Report:
    """:func:`compute`, kept while nothing new is recorded in the audit trail.

    A county's figures are built from the records of hundreds of places; the pages
    and the API ask for them again and again between two changes. A change concerns
    one place, so a county's report is kept township by township, in each process
    (:data:`_here`), and only the township where something changed is computed
    again. A township's or a place's report is kept whole, for
    :data:`CACHE_SECONDS` at most (for a change made outside the services)."""
    today = today or timezone.localdate()
    if within.kind in _ABOVE_TOWNSHIP:
        return _county(cycle, within, today)
    key = f"reports.statistics:{cycle.pk}:{within.code}:{today}:{latest_change()}"
    report = cache.get(key)
    if report is None:
        report = compute(cycle, within, today)
        cache.set(key, report, CACHE_SECONDS)
    return report


@dataclass
class _Kept:
    """A county's report as this process keeps it: the row of each township, by its
    prefix, as of record ``seq`` of the audit trail, in ``generation``."""

    seq: int
    generation: str
    rows: dict[str, Row]


#: The counties' reports this process keeps, by cycle, county and day. They stay in the
#: process: pickling 500 places' figures into the shared cache and back took longer
#: than computing most of them. The shared cache holds only the generation each copy
#: belongs to, so that emptying the cache (or the day passing) has every process
#: compute its copy afresh.
_here: dict[str, _Kept] = {}


def _generation(key: str) -> str:
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, PARTS_SECONDS)  # another process may be first
        generation = cache.get(key)
    return generation


def _county(cycle, within: Place, today: date) -> Report:
    key = f"reports.statistics.county:{cycle.pk}:{within.code}:{today}"
    generation = _generation(f"{key}:generation")
    seq = latest_change()
    kept = _here.get(key)
    if kept is None or kept.generation != generation:
        stale = None
    elif kept.seq == seq:
        stale = set()
    else:
        stale = _changed_townships(kept, within)
    if stale is None or len(stale) > len(kept.rows) // 2:
        report = compute(cycle, within, today)
        _keep(key, today, _Kept(seq, generation, {r.place.prefix: r for r in report.rows}))
        return report  # computed whole: its total and office complaints are made already
    if kept.seq != seq:
        rows = dict(kept.rows)
        for prefix in stale:
            part = compute(cycle, rows[prefix].place, today)
            rows[prefix] = Row(part.within, part.total, part.places)
        kept = _keep(key, today, _Kept(seq, generation, rows))
    rows = [kept.rows[prefix] for prefix in sorted(kept.rows)]
    report = Report(
        cycle,
        within,
        [p for row in rows for p in row.places],
        rows,
        rules.merge(row.figures for row in rows),
    )
    report.office_complaints = _office_complaints(cycle, within)
    return report


def _keep(key: str, today: date, kept: _Kept) -> _Kept:
    for old in [k for k in _here if not k.endswith(f":{today}")]:
        _here.pop(old, None)  # an earlier day's
    _here[key] = kept
    return kept


def _changed_townships(kept: _Kept, within: Place) -> set[str] | None:
    """The prefixes of the kept townships where the audit trail recorded something
    since ``kept.seq``; None when it recorded something at the county or above, or
    naming no place, which may concern every township."""
    above = set(codes_above(within.prefix)) | {within.code}
    stale: set[str] = set()
    for code in (
        Record.objects.filter(seq__gt=kept.seq).values_list("place_code", flat=True).distinct()
    ):
        prefix = next((p for p in kept.rows if code.startswith(p)), None)
        if prefix is not None:
            stale.add(prefix)
        elif not code or code in above or code.startswith(within.prefix):
            return None
    return stale


def _office_complaints(cycle, within: Place) -> Counter:
    """Complaints registered at a township or county office in ``within``, by type."""
    return Counter(
        dict(
            Complaint.objects.filter(cycle=cycle, place__code__startswith=within.prefix)
            .exclude(place__kind__in=ELECTING_KINDS)
            .values_list("type")
            .annotate(n=Count("*"))
            .order_by()
        )
    )


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
    in_scope = Place.objects.within(within).electing().values("id")
    of_cycle = Election.objects.filter(cycle=cycle, place__in=in_scope)
    committee_elections = of_cycle.filter(body__in=COMMITTEE_BODIES).values("id")
    elections = list(of_cycle.values("id", "place_id", "body", "election_day").order_by())
    committee = {e["id"]: e for e in elections if e["body"] in COMMITTEE_BODIES}
    committee_of = {e["place_id"]: e["id"] for e in committee.values()}
    place_of = {e["id"]: e["place_id"] for e in elections}
    day_of = {e["place_id"]: e["election_day"] or today for e in committee.values()}

    figures: dict[int, rules.Figures] = {pid: rules.Figures(places=1) for pid in ids}
    rows = {p.id: PlaceRow(p, figures[p.id]) for p in places}

    # The roll, as the database keeps it counted (the lines taken off it left out)
    for place_id, category, source, n in RollCount.objects.filter(
        cycle=cycle, place__in=in_scope, status=Voter.Status.LISTED, n__gt=0
    ).values_list("place_id", "category", "source", "n"):
        f = figures[place_id]
        f.registered += n
        f.registered_by_category[category] += n
        if source == Voter.Source.SUPPLEMENTARY:
            f.supplementary += n

    # The nomination of the 居/村委会
    for election_id, voters, present in NominationMeeting.objects.filter(
        election__in=committee_elections, counted=True
    ).values_list("election_id", "voters", "present"):
        f = figures[place_of[election_id]]
        f.nomination_places, f.nomination_roll, f.nomination_present = 1, voters, present
    for election_id, status, sex, n in (
        Candidate.objects.filter(election__in=committee_elections)
        .values_list("election_id", "status", "resident__sex")
        .annotate(n=Count("*"))
        .order_by()
    ):
        f = figures[place_of[election_id]]
        f.nominees += n
        if status == Candidate.Status.FORMAL:
            f.candidates += n
            f.women_candidates += n if sex == "F" else 0

    # The votes of the 居/村委会
    polls_of: dict[int, list[dict]] = defaultdict(list)
    for p in (
        Poll.objects.filter(election__in=committee_elections)
        .values("id", "election_id", "round", "follows_id", "state", "held_on", "result", "offices")
        .order_by()
    ):
        polls_of[p["election_id"]].append(p)
    seats_of: dict[int, dict[str, int]] = defaultdict(dict)
    for election_id, key, seats in (
        Office.objects.filter(election__in=committee_elections)
        .values_list("election_id", "key", "seats")
        .order_by()
    ):
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

    # Check-ins of the first vote, as the database keeps them counted, and the box sheets
    first_polls = Poll.objects.filter(election__in=committee_elections, round=Round.FIRST)
    mobile = set(
        Station.objects.filter(
            election__in=committee_elections, kind=Station.Kind.MOBILE_BOX
        ).values_list("id", flat=True)
    )
    for poll_id, station_id, by_proxy, assisted, n in CheckInCount.objects.filter(
        poll__in=first_polls, n__gt=0
    ).values_list("poll_id", "station_id", "by_proxy", "assisted", "n"):
        if poll_id not in first_poll:
            continue  # not the election's first vote
        f = figures[first_poll[poll_id]]
        f.voted += n
        f.proxy_votes += n if by_proxy else 0
        f.assisted += n if assisted else 0
        f.mobile_box_votes += n if station_id in mobile else 0
    for poll_id, issued in (
        BoxCount.objects.filter(poll__in=first_polls)
        .values_list("poll_id")
        .annotate(n=Sum("issued"))
        .order_by()
    ):
        rows[first_poll[poll_id]].ballots_issued = issued
    for election_id, n in (
        Proxy.objects.filter(election__in=committee_elections)
        .values_list("election_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures[place_of[election_id]].proxies = n

    # The members' meeting that voted
    for m in (
        Meeting.objects.filter(
            election__in=of_cycle.filter(body=Body.PARTY_COMMITTEE), poll__isnull=False
        )
        .annotate(n=Count("attendance"))
        .values("election_id", "due", "present", "n")
        .order_by("held_on", "id")
    ):  # the latest meeting of an election last, so it is the one kept
        pid = place_of[m["election_id"]]
        figures[pid].party_due = m["due"] or 0
        figures[pid].party_present = m["n"]
        rows[pid].meeting_present = m["present"]

    # Who sits where: winners of the 居/村委会 as the residents they are (a candidate's,
    # or else the voter's), party seats in office
    person = {
        name: Coalesce(f"candidate__resident__{name}", f"voter__resident__{name}")
        for name in ("id", "sex", "birth_date", "education", "ethnicity", "id_number")
    }
    member = Coalesce(
        "candidate__resident__party_membership__id", "voter__resident__party_membership__id"
    )
    winners = sorted(
        Winner.objects.filter(poll__election__in=committee_elections, poll__state=CONFIRMED)
        .values_list("id", "poll_id", "office")
        .annotate(**{f"resident_{k}": v for k, v in person.items()}, member=member)
        .order_by()
    )
    seats = list(
        Seat.objects.filter(until__isnull=True, organisation__place__in=in_scope)
        .values("organisation__place_id", "member__resident_id", "office")
        .annotate(birth_date=F("member__resident__birth_date"))
        .order_by()
    )
    elected: dict[int, list[rules.Elected]] = defaultdict(list)
    holders: dict[int, list[two_committees.Holder]] = defaultdict(list)
    per_office: dict[int, Counter] = defaultdict(Counter)
    birth: dict[object, date | None] = {}
    for (
        pk,
        poll_id,
        office,
        resident,
        sex,
        born,
        education,
        ethnicity,
        id_number,
        member,
    ) in winners:
        pid = counted.get(poll_id)
        if pid is None or office not in office_seats.get(pid, {}):
            continue  # a vote of an earlier chain, an office the current vote does not have
        per_office[pid][office] += 1
        person = resident if resident is not None else ("winner", pk)
        holders[pid].append(two_committees.Holder(person, office))
        elected[pid].append(
            rules.Elected(
                person,
                office,
                sex=sex,
                birth_date=born,
                education=education,
                ethnicity=ethnicity,
                party_member=member is not None,
                id_number=id_number or "",
            )
        )
        birth[person] = born
    party: dict[int, list[two_committees.Holder]] = defaultdict(list)
    for s in seats:
        birth[s["member__resident_id"]] = s["birth_date"]
        party[s["organisation__place_id"]].append(
            two_committees.Holder(s["member__resident_id"], s["office"])
        )

    # The joint review
    disqualified = dict(
        Candidate.objects.filter(election__in=of_cycle, status=Candidate.Status.DISQUALIFIED)
        .values_list("id", "election_id")
        .order_by()
    )
    lowest: dict[int, int] = {}
    for candidate_id, items in (
        Verdict.objects.filter(
            candidate__election__in=of_cycle,
            candidate__status=Candidate.Status.DISQUALIFIED,
            outcome=Verdict.Outcome.HIT,
        )
        .values_list("candidate_id", "items")
        .order_by()
    ):
        for item in items or ():
            lowest[candidate_id] = min(lowest.get(candidate_id, item), item)
    for candidate_id, election_id in disqualified.items():
        f = figures[place_of[election_id]]
        f.disqualified += 1
        f.disqualified_by_item[str(lowest.get(candidate_id, rules.UNKNOWN))] += 1

    # The previous term's 居/村委会, and the complaints
    previous: dict[int, set[str]] = defaultdict(set)
    previous_members: dict[int, list[rules.Elected]] = defaultdict(list)
    for (
        pk,
        place_id,
        office,
        id_number,
        sex,
        birth_date,
        education,
        ethnicity,
        member,
    ) in PreviousMember.objects.filter(
        cycle=cycle, place__in=in_scope, body__in=COMMITTEE_BODIES
    ).values_list(
        "id",
        "place_id",
        "office",
        "id_number",
        "sex",
        "birth_date",
        "education",
        "ethnicity",
        "party_member",
    ):
        previous[place_id].add(id_number)
        previous_members[place_id].append(
            rules.Elected(
                ("previous", pk),
                office,
                sex=sex,
                birth_date=birth_date,
                education=education,
                ethnicity=ethnicity,
                party_member=member,
                id_number=id_number,
            )
        )
    for place_id, kind, n in (
        Complaint.objects.filter(cycle=cycle, place__in=in_scope)
        .values_list("place_id", "type")
        .annotate(n=Count("*"))
        .order_by()
    ):
        figures[place_id].complaints += n
        figures[place_id].complaints_by_type[kind] += n

    for p in places:
        day = day_of.get(p.id, today)
        f = figures[p.id]
        secretaries = [birth.get(h.person) for h in party[p.id] if h.office == SECRETARY.key]
        directors = [birth.get(h.person) for h in holders[p.id] if h.office == DIRECTOR.key]
        row = rows[p.id]
        f.previous_places = int(p.id in previous)
        rules.count_elected(f, elected[p.id], day, bands, previous[p.id])
        rules.count_heads(f, secretaries, day, "secretaries")
        rules.count_heads(f, directors, day, "directors")
        rules.count_two_committees(f, [two_committees.two_committees(party[p.id], holders[p.id])])
        if p.id in previous_members:
            row.previous = rules.elected_figures(previous_members[p.id], day, bands)
        seats_here = office_seats.get(p.id, {})
        row.offices = {o: (per_office[p.id][o], n) for o, n in seats_here.items()}

    report = _report(cycle, within, [rows[p.id] for p in places], bands)
    report.office_complaints = _office_complaints(cycle, within)
    return report


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
