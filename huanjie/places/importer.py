"""Reading a list of places from a spreadsheet and checking it row by row.

Township offices keep their villages and groups in Excel; the file is read by
``huanjie.tables`` (XLSX, or CSV in UTF-8 or GBK). Every problem is reported with the
file, the row as Excel numbers it (the header is row 1) and the column as the file
names it, so the clerk can find and fix it; the checks run over the whole file before
anything is written, because a half-imported tree is worse than none (the import is
all-or-nothing, see ``huanjie.places.services``).

Nothing here touches the database or HTTP: the places that already exist come in as a
mapping, so the rules can be tested and reused by the web page and the command alike.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huanjie.places.models import CHILD_KINDS, LEVELS, PREFIX_LENGTH, Kind, codes_above

# The reading is shared with the residents import; services use it from here.
from huanjie.tables import FileError, Problem, read_table  # noqa: F401

# The columns, by the names a file may use for them (compared without case or spaces).
COLUMNS = {
    "code": ("代码", "区划代码", "统计用区划代码", "code"),
    "name": ("名称", "name"),
    "kind": ("类型", "kind"),
    "parent": ("上级代码", "parent", "parent_code"),
    "population": ("人口", "population"),
    "households": ("户数", "households"),
}
REQUIRED = ("code", "name", "kind")

# Kinds as the offices write them, and the model's own values.
KIND_WORDS = {
    "省": Kind.PROVINCE,
    "市": Kind.CITY,
    "县": Kind.COUNTY,
    "区": Kind.COUNTY,
    "县/区": Kind.COUNTY,
    "县区": Kind.COUNTY,
    "县级市": Kind.COUNTY,
    "乡": Kind.TOWNSHIP,
    "镇": Kind.TOWNSHIP,
    "乡/镇": Kind.TOWNSHIP,
    "乡镇": Kind.TOWNSHIP,
    "街道": Kind.STREET,
    "村": Kind.VILLAGE,
    "社区": Kind.COMMUNITY,
    "小组": Kind.GROUP,
    "村民小组": Kind.GROUP,
    "居民小组": Kind.GROUP,
} | {kind.value: kind for kind in Kind}

# The code lengths at which a level of the hierarchy ends, top down (GB/T 10114).

DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Row:
    """A checked row. ``population`` and ``households`` are None when the cell was
    empty: a new place then starts at 0, an existing one keeps its numbers."""

    number: int
    code: str
    name: str
    kind: Kind
    parent: str | None
    population: int | None
    households: int | None


@dataclass(frozen=True)
class Known:
    """What the checks need to know of a place that is already in the database."""

    code: str
    kind: str


def _header_map(header: list[str]) -> dict[str, tuple[int, str]]:
    """Which column of the file holds each field, and the file's name for it."""
    wanted = {
        alias.replace(" ", "").lower(): field
        for field, aliases in COLUMNS.items()
        for alias in aliases
    }
    found = {}
    for index, title in enumerate(header):
        field = wanted.get(title.replace(" ", "").lower())
        if field and field not in found:
            found[field] = (index, title)
    return found


def derived_parent(code: str, kind: str) -> str | None:
    """The parent's code that the code itself implies: the code cut at the level above
    and padded with zeros (a group's parent is its first 12 digits)."""
    above = codes_above(code[: PREFIX_LENGTH[kind]])
    return above[-1] if above else None


def referenced_codes(table: list[list[str]]) -> set[str]:
    """Every code the table mentions (its places and their parents, given or implied by
    the code), so the caller can fetch those that exist in one query before
    :func:`check`."""
    if not table:
        return set()
    columns = _header_map(table[0])
    codes = set()
    for cells in table[1:]:
        for field in ("code", "parent"):
            index = columns.get(field, (len(cells),))[0]
            value = cells[index] if index < len(cells) else ""
            if DIGITS.fullmatch(value):
                codes.add(value)
                codes.update(codes_above(value))
    return codes


