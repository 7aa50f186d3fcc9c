"""Time ``huanjie roll build`` on a generated residents file, against a floor.

    python bench/roll_build.py [--rows 1000000] [--repeat 3]

The floor is what reading the same file and writing it back costs with polars (a
multi-threaded CSV reader and writer in Rust), timed in the same run on the same
machine; the figure to watch is the ratio of the two. The command runs as a user runs
it — a new process, all rows through the rules core's ``register_all`` — and its
outputs are checked to add up, so a fast wrong answer does not pass.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents_file import ELECTION_DAY, write_csv  # noqa: E402


def _lines(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def build_once(source: Path, out: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "huanjie",
            "roll",
            "build",
            str(source),
            "--election-date",
            ELECTION_DAY.isoformat(),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def floor_once(source: Path, out: Path) -> float:
    started = time.perf_counter()
    frame = pl.read_csv(source, infer_schema=False)
    frame.write_csv(out / "copy.csv")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    source = Path(tempfile.gettempdir()) / f"huanjie-residents-{args.rows}-{args.seed}.csv"
    if not source.exists():
        started = time.perf_counter()
        write_csv(source, args.rows, args.seed)
        print(f"generated {source} in {time.perf_counter() - started:.1f} s")
    print(f"file: {source} ({source.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows)")
    print(f"cpus: {os.cpu_count()}")

    builds, floors = [], []
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        for _ in range(args.repeat):
            seconds, summary = build_once(source, out / "rolls")
            builds.append(seconds)
            floors.append(floor_once(source, out))
        voters, excluded = _lines(out / "rolls/voters.csv"), _lines(out / "rolls/excluded.csv")
        conflicts = _lines(out / "rolls/conflicts.csv")
        with open(out / "rolls/voters.csv", encoding="utf-8") as f:
            ids = [row[1] for row in csv.reader(f)][1:]
    assert summary["registered"] == voters and summary["excluded"] == excluded
    assert summary["conflicts"] == conflicts and summary["rows"] == args.rows
    assert len(ids) == len(set(ids)), "someone is on two rolls"

    build, floor = statistics.median(builds), statistics.median(floors)
    counts = {k: summary[k] for k in ("persons", "registered", "excluded", "conflicts")}
    print(f"summary: {json.dumps(counts)}")
    print(f"roll build (median of {args.repeat}): {build:.2f} s  ({args.rows / build:,.0f} rows/s)")
    print(f"polars read + write (median):    {floor:.2f} s")
    print(f"ratio: {build / floor:.1f}x the polars floor")


if __name__ == "__main__":
    main()
