"""Server time of checking one voter in at a desk, on a large roll.

    python bench/check_in.py [--voters 50000] [--n 500]

Builds one village with a roll of ``--voters`` voters (with namesakes, as real rolls
have), its final list, stations, a mobile box and proxies, in a fresh SQLite file in a
temporary folder (or, with DATABASE_URL set, in that empty PostgreSQL database), opens
the first vote, then checks ``--n`` different voters in each way a desk does:

- service, by ID number: ``checkin.find`` then ``checkin.issue``, the functions the
  desk page calls;
- service, by name: ``find`` by name, the clerk picks the voter among namesakes, then
  ``issue``;
- page, by ID number: the desk's two htmx requests (find, issue) through Django's test
  client, so the URL routing, scope checks, session, templates and middleware count;
- page, by name: find by name, choose in the list (find by number), issue.

Prints the median and 95th percentile per check-in and the queries one takes. The
target is 50 ms of server time per check-in.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

TARGET_MS = 50

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国文辉玉兰红梅波鹏斌宇浩凯秀云"
    "飞鑫志新亮林峰春海燕晶雪琳欣佳"
)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Clock:
    """Wall time and this process's CPU time of each check-in, in ms. The server runs
    in this process, so on a busy machine the CPU time is the work the server did and
    the wall time adds the waiting for a CPU."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall.append((time.perf_counter() - self._wall) * 1000)
        self.cpu.append((time.process_time() - self._cpu) * 1000)


def report(label, clock, queries=None):
    wall, cpu = clock.wall, clock.cpu
    verdict = "ok" if percentile(wall, 95) <= TARGET_MS else "OVER TARGET"
    extra = f"   {queries:g} queries" if queries is not None else ""
    print(
        f"{label:28} median {statistics.median(wall):6.1f} ms   p95 {percentile(wall, 95):6.1f} ms"
        f"   (cpu median {statistics.median(cpu):5.1f}, p95 {percentile(cpu, 95):5.1f})"
        f"{extra}   {verdict}"
    )


