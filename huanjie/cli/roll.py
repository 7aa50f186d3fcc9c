"""``huanjie roll build RESIDENTS.csv --election-date D --out DIR [--profile P]``
(CONTRACTS §3).

Builds the voter rolls of every community in a residents file, without a database:
``voters.csv``, ``excluded.csv`` and ``conflicts.csv`` in DIR, and a JSON summary as the
last line of stdout. Each row goes through :func:`huanjie.rules.eligibility.register_all`,
the functions the application's own rolls use.

A file that cannot be read as the contract describes (a missing column, a date that is
not YYYY-MM-DD, 剥夺政治权利 = "maybe") is rejected whole: exit 2, the file, row and
field on stderr, and nothing in DIR. An invalid ID number is not bad input but a
finding (``invalid_id``), as it is on paper.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import NamedTuple

from huanjie.cli import BadInput
from huanjie.residents_file import COLUMNS, INTENTS, YES_NO, iso_date
from huanjie.rules.eligibility import Person, Reason, register_all
from huanjie.rules.identity import normalize
from huanjie.rules.profiles import PROFILES

USAGE = "usage: huanjie roll build RESIDENTS.csv --election-date D --out DIR [--profile P]"


def _options(argv: list[str]) -> tuple[Path, date, Path, str]:
    positional, options = [], {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--election-date", "--out", "--profile"):
            if i + 1 >= len(argv):
                raise BadInput(f"{arg} needs a value ({USAGE})")
            options[arg] = argv[i + 1]
            i += 2
        elif (
            arg.startswith("--")
            and "=" in arg
            and arg.split("=", 1)[0]
            in (
                "--election-date",
                "--out",
                "--profile",
            )
        ):
            key, value = arg.split("=", 1)
            options[key] = value
            i += 1
        elif arg.startswith("-"):
            raise BadInput(f"unknown option {arg!r} ({USAGE})")
        else:
            positional.append(arg)
            i += 1
    if len(positional) != 1 or "--election-date" not in options or "--out" not in options:
        raise BadInput(USAGE)
    election_day = iso_date(options["--election-date"])
    if election_day is None:
        raise BadInput(
            f"--election-date: {options['--election-date']!r} is not a date (YYYY-MM-DD)"
        )
    profile = options.get("--profile", "national")
    if profile not in PROFILES:
        raise BadInput(f"--profile: unknown profile {profile!r} (known: {', '.join(PROFILES)})")
    return Path(positional[0]), election_day, Path(options["--out"]), profile


class _Reader:
    """Rows of the residents file as :class:`Person`, checking each field's form."""

    def __init__(self, path: Path):
        self.path = path
        self.rows = 0

    def bad(self, line: int, column: str, problem: str) -> BadInput:
        return BadInput(f"{self.path}: row {line}, field {column}: {problem}")

    def columns(self, header: list[str] | None) -> dict[str, int]:
        """Where each column of the contract is, from the header row."""
        if header is None:
            raise BadInput(f"{self.path}: the file is empty (expected a header row)")
        header = [name.strip() for name in header]
        missing = [name for name in COLUMNS.values() if name not in header]
        if missing:
            raise BadInput(f"{self.path}: row 1: missing column(s) {', '.join(missing)}")
        return {key: header.index(name) for key, name in COLUMNS.items()}

    def persons(self, reader, at: dict[str, int], line: int = 1):
        """The persons of the rows, ``line`` being the number of the row before them."""
        width = max(at.values()) + 1
        i_name, i_id, i_home, i_live, i_since = (
            at["name"],
            at["id_number"],
            at["household"],
            at["residence"],
            at["lives_since"],
        )
        i_dep, i_inc, i_int, i_app, i_staff = (
            at["deprived"],
            at["incapacitated"],
            at["intent"],
            at["approved"],
            at["staff_of"],
        )
        dates: dict[str, date] = {}
        flags, intents = YES_NO, INTENTS
        for row in reader:
            line += 1
            if len(row) < width:
                if not "".join(row).strip():
                    continue  # a blank line is no person
                row = row + [""] * (width - len(row))
            home, live = row[i_home].strip(), row[i_live].strip()
            if not home or not live:
                if not "".join(row).strip():
                    continue
                key = "household" if not home else "residence"
                raise self.bad(line, COLUMNS[key], "empty (a community code is required)")
            since = row[i_since].strip() or None
            if since is not None:
                since = dates.get(since) or self.day(since, line, dates)
            deprived = flags.get(row[i_dep].strip())
            incapacitated = flags.get(row[i_inc].strip())
            approved = flags.get(row[i_app].strip())
            intent = intents.get(row[i_int].strip())
            if deprived is None or incapacitated is None or approved is None or intent is None:
                self.check_values(row, line, (i_dep, i_inc, i_app, i_int))
            self.rows += 1
            yield Person(
                normalize(row[i_id]),
                row[i_name].strip(),
                home,
                live,
                since,
                deprived,
                incapacitated,
                intent,
                approved,
                row[i_staff].strip(),
            )

    def day(self, text: str, line: int, known: dict[str, date]) -> date:
        day = iso_date(text)
        if day is None:
            raise self.bad(line, COLUMNS["lives_since"], f"{text!r} is not YYYY-MM-DD")
        known[text] = day
        return day

    def check_values(self, row: list[str], line: int, at: tuple[int, ...]) -> None:
        """Raise for the first field whose value is not one the contract allows."""
        i_dep, i_inc, i_app, i_int = at
        for key, i in (("deprived", i_dep), ("incapacitated", i_inc), ("approved", i_app)):
            text = row[i].strip()
            if text not in YES_NO:
                raise self.bad(line, COLUMNS[key], f"{text!r} is not 是, 否 or empty")
        text = row[i_int].strip()
        raise self.bad(line, COLUMNS["intent"], f"{text!r} is not 参加, 不参加, 联系不上 or empty")


