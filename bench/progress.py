"""Server time of the progress reports on the demo county: the county's view of the
late places, its API, a township's weekly report (page and Word document) and a
place's.

    python bench/progress.py [--residents 300000] [--repeat 20] [--target 300] [--seed 2026]
        [--today YYYY-MM-DD]

Builds the demo into a fresh SQLite file in a temporary folder (or, with DATABASE_URL
set, into that empty PostgreSQL database); the number of residents does not change the
timelines, which are what these pages read. Each page is requested through Django's
test client; the median and worst times are printed, and the county view's median is
held to ``--target`` milliseconds. The late view must list the places the dashboard
counts as late, so a fast wrong answer does not pass.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--target", type=float, default=300.0, help="milliseconds")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the demo world's day (default: the real date)"
    )
    args = parser.parse_args()

    os.environ.setdefault("HUANJIE_DATA", tempfile.mkdtemp(prefix="huanjie-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    os.environ.setdefault("HUANJIE_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from huanjie.cycles.models import Cycle
    from huanjie.demo.load import build_demo

    setup_test_environment()  # the test client then keeps each page's context
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    summary = build_demo(args.residents, args.seed, today=args.today)
    print(
        f"demo built: {summary['residents']:,} residents, "
        f"{summary['electing_places']} places in {time.perf_counter() - started:.1f} s"
    )

    cycle = Cycle.objects.get()
    township = User.objects.get(username="township1").role.place
    village = User.objects.get(username="committee").role.place
    pages = {
        "county dashboard": ("county", "/"),
        "county late view": ("county", f"/cycles/{cycle.pk}/late/"),
        "county late API": ("county", f"/api/cycles/{cycle.pk}/late"),
        "township weekly": ("county", f"/cycles/{cycle.pk}/townships/{township.code}/weekly/"),
        "township weekly DOCX": (
            "county",
            f"/cycles/{cycle.pk}/townships/{township.code}/weekly.docx",
        ),
        "place weekly": ("township1", f"/cycles/{cycle.pk}/places/{village.code}/weekly/"),
    }
    medians = {}
    for name, (username, url) in pages.items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        medians[name] = statistics.median(times)
        print(f"{name:22} median {medians[name]:7.1f} ms   worst {max(times):7.1f} ms")

    client = Client()
    client.force_login(User.objects.get(username="county"))
    dashboard = client.get("/").context
    late = client.get(f"/cycles/{cycle.pk}/late/").context
    assert late["late_total"] == dashboard["late_places"] == late["found"], "late places differ"
    print(f"late places: {late['found']} of {dashboard['places_total']}")
    if medians["county late view"] > args.target:
        print(f"county late view over its target of {args.target:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
