"""Write the generated demo county into the database, with a cycle under way.

The county's rows (places, residents, relations, party members) are inserted in bulk
with explicit primary keys — COPY on PostgreSQL, ``executemany`` elsewhere — because
300,000 residents through the ORM one batch of a few dozen rows at a time would take
minutes. Everything that is *work* rather than data — each step a township signed off
— goes through :func:`huanjie.cycles.services.sign_off`, the same service the web
pages use, so the rules' gates apply and the audit trail records every sign-off.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from huanjie import bulk
from huanjie.accounts.models import Role, RoleKind
from huanjie.audit.trail import record
from huanjie.candidates.review import set_up_departments
from huanjie.cycles import services
from huanjie.cycles.models import Cycle, Election, Office
from huanjie.cycles.timeline import timelines
from huanjie.demo import county as demo_county
from huanjie.demo import finished, pilot
from huanjie.party.models import Member, Organisation
from huanjie.places.models import Place
from huanjie.rules import profiles, seats, timeline
from huanjie.voters import rolls
from huanjie.voters.models import Relation, Resident

DEMO_PASSWORD = "Huanjie@2026"

CYCLE_NAME = "第十二届村（社区）“两委”换届"
CYCLE_TERM = 12
CYCLE_PROFILE = "hunan"
CYCLE_STARTS = date(2026, 10, 1)
CYCLE_ENDS = date(2027, 3, 31)


@dataclass(frozen=True)
class DemoAccount:
    """A demo login. ``place`` is the area code of the role's scope."""

    username: str
    role: str
    place: str
    title: str
    department: str = ""


_FIRST, _SECOND = demo_county.STREETS[0], demo_county.STREETS[1]

#: The demo accounts, one per role (DOMAIN §1); all use :data:`DEMO_PASSWORD`. The
#: committee members work in the first village and the second community of the first
#: township; the reviewers answer for two of the review departments.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "county", RoleKind.COUNTY_ADMIN, demo_county.COUNTY_CODE, "县换届工作领导小组办公室"
    ),
    DemoAccount("township1", RoleKind.TOWNSHIP_STAFF, _FIRST[0], f"{_FIRST[1]}换届办"),
    DemoAccount("township2", RoleKind.TOWNSHIP_STAFF, _SECOND[0], f"{_SECOND[1]}换届办"),
    DemoAccount("committee", RoleKind.COMMITTEE_MEMBER, _FIRST[0][:9] + "201", "村民选举委员会"),
    DemoAccount("committee2", RoleKind.COMMITTEE_MEMBER, _FIRST[0][:9] + "002", "居民选举委员会"),
    DemoAccount("committee3", RoleKind.COMMITTEE_MEMBER, pilot.PILOT, "居民选举委员会（试点）"),
    DemoAccount(
        "reviewer",
        RoleKind.REVIEWER,
        demo_county.COUNTY_CODE,
        "联审部门",
        department="纪检监察机关",
    ),
    DemoAccount(
        "reviewer2", RoleKind.REVIEWER, demo_county.COUNTY_CODE, "联审部门", department="公安局"
    ),
    DemoAccount("observer", RoleKind.OBSERVER, demo_county.COUNTY_CODE, "观察员"),
)


class DemoExists(Exception):
    """The database already holds the demo county."""


