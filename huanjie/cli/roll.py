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
import json
import os
import shutil
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from huanjie.cli import BadInput
from huanjie.rules.eligibility import Intent, Person, register_all
from huanjie.rules.identity import normalize
from huanjie.rules.profiles import PROFILES

USAGE = "usage: huanjie roll build RESIDENTS.csv --election-date D --out DIR [--profile P]"

COLUMNS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "household": "户籍地代码",
    "residence": "居住地代码",
    "lives_since": "居住起始日期",
    "deprived": "剥夺政治权利",
    "incapacitated": "无法行使选举权",
    "intent": "参选意愿",
    "approved": "会议同意",
    "staff_of": "专职工作社区",
}

YES_NO = {"是": True, "否": False, "": False}
INTENTS = {intent.value: intent for intent in Intent}


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
    try:
        election_day = date.fromisoformat(options["--election-date"])
    except ValueError:
        raise BadInput(
            f"--election-date: {options['--election-date']!r} is not a date (YYYY-MM-DD)"
        ) from None
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

    def persons(self, handle):
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise BadInput(f"{self.path}: the file is empty (expected a header row)")
        header = [name.strip() for name in header]
        missing = [name for name in COLUMNS.values() if name not in header]
        if missing:
            raise BadInput(f"{self.path}: row 1: missing column(s) {', '.join(missing)}")
        at = {key: header.index(name) for key, name in COLUMNS.items()}
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
        line = 1
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
        try:
            if len(text) == 10:
                known[text] = date.fromisoformat(text)
                return known[text]
        except ValueError:
            pass
        raise self.bad(line, COLUMNS["lives_since"], f"{text!r} is not YYYY-MM-DD")

    def check_values(self, row: list[str], line: int, at: tuple[int, ...]) -> None:
        """Raise for the first field whose value is not one the contract allows."""
        i_dep, i_inc, i_app, i_int = at
        for key, i in (("deprived", i_dep), ("incapacitated", i_inc), ("approved", i_app)):
            text = row[i].strip()
            if text not in YES_NO:
                raise self.bad(line, COLUMNS[key], f"{text!r} is not 是, 否 or empty")
        text = row[i_int].strip()
        raise self.bad(line, COLUMNS["intent"], f"{text!r} is not 参加, 不参加, 联系不上 or empty")


def build(path: Path, election_day: date, out: Path) -> dict:
    """Write the three files into ``out`` and return the summary; on bad input raise
    :class:`BadInput` with ``out`` untouched (files are written aside, then moved)."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror})") from None
    parent = out.parent if out.parent.exists() else Path(tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix=".roll-", dir=parent))
    try:
        with (
            handle,
            open(work / "voters.csv", "w", newline="", encoding="utf-8") as v,
            open(work / "excluded.csv", "w", newline="", encoding="utf-8") as x,
            open(work / "conflicts.csv", "w", newline="", encoding="utf-8") as c,
        ):
            voters, excluded, conflicts = csv.writer(v), csv.writer(x), csv.writer(c)
            voters.writerow(("社区代码", "公民身份号码", "姓名", "类别"))
            excluded.writerow(("社区代码", "公民身份号码", "姓名", "原因"))
            conflicts.writerow(("公民身份号码", "登记社区", "其他社区"))
            reader = _Reader(path)
            categories: Counter = Counter()
            reasons: Counter = Counter()
            communities: set[str] = set()
            conflicted = 0
            try:
                for outcome in register_all(reader.persons(handle), election_day):
                    person = outcome.person
                    if outcome.place is not None:
                        voters.writerow(
                            (outcome.place, person.id_number, person.name, outcome.category)
                        )
                        categories[outcome.category] += 1
                        communities.add(outcome.place)
                        if outcome.others:
                            conflicted += 1
                            conflicts.writerow(
                                (
                                    person.id_number,
                                    outcome.place,
                                    ";".join(code for code, _ in outcome.others),
                                )
                            )
                    for code, reason in outcome.excluded:
                        excluded.writerow((code, person.id_number, person.name, reason))
                        reasons[reason] += 1
            except UnicodeDecodeError:
                raise BadInput(f"{path}: not UTF-8 text") from None
            except csv.Error as exc:
                raise BadInput(f"{path}: row {reader.rows + 2}: {exc}") from None
        out.mkdir(parents=True, exist_ok=True)
        for name in ("voters.csv", "excluded.csv", "conflicts.csv"):
            os.replace(work / name, out / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    duplicates = reasons.get("duplicate_record", 0)
    return {
        "persons": reader.rows - duplicates,
        "registered": sum(categories.values()),
        "excluded": sum(reasons.values()),
        "conflicts": conflicted,
        "rows": reader.rows,
        "communities": len(communities),
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
