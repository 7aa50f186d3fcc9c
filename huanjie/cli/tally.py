"""``huanjie tally ELECTION.json`` (CONTRACTS §4): the result of one vote as JSON.

The file is read whole and checked before anything is counted; a field that is
missing or cannot mean what the contract says is bad input (exit 2, the file and the
field on stderr), never a guess. The count itself is :func:`huanjie.rules.tally.count`,
the one the application uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from huanjie.cli import BadInput
from huanjie.rules import tally
from huanjie.rules.profiles import PROFILES, ProfileError, apply_overrides

USAGE = "usage: huanjie tally ELECTION.json"

KINDS = ("committee", "party")
ROUNDS = ("first", "runoff")
MODES = ("separate", "cascade")
SEXES = ("F", "M")


class _Problem(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")


def _whole(data: Mapping, key: str, *, required: bool = True) -> int | None:
    if key not in data and not required:
        return None
    if key not in data:
        raise _Problem(key, "missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Problem(key, f"expected a whole number ≥ 0, got {value!r}")
    return value


def _choice(data: Mapping, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise _Problem(key, f"expected {' or '.join(repr(a) for a in allowed)}, got {value!r}")
    return value


def _text(item: Mapping, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"{where}.{key}", f"expected a non-empty text, got {value!r}")
    return value


def _offices(data: Mapping) -> tuple[tally.Office, ...]:
    given = data.get("offices")
    if not isinstance(given, list) or not given:
        raise _Problem("offices", "expected a non-empty list of offices")
    offices = []
    for i, item in enumerate(given):
        where = f"offices[{i}]"
        if not isinstance(item, Mapping):
            raise _Problem(where, "expected an object with id, title and seats")
        office_id = _text(item, "id", where)
        if office_id == tally.INVALID or office_id in {o.id for o in offices}:
            raise _Problem(f"{where}.id", f"{office_id!r} is reserved or used twice")
        seats = item.get("seats")
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
            raise _Problem(f"{where}.seats", f"expected a whole number ≥ 1, got {seats!r}")
        title = item.get("title", office_id)
        offices.append(tally.Office(office_id, str(title), seats))
    return tuple(offices)


def _candidates(data: Mapping, offices: set[str]) -> tuple[tally.Candidate, ...]:
    given = data.get("candidates", [])
    if not isinstance(given, list):
        raise _Problem("candidates", "expected a list")
    candidates, seen = [], set()
    for i, item in enumerate(given):
        where = f"candidates[{i}]"
        if not isinstance(item, Mapping):
            raise _Problem(where, "expected an object with id, name, office and sex")
        candidate_id = _text(item, "id", where)
        if candidate_id in seen:
            raise _Problem(f"{where}.id", f"{candidate_id!r} is used twice")
        seen.add(candidate_id)
        office = item.get("office")
        if office not in offices:
            raise _Problem(f"{where}.office", f"no such office {office!r}")
        sex = item.get("sex")
        if sex is not None and sex not in SEXES:
            raise _Problem(f"{where}.sex", f'expected "F" or "M", got {sex!r}')
        candidates.append(tally.Candidate(candidate_id, _text(item, "name", where), office, sex))
    return tuple(candidates)


def _ballots(given: object, offices: set[str]) -> list[Mapping]:
    if not isinstance(given, list):
        raise _Problem("ballots", "expected a list with one object per returned ballot")
    keys = offices | {tally.INVALID}
    for i, ballot in enumerate(given):
        if type(ballot) is not dict:
            raise _Problem(f"ballots[{i}]", "expected an object")
        if not keys.issuperset(ballot):
            unknown = next(k for k in ballot if k not in keys)
            raise _Problem(f"ballots[{i}]", f"no such office {unknown!r}")
        for key, section in ballot.items():
            if key == tally.INVALID:
                if type(section) is not bool:
                    raise _Problem(f"ballots[{i}].invalid", f"expected true, got {section!r}")
            elif type(section) is list:
                for who in section:
                    if type(who) is not str or not who:
                        raise _Problem(f"ballots[{i}].{key}", f"not a name or id: {who!r}")
            elif section is not None:
                raise _Problem(f"ballots[{i}].{key}", "expected a list of names or ids, or null")
    return given


def _counts(given: object, offices: set[str]) -> dict:
    if not isinstance(given, dict):
        raise _Problem("counts", "expected an object: office → {who: votes}")
    for office, per_person in given.items():
        if office not in offices:
            raise _Problem("counts", f"no such office {office!r}")
        if not isinstance(per_person, dict):
            raise _Problem(f"counts.{office}", "expected an object: who → votes")
        for who, n in per_person.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise _Problem(f"counts.{office}.{who}", f"expected a whole number ≥ 0, got {n!r}")
    return given


def vote_of(data: object) -> tally.Vote:
    """The :class:`~huanjie.rules.tally.Vote` a CONTRACTS §4 document describes."""
    if not isinstance(data, Mapping):
        raise _Problem("(top level)", "expected a JSON object")
    name = data.get("profile", "national")
    if name not in PROFILES:
        raise _Problem("profile", f"expected one of {', '.join(PROFILES)}, got {name!r}")
    overrides = data.get("overrides", {})
    if not isinstance(overrides, Mapping):
        raise _Problem("overrides", "expected an object of parameters")
    try:
        profile = apply_overrides(PROFILES[name], overrides)
    except ProfileError as exc:
        raise _Problem(f"overrides.{exc.parameter}", exc.problem) from None
    kind = _choice(data, "kind", KINDS, "committee")
    default_mode = "cascade" if profile.cascade_counting and kind == "committee" else "separate"
    mode = _choice(data, "mode", MODES, default_mode)
    if mode == "cascade" and kind == "party":
        raise _Problem("mode", "cascade counting applies to 居/村委会 elections only")
    offices = _offices(data)
    office_ids = {o.id for o in offices}
    ballots = counts = None
    if ("ballots" in data) == ("counts" in data):
        raise _Problem("ballots", 'give either "ballots" or "counts"')
    if "ballots" in data:
        ballots = _ballots(data["ballots"], office_ids)
    else:
        if mode == "cascade":
            raise _Problem("counts", 'cascade counting needs "ballots", not totals')
        counts = _counts(data["counts"], office_ids)
    returned = _whole(data, "ballots_returned")
    if ballots is not None and len(ballots) != returned:
        raise _Problem(
            "ballots", f"{len(ballots)} ballots given but ballots_returned is {returned}"
        )
    present = _whole(data, "present", required=kind == "party")
    sexes = data.get("write_in_sex", {})
    if not isinstance(sexes, Mapping) or any(s not in SEXES for s in sexes.values()):
        raise _Problem("write_in_sex", 'expected an object: name → "F" or "M"')
    return tally.Vote(
        offices=offices,
        electorate=_whole(data, "electorate"),
        ballots_issued=_whole(data, "ballots_issued"),
        ballots_returned=returned,
        candidates=_candidates(data, office_ids),
        ballots=ballots,
        counts=counts,
        profile=profile,
        kind=kind,
        round=_choice(data, "round", ROUNDS, "first"),
        mode=mode,
        present=present,
        write_in_sex=dict(sexes),
    )


def run(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        if argv[:1] in (["-h"], ["--help"]):
            print(USAGE)
            return 0
        raise BadInput(USAGE)
    path = Path(argv[0])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    try:
        vote = vote_of(data)
    except _Problem as exc:
        raise BadInput(f"{path}: {exc}") from None
    json.dump(tally.count(vote).as_json(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