def build_demo(
    residents: int = 300_000,
    seed: int = 2026,
    today: date | None = None,
    *,
    report: Callable[[str], None] | None = None,
) -> dict:
    """Generate the demo county and write it, with its cycle, into the database.

    ``today`` is the day of the demo world: steps due before it are signed off for
    most places. It defaults to the real date, as the web pages use the real date to
    tell what is overdue. ``report`` receives progress lines. Returns summary counts.
    """
    today = today or timezone.localdate()
    say = report or (lambda line: None)
    if Place.objects.filter(code=demo_county.COUNTY_CODE).exists():
        raise DemoExists(f"the database already holds {demo_county.COUNTY_NAME}")
    started = time.perf_counter()
    county = demo_county.generate(residents, seed)
    # The cycle is always under way: its dates keep their distance from today, so a
    # demo built next year has places at the same mix of steps as one built today.
    shift = today - demo_county.AS_OF
    county.election_days = {code: day + shift for code, day in county.election_days.items()}
    county.election_days.update(
        {code: today + timedelta(days=days) for code, days in pilot.PILOTS.items()}
    )
    voted = finished.plan(county, seed, today)  # a few places voted some days ago
    county.election_days.update({code: place.day for code, place in voted.items()})
    say(f"generated {len(county.people):,} residents in {time.perf_counter() - started:.1f} s")
    with transaction.atomic():
        lap = time.perf_counter()
        place_ids = _write_places(county)
        person_ids = _write_people(county, place_ids)
        _write_party(county, place_ids, person_ids)
        say(f"wrote places, residents and party members in {time.perf_counter() - lap:.1f} s")
        lap = time.perf_counter()
        users = _write_accounts(place_ids)
        cycle = _write_cycle(county, place_ids, users["county"], shift)
        set_up_departments(users["county"], cycle)
        signed = _sign_off(
            county, cycle, users, today, random.Random(f"{seed}:progress"), skip=voted
        )
        say(f"signed off {signed:,} steps in {time.perf_counter() - lap:.1f} s")
        lap = time.perf_counter()
        built = rolls.build(users["county"], cycle, cycle.county, today=today)
        say(f"built the voter rolls ({built.voters:,} voters) in {time.perf_counter() - lap:.1f} s")
        pilot_candidates = pilot.prepare(
            cycle, users["committee3"], today, random.Random(f"{seed}:pilot")
        )
        lap = time.perf_counter()
        done = finished.finish(cycle, users, voted, today, seed)
        say(f"held {done['places']} finished elections in {time.perf_counter() - lap:.1f} s")
    electing = Place.objects.within(cycle.county).electing()
    late = [tl for tl in timelines(cycle, electing, today) if tl.overdue]
    summary = {
        "places": len(county.places),
        "townships": len(county.townships),
        "electing_places": len(county.electing),
        "groups": len(county.of_kind("group")),
        "residents": len(county.people),
        "households": len({(p.household_place, p.household_number) for p in county.people}),
        "relations": len(county.ties),
        "party_organisations": len(county.organisations),
        "party_members": Member.objects.count(),  # the pilot adds some
        "cycles": 1,
        "elections": Election.objects.filter(cycle=cycle).count(),
        "offices": Office.objects.filter(election__cycle=cycle).count(),
        "accounts": len(users),
        "steps_signed_off": signed + done["steps"],
        "voters": built.voters,
        "pilot_candidates": pilot_candidates,
        "finished_places": done["places"],
        "roll_conflicts": built.conflicts,
        "steps_overdue": sum(len(tl.overdue) for tl in late),
        "places_behind": len(late),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return summary


# -- bulk writing ---------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _write_places(county: demo_county.County) -> dict[str, int]:
    first = bulk.first_id(Place)
    ids = {p.code: first + i for i, p in enumerate(county.places)}
    bulk.insert(
        Place,
        ("id", "code", "name", "kind", "parent_id", "population", "households"),
        (
            (ids[p.code], p.code, p.name, p.kind, ids.get(p.parent), p.population, p.households)
            for p in county.places
        ),
    )
    bulk.reset_sequences(Place)
    return ids


def _write_people(county: demo_county.County, place_ids: dict[str, int]) -> list[int]:
    first = bulk.first_id(Resident)
    ids = [first + p.index for p in county.people]
    bulk.insert(
        Resident,
        (
            "id",
            "id_number",
            "name",
            "sex",
            "birth_date",
            "ethnicity",
            "education",
            "household_code",
            "residence_code",
            "group_id",
            "household_number",
            "lives_since",
            "deprived_of_rights",
            "incapacitated",
            "intent",
            "approved",
            "staff_code",
            "in_records",
        ),
        (
            (
                ids[p.index],
                p.id_number,
                p.name,
                p.sex,
                _day(p.birth_date),
                p.ethnicity,
                p.education,
                p.household_place,
                p.residence_place,
                place_ids[p.group] if p.group else None,
                p.household_number,
                _day(p.lives_since),
                p.deprived_of_rights,
                p.incapacitated,
                p.intent,
                p.approved,
                "",
                True,
            )
            for p in county.people
        ),
    )
    first_tie = bulk.first_id(Relation)
    bulk.insert(
        Relation,
        ("id", "person_id", "relative_id", "kind"),
        (
            (first_tie + i, ids[t.person], ids[t.relative], t.kind)
            for i, t in enumerate(county.ties)
        ),
    )
    bulk.reset_sequences(Resident, Relation)
    return ids


def _write_party(
    county: demo_county.County, place_ids: dict[str, int], person_ids: list[int]
) -> None:
    first = bulk.first_id(Organisation)
    organisation_ids = {o.place: first + i for i, o in enumerate(county.organisations)}
    bulk.insert(
        Organisation,
        ("id", "place_id", "name", "kind"),
        (
            (organisation_ids[o.place], place_ids[o.place], o.name, o.kind)
            for o in county.organisations
        ),
    )
    first_member = bulk.first_id(Member)
    bulk.insert(
        Member,
        (
            "id",
            "organisation_id",
            "resident_id",
            "status",
            "joined_on",
            "under_probation_sanction",
            "suspended",
            "location",
            "cell",
            "cadre",
            "front_line",
        ),
        (
            (
                first_member + i,
                organisation_ids[m.place],
                person_ids[m.person],
                m.status,
                _day(m.joined_on),
                m.under_probation_sanction,
                m.suspended,
                "",
                m.cell,
                m.cadre,
                m.front_line,
            )
            for i, m in enumerate(county.members)
        ),
    )
    bulk.reset_sequences(Organisation, Member)


# -- accounts, cycle, elections -------------------------------------------------------


def _write_accounts(place_ids: dict[str, int]) -> dict[str, models.Model]:
    """The demo accounts, plus one staff account for each further township
    (township3, township4, …) so every township's steps are signed off by its own
    staff. Argon2 is slow on purpose, so the one shared password is hashed once."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    accounts = list(DEMO_ACCOUNTS)
    for n, (code, name) in enumerate(demo_county.STREETS + demo_county.TOWNS, start=1):
        if n > 2:
            accounts.append(
                DemoAccount(f"township{n}", RoleKind.TOWNSHIP_STAFF, code, f"{name}换届办")
            )
    users = {}
    for account in accounts:
        user = User.objects.create(
            username=account.username, first_name=account.title, password=password
        )
        Role.objects.create(
            user=user,
            kind=account.role,
            place_id=place_ids[account.place],
            department=account.department,
        )
        users[account.username] = user
    return users


def _write_cycle(
    county: demo_county.County, place_ids: dict[str, int], admin, shift: timedelta
) -> Cycle:
    """The cycle, and for each place its committee election on D, the party committee
    election (the party members' meeting) and the election committee's election, each
    with the rules core's default offices."""
    cycle = Cycle.objects.create(
        county_id=place_ids[demo_county.COUNTY_CODE],
        name=CYCLE_NAME,
        term_number=CYCLE_TERM,
        starts_on=CYCLE_STARTS + shift,
        ends_on=CYCLE_ENDS + shift,
        profile=CYCLE_PROFILE,
    )
    profile = profiles.PROFILES[CYCLE_PROFILE]
    elections: list[Election] = []
    for place in county.electing:
        day = county.election_days[place.code]
        due = timeline.due_dates(day, profile)
        for body, held_on in (
            (seats.committee_body(place.kind), day),
            (seats.Body.PARTY_COMMITTEE, due["party_members_meeting"]),
            (seats.Body.ELECTION_COMMITTEE, due["election_committee"]),
        ):
            elections.append(
                Election(
                    cycle=cycle, place_id=place_ids[place.code], body=body, election_day=held_on
                )
            )
    Election.objects.bulk_create(elections, batch_size=500)
    kinds = {place_ids[p.code]: p.kind for p in county.electing}
    offices = [
        office
        for election in elections
        for office in election.default_offices(kinds[election.place_id])
    ]
    Office.objects.bulk_create(offices, batch_size=500)
    record(
        admin,
        "cycle.create",
        cycle,
        after={
            "name": cycle.name,
            "term_number": cycle.term_number,
            "profile": cycle.profile,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": cycle.ends_on.isoformat(),
            "elections": len(elections),
        },
        place=Place.objects.get(pk=cycle.county_id),
    )
    return cycle


# -- progress -------------------------------------------------------------------------


def _sign_off(county, cycle, users, today: date, rng: random.Random, skip=()) -> int:
    """Sign off the steps due before today, as each township's staff would have.

    Most places are on time. Three townships among those with the most work due lag
    behind — most of their places stopped some days ago — and a few places elsewhere
    stopped too, or left one step undone; that is the county dashboard's story of
    "these townships are late". A skipped step takes with it every step that needs it,
    so no sign-off breaks a gate of the rules core (the audit before the election
    committee, the voter list before nomination, …). The places of ``skip`` (the
    finished ones, :mod:`huanjie.demo.finished`) sign off their own steps.
    """
    profile = profiles.PROFILES[CYCLE_PROFILE]
    # The service refuses dates after the real today, whatever the demo's today is.
    last_day = min(today, timezone.localdate())
    electing = [p for p in county.electing if p.code not in skip]
    due_by_place = {
        p.code: timeline.due_dates(county.election_days[p.code], profile) for p in electing
    }
    townships = county.townships
    work = {
        t.code: sum(
            1
            for p in electing
            if p.parent == t.code
            for d in due_by_place[p.code].values()
            if d < today
        )
        for t in townships
    }
    busiest = sorted(townships, key=lambda t: (-work[t.code], t.code))[:6]
    laggards = {t.code for t in rng.sample(busiest, 3)}
    staff = {}
    for user in users.values():
        role = user.role
        if role.kind == RoleKind.TOWNSHIP_STAFF:
            staff[role.place_id] = user
    places = {p.code: p for p in Place.objects.within(cycle.county).electing()}
    signed = 0
    for place in electing:
        due = due_by_place[place.code]
        cutoff = today
        if place.parent in laggards and rng.random() < 0.7:
            cutoff = today - timedelta(days=rng.randint(4, 20))
        elif rng.random() < 0.04:
            cutoff = today - timedelta(days=rng.randint(2, 6))
        skipped: set[str] = set()
        if rng.random() < 0.04:
            skipped.add(rng.choice(["democratic_evaluation", "org_setting", "survey"]))
        done_on: dict[str, date] = {}
        obj = places[place.code]
        user = staff[obj.parent_id]
        for step in timeline.STEPS:
            if step.optional or due[step.key] >= cutoff or step.key in skipped:
                continue
            if any(r not in done_on for r in step.requires):
                skipped.add(step.key)
                continue
            day = due[step.key] + timedelta(days=rng.randint(-2, 1))
            day = max([day, cycle.starts_on, *(done_on[r] for r in step.requires)])
            day = min(day, last_day)
            services.sign_off(user, cycle, obj, step.key, done_on=day)
            done_on[step.key] = day
            signed += 1
    return signed
