"""Server time of the statistics pages and API (DOMAIN §11) for a county of 500 places
and 1,000,000 voters.

    python bench/county_statistics.py [--places 500] [--voters 1000000] [--repeat 10]

Builds, in a fresh SQLite file in a temporary folder (or, with DATABASE_URL set, in
that empty PostgreSQL database), a county of 20 townships and ``--places`` villages
and communities with ``--voters`` voters on their rolls, and the end of a cycle: the
first vote of every place confirmed with its winners (one place in ten left a seat to
a run-off, one in fifty voided), about 70% of the voters checked in (some by proxy,
at a mobile box or with a helper), the box sheets, the party committees in office and
their members' meetings, candidates disqualified by the joint review, the previous
term's committees and complaints. The rows are
inserted in bulk (:mod:`huanjie.bulk`), as the demo does.

Then loads the application as ``huanjie serve`` does (:mod:`huanjie.wsgi`), requests
the county dashboard, the county statistics page, a township's page and the API of
both through Django's test client and prints the median and worst time of each:

* "computed" — with the cache emptied before each request: the first request of the
  day, when nothing is kept;
* "changed" — after a change at one village recorded in the audit trail before each
  request, as through the day: a county's report is kept township by township and
  only that village's township is computed again
  (:func:`huanjie.reports.statistics.cached`);
* "kept" — between two changes.

The target is 300 ms of server time per page.

(Not named ``statistics.py``: a script's folder comes first on ``sys.path``, and the
other benchmarks here import the standard library's ``statistics``.)
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

TARGET_MS = 300
TOWNSHIPS = 20


def build(places: int, voters: int, seed: int = 7) -> dict:
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from huanjie import bulk
    from huanjie.accounts.models import Role, RoleKind
    from huanjie.candidates.models import Candidate, Department, Verdict
    from huanjie.complaints.models import Complaint
    from huanjie.cycles.models import Cycle, Election, Office
    from huanjie.party.models import Attendance, Meeting, Member, Organisation, Seat
    from huanjie.places.models import Kind, Place
    from huanjie.polling.models import BoxCount, CheckIn, Poll, Proxy, Station, Winner
    from huanjie.reports.models import PreviousMember
    from huanjie.rules import seats
    from huanjie.rules.complaints import Channel, ComplaintType
    from huanjie.voters.models import Resident, Voter

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now().isoformat()
    day = today - timedelta(days=3)

    county = Place.objects.create(code="430121000000", name="长沙县", kind=Kind.COUNTY)
    townships = Place.objects.bulk_create(
        Place(code=f"430121{t:03d}000", name=f"第{t}镇", kind=Kind.TOWNSHIP, parent=county)
        for t in range(1, TOWNSHIPS + 1)
    )
    electing = Place.objects.bulk_create(
        Place(
            code=f"{townships[i % TOWNSHIPS].code[:9]}{200 + i // TOWNSHIPS:03d}",
            name=f"第{i + 1}村" if i % 3 else f"第{i + 1}社区",
            kind=Kind.VILLAGE if i % 3 else Kind.COMMUNITY,
            parent=townships[i % TOWNSHIPS],
        )
        for i in range(places)
    )
    electing = list(Place.objects.electing().order_by("code"))
    county_user = User.objects.create_user("county", first_name="county")
    Role.objects.create(user=county_user, kind=RoleKind.COUNTY_ADMIN, place=county)
    township_user = User.objects.create_user("township", first_name="township")
    Role.objects.create(user=township_user, kind=RoleKind.TOWNSHIP_STAFF, place=townships[0])
    cycle = Cycle.objects.create(
        county=county,
        name="长沙县第十二届村（社区）“两委”换届",
        term_number=12,
        starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=90),
        profile="hunan",
    )
    committees = Election.objects.bulk_create(
        Election(cycle=cycle, place=p, body=seats.committee_body(p.kind), election_day=day)
        for p in electing
    )
    party = Election.objects.bulk_create(
        Election(cycle=cycle, place=p, body=seats.Body.PARTY_COMMITTEE, election_day=day)
        for p in electing
    )
    Office.objects.bulk_create(o for e in committees for o in e.default_offices(e.place.kind))

    # The rolls: a million lines
    started = time.perf_counter()
    per_place = voters // places
    first_voter = bulk.first_id(Voter)
    rows = []
    voter_ids: dict[int, range] = {}
    vid = first_voter
    for i, p in enumerate(electing):
        n = per_place + (1 if i < voters % places else 0)
        voter_ids[p.id] = range(vid, vid + n)
        for k in range(n):
            born = date(1940 + rng.randrange(65), 1 + k % 12, 1 + k % 28)
            rows.append(
                (
                    vid,
                    cycle.id,
                    p.id,
                    None,
                    k + 1,
                    f"{p.code[6:]}{k:06d}",
                    f"选民{k}",
                    "",
                    "F" if k % 2 else "M",
                    born.isoformat(),
                    "汉族",
                    "户在人在",
                    None,
                    "roll",
                    "listed",
                    "",
                    now,
                )
            )
            vid += 1
    fields = (
        "id cycle_id place_id resident_id number id_number name name_initials sex birth_date "
        "ethnicity category group_id source status note added_at"
    ).split()
    with transaction.atomic():
        bulk.insert(Voter, fields, rows)
    bulk.reset_sequences(Voter)
    del rows
    print(f"  {voters:,} voters in {time.perf_counter() - started:.1f} s")

    # The people elected and the party members: residents
    educations = ["postgraduate", "bachelor", "college", "high_school", "middle_school", ""]
    residents = []
    serial = 0
    for p in electing:
        for _k in range(14):
            serial += 1
            born = date(1960 + rng.randrange(40), 1 + serial % 12, 1 + serial % 28)
            sex = rng.choice("MF")
            residents.append(
                Resident(
                    id_number=f"430121{serial:012d}",
                    name=f"居民{serial}",
                    sex=sex,
                    birth_date=born,
                    education=rng.choice(educations),
                    ethnicity=rng.choice(["汉族", "汉族", "汉族", "苗族", "土家族"]),
                    household_code=p.code,
                    residence_code=p.code,
                )
            )
    residents = Resident.objects.bulk_create(residents, batch_size=2000)
    people = {p.id: residents[i * 14 : i * 14 + 14] for i, p in enumerate(electing)}

    # The votes: stations, first votes, run-offs, winners, check-ins, box sheets
    started = time.perf_counter()
    stations = Station.objects.bulk_create(
        Station(election=e, kind=kind, name=name, user=county_user)
        for e in committees
        for kind, name in (
            (Station.Kind.CENTRAL, "中心会场"),
            (Station.Kind.MOBILE_BOX, "流动票箱"),
        )
    )
    central = {s.election_id: s for s in stations if s.kind == Station.Kind.CENTRAL}
    mobile = {s.election_id: s for s in stations if s.kind == Station.Kind.MOBILE_BOX}
    candidates, polls, plans = [], [], []
    for i, e in enumerate(committees):
        layout = [(o.key, o.seats) for o in e.default_offices(e.place.kind)]
        open_seat = i % 10 == 3
        void = i % 50 == 7
        result_offices = []
        for key, n in layout:
            short = 1 if open_seat and key == "member" else 0
            result_offices.append(
                {
                    "id": key,
                    "seats": n,
                    "elected": [f"{key}{j}" for j in range(n - short)] if not void else [],
                    "unfilled": short,
                    "revote": [],
                    "votes": [],
                    "reserved_for_woman": 0,
                    "runoff_candidates": [],
                }
            )
        polls.append(
            Poll(
                election=e,
                round=Poll.Round.FIRST,
                held_on=day,
                electorate=len(voter_ids[e.place_id]),
                offices=[{"id": k, "title": k, "seats": n} for k, n in layout],
                candidates=[],
                state=Poll.State.CONFIRMED,
                result={"valid": not void, "offices": result_offices},
                user=county_user,
            )
        )
        plans.append((e, layout, open_seat, void))
        for r, (key, _n) in zip(people[e.place_id][:8], [*layout, *layout, *layout], strict=False):
            candidates.append(
                Candidate(
                    election=e,
                    office=key,
                    resident=r,
                    status=Candidate.Status.FORMAL,
                    source=Candidate.Source.NOMINATION,
                )
            )
    polls = Poll.objects.bulk_create(polls)
    runoffs = Poll.objects.bulk_create(
        Poll(
            election=e,
            follows=first,
            round=Poll.Round.RUNOFF,
            held_on=day + timedelta(days=5),
            electorate=first.electorate,
            offices=[{"id": "member", "title": "委员", "seats": 1}],
            candidates=[],
            state=Poll.State.CONFIRMED,
            result={
                "valid": True,
                "offices": [
                    {"id": "member", "seats": 1, "elected": ["m"], "unfilled": 0, "revote": []}
                ],
            },
            user=county_user,
        )
        for first, (e, _layout, open_seat, _void) in zip(polls, plans, strict=True)
        if open_seat
    )
    runoff_of = {p.election_id: p for p in runoffs}
    Candidate.objects.bulk_create(candidates, batch_size=2000, ignore_conflicts=True)
    by_resident = {c.resident_id: c for c in Candidate.objects.filter(election__cycle=cycle)}
    winners = []
    for first, (e, layout, open_seat, void) in zip(polls, plans, strict=True):
        if void:
            continue
        offices = [key for key, n in layout for _ in range(n)]
        who = people[e.place_id]
        for j, key in enumerate(offices):
            poll = runoff_of[e.id] if open_seat and j == len(offices) - 1 else first
            c = by_resident.get(who[j].id)
            winners.append(
                Winner(
                    poll=poll,
                    office=key,
                    who=f"c{c.pk}" if c else who[j].name,
                    name=who[j].name,
                    votes=900,
                    candidate=c,
                )
            )
    Winner.objects.bulk_create(winners, batch_size=2000)
    entrusted = []
    for e in committees:
        ids = voter_ids[e.place_id]
        entrusted += [
            Proxy(
                election=e,
                entruster_id=ids[-1 - k],
                proxy_id=ids[k],
                relation="配偶",
                signed_on=day,
                authorisation="proxies/x.pdf",
                user=county_user,
            )
            for k in range(3)
        ]
    entrusted = Proxy.objects.bulk_create(entrusted, batch_size=2000)
    proxy_of = {(p.election_id, p.entruster_id): p.id for p in entrusted}
    checkins, sheets = [], []
    for first, e in zip(polls, committees, strict=True):
        ids = voter_ids[e.place_id]
        at_mobile = voted = 0
        turnout = 0.6 + 0.3 * rng.random()
        for k, v in enumerate(ids):
            if k < len(ids) - 3 and rng.random() > turnout:
                continue
            box = k % 97 == 5
            at_mobile += box
            voted += 1
            checkins.append(
                (
                    first.id,
                    v,
                    mobile[e.id].id if box else central[e.id].id,
                    proxy_of.get((e.id, v)),
                    k % 53 == 1,
                    county_user.id,
                    now,
                )
            )
        here = voted - at_mobile
        sheets.append(BoxCount(poll=first, station=central[e.id], issued=here, returned=here))
        sheets.append(
            BoxCount(poll=first, station=mobile[e.id], issued=at_mobile, returned=at_mobile)
        )
    with transaction.atomic():
        bulk.insert(
            CheckIn,
            ("poll_id", "voter_id", "station_id", "proxy_id", "assisted", "user_id", "at"),
            checkins,
        )
    BoxCount.objects.bulk_create(sheets, batch_size=2000)
    took = time.perf_counter() - started
    print(f"  {len(checkins):,} check-ins, {len(winners):,} winners in {took:.1f} s")

    # The party: organisations, members, seats in office, the meetings that voted
    orgs = Organisation.objects.bulk_create(
        Organisation(place=p, name=f"{p.name}党支部", kind="branch") for p in electing
    )
    members = Member.objects.bulk_create(
        (
            Member(organisation=o, resident=r, status="full", joined_on=date(2000, 1, 1))
            for o in orgs
            for r in (people[o.place_id][k] for k in (0, 1, 2, 4, 6, 8, 9, 11))
        ),
        batch_size=2000,
    )
    of_org: dict[int, list] = {}
    for m in members:
        of_org.setdefault(m.organisation_id, []).append(m)
    Seat.objects.bulk_create(
        (
            Seat(organisation=o, member=of_org[o.id][k], office=office, since=day)
            for o in orgs
            for k, office in enumerate(("secretary", "deputy_secretary", "member"))
        ),
        batch_size=2000,
    )
    party_polls = Poll.objects.bulk_create(
        Poll(
            election=e,
            round=Poll.Round.FIRST,
            held_on=day - timedelta(days=10),
            electorate=len(of_org[o.id]),
            offices=[{"id": "member", "title": "委员", "seats": 3}],
            candidates=[],
            state=Poll.State.CONFIRMED,
            result={"valid": True, "offices": []},
            user=county_user,
        )
        for e, o in zip(party, orgs, strict=True)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            election=e,
            held_on=day - timedelta(days=10),
            state="closed",
            due=len(of_org[o.id]),
            present=len(of_org[o.id]) - 1,
            poll=pp,
            user=county_user,
        )
        for e, o, pp in zip(party, orgs, party_polls, strict=True)
    )
    Attendance.objects.bulk_create(
        (
            Attendance(meeting=m, member=x, user=county_user)
            for m, o in zip(meetings, orgs, strict=True)
            for x in of_org[o.id][:-1]
        ),
        batch_size=2000,
    )

    # The joint review: one place in five lost a candidate
    department = Department.objects.create(cycle=cycle, name="县公安局")
    out = Candidate.objects.bulk_create(
        Candidate(
            election=e,
            office="member",
            resident=people[e.place_id][13],
            status=Candidate.Status.DISQUALIFIED,
            source=Candidate.Source.NOMINATION,
        )
        for i, e in enumerate(committees)
        if i % 5 == 0
    )
    Verdict.objects.bulk_create(
        Verdict(
            candidate=c,
            department=department,
            outcome="hit",
            items=[1 + i % 10],
            user=county_user,
        )
        for i, c in enumerate(out)
    )

    # The previous term's 居/村委会 (five members a place) and complaints (one place in
    # eight, one at each township office)
    PreviousMember.objects.bulk_create(
        (
            PreviousMember(
                cycle=cycle,
                place_id=e.place_id,
                body=e.body,
                office="director" if k == 0 else "member",
                name=r.name,
                id_number=r.id_number if k % 2 == 0 else f"43012119{i:06d}{k:04d}",
                sex=r.sex,
                birth_date=r.birth_date - timedelta(days=365 * 3),
                education=r.education,
                ethnicity=r.ethnicity,
                party_member=k < 3,
                user=county_user,
            )
            for i, e in enumerate(committees)
            for k, r in enumerate(people[e.place_id][:5])
        ),
        batch_size=2000,
    )
    types = list(ComplaintType)
    Complaint.objects.bulk_create(
        Complaint(
            cycle=cycle,
            place=p,
            number=n + 1,
            type=types[n % len(types)],
            received_on=day,
            channel=Channel.VISIT,
            summary="反映选举中的问题",
            deadline=day + timedelta(days=15),
            registered_by=county_user,
        )
        for n, p in enumerate([*electing[::8], *townships])
    )
    return {"cycle": cycle, "county": county, "township": townships[0], "checkins": len(checkins)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("HUANJIE_DATA", tempfile.mkdtemp(prefix="huanjie-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    os.environ.setdefault("HUANJIE_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from huanjie.audit.trail import record
    from huanjie.places.models import Place

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    built = build(args.places, args.voters)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {args.places} places, {args.voters:,} voters, {built['checkins']:,} check-ins "
        f"in {time.perf_counter() - started:.1f} s on {connection.vendor}"
    )
    cycle, township = built["cycle"], built["township"]
    import huanjie.wsgi  # noqa: F401 (the application as `huanjie serve` loads it)

    village = Place.objects.filter(parent=township).order_by("code").first()
    clerk = User.objects.get(username="county")
    pages = {
        "county dashboard": ("county", "/"),
        "county page": ("county", f"/cycles/{cycle.pk}/statistics/"),
        "township page": ("township", f"/cycles/{cycle.pk}/statistics/"),
        "county API": ("county", f"/api/cycles/{cycle.pk}/statistics"),
        "county API, places": ("county", f"/api/cycles/{cycle.pk}/statistics?places=true"),
        "township API": (
            "county",
            f"/api/cycles/{cycle.pk}/places/{township.code}/statistics",
        ),
    }
    over = False
    for name, (username, url) in pages.items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warms the database's own caches
        for kind in ("computed", "changed", "kept"):
            times = []
            for _ in range(args.repeat):
                if kind == "computed":
                    cache.clear()  # nothing kept
                elif kind == "changed":  # a change at one village
                    record(clerk, "voters.objection_decided", village, place=village)
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            median, worst = statistics.median(times), max(times)
            verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
            over |= verdict != "ok"
            print(f"{name:20} {kind:9} median {median:7.1f} ms   worst {worst:7.1f} ms   {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
