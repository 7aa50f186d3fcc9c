"""Time the import of a county's residents file into the database (issue 3: at most
60 s for 1,000,000 residents on SQLite and on PostgreSQL, 2 cores).

    python bench/import_residents.py [--rows 1000000] [--database sqlite|postgres] [--again N]

Builds the demo county's places and cycle (with 1,000 demo residents) into a fresh
database — a SQLite file in a temporary folder, or a PostgreSQL database created for
the run (``DATABASE_URL`` names another, which must be empty) — writes a residents
file with ``bench/residents_file.py`` (cached in /tmp), and imports it for the whole
county as the county admin through :func:`huanjie.voters.importer.import_residents`,
the code path of the import page. Prints the time of each phase: reading and checking
the file, the snapshot of the roll before, writing the residents, building the rolls
(with the 四增四减), the commit, and the total; ``--again`` imports the same file once
more, the case of a re-import that changes little.

The generator puts a few bad ID numbers and repeated rows into its files on purpose,
as real exports have; a file with any bad row is rejected whole, so the rows the
import would refuse are left out of the benchmark's file.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

BENCH_DATABASE = "huanjie_bench_import"


def clean_file(rows: int, seed: int, today: date) -> Path:
    """A residents file of ``rows`` good rows, made once and kept in /tmp."""
    import residents_file

    from huanjie.rules.identity import check_id

    path = Path(tempfile.gettempdir()) / f"huanjie-residents-{rows}-{seed}-{today}.csv"
    if path.exists():
        return path
    started = time.perf_counter()
    partial = path.with_suffix(".part")
    seen: set[str] = set()
    kept = 0
    with open(partial, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(residents_file.COLUMNS + residents_file.EXTRA)
        # Ask for a little more than wanted: about 0.3% of the rows are left out.
        for row in residents_file.rows(rows + rows // 100 + 10, seed):
            checked = check_id(row[1], today)
            since = row[4]
            if not checked.valid or checked.number in seen or (since and since > str(today)):
                continue
            seen.add(checked.number)
            writer.writerow(row)
            kept += 1
            if kept == rows:
                break
    partial.rename(path)
    print(f"wrote {path} ({kept:,} rows) in {time.perf_counter() - started:.1f} s")
    return path


def use_postgres() -> None:
    """Point Django at a fresh PostgreSQL database, unless DATABASE_URL names one."""
    if os.environ.get("DATABASE_URL"):
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        c.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default=None)
    parser.add_argument(
        "--again", type=int, default=0, help="then import the same file this many times more"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()

    database = args.database or ("postgres" if os.environ.get("DATABASE_URL") else "sqlite")
    if database == "postgres":
        use_postgres()
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("HUANJIE_DATA", tempfile.mkdtemp(prefix="huanjie-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from huanjie.cycles.models import Cycle
    from huanjie.demo.load import build_demo

    today = timezone.localdate()
    path = clean_file(args.rows, args.seed, today)

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_demo(residents=1000)
    print(f"{connection.vendor}: demo county built in {time.perf_counter() - started:.1f} s")

    cycle = Cycle.objects.select_related("county").get()
    user = User.objects.get(username="county")
    data = path.read_bytes()
    for label in ["first import", *["the same file again"] * args.again]:
        if not run(label, user, cycle, path.name, data, today, args.profile):
            return 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of the process':32} {peak:7.0f} MB")
    return 0


PHASES = (
    ("check", "read and check the file"),
    ("snapshot", "snapshot of the last roll"),
    ("write", "write the residents"),
    ("build", "build the rolls (四增四减)"),
    ("commit", "commit"),
)


def run(label, user, cycle, name, data, today, profile) -> bool:
    """Import the file once, as the import page does, and print the times."""
    from huanjie.voters import importer

    print(f"-- {label}")
    timings: dict[str, float] = {}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    batch = importer.import_residents(
        user, cycle, cycle.county, name, data, timings=timings, today=today
    )
    total = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if batch.status != batch.Status.APPLIED:
        print(f"the file was rejected: {batch.errors[:10]}")
        return False
    s = batch.summary
    print(
        f"{s['rows']:,} rows: {s['new']:,} new, {s['updated']:,} changed, "
        f"{s['unchanged']:,} unchanged, {s['left_records']:,} left the records; "
        f"{s['voters']:,} voters in {s['places']} places, {s['excluded']:,} exclusions, "
        f"{s['conflicts']:,} conflicts, {sum(s['changes'].values()):,} changes (四增四减)"
    )
    for phase, title in PHASES:
        print(f"{title:32} {timings.get(phase, 0):7.1f} s")
    print(f"{'total':32} {total:7.1f} s   ({s['rows'] / total:,.0f} rows/s)")
    return True


if __name__ == "__main__":
    sys.exit(main())