class Part(NamedTuple):
    """What one worker made of one stretch of the file."""

    rows: int
    categories: Counter
    reasons: Counter
    conflicts: int
    first_seen: str  # the valid ID numbers first seen in the stretch, one per line


def _stretch(path: Path, start: int, end: int, line: int) -> str:
    """The text of a stretch of the file whose first line follows line ``line``."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = line + data.count(b"\n", 0, exc.start) + 1
        raise BadInput(f"{path}: row {bad}: not UTF-8 text") from None


def _register(job: tuple) -> Part:
    """Register the persons of one stretch of the file into part files of ``work``."""
    path, start, end, at, line, election_day, work, index = job
    reader = _Reader(path)
    rows = csv.reader(io.StringIO(_stretch(path, start, end, line), newline=""))
    categories: Counter = Counter()
    reasons: Counter = Counter()
    conflicted = 0
    seen: list[str] = []
    with (
        open(work / f"voters.{index}", "w", newline="", encoding="utf-8") as v,
        open(work / f"excluded.{index}", "w", newline="", encoding="utf-8") as x,
        open(work / f"conflicts.{index}", "w", newline="", encoding="utf-8") as c,
    ):
        voters, excluded, conflicts = csv.writer(v), csv.writer(x), csv.writer(c)
        try:
            for outcome in register_all(reader.persons(rows, at, line), election_day):
                person = outcome.person
                if outcome.birth_date is not None:  # valid, and not a repeat
                    seen.append(person.id_number)
                if outcome.place is not None:
                    voters.writerow(
                        (outcome.place, person.id_number, person.name, outcome.category)
                    )
                    categories[outcome.category] += 1
                    if outcome.others:
                        conflicted += 1
                        others = ";".join(code for code, _ in outcome.others)
                        conflicts.writerow((person.id_number, outcome.place, others))
                for code, reason in outcome.excluded:
                    excluded.writerow((code, person.id_number, person.name, reason))
                    reasons[reason] += 1
        except csv.Error as exc:
            raise BadInput(f"{path}: row {line + reader.rows + 1}: {exc}") from None
    return Part(reader.rows, categories, reasons, conflicted, "\n".join(seen))


def _stretches(path: Path, size: int, pieces: int) -> list[tuple[int, int, int]]:
    """(start, end, number of the line before start) of ``pieces`` stretches of whole
    lines after the header."""
    with open(path, "rb") as f:
        data = f.read()
    header_end = data.find(b"\n") + 1 or len(data)
    bounds = [header_end]
    for k in range(1, pieces):
        cut = data.find(b"\n", max(header_end, size * k // pieces))
        if cut == -1 or cut + 1 <= bounds[-1]:
            continue
        bounds.append(cut + 1)
    bounds.append(len(data))
    lines = [1]
    for a, b in zip(bounds, bounds[1:-1], strict=False):
        lines.append(lines[-1] + data.count(b"\n", a, b))
    return [(a, b, n) for a, b, n in zip(bounds, bounds[1:], lines, strict=False)]


def _drop_duplicates(path: Path, job: tuple, part: Part, work: Path, again: set[str]) -> Part:
    """A stretch's first rows for numbers an earlier stretch already had: their
    outcome becomes ``duplicate_record`` (CONTRACTS §3 rule 2), as one pass would say."""
    _path, start, end, at, line, election_day, _work, index = job
    categories, reasons, conflicted = (
        Counter(part.categories),
        Counter(part.reasons),
        part.conflicts,
    )
    for name, column in (("voters", 1), ("excluded", 1), ("conflicts", 0)):
        kept = []
        with open(work / f"{name}.{index}", newline="", encoding="utf-8") as f:
            for row in csv.reader(f):
                if row[column] not in again or (
                    name == "excluded" and row[3] == "duplicate_record"
                ):
                    kept.append(row)
                elif name == "voters":
                    categories[row[3]] -= 1
                elif name == "excluded":
                    reasons[row[3]] -= 1
                else:
                    conflicted -= 1
        with open(work / f"{name}.{index}", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(kept)
    rows = csv.reader(io.StringIO(_stretch(path, start, end, line), newline=""))
    with open(work / f"excluded.{index}", "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        for person in _Reader(path).persons(rows, at, line):
            if person.id_number in again:
                again = again - {person.id_number}
                writer.writerow(
                    (person.household, person.id_number, person.name, Reason.DUPLICATE_RECORD)
                )
                reasons[Reason.DUPLICATE_RECORD] += 1
    return Part(part.rows, +categories, +reasons, conflicted, part.first_seen)


#: Below this size one process is faster than starting a second.
PARALLEL_FROM = 4_000_000


def build(path: Path, election_day: date, out: Path) -> dict:
    """Write the three files into ``out`` and return the summary; on bad input raise
    :class:`BadInput` with ``out`` untouched (files are written aside, then moved).

    A large file is cut into stretches of whole lines registered by one process per
    core; a number seen in an earlier stretch is then a duplicate in a later one,
    exactly as in a single pass. A file with quoted fields (which may hold line breaks)
    is read in one pass.
    """
    try:
        size = path.stat().st_size
        with open(path, newline="", encoding="utf-8-sig") as f:
            header = next(csv.reader(f), None)
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    at = _Reader(path).columns(header)
    if out.exists() and not out.is_dir():
        raise BadInput(f"{out}: not a directory")
    pieces = (os.cpu_count() or 1) if size >= PARALLEL_FROM else 1
    if pieces > 1:
        with open(path, "rb") as f:
            if b'"' in f.read():
                pieces = 1
    parent = out.parent if out.parent.is_dir() else Path(tempfile.gettempdir())
    try:
        work = Path(tempfile.mkdtemp(prefix=".roll-", dir=parent))
    except OSError as exc:
        raise BadInput(f"{out}: cannot write ({exc.strerror})") from None
    try:
        stretches = _stretches(path, size, pieces)
        jobs = [(path, a, b, at, n, election_day, work, k) for k, (a, b, n) in enumerate(stretches)]
        if len(jobs) == 1:
            parts = [_register(jobs[0])]
        else:
            with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
                pending = [pool.apply_async(_register, (job,)) for job in jobs]
                parts = [p.get() for p in pending]
        seen: set[str] = set()
        for k, part in enumerate(parts):
            numbers = set(part.first_seen.split("\n")) - {""}
            again = numbers & seen
            if again:
                parts[k] = _drop_duplicates(path, jobs[k], part, work, again)
            seen |= numbers
        heads = {
            "voters": "社区代码,公民身份号码,姓名,类别\r\n",
            "excluded": "社区代码,公民身份号码,姓名,原因\r\n",
            "conflicts": "公民身份号码,登记社区,其他社区\r\n",
        }
        for name, head in heads.items():
            with open(work / f"{name}.csv", "wb") as whole:
                whole.write(head.encode("utf-8"))
                for k in range(len(jobs)):
                    with open(work / f"{name}.{k}", "rb") as piece:
                        shutil.copyfileobj(piece, whole)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name in heads:
                shutil.move(work / f"{name}.csv", out / f"{name}.csv")
        except OSError as exc:
            raise BadInput(f"{out}: cannot write ({exc.strerror})") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    categories = sum((p.categories for p in parts), Counter())
    reasons = sum((p.reasons for p in parts), Counter())
    rows = sum(p.rows for p in parts)
    return {
        "persons": rows - reasons.get(Reason.DUPLICATE_RECORD, 0),
        "registered": sum(categories.values()),
        "excluded": sum(reasons.values()),
        "conflicts": sum(p.conflicts for p in parts),
        "rows": rows,
        "election_date": election_day.isoformat(),
        "by_category": {str(k): v for k, v in categories.items()},
        "by_reason": {str(k): v for k, v in reasons.items()},
    }


def run(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    path, election_day, out, _profile = _options(argv)
    summary = build(path, election_day, out)
    print(json.dumps(summary, ensure_ascii=False))
    return 0