def check(
    table: list[list[str]],
    name: str,
    known: Mapping[str, Known],
    scope_prefix: str | None = None,
) -> tuple[list[Row], list[Problem]]:
    """Check the cells of a table whose first row is the header."""
    if not table or not any(table[0]):
        return [], [Problem(name, None, None, _("the file is empty"))]
    columns = _header_map(table[0])
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in columns]
    if missing:
        return [], [
            Problem(name, 1, column, _("this column is missing from the header"))
            for column in missing
        ]

    rows: list[Row] = []
    problems: list[Problem] = []
    # Places of the file by code, with the row that first gave each.
    in_file: dict[str, tuple[int, str]] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row_problems: list[Problem] = []

        def cell(field, cells=cells):
            if field not in columns:
                return ""
            index = columns[field][0]
            return cells[index].strip() if index < len(cells) else ""

        def problem(field, message, number=number, row_problems=row_problems):
            column = columns[field][1] if field in columns else COLUMNS[field][0]
            row_problems.append(Problem(name, number, column, message))

        code = cell("code")
        place_name = cell("name")
        kind_text = cell("kind")
        parent_text = cell("parent")

        kind = KIND_WORDS.get(kind_text) or KIND_WORDS.get(kind_text.lower())
        if not kind_text:
            problem("kind", _("the kind is empty"))
        elif kind is None:
            problem(
                "kind",
                _("unknown kind “%(kind)s” (use 县/区, 乡/镇, 街道, 村, 社区 or 小组)")
                % {"kind": kind_text},
            )

        if not place_name:
            problem("name", _("the name is empty"))
        elif len(place_name) > 100:
            problem("name", _("the name is longer than 100 characters"))

        code_ok = _check_code(code, kind, problem)
        if code_ok and code in in_file:
            problem(
                "code",
                _("code %(code)s appears twice in the file (first in row %(row)s)")
                % {"code": code, "row": in_file[code][0]},
            )
            code_ok = False
        if code_ok and kind is not None and code in known and known[code].kind != kind:
            problem(
                "kind",
                _("%(code)s already exists as %(existing)s; the kind of a place cannot change")
                % {"code": code, "existing": Kind(known[code].kind).label},
            )
        if code_ok and scope_prefix is not None and not code.startswith(scope_prefix):
            problem("code", _("%(code)s is outside the area you may change") % {"code": code})

        parent = None
        if code_ok and kind is not None:
            parent = _check_parent(code, kind, parent_text, known, in_file, problem)

        population = _number(cell("population"), "population", problem)
        households = _number(cell("households"), "households", problem)

        if code_ok and kind is not None:
            # Later rows may hang below this one even if it has other problems, so that
            # one mistake is not reported again for every place under it.
            in_file[code] = (number, kind)
        if row_problems:
            problems += row_problems
        else:
            rows.append(Row(number, code, place_name, kind, parent, population, households))
    if not rows and not problems:
        problems.append(Problem(name, None, None, _("the file has no places in it")))
    return rows, problems


def _check_code(code: str, kind, problem) -> bool:
    if not code:
        problem("code", _("the code is empty"))
        return False
    want = 15 if kind == Kind.GROUP else 12
    if not DIGITS.fullmatch(code) or len(code) not in (12, 15):
        problem(
            "code",
            _("“%(code)s” is not an area code: it must be 12 digits (15 for a group)")
            % {"code": code},
        )
        return False
    if kind is None:
        return True
    if len(code) != want:
        problem(
            "code",
            _("a %(kind)s has a code of %(length)s digits, not %(actual)s")
            % {"kind": Kind(kind).label, "length": want, "actual": len(code)},
        )
        return False
    length = PREFIX_LENGTH[kind]
    above = max([n for n in LEVELS if n < length], default=0)
    own, rest = code[above:length], code[length:12]
    if set(own) == {"0"} or (rest and set(rest) != {"0"}):
        problem(
            "code",
            _(
                "%(code)s does not fit a %(kind)s: digits %(first)s–%(last)s must not all "
                "be 0 and the digits after them must be 0"
            )
            % {"code": code, "kind": Kind(kind).label, "first": above + 1, "last": length},
        )
        return False
    return True


def _check_parent(code, kind, parent_text, known, in_file, problem) -> str | None:
    """The parent's code, checked; None for a place at the top of the tree."""
    derived = derived_parent(code, kind)
    if parent_text:
        parent = parent_text
        if not DIGITS.fullmatch(parent) or len(parent) != 12:
            problem(
                "parent",
                _("“%(code)s” is not an area code of 12 digits") % {"code": parent},
            )
            return None
    elif derived and (derived in known or derived in in_file):
        parent = derived
    elif kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY):
        return None  # the top of a county's tree needs no parent
    else:
        problem(
            "parent",
            _(
                "the parent %(code)s is neither in the database nor in an earlier row; "
                "give it in this column or add it above"
            )
            % {"code": derived},
        )
        return None
    if parent in in_file:
        parent_kind = in_file[parent][1]
    elif parent in known:
        parent_kind = known[parent].kind
    else:
        problem(
            "parent",
            _("the parent %(code)s is neither in the database nor in an earlier row")
            % {"code": parent},
        )
        return None
    if kind not in CHILD_KINDS[parent_kind]:
        problem(
            "parent",
            _("a %(kind)s cannot stand below a %(parent_kind)s (%(code)s)")
            % {
                "kind": Kind(kind).label,
                "parent_kind": Kind(parent_kind).label,
                "code": parent,
            },
        )
        return None
    prefix = parent[: PREFIX_LENGTH[parent_kind]]
    if not code.startswith(prefix):
        problem(
            "code",
            _("%(code)s does not start with %(prefix)s, the code of its parent %(parent)s")
            % {"code": code, "prefix": prefix, "parent": parent},
        )
        return None
    return parent


def _number(text: str, field: str, problem) -> int | None:
    if not text:
        return None
    if not DIGITS.fullmatch(text):
        problem(field, _("“%(value)s” is not a whole number of 0 or more") % {"value": text})
        return None
    value = int(text)
    if value > 2_147_483_647:
        problem(field, _("%(value)s is too large") % {"value": text})
        return None
    return value
