"""Generate a residents file in the columns of CONTRACTS §3, as large as wanted.

    python bench/residents_file.py 1000000 /tmp/residents.csv [--seed 1] [--xlsx]

The people live in the demo county's villages and communities (so the file can be
imported into a database holding the demo places), with the mix the registration rules
care about: children, migrants in both directions with every 参选意愿, new arrivals of
less than a year, full-time staff, people deprived of rights or unable to vote, and a
few bad ID numbers and repeated rows, as real household exports have.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from huanjie import residents_file as columns  # noqa: E402
from huanjie.demo import county as demo_county  # noqa: E402
from huanjie.rules.identity import make_id  # noqa: E402

COLUMNS = tuple(columns.COLUMNS.values())
#: Columns a real export has besides those of CONTRACTS §3; the import keeps them.
EXTRA = ("民族", "文化程度")

#: D of the generated files: the demo county's first election day.
ELECTION_DAY = date(2026, 12, 20)

#: Places outside the county: where people registered here work, and where people
#: living here are registered.
OUTSIDE = tuple(code for code, _name in demo_county.OUTSIDE)
SURNAMES = "".join(surname for surname, _weight in demo_county.SURNAMES)
GIVEN = "".join(dict.fromkeys("".join(m + f for _year, m, f in demo_county.GIVEN)))
ETHNICITIES = ("汉族",) * 96 + ("土家族", "苗族", "侗族", "瑶族")
EDUCATION = ("初中及以下",) * 5 + ("高中/中专",) * 3 + ("大专",) * 2 + ("本科", "研究生")


def _codes(seed: int) -> list[str]:
    return [p.code for p in demo_county.generate(1, seed).electing]


def rows(n: int, seed: int = 1, codes: list[str] | None = None) -> Iterator[list[str]]:
    """``n`` data rows (lists of strings in the order of :data:`COLUMNS` + :data:`EXTRA`)."""
    rng = random.Random(seed)
    codes = codes or _codes(2026)
    earliest = ELECTION_DAY - timedelta(days=95 * 365)
    span = (ELECTION_DAY - earliest).days
    previous: list[str] | None = None
    taken: set[str] = set()

    def new_id(region: str, born: date, sex: str) -> str:
        # One number per person, as the household registry guarantees: the sequence
        # moves on when a (region, birth date, sex) already has it.
        sequence = rng.randrange(1000)
        while True:
            number = make_id(region, born, sequence % 1000, sex)
            if number not in taken:
                taken.add(number)
                return number
            sequence += 2

    for _ in range(n):
        if previous is not None and rng.random() < 0.001:
            yield previous  # the same person twice (an export joined from two sources)
            continue
        home = rng.choice(codes)
        born = earliest + timedelta(days=rng.randrange(span))
        sex = "M" if rng.random() < 0.51 else "F"
        number = new_id(home[:6], born, sex)
        if rng.random() < 0.002:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # a typing error
        live, since, intent, agreed, staff = home, "", "", "", ""
        roll = rng.random()
        if roll < 0.08:  # lives elsewhere in the county (人户分离)
            live = rng.choice(codes)
        elif roll < 0.12:  # household here, works away
            live = rng.choice(OUTSIDE)
        elif roll < 0.17:  # came from outside
            home = rng.choice(OUTSIDE)
            number = new_id(home[:6], born, sex)
        if live != home:
            moved = ELECTION_DAY - timedelta(days=rng.randrange(30, 3650))
            since = max(moved, born).isoformat()
            pick = rng.random()
            intent = (
                "参加"
                if pick < 0.65
                else "不参加"
                if pick < 0.82
                else "联系不上"
                if pick < 0.95
                else ""
            )
            agreed = "是" if intent == "参加" and rng.random() < 0.9 else ""
        elif rng.random() < 0.002:
            # Full-time community staff living in the city: not taking part at home.
            live, staff, intent = rng.choice(OUTSIDE), rng.choice(codes), "不参加"
            since = max(ELECTION_DAY - timedelta(days=rng.randrange(400, 3650)), born).isoformat()
            agreed = "是" if rng.random() < 0.85 else "否"
        row = [
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
            number,
            home,
            live,
            since,
            "是" if rng.random() < 0.0008 else "",
            "是" if rng.random() < 0.003 else "否",
            intent,
            agreed,
            staff,
            rng.choice(ETHNICITIES),
            rng.choice(EDUCATION),
        ]
        previous = row
        yield row


def write_csv(path: Path, n: int, seed: int = 1, codes: list[str] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS + EXTRA)
        writer.writerows(rows(n, seed, codes))
    return path


def write_xlsx(path: Path, n: int, seed: int = 1, codes: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("居民")
    sheet.append(COLUMNS + EXTRA)
    for row in rows(n, seed, codes):
        sheet.append(row)
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xlsx", action="store_true", help="write an Excel workbook")
    args = parser.parse_args()
    (write_xlsx if args.xlsx else write_csv)(args.path, args.rows, args.seed)


if __name__ == "__main__":
    main()