def build(voters: int, seed: int):
    """The village, its roll, its final list, stations and proxies; the open poll."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from huanjie.accounts.models import Role, RoleKind
    from huanjie.candidates.models import Candidate, Notice
    from huanjie.cycles.models import Cycle, Election, Office
    from huanjie.places.models import Kind, Place
    from huanjie.polling import polls
    from huanjie.polling.models import MobileVoter, Proxy, Station
    from huanjie.rules import seats
    from huanjie.rules.identity import make_id
    from huanjie.voters import rolls
    from huanjie.voters.models import Resident, Voter

    rng = random.Random(seed)
    today = timezone.localdate()
    county = Place.objects.create(code="430121000000", name="长沙县", kind=Kind.COUNTY)
    street = Place.objects.create(
        code="430121001000", name="星沙街道", kind=Kind.STREET, parent=county
    )
    village = Place.objects.create(
        code="430121001201", name="金茶村", kind=Kind.VILLAGE, parent=street
    )
    groups = [
        Place.objects.create(
            code=f"430121001201{i:03d}", name=f"第{i}村民小组", kind=Kind.GROUP, parent=village
        )
        for i in range(1, 21)
    ]
    user = User.objects.create_user("committee", first_name="committee")
    Role.objects.create(user=user, kind=RoleKind.COMMITTEE_MEMBER, place=village)
    cycle = Cycle.objects.create(
        county=county,
        name="长沙县第十二届村（社区）“两委”换届",
        term_number=12,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=120),
        profile="national",
    )
    election = Election.objects.create(
        cycle=cycle, place=village, body=seats.committee_body(village.kind), election_day=today
    )
    Office.objects.bulk_create(election.default_offices(village.kind))

    started = time.perf_counter()
    taken, lines = set(), []
    while len(lines) < voters:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        sequence, sex = rng.randrange(1, 1000), rng.choice("MF")
        number = make_id("430121", born, sequence, sex)
        if number in taken:
            continue
        taken.add(number)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        lines.append(
            Voter(
                cycle=cycle,
                place=village,
                number=len(lines) + 1,
                id_number=number,
                name=name,
                name_initials=rolls.initials(name),
                sex=sex,
                birth_date=born,
                category="户在人在",
                group=rng.choice(groups),
                source=Voter.Source.ROLL,
            )
        )
    Voter.objects.bulk_create(lines, batch_size=5000)
    roll = list(Voter.objects.filter(cycle=cycle, place=village).order_by("number"))
    print(f"roll: {len(roll):,} voters in {time.perf_counter() - started:.1f} s")

    # The final list: five of the voters, as residents with candidacies.
    for office, count in (("director", 2), ("deputy", 2), ("member", 4)):
        for voter in rng.sample(roll, count):
            resident, _ = Resident.objects.get_or_create(
                id_number=voter.id_number,
                defaults={
                    "name": voter.name,
                    "sex": voter.sex,
                    "birth_date": voter.birth_date,
                    "household_code": village.code,
                    "residence_code": village.code,
                },
            )
            Candidate.objects.create(
                election=election,
                office=office,
                resident=resident,
                status=Candidate.Status.FORMAL,
                source=Candidate.Source.NOMINATION,
            )
    Notice.objects.create(
        election=election,
        kind=Notice.Kind.FORMAL,
        published_on=today,
        names=8,
        file="candidates/formal.pdf",
        user=user,
    )
    poll = polls.open_first(user, election, held_on=today)

    central = Station.objects.create(
        election=election, kind=Station.Kind.CENTRAL, name="中心会场", user=user
    )
    for i in range(1, 4):
        Station.objects.create(
            election=election, kind=Station.Kind.STATION, name=f"第{i}投票站", user=user
        )
    box = Station.objects.create(
        election=election, kind=Station.Kind.MOBILE_BOX, name="流动票箱", user=user
    )
    shuffled = roll[:]
    rng.shuffle(shuffled)
    special = shuffled[:600]
    MobileVoter.objects.bulk_create(
        MobileVoter(station=box, voter=v, reason="行动不便") for v in special[:100]
    )
    Proxy.objects.bulk_create(
        Proxy(
            election=election,
            entruster=entruster,
            proxy=proxy,
            relation="近亲属",
            signed_on=today - timedelta(days=5),
            authorisation="proxies/x.pdf",
            user=user,
        )
        for entruster, proxy in zip(special[100:350], special[350:600], strict=True)
    )
    # The voters the bench checks in: neither mobile-box voters nor entrusters.
    plain = shuffled[600:]
    return poll, central, user, plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("-n", "--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    made = None
    if "HUANJIE_DATA" not in os.environ:
        made = os.environ["HUANJIE_DATA"] = tempfile.mkdtemp(prefix="huanjie-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    os.environ.setdefault("HUANJIE_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from huanjie.polling import checkin
    from huanjie.polling.models import CheckIn

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"database: {connection.vendor}")
    poll, central, user, plain = build(args.voters, args.seed)
    if len(plain) < 4 * args.n:
        raise SystemExit(f"--n {args.n} needs a roll of at least {4 * args.n + 600} voters")
    samples = [plain[i * args.n : (i + 1) * args.n] for i in range(4)]

    executed = []

    def counted(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    def by_name(found, voter):
        # The clerk picks the voter among the namesakes by the ID card in hand.
        return next(m.voter for m in found.matches if m.voter.id == voter.id)

    # Services, by ID number.
    clock, queries = Clock(), []
    for voter in samples[0]:
        executed.clear()
        with connection.execute_wrapper(counted), clock:
            found = checkin.find(poll, voter.id_number)
            checkin.issue(user, poll, found.matches[0].voter, central)
        queries.append(len(executed))
    report("service, by ID number", clock, statistics.median(queries))

    # Services, by name.
    clock, queries, listed = Clock(), [], []
    for voter in samples[1]:
        executed.clear()
        with connection.execute_wrapper(counted), clock:
            found = checkin.find(poll, voter.name)
            checkin.issue(user, poll, by_name(found, voter), central)
        queries.append(len(executed))
        listed.append(len(found.matches))
    report("service, by name", clock, statistics.median(queries))
    print(f"{'':28} namesakes listed: median {statistics.median(listed):g}, most {max(listed)}")

    # Pages, through the test client as htmx asks.
    client = Client(headers={"accept-language": "zh-hans", "hx-request": "true"})
    client.force_login(user)
    election = poll.election
    args_ = [election.cycle_id, election.place.code, election.pk, poll.pk]
    find_url = reverse("polling-desk-find", args=args_)
    issue_url = reverse("polling-desk-issue", args=args_)
    desk = client.get(reverse("polling-desk", args=args_), {"station": central.pk})
    assert desk.status_code == 200

    def find_page(q):
        response = client.get(find_url, {"q": q, "station": central.pk})
        assert response.status_code == 200 and b"desk-voter" in response.content, q

    def issue_page(voter):
        response = client.post(issue_url, {"voter": voter.pk, "station": central.pk})
        assert response.status_code == 200 and "HX-Trigger" in response, response.content[:300]

    clock = Clock()
    for voter in samples[2]:
        with clock:
            find_page(voter.id_number)
            issue_page(voter)
    report("page, by ID number (2 req)", clock)

    clock = Clock()
    for voter in samples[3]:
        with clock:
            response = client.get(find_url, {"q": voter.name, "station": central.pk})
            assert response.status_code == 200
            find_page(str(voter.number))  # the clerk chooses in the list
            issue_page(voter)
    report("page, by name (3 req)", clock)

    issued = CheckIn.objects.filter(poll=poll).count()
    assert issued == 4 * args.n, issued
    print(f"check-ins recorded: {issued:,}; target {TARGET_MS} ms per check-in")

    # The counts every desk refreshes every few seconds, late in the day: 80% turnout.
    rest = plain[4 * args.n : int(0.8 * args.voters)]
    CheckIn.objects.bulk_create(
        (CheckIn(poll=poll, voter=v, station=central, user=user) for v in rest),
        batch_size=5000,
    )
    counts_url = reverse("polling-desk-counts", args=args_)
    services, pages = Clock(), Clock()
    for _ in range(20):
        with services:
            found = checkin.counts(poll)
        with pages:
            assert client.get(counts_url, {"station": central.pk}).status_code == 200
    print(f"counts at {found.turnout:.0f}% turnout ({found.issued:,} ballots):")
    report("  service", services)
    report("  page", pages)
    if made:
        connection.close()
        shutil.rmtree(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
