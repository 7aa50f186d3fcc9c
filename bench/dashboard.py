"""Server time of the county and township dashboards and of a timeline page on the
demo county.

    python bench/dashboard.py [--residents 300000] [--repeat 20]

Builds the demo into a fresh SQLite file in a temporary folder (or, with DATABASE_URL
set, into that empty PostgreSQL database), then requests each page through Django's
test client and prints the median and worst time per page.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("HUANJIE_DATA", tempfile.mkdtemp(prefix="huanjie-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    os.environ.setdefault("HUANJIE_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from huanjie.cycles.models import Cycle
    from huanjie.demo.load import build_demo
    from huanjie.places.models import Place

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    summary = build_demo(residents=args.residents)
    print(
        f"demo built: {summary['residents']:,} residents, "
        f"{summary['electing_places']} places in {time.perf_counter() - started:.1f} s"
    )

    cycle = Cycle.objects.get()
    village = Place.objects.get(code=User.objects.get(username="committee").role.place.code)
    pages = {
        "county dashboard": ("county", "/"),
        "township dashboard": ("township1", "/"),
        "timeline": ("township1", f"/cycles/{cycle.pk}/places/{village.code}/timeline/"),
        "api timeline": ("township1", f"/api/cycles/{cycle.pk}/places/{village.code}/timeline"),
    }
    for name, (username, url) in pages.items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(User.objects.get(username=username))
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:20} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
