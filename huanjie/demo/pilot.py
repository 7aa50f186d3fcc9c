"""The pilot places (试点先行): two communities of the demo vote before the others.

The seed's counties let a few places go first, so that the others learn from them. In
the demo these are two communities of 湘龙街道: 清湘社区 votes today and 明岗社区
in three days. Their steps are done and
their formal candidates final (posted seven days before D), so the pages of election
day have places to work on: one getting ready (stations, mobile boxes, proxies, which
close before D) and one voting (check-in desk, count, results). The candidates are
drawn from each place's own roll: adults of working age, two per seat of director and
deputy and one more than the seats of member, women among them, one per household
while the place has households enough.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from huanjie.candidates.models import Candidate, Notice, Recommendation
from huanjie.candidates.notices import formal_pdf, store
from huanjie.cycles.models import Election, Office
from huanjie.cycles.profiles import effective_profile
from huanjie.party.models import Member, Organisation
from huanjie.rules import slate
from huanjie.rules.identity import age_on
from huanjie.rules.members import has_vote
from huanjie.rules.seats import Body
from huanjie.voters.models import Voter

PILOT = "430121002002"  # votes today; the account committee3 works here

#: Pilot place → its election day in days from the demo's today.
PILOTS = {PILOT: 0, "430121002007": 3}

#: The pilot's committee: a director, a deputy and three members (five seats, the
#: least a residents' committee may have).
SEATS = {"director": 1, "deputy": 1, "member": 3}

#: The pilot's party branch committee: a 书记, a 副书记 and a 委员 (three seats, so
#: four candidates), and the members the branch has at least.
PARTY_SEATS = {"secretary": 1, "deputy_secretary": 1, "member": 1}
PARTY_MEMBERS = 11


def prepare(cycle, user, today: date, rng: random.Random) -> int:
    """Make the pilots' lists final; returns the number of formal candidates."""
    made = sum(_prepare(cycle, code, user, today, rng) for code in PILOTS)
    return made + _prepare_party(cycle, user, today, rng)


def _household(voter) -> str:
    return voter.resident.household_number or str(voter.resident_id)


def _prepare(cycle, code: str, user, today: date, rng: random.Random) -> int:
    election = Election.objects.select_related("place", "cycle").get(
        cycle=cycle, place__code=code, body=Body.RESIDENTS_COMMITTEE
    )
    for key, seats in SEATS.items():
        Office.objects.filter(election=election, key=key).update(seats=seats)
    profile = effective_profile(cycle, election.place)
    roll = list(
        Voter.objects.filter(cycle=cycle, place=election.place, status=Voter.Status.LISTED)
        .select_related("resident")
        .order_by("number")
    )
    pool = [v for v in roll if 22 <= age_on(v.birth_date, today) <= 65 and v.resident]
    rng.shuffle(pool)
    pool.sort(key=lambda v: v.sex != "F")  # women first, so that the members include two
    households: set[str] = set()
    chosen: list[Candidate] = []
    for key in ("member", "director", "deputy"):
        wanted = slate.candidates_needed(Body.RESIDENTS_COMMITTEE, SEATS[key], profile)
        # One person per household while households last: a small demo has few.
        picked = [v for v in pool if _household(v) not in households][:wanted]
        picked += [v for v in pool if v not in picked][: wanted - len(picked)]
        for voter in picked:
            pool.remove(voter)
            households.add(_household(voter))
            chosen.append(
                Candidate(
                    election=election,
                    office=key,
                    resident=voter.resident,
                    status=Candidate.Status.FORMAL,
                    source=Candidate.Source.NOMINATION,
                    votes=rng.randint(40, 400),
                )
            )
        if key == "member":
            rng.shuffle(pool)
    Candidate.objects.bulk_create(chosen)
    chosen = list(Candidate.objects.filter(election=election).select_related("resident"))
    published_on = election.election_day - timedelta(days=profile.formal_candidates_days_before)
    pdf = formal_pdf(election, chosen, published_on)
    store(user, election, Notice.Kind.FORMAL, published_on, chosen, pdf)
    return len(chosen)


def _prepare_party(cycle, user, today: date, rng: random.Random) -> int:
    """清湘社区's party branch elects its committee today too: the branch has members
    enough for a meeting, the two candidates for director among them (一肩挑 is the
    aim, DOMAIN §2), and four candidates approved (批复). Returns the candidates."""
    election = Election.objects.select_related("place").get(
        cycle=cycle, place__code=PILOT, body=Body.PARTY_COMMITTEE
    )
    Election.objects.filter(pk=election.pk).update(election_day=today)
    for key, seats in PARTY_SEATS.items():
        Office.objects.filter(election=election, key=key).update(seats=seats)
    branch = Organisation.objects.get(place=election.place)
    code = election.place.code  # members of the branch have their household here
    directors = [
        c.resident
        for c in Candidate.objects.filter(
            election__cycle=cycle, election__place=election.place, office="director"
        ).select_related("resident")
        if c.resident.household_code == code
    ]
    others = [
        v.resident
        for v in Voter.objects.filter(cycle=cycle, place=election.place, status=Voter.Status.LISTED)
        .select_related("resident")
        .order_by("number")
        if v.resident
        and v.resident.household_code == code
        and 25 <= age_on(v.birth_date, today) <= 70
        and v.resident not in directors
    ]
    rng.shuffle(others)
    for resident in directors:
        _member(branch, resident, "full", today, rng)
    for resident in others:
        if branch.members.count() >= PARTY_MEMBERS:
            break
        status = "probationary" if branch.members.count() == PARTY_MEMBERS - 1 else "full"
        _member(branch, resident, status, today, rng)
    # The other candidates: members with a vote of the whole branch, the earliest first.
    voting = [
        m
        for m in branch.members.select_related("resident").order_by("id")
        if has_vote(m.as_rule()) and m.resident not in directors
    ]
    offices = ["secretary", "deputy_secretary", "member", "member"]
    people = (directors + [m.resident for m in voting])[: len(offices)]
    Recommendation.objects.create(
        election=election,
        held_on=today - timedelta(days=25),
        members_present=branch.members.count(),
        public_present=rng.randint(30, 60),
        township_decided_on=today - timedelta(days=20),
        requested_on=today - timedelta(days=12),
        request_number="湘龙组请〔2026〕3号",
        approved_on=today - timedelta(days=8),
        approval_number="湘龙组复〔2026〕3号",
        user=user,
    )
    Candidate.objects.bulk_create(
        Candidate(
            election=election,
            office=office,
            resident=resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.RECOMMENDATION,
            member_votes=rng.randint(5, 10),
            public_votes=rng.randint(20, 50),
        )
        for office, resident in zip(offices, people, strict=True)
    )
    return len(people)


def _member(branch, resident, status: str, today: date, rng: random.Random) -> Member:
    member, _created = Member.objects.get_or_create(
        resident=resident,
        defaults={
            "organisation": branch,
            "status": status,
            "joined_on": today - timedelta(days=rng.randint(400, 9000)),
        },
    )
    return member
