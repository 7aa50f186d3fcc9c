"""Time the count of a large vote: ``count()`` alone, and ``huanjie tally`` as a user runs it.

    python bench/tally.py [--ballots 100000] [--repeat 3] [--seed 1]

The vote has five offices (主任 1, 副主任 1, 妇女委员 1, 委员 3, 监督委员会委员 3) and
twenty candidates; the ballots are random but seeded, with the mix a real count has:
sections left blank, a few written-in names (另选他人), over-voted and unreadable
sections, wholly invalid ballots. The generator keeps its own totals, and the count's
figures are checked against them, so a fast wrong answer does not pass.

The figure to watch is ``count()`` (target: at most 1 s for 100,000 ballots). The
command's figure adds a new Python process, reading the JSON file and checking it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from huanjie.cli.tally import vote_of  # noqa: E402
from huanjie.rules.tally import count  # noqa: E402

TARGET_SECONDS = 1.0

# (id, title, seats, candidates as (name, sex, weight)): the weights make a few people
# popular, so that the count has winners, losers and open seats.
OFFICES = (
    ("director", "主任", 1, (("王建国", "M", 6), ("李明", "M", 3), ("马丽", "F", 1))),
    ("deputy", "副主任", 1, (("张伟", "M", 4), ("刘洋", "M", 4), ("孙红", "F", 2))),
    ("women", "妇女委员", 1, (("陈静", "F", 5), ("黄丽", "F", 3), ("吴敏", "F", 2))),
    (
        "member",
        "委员",
        3,
        (
            ("杨帆", "M", 8),
            ("赵磊", "M", 7),
            ("周强", "M", 6),
            ("钱进", "M", 3),
            ("方明", "M", 2),
            ("丁兰", "F", 4),
        ),
    ),
    (
        "supervisor",
        "监督委员会委员",
        3,
        (
            ("郑和", "M", 6),
            ("冯军", "M", 5),
            ("朱燕", "F", 5),
            ("何平", "M", 2),
            ("罗英", "F", 2),
        ),
    ),
)
WRITE_INS = ("李四", "张三", "王五", "赵六", "欧阳娜娜", "司马光", "丁一", "石磊")

# How many people a section marks, by seats: most voters fill every seat.
FILLED = {1: (1,), 3: (3, 3, 3, 3, 2, 1)}
# Chances per ballot and per section.
WHOLLY_INVALID = 0.005
UNREADABLE = 0.003
OVER_VOTED = 0.01
BLANK = 0.02
WRITE_IN = 0.015


def election(ballots: int, seed: int) -> tuple[dict, dict[str, Counter]]:
    """The vote as CONTRACTS §4 input, and the totals the generator expects."""
    rng = random.Random(seed)
    offices, candidates, pools = [], [], {}
    number = 0
    for office_id, title, seats, people in OFFICES:
        offices.append({"id": office_id, "title": title, "seats": seats})
        ids, weights = [], []
        for name, sex, weight in people:
            number += 1
            who = f"c{number}"
            candidates.append({"id": who, "name": name, "office": office_id, "sex": sex})
            ids.append(who)
            weights.append(weight)
        pools[office_id] = (seats, ids, weights)
    assert len(candidates) == 20

    expected = {o["id"]: Counter() for o in offices}
    papers = []
    for _ in range(ballots):
        if rng.random() < WHOLLY_INVALID:
            papers.append({"invalid": True})
            for totals in expected.values():
                totals["invalid"] += 1
            continue
        paper = {}
        for office_id, (seats, ids, weights) in pools.items():
            roll = rng.random()
            if roll < UNREADABLE:
                paper[office_id] = None
                expected[office_id]["invalid"] += 1
                continue
            if roll < UNREADABLE + BLANK:
                paper[office_id] = []
                continue
            over = roll < UNREADABLE + BLANK + OVER_VOTED
            wanted = seats + 1 if over else rng.choice(FILLED[seats])
            marks: list[str] = []
            while len(marks) < wanted:
                if rng.random() < WRITE_IN:
                    who = rng.choice(WRITE_INS)
                else:
                    who = rng.choices(ids, weights)[0]
                if who not in marks:
                    marks.append(who)
            if rng.random() < 0.01:
                marks.append(marks[0])  # the same name marked twice: one vote
            paper[office_id] = marks
            if over:
                expected[office_id]["invalid"] += 1
            else:
                expected[office_id].update(set(marks))
        papers.append(paper)

    data = {
        "profile": "national",
        "kind": "committee",
        "round": "first",
        "mode": "separate",
        "electorate": int(ballots * 1.3),
        "ballots_issued": ballots + ballots // 200,
        "ballots_returned": ballots,
        "offices": offices,
        "candidates": candidates,
        "ballots": papers,
        "write_in_sex": {"丁一": "M", "石磊": "M", "欧阳娜娜": "F"},
    }
    return data, expected


def check(result: dict, expected: dict[str, Counter]) -> None:
    assert result["valid"], result["void_reasons"]
    for office in result["offices"]:
        totals = expected[office["id"]]
        assert office["invalid"] == totals["invalid"], office["id"]
        got = {v["who"]: v["votes"] for v in office["votes"]}
        assert got == {w: n for w, n in totals.items() if w != "invalid"}, office["id"]
        for who in office["elected"]:
            assert got[who] >= office["threshold"]


def timed(action, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``action``, and its value. On a busy
    machine the CPU time is the steadier figure."""
    wall, cpu, value = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        value = action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), value


def command(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "huanjie", "tally", str(path)],
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout.decode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    data, expected = election(args.ballots, args.seed)
    print(f"generated {args.ballots:,} ballots in {time.perf_counter() - started:.1f} s")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"cpus: {os.cpu_count()}, load average: {load}")
    vote = vote_of(data)

    seconds, cpu, result = timed(lambda: count(vote), args.repeat)
    check(result.as_json(), expected)
    rate = args.ballots / seconds
    verdict = "met" if seconds <= TARGET_SECONDS else "MISSED"
    print(f"count() (median of {args.repeat}): {seconds:.3f} s, cpu {cpu:.3f} s", end="")
    print(f" ({rate:,.0f} ballots/s)")
    print(f"target ≤ {TARGET_SECONDS:.0f} s: {verdict}")

    cascade = replace(vote, mode="cascade")
    seconds, cpu, _ = timed(lambda: count(cascade), args.repeat)
    print(f"count(), cascade counting (median): {seconds:.3f} s, cpu {cpu:.3f} s")

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "election.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        size = path.stat().st_size / 1e6
        seconds, _, printed = timed(lambda: command(path), args.repeat)
    check(printed, expected)
    print(f"huanjie tally, new process (median): {seconds:.3f} s (file {size:.1f} MB)")
    summary = {
        o["id"]: {"elected": len(o["elected"]), "unfilled": o["unfilled"], "invalid": o["invalid"]}
        for o in printed["offices"]
    }
    print(f"summary: {json.dumps(summary)}")


if __name__ == "__main__":
    main()
