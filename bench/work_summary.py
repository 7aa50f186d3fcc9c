"""Time to make the county's work summary (工作总结, DOCX) for a county of 500 places and
1,000,000 voters.

    python bench/work_summary.py [--places 500] [--voters 1000000] [--repeat 5]

Builds the county of :mod:`county_statistics` (its builder, in a fresh SQLite file in a
temporary folder, or in the empty PostgreSQL database of DATABASE_URL), then makes the
county's summary with the statistics computed afresh each time (the cache emptied, as
after any change recorded in the audit trail) and prints the median and worst time,
and the size of the document. The target is 10 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

TARGET_S = 10


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("HUANJIE_DATA", tempfile.mkdtemp(prefix="huanjie-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    import django

    django.setup()
    from county_statistics import build
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from huanjie.reports.summary import summary_docx

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    built = build(args.places, args.voters)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"built {args.places} places, {args.voters:,} voters "
        f"in {time.perf_counter() - started:.1f} s on {connection.vendor}"
    )
    cycle, county = built["cycle"], built["county"]
    times = []
    for _ in range(args.repeat):
        cache.clear()  # the statistics computed again, as after any recorded change
        t = time.perf_counter()
        document = summary_docx(cycle, county)
        times.append(time.perf_counter() - t)
    median, worst = statistics.median(times), max(times)
    verdict = "ok" if median <= TARGET_S else "OVER TARGET"
    print(
        f"county work summary  median {median:6.2f} s   worst {worst:6.2f} s   "
        f"{len(document) / 1024:.0f} KiB   {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
