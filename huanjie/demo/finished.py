"""Finished elections (选举已结束): five places of one township voted some days ago.

The rest of the demo county votes after today, so without these places the statistics,
the civil-affairs form and the work summary would have nothing to count. Five villages
or communities of one township (not the first two streets, where the demo accounts
work) have their election day three to seven days before the demo's today, and each
shows something else:

* ``dual_head`` — its party branch elected its committee at the members' meeting, the
  first plenary elected the 书记 and 副书记 and the township approved them (the seats in
  office); the 书记 was then elected 主任 (一肩挑) and the 副书记 a member of the
  居/村委会 (交叉任职). Its vote is counted ballot by ballot by two counters.
* ``party`` — the party branch likewise; its 书记 does not stand for the 居/村委会, one
  of its members is elected to it (交叉任职). A candidate was disqualified by the joint
  review (公安局, item 2).
* ``filled`` — every seat filled the first time. A candidate was disqualified by the
  joint review (纪检监察机关, item 3).
* ``runoff`` — one seat of member left open: 另行选举 three days later, counted ballot
  by ballot, confirmed.
* ``rerun`` — fewer than half of the voters voted, so the vote was void: 重新选举 four
  days later, confirmed.

The other votes are counted from the tally sheets' totals; the members' meetings
ballot by ballot.

Everything after the formal list goes through the services the pages use: stations,
scrutineers and counters, the mobile box's voters approved and posted, entrustments
registered and posted, the first vote opened, voters checked in one by one (some by
their proxy, some at the mobile box, some ballots written by a helper), the sheets of
the boxes, the ballots entered twice or the totals, the count, the confirmation, the
run-off or re-run, the announcement and the certificates. The party branch's meeting,
its vote, the plenary and the approval likewise. The formal candidates are made as the
pilot's are (:mod:`huanjie.demo.pilot`): drawn from the roll and posted; the joint
review's verdict on the nominee it turned down goes through its service. Steps no
service signs off are signed off by the township's staff, as for the other places
(:func:`huanjie.demo.load._sign_off`). The previous term's members are imported as a
township's file, and a few complaints registered and handled.

The places are the largest of the township with :data:`LEAST_POPULATION` people at
least: a demo too small for that (a few thousand residents) has no finished places.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from huanjie.accounts.models import RoleKind
from huanjie.candidates import review
from huanjie.candidates.models import Candidate, Department, Notice, Recommendation, Verdict
from huanjie.candidates.notices import EDUCATION_ZH, formal_pdf, store
from huanjie.complaints import register as complaints
from huanjie.cycles import services
from huanjie.cycles.models import Election, Step
from huanjie.cycles.profiles import effective_profile
from huanjie.demo import county as demo_county
from huanjie.documents import fonts
from huanjie.party import due as party_due
from huanjie.party import meetings, plenary
from huanjie.party.models import Member, Organisation
from huanjie.places.models import Kind, Place
from huanjie.polling import checkin, counting, outcomes, papers, polls, proxies, stations
from huanjie.polling.models import Poll, Station
from huanjie.reports import previous
from huanjie.rules import slate, tally, timeline
from huanjie.rules.identity import age_on
from huanjie.rules.members import has_vote
from huanjie.rules.seats import Body, committee_body
from huanjie.voters.models import Relation, Voter

#: What the finished places show, in the order they are dealt out (see the docstring).
ROLES = ("dual_head", "party", "filled", "runoff", "rerun")
#: The places whose party branch elects its committee through the services.
PARTY_ROLES = ("dual_head", "party")
#: Election day of each role, in days before the demo's today.
DAYS_AGO = {"runoff": 7, "rerun": 6, "dual_head": 5, "party": 4, "filled": 3}
#: The run-off and the re-run, in days after election day.
RUNOFF_AFTER = 3
RERUN_AFTER = 4
#: The places whose first vote is counted ballot by ballot, by two counters; the others
#: count from the tally sheet, but for the run-off, counted ballot by ballot too.
BALLOTS_ROLES = ("dual_head",)
#: Beyond this many ballots a place counts from the tally sheet, whatever its role.
BALLOTS_AT_MOST = 300
#: The fewest registered people a finished place has.
LEAST_POPULATION = 40

#: The 居/村委会 of a finished place: a director, a deputy and three members.
SEATS = {"director": 1, "deputy": 1, "member": 3}
#: The party branch of a party place has at least this many members.
PARTY_MEMBERS = 15

#: The joint review's hits: role → (reviewer account, department, item, evidence).
DISQUALIFIED = {
    "party": (
        "reviewer2",
        "公安局",
        2,
        "经查，该同志2019年因寻衅滋事罪被判处有期徒刑一年（县人民法院刑事判决书）。",
    ),
    "filled": (
        "reviewer",
        "纪检监察机关",
        3,
        "该同志2025年受党内严重警告处分，尚在影响期内（县纪委处分决定）。",
    ),
}

MOBILE_REASONS = ("年老体弱，行动不便", "卧病在床", "肢体残疾，行动不便")


@dataclass(frozen=True)
class Finished:
    """A place whose election is over: its area code, role and election day."""

    code: str
    role: str
    day: date


def plan(county: demo_county.County, seed: int, today: date) -> dict[str, Finished]:
    """The finished places of a generated county: code → :class:`Finished`.

    One township is drawn (not the first two streets), and five of its places with
    :data:`LEAST_POPULATION` people at least; none when no township has five. Their
    days are counted from the demo's today, or from the real one when that is earlier
    (nothing is signed off in the future)."""
    rng = random.Random(f"{seed}:finished")
    anchor = min(today, timezone.localdate())
    busy = {demo_county.STREETS[0][0], demo_county.STREETS[1][0]}
    choices = []
    for township in county.townships:
        big = [
            p
            for p in county.electing
            if p.parent == township.code and p.population >= LEAST_POPULATION
        ]
        if township.code not in busy and len(big) >= len(ROLES):
            choices.append(big)
    if not choices:
        return {}
    # The smallest of them, so that the demo stays quick to build at any size.
    smallest = sorted(rng.choice(choices), key=lambda p: (p.population, p.code))[: len(ROLES)]
    chosen = sorted(smallest, key=lambda p: p.code)
    roles = list(ROLES)
    rng.shuffle(roles)
    return {
        p.code: Finished(p.code, role, anchor - timedelta(days=DAYS_AGO[role]))
        for p, role in zip(chosen, roles, strict=True)
    }


def finish(cycle, users: Mapping, plans: Mapping[str, Finished], today: date, seed: int) -> dict:
    """Hold the elections of the finished places (see the module docstring). Returns
    {"places": places whose first vote is confirmed, "steps": steps signed off}."""
    if not plans:
        return {"places": 0, "steps": 0}
    anchor = min(today, timezone.localdate())
    places = {p.code: p for p in Place.objects.filter(code__in=plans).select_related("parent")}
    township = places[min(plans)].parent
    staff = next(
        u
        for u in users.values()
        if u.role.kind == RoleKind.TOWNSHIP_STAFF and u.role.place_id == township.pk
    )
    done = []
    for code in sorted(plans):
        place = _Place(cycle, staff, users, places[code], plans[code], anchor, seed)
        place.run()
        done.append(place)
    _import_previous(cycle, staff, township, done, anchor)
    _register_complaints(cycle, staff, done, anchor)
    first_votes = Poll.objects.filter(
        election__cycle=cycle,
        election__place__code__in=plans,
        round=Poll.Round.FIRST,
        state=Poll.State.CONFIRMED,
    ).exclude(election__body=Body.PARTY_COMMITTEE)
    return {
        "places": first_votes.count(),
        "steps": Step.objects.filter(cycle=cycle, place__code__in=plans).count(),
    }


# -- one place ----------------------------------------------------------------------------


def _household(voter: Voter) -> str:
    return voter.resident.household_number or str(voter.resident_id)


class _Place:
    """The work of one finished place, in the order it was done."""

    def __init__(self, cycle, staff, users, place, finished: Finished, today: date, seed: int):
        self.cycle, self.staff, self.users, self.place = cycle, staff, users, place
        self.role, self.day, self.today = finished.role, finished.day, today
        self.rng = random.Random(f"{seed}:finished:{place.code}")
        self.seed = seed
        self.profile = effective_profile(cycle, place)
        self.election = Election.objects.select_related("place", "cycle").get(
            cycle=cycle, place=place, body=committee_body(place.kind)
        )
        self.party_election = Election.objects.select_related("place", "cycle").get(
            cycle=cycle, place=place, body=Body.PARTY_COMMITTEE
        )
        self.roll = list(
            Voter.objects.filter(cycle=cycle, place=place, status=Voter.Status.LISTED)
            .select_related("resident")
            .order_by("number")
        )
        self.party = self.role in PARTY_ROLES
        self.secretary = None  # the resident the branch elects 书记
        self.deputy_secretary = None
        self.party_committee: list = []  # residents on the new party committee
        self.candidates: dict[str, list[Voter]] = {}  # office → people, winners first
        self.winners: list[Voter] = []
        self.dropped: Voter | None = None  # the nominee the joint review turns down
        self.mobile: list[Voter] = []
        self.proxies: dict[int, object] = {}  # entruster's voter id → Proxy
        self.last_day = self.day

    # The plan of the whole election

    def run(self) -> None:
        self._sign_off_before()
        self._choose_candidates()
        if self.party:
            self._party_election()
        self._formal_list()
        self._stations()
        self._mobile_box()
        self._entrustments()
        self._vote()
        services.sign_off(
            self.staff,
            self.cycle,
            self.place,
            "results_reported",
            done_on=max(self.day + timedelta(days=1), self.last_day),
        )

    def _sign_off_before(self) -> None:
        """The steps due before D that no service below signs off, each on about its
        due day, as the township's staff would have."""
        due = timeline.due_dates(self.day, self.profile)
        by_services = {"proxy_list_published", "mobile_box_published"}
        if self.party:
            by_services |= {
                "party_members_meeting",
                "party_first_plenary",
                "party_results_approval",
            }
        done: dict[str, date] = {}
        for step in timeline.STEPS:
            if step.optional or step.key in by_services or due[step.key] >= self.day:
                continue
            on = due[step.key] + timedelta(days=self.rng.randint(-2, 0))
            on = max([on, self.cycle.starts_on, *(done[r] for r in step.requires if r in done)])
            services.sign_off(self.staff, self.cycle, self.place, step.key, done_on=on)
            done[step.key] = on

    # Candidates

    def _pick(self, pool: list[Voter], taken: set[str], *, sex=None, here=False) -> Voter:
        """The first voter of ``pool`` of a household not yet taken (of ``sex``, and
        registered here when ``here``); refused when there is none."""
        for strict in (True, False):
            for voter in pool:
                if sex and voter.sex != sex:
                    continue
                if here and voter.resident.household_code != self.place.code:
                    continue
                if strict and _household(voter) in taken:
                    continue
                pool.remove(voter)
                taken.add(_household(voter))
                return voter
        raise RuntimeError(f"{self.place.name}: too few voters for the demo's candidates")

    def _choose_candidates(self) -> None:
        """Two for director, two for deputy, four for three members (差额), women among
        them, one per household; on a party place the future 书记 and a member of the
        branch registered here among them. The winners are decided here too."""
        pool = [v for v in self.roll if v.resident and 25 <= age_on(v.birth_date, self.day) <= 60]
        self.rng.shuffle(pool)
        taken: set[str] = set()
        pick = self._pick
        director = [pick(pool, taken, here=self.role == "dual_head"), pick(pool, taken)]
        deputy = [pick(pool, taken, here=self.role == "dual_head"), pick(pool, taken, sex="F")]
        members = [
            pick(pool, taken, sex="F"),  # a woman elected (Hunan keeps a seat for one)
            pick(pool, taken),
            pick(pool, taken, sex="M", here=self.role == "party"),
            pick(pool, taken),
        ]
        self.candidates = {"director": director, "deputy": deputy, "member": members}
        if self.role == "runoff":  # two members have a majority; the run-off elects the third
            self.winners = [director[0], deputy[0], members[0], members[2]]
        else:
            self.winners = [director[0], deputy[0], *members[:3]]
        self.dropped = pick(pool, taken, sex="M") if self.role in DISQUALIFIED else None
        self.pool, self.taken = pool, taken
        if self.role == "dual_head":  # 一肩挑, and the 副书记 a member of the 居/村委会
            self.secretary, self.deputy_secretary = director[0].resident, deputy[0].resident
            self.party_committee = [director[0].resident, deputy[0].resident]
        elif self.role == "party":  # a member of the branch committee elected a member here
            self.party_committee = [members[2].resident]

    def _formal_list(self) -> None:
        """The nominees (and, where the joint review found one unfit, that one too),
        the joint review's hit through its service, and the formal list posted seven
        days before D, as the pilot's are (:mod:`huanjie.demo.pilot`)."""
        election = self.election
        if self.place.kind == Kind.COMMUNITY:
            services.set_seats(self.staff, election, SEATS)
        made = []
        continuing = set(self._previous_winners())
        for office, people in self.candidates.items():
            for voter in people:
                made.append(
                    Candidate.objects.create(
                        election=election,
                        office=office,
                        resident=voter.resident,
                        source=Candidate.Source.NOMINATION,
                        votes=self.rng.randint(len(self.roll) // 4, len(self.roll) // 2),
                        continuing=voter.resident_id in continuing,
                    )
                )
        if self.dropped is not None:
            account, department, item, evidence = DISQUALIFIED[self.role]
            nominee = Candidate.objects.create(
                election=election,
                office="member",
                resident=self.dropped.resident,
                source=Candidate.Source.NOMINATION,
                votes=self.rng.randint(len(self.roll) // 4, len(self.roll) // 2),
            )
            reviewer = self.users[account]
            review.give_verdict(
                reviewer,
                nominee,
                Department.objects.get(cycle=self.cycle, name=department),
                Verdict.Outcome.HIT,
                items=[item],
                note=evidence,
            )
            # The next of the nomination's ranking takes the place (递补).
            backfill = made[-1]
            backfill.source, backfill.replaces = Candidate.Source.BACKFILL, nominee
            backfill.votes = min(backfill.votes, nominee.votes)
            backfill.save(update_fields=["source", "replaces", "votes"])
        Candidate.objects.filter(pk__in=[c.pk for c in made]).update(status=Candidate.Status.FORMAL)
        standing = list(
            Candidate.objects.filter(pk__in=[c.pk for c in made]).select_related("resident")
        )
        published_on = timeline.formal_list_deadline(self.day, self.profile)
        store(
            self.staff,
            election,
            Notice.Kind.FORMAL,
            published_on,
            standing,
            formal_pdf(election, standing, published_on),
        )

    def _previous_winners(self) -> list[int]:
        """Residents of this term's winners who sat on the previous committee."""
        previous_committee, _party = self._previous()
        return [
            resident.pk
            for _office, resident in previous_committee
            if resident in self._winner_residents()
        ]

    def _winner_residents(self) -> list:
        return [v.resident for v in self.winners]

    # Stations, the mobile box, entrustments

    def _stations(self) -> None:
        """The central venue, a polling station where the roll is large, a mobile box;
        scrutineers and counters chosen from the voters, where the rules allow them."""
        add = stations.add_station
        name = self.place.name
        self.central = add(
            self.staff,
            self.election,
            kind=Station.Kind.CENTRAL,
            name="中心会场",
            location=f"{name}综合服务中心",
            booths=2,
        )
        self.station = None
        if len(self.roll) >= 60:
            self.station = add(
                self.staff,
                self.election,
                kind=Station.Kind.STATION,
                name="第一投票站",
                location=f"{name}第一小组活动室",
            )
        self.box = add(self.staff, self.election, kind=Station.Kind.MOBILE_BOX, name="流动票箱")
        standing = {v.pk for people in self.candidates.values() for v in people}
        helpers = [
            v for v in self.pool if v.pk not in standing and age_on(v.birth_date, self.day) <= 60
        ]
        duties = [(self.central, "scrutineer", True), (self.central, "scrutineer", False)]
        duties += [(self.central, "scrutineer", False), (self.central, "counter", False)]
        duties += [(self.central, "counter", False)]
        duties += [(self.box, "scrutineer", i == 0) for i in range(3)]
        if self.station is not None:
            duties += [(self.station, "scrutineer", i == 0) for i in range(3)]
        for station, role, chief in duties:
            while helpers:
                voter = helpers.pop(0)
                try:
                    stations.add_duty(self.staff, station, str(voter.number), role, chief)
                    break
                except services.RuleViolation:  # a candidate's near relative
                    continue

    def _mobile_box(self) -> None:
        """The oldest voters who stand for nothing, two or three, approved three days
        before D and posted the day before."""
        standing = {v.pk for people in self.candidates.values() for v in people}
        old = sorted(
            (v for v in self.roll if v.pk not in standing), key=lambda v: (v.birth_date, v.number)
        )
        self.mobile = old[: self.rng.randint(2, 3)]
        for voter in self.mobile:
            stations.add_mobile_voter(
                self.staff, self.box, str(voter.number), self.rng.choice(MOBILE_REASONS)
            )
        if self.mobile:
            stations.approve_list(
                self.staff, self.box, self.day - timedelta(days=3), today=self.today
            )
            stations.publish_mobile(
                self.staff, self.box, self.day - timedelta(days=1), today=self.today
            )

    def _entrustments(self) -> None:
        """Voters away on D entrust their spouse or a parent (委托投票), about one in
        thirty, registered with the signed authorisation and posted two days before D."""
        standing = {v.resident_id for people in self.candidates.values() for v in people}
        mobile = {v.pk for v in self.mobile}
        by_resident = {v.resident_id: v for v in self.roll if v.resident_id}
        ties = Relation.objects.filter(
            person_id__in=list(by_resident), relative_id__in=list(by_resident)
        ).order_by("person_id", "relative_id")
        pairs = [
            (by_resident[t.person_id], by_resident[t.relative_id], t.kind)
            for t in ties
            if t.kind in ("spouse", "parent")
            and not {t.person_id, t.relative_id} & standing
            and age_on(by_resident[t.person_id].birth_date, self.day) <= 60
        ]
        self.rng.shuffle(pairs)
        wanted = max(2, len(self.roll) // 30)
        used: set[int] = set()
        for giver, taker, kind in pairs:
            if len(self.proxies) >= wanted:
                break
            if {giver.pk, taker.pk} & (used | mobile):
                continue
            registered_on = self.day - timedelta(days=self.rng.randint(3, 8))
            line, _warnings = proxies.register(
                self.staff,
                self.election,
                entruster=str(giver.number),
                proxy=str(taker.number),
                relation=kind,
                signed_on=registered_on - timedelta(days=1),
                authorisation=ContentFile(
                    _authorisation(giver.name, taker.name, registered_on),
                    name=f"委托书-{giver.number}.pdf",
                ),
                today=registered_on,
            )
            self.proxies[giver.pk] = line
            used |= {giver.pk, taker.pk}
        if self.proxies:
            proxies.publish(
                self.staff, self.election, self.day - timedelta(days=2), today=self.today
            )

    # The votes

    def _vote(self) -> None:
        many = len(self.roll) * 0.9 > BALLOTS_AT_MOST
        method = (
            Poll.Method.BALLOTS if self.role in BALLOTS_ROLES and not many else Poll.Method.TOTALS
        )
        poll = polls.open_first(self.staff, self.election, held_on=self.day, method=method)
        turnout = (0.40, 0.46) if self.role == "rerun" else (0.78, 0.9)
        won = {v.resident_id for v in self.winners}
        poll = self._hold(poll, self.rng.uniform(*turnout), won)
        _expect(poll, valid=self.role != "rerun", open_seats=int(self.role == "runoff"))
        if self.role == "runoff":
            day = self.day + timedelta(days=RUNOFF_AFTER)
            runoff = outcomes.schedule_runoff(self.staff, poll, day)
            if not many:
                counting.set_method(self.staff, runoff, Poll.Method.BALLOTS)
            third = self.candidates["member"][1].resident_id
            _expect(self._hold(runoff, self.rng.uniform(0.62, 0.72), {third}))
            self.last_day = day
        elif self.role == "rerun":
            day = self.day + timedelta(days=RERUN_AFTER)
            rerun = outcomes.schedule_rerun(self.staff, poll, day)
            _expect(self._hold(rerun, self.rng.uniform(0.8, 0.9), won))
            self.last_day = day
        papers.issue_certificates(
            self.staff, self.election, issued_on=self.last_day + timedelta(days=1)
        )

    def _hold(self, poll: Poll, turnout: float, winning: set[int]) -> Poll:
        """Check voters in, enter the boxes' sheets and the ballots (or the totals),
        count and confirm ``poll``; ``winning`` are the residents meant to win."""
        issued = self._check_in(poll, turnout)
        sheets = {}
        for station, n in issued.items():
            returned = n - 1 if station == self.central and self.role == "filled" else n
            counting.set_box(self.staff, poll, station, n, returned)
            sheets[station] = returned
        returned = sum(sheets.values())
        ballots = self._ballots(poll, sum(issued.values()), returned, winning)
        if poll.method == Poll.Method.BALLOTS:
            self._enter_ballots(poll, ballots)
        else:
            totals = {o["id"]: Counter() for o in poll.offices}
            for ballot in ballots:
                for office, people in ballot.items():
                    if office == tally.INVALID:
                        for counter in totals.values():
                            counter[tally.INVALID] += 1
                    else:
                        totals[office].update(people)
            counting.enter_totals(self.staff, poll, {k: dict(v) for k, v in totals.items()})
        counting.compute(self.staff, poll)
        poll = outcomes.confirm(self.staff, Poll.objects.get(pk=poll.pk))
        if poll.result["valid"]:
            papers.publish_announcement(self.staff, poll, published_on=poll.held_on)
        return poll

    def _check_in(self, poll: Poll, turnout: float) -> dict[Station, int]:
        """A ballot for ``turnout`` of the roll: every mobile-box voter at the box,
        every entruster through their proxy, the others at the central venue or the
        polling station; some of the old have a helper write their ballot (代写)."""
        mobile = {v.pk for v in self.mobile}
        others = [v for v in self.roll if v.pk not in mobile and v.pk not in self.proxies]
        self.rng.shuffle(others)
        must = [v for v in self.roll if v.pk in mobile or v.pk in self.proxies]
        wanted = round(turnout * len(self.roll))
        voting = must + others[: max(0, wanted - len(must))]
        self.rng.shuffle(voting)
        half = self.roll[len(self.roll) // 2].number
        issued: Counter = Counter()
        for voter in voting:
            if voter.pk in mobile:
                station = self.box
            elif self.station is not None and voter.number >= half:
                station = self.station
            else:
                station = self.central
            old = age_on(voter.birth_date, poll.held_on) >= 70
            checkin.issue(
                self.staff,
                poll,
                voter,
                station,
                proxy=self.proxies.get(voter.pk),
                assisted=old and voter.pk not in self.proxies and self.rng.random() < 0.4,
            )
            issued[station] += 1
        return issued

    def _ballots(self, poll: Poll, issued: int, returned: int, winning: set[int]) -> list[dict]:
        """The returned ballots, built so that each candidate gets about the votes meant
        for them: the people of ``winning`` a majority, the others less. One or two
        ballots are void."""
        void = 0 if returned < 40 else 1 if returned < 150 else 2
        valid = returned - void
        first = poll.round != Poll.Round.RUNOFF
        least = (
            tally.majority(issued)
            if first
            else tally.runoff_minimum(returned, self.profile.runoff_threshold)
        )
        resident_of = {
            c["id"]: pk
            for c in poll.candidates
            if (
                pk := Candidate.objects.filter(pk=polls.candidate_of(c["id"]))
                .values_list("resident_id", flat=True)
                .first()
            )
        }
        ballots: list[dict] = [{} for _ in range(valid)]
        for office in poll.offices:
            people = [c["id"] for c in poll.candidates if c["office"] == office["id"]]
            wins = [w for w in people if resident_of.get(w) in winning]
            loses = [w for w in people if w not in wins]
            target = {}
            for who in wins:
                low = max(least + 1, int(0.6 * valid))
                target[who] = min(valid, self.rng.randint(low, max(low, int(0.85 * valid))))
            room = office["seats"] * valid - sum(target.values())
            for who in loses:
                if first:
                    high = min(least - 1, int(0.45 * valid))
                else:  # a run-off: fewer than the one elected
                    high = min(min(target.values(), default=valid) - 1, int(0.4 * valid))
                n = max(
                    0, min(room, self.rng.randint(int(0.15 * valid), max(int(0.15 * valid), high)))
                )
                target[who] = n
                room -= n
            _mark(ballots, office["id"], target, self.rng)
        for _n in range(void):
            ballots.insert(self.rng.randint(0, len(ballots)), {tally.INVALID: True})
        return ballots

    def _enter_ballots(self, poll: Poll, ballots: list[dict]) -> None:
        """Both counters enter every ballot; counter 2 misreads one, which the
        scrutineers settle from the paper ballot."""
        misread = self.rng.randint(1, len(ballots))
        for number, marks in enumerate(ballots, 1):
            counting.enter(self.staff, poll, 1, number, marks)
            second = marks
            if number == misread and not marks.get(tally.INVALID):
                second = {office: people[:-1] for office, people in marks.items()}
            counting.enter(self.staff, poll, 2, number, second)
        if counting.disagreements(poll):
            counting.reconcile(self.staff, poll, misread, ballots[misread - 1])

    # The party branch

    def _party_election(self) -> None:
        """The branch's members' meeting elects five of six approved candidates; the
        first plenary elects the 书记 and 副书记; the township approves (批复)."""
        election = self.party_election
        held_on = election.election_day
        branch = Organisation.objects.get(place=self.place)
        adults = [
            v.resident
            for v in self.roll
            if v.resident
            and v.resident.household_code == self.place.code
            and 25 <= age_on(v.birth_date, held_on) <= 70
        ]
        self.rng.shuffle(adults)
        for resident in self.party_committee + adults:
            if branch.members.count() >= PARTY_MEMBERS and resident not in self.party_committee:
                break
            Member.objects.get_or_create(
                resident=resident,
                defaults={
                    "organisation": branch,
                    "status": "full",
                    "joined_on": held_on - timedelta(days=self.rng.randint(400, 9000)),
                },
            )
        voting = [
            m.resident
            for m in branch.members.select_related("resident").order_by("id")
            if has_vote(m.as_rule()) and m.resident not in self.party_committee
        ]
        if self.secretary is None:  # the 书记 stands for the branch only
            self.secretary = voting.pop(0)
            women = [r for r in voting if r.sex == "F"]
            self.deputy_secretary = (women or voting)[0]
            self.party_committee = [self.secretary, self.deputy_secretary, *self.party_committee]
        voting = [r for r in voting if r not in self.party_committee]
        seats = sum(o.seats for o in election.offices.all())
        wanted = slate.candidates_needed(Body.PARTY_COMMITTEE, seats, self.profile)
        elected = (self.party_committee + voting)[:seats]
        others = voting[len(elected) - len(self.party_committee) :]
        people = elected + others[: wanted - seats]
        self.party_committee = elected
        prefix = self.place.parent.name[:2]  # 黄花组复〔2026〕12号
        Recommendation.objects.create(
            election=election,
            held_on=held_on - timedelta(days=11),
            members_present=branch.members.count() - 1,
            public_present=self.rng.randint(30, 60),
            township_decided_on=held_on - timedelta(days=9),
            requested_on=held_on - timedelta(days=4),
            request_number=f"{prefix}组请〔{held_on.year}〕{self.rng.randint(10, 40)}号",
            approved_on=held_on - timedelta(days=1),
            approval_number=f"{prefix}组复〔{held_on.year}〕{self.rng.randint(10, 40)}号",
            user=self.staff,
        )
        offices = {self.secretary: "secretary", self.deputy_secretary: "deputy_secretary"}
        made = {
            resident: Candidate.objects.create(
                election=election,
                office=offices.get(resident, "member"),
                resident=resident,
                status=Candidate.Status.FORMAL,
                source=Candidate.Source.RECOMMENDATION,
                member_votes=self.rng.randint(6, 12),
                public_votes=self.rng.randint(20, 50),
            )
            for resident in people
        }
        meeting = meetings.call(self.staff, election, held_on, venue="党员活动室")
        due = party_due.breakdown(meeting)
        need = meetings.least_for_quorum(due.number, self.profile)
        coming = list(due.members)
        self.rng.shuffle(coming)
        away = max(0, due.number - max(need, due.number - 2))  # one or two, quorum kept
        absent = {m.pk for m in [m for m in coming if m.resident not in people][:away]}
        for member in due.members:
            if member.pk not in absent:
                meetings.check_in(self.staff, meeting, member)
        meetings.adopt_method(self.staff, meeting, "《党支部委员会选举办法》经党员大会表决通过。")
        poll = meetings.open_vote(self.staff, meeting)
        present = poll.present
        won = {polls.candidate_key(made[r]) for r in elected}
        least = tally.majority(due.number)
        keys = sorted(polls.candidate_key(c) for c in made.values())
        targets = {key: self.rng.randint(least, present) for key in keys if key in won}
        room = seats * present - sum(targets.values())
        for key in (k for k in keys if k not in won):
            targets[key] = min(room, self.rng.randint(max(0, least // 3), least - 1))
            room -= targets[key]
        ballots: list[dict] = [{} for _ in range(present)]
        _mark(ballots, "member", targets, self.rng)
        self._enter_ballots(poll, ballots)
        counting.compute(self.staff, poll)
        _expect(outcomes.confirm(self.staff, Poll.objects.get(pk=poll.pk)))
        meetings.close(self.staff, meeting)
        members = {m.resident_id: m.pk for m in branch.members.all()}
        held = plenary.open_plenary(
            self.staff, election, held_on=held_on, present=seats, today=self.today
        )
        held = plenary.enter_votes(
            self.staff,
            held,
            counts={
                "secretary": {members[self.secretary.pk]: seats},
                "deputy_secretary": {members[self.deputy_secretary.pk]: seats - 1},
            },
        )
        plenary.report(self.staff, held, reported_on=held_on + timedelta(days=1), today=self.today)
        township = self.place.parent
        plenary.approve(
            self.staff,
            held,
            approved_on=held_on + timedelta(days=6),
            approved_by=f"中共{demo_county.COUNTY_NAME}{township.name}"
            + ("工作委员会" if township.kind == Kind.STREET else "委员会"),
            reference=f"{township.name[:2]}组复〔{held_on.year}〕{self.rng.randint(41, 80)}号",
            today=self.today,
        )

    # The previous term

    def _previous(self) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
        """(office, resident) of the previous 居/村委会 and, on a party place, of the
        previous party committee. The director and a member of most places stand and
        win again (连任); the others did not stand, or lost."""
        if hasattr(self, "_previous_cache"):
            return self._previous_cache
        rng = random.Random(f"{self.seed}:previous:{self.place.code}")
        standing = {v.resident_id for people in self.candidates.values() for v in people}
        others = [v for v in self.roll if v.resident and v.resident_id not in standing]
        rng.shuffle(others)
        # those of 45 to 72 last, so that they are taken first
        others.sort(key=lambda v: 45 <= age_on(v.birth_date, self.day) <= 72)
        older = [v.resident for v in others]
        director = self.candidates["director"]
        members = self.candidates["member"]
        again = self.role in ("filled", "party", "runoff")
        committee = [
            ("director", director[0].resident if again else older.pop()),
            ("deputy", older.pop()),
            ("member", members[0].resident),
            ("member", director[1].resident),
            ("member", older.pop()),
        ]
        party = []
        if self.role == "dual_head":
            party = [
                ("secretary", director[0].resident),
                ("deputy_secretary", older.pop()),
                ("member", older.pop()),
            ]
        elif self.role == "party":
            party = [
                ("secretary", older.pop()),
                ("deputy_secretary", older.pop()),
                ("member", members[2].resident),
            ]
        self._previous_cache = committee, party
        return self._previous_cache


# -- the previous term, complaints ----------------------------------------------------------


_EDUCATION_WORDS = dict(EDUCATION_ZH)
_BODY_WORDS = {Body.VILLAGERS_COMMITTEE: "村民委员会", Body.RESIDENTS_COMMITTEE: "居民委员会"}


def _import_previous(cycle, staff, township, done: list[_Place], today: date) -> None:
    """The township's file of the previous term's members, imported as the township's
    staff would (:func:`huanjie.reports.previous.import_previous`)."""
    members = set(
        Member.objects.filter(organisation__place__in=[p.place for p in done]).values_list(
            "resident_id", flat=True
        )
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(previous.COLUMNS.values()))
    for place in done:
        committee, party = place._previous()
        body = _BODY_WORDS[committee_body(place.place.kind)]
        rows = [(body, office, r) for office, r in committee]
        rows += [("党组织委员会", office, r) for office, r in party]
        for body_word, office, resident in rows:
            writer.writerow(
                [
                    place.place.code,
                    body_word,
                    previous.office_title(previous.BODY_WORDS[body_word], office),
                    resident.name,
                    resident.id_number,
                    _EDUCATION_WORDS.get(resident.education, ""),
                    resident.ethnicity or "汉族",
                    "是" if resident.pk in members or body_word == "党组织委员会" else "否",
                ]
            )
    outcome = previous.import_previous(
        staff, cycle, township, "上届两委成员名单.csv", out.getvalue().encode("utf-8"), today
    )
    if not outcome.ok:
        raise RuntimeError(f"the demo's previous members: {outcome.problems}")


def _register_complaints(cycle, staff, done: list[_Place], today: date) -> None:
    """Three complaints: one found untrue and closed, one found partly true and closed
    with the measures, one still being handled."""
    by_role = {p.role: p for p in done}
    first = by_role["filled"]
    lobbying = complaints.register_complaint(
        staff,
        cycle,
        first.place,
        type="lobbying",
        received_on=first.day - timedelta(days=5),
        channel="phone",
        summary="来电反映有人在选举日前以宴请方式为一名候选人拉票。",
        today=today,
    )
    complaints.add_step(
        staff,
        lobbying,
        "镇（街道）换届办会同纪委走访核实，询问在场村（居）民八人，未发现宴请拉票行为。",
        on=first.day - timedelta(days=3),
        today=today,
    )
    complaints.close_complaint(
        staff, lobbying, "unsubstantiated", closed_on=first.day - timedelta(days=2), today=today
    )
    rerun = by_role["rerun"]
    procedure = complaints.register_complaint(
        staff,
        cycle,
        rerun.place,
        type="procedure",
        received_on=rerun.day + timedelta(days=1),
        channel="visit",
        complainant="选民代表",
        summary="反映选举日投票时间安排与公告不一致，部分选民未能到场投票。",
        today=today,
    )
    complaints.close_complaint(
        staff,
        procedure,
        "partly",
        "重新选举前张贴公告并逐户通知投票时间，增设一个投票站。",
        closed_on=rerun.day + timedelta(days=RERUN_AFTER - 1),
        today=today,
    )
    last = by_role["runoff"]
    complaints.register_complaint(
        staff,
        cycle,
        last.place,
        type="voter_registration",
        received_on=today - timedelta(days=1),
        channel="letter",
        complainant="外出务工选民",
        summary="反映本人户籍在本村（社区），外出务工期间未被登记为选民。",
        today=today,
    )


def _expect(poll: Poll, *, valid: bool = True, open_seats: int = 0) -> None:
    """Refuse a vote that did not come out as the demo meant it to: the places' stories
    (filled the first time, a seat left open, void) are what other code tests against."""
    offices = poll.result["offices"]
    if (
        poll.result["valid"] != valid
        or sum(o["unfilled"] for o in offices) != open_seats
        or any(o["revote"] for o in offices)
    ):
        raise RuntimeError(f"{poll}: the demo's vote came out otherwise: {poll.result}")


def _mark(ballots: list[dict], office: str, target: Mapping[str, int], rng) -> None:
    """Mark each person of ``target`` on as many of ``ballots`` as they are meant to
    get, always on the ballots with fewest marks of ``office`` so far: no ballot marks
    more people than the seats when the targets add up to no more than seats × ballots."""
    load = [0] * len(ballots)
    for who, n in sorted(target.items(), key=lambda kv: (-kv[1], kv[0])):
        order = sorted(range(len(ballots)), key=lambda i: (load[i], rng.random()))
        for i in order[:n]:
            ballots[i].setdefault(office, []).append(who)
            load[i] += 1


def _authorisation(entruster: str, proxy: str, day: date) -> bytes:
    """The written authorisation as the committee scanned it: a page saying who
    entrusts whom, signed and dated."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(fonts.register(), 16)
    page.drawCentredString(A4[0] / 2, A4[1] - 120, "委托投票证明书")
    page.setFont(fonts.register(), 12)
    page.drawString(90, A4[1] - 180, f"本人{entruster}因外出不能参加投票，委托{proxy}代为投票。")
    page.drawString(300, A4[1] - 260, f"委托人：{entruster}    {day:%Y年%m月%d日}")
    page.showPage()
    page.save()
    return out.getvalue()
