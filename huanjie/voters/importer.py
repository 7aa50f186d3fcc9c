"""Bringing a residents file into a cycle: the public-security household export (户籍
数据) or the community's own list, as CSV or XLSX in the columns of CONTRACTS §3.

The import is all-or-nothing (DOMAIN §4 and the house rule for imports). Every row is
checked before anything is written, and every problem is reported — row as Excel
numbers it, column as the file names it, and what is wrong — because a clerk fixing a
file of ten thousand people wants the whole list at once, and a roll built from half a
file is worse than none. A rejected file is still recorded (:class:`ResidentImport`
with its problems), so its error report can be downloaded later and the attempt is on
the record.

A good file is written in one transaction: the residents are upserted by ID number in
bulk (a temporary table filled by COPY on PostgreSQL or ``executemany`` on SQLite,
then one ``INSERT … SELECT … ON CONFLICT``), the people the target's records no longer
list are marked as out of the records, and the rolls of the target are rebuilt by
:func:`huanjie.voters.rolls.build`, which stores the 四增四减 since the last roll. Age
and sex come from the ID number, never from a column.

:func:`check` touches neither the database nor HTTP: what it needs to know of the places
comes in as :class:`Places`, so the checks can be tested alone and reused.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie import residents_file
from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.places.models import ELECTING_KINDS, Kind, Place
from huanjie.rules import changes, identity
from huanjie.tables import FileError, Problem, read_rows
from huanjie.voters import rolls
from huanjie.voters.models import Education, Resident, ResidentImport

# -- the columns ----------------------------------------------------------------------

#: The columns of CONTRACTS §3, all required (a cell may be empty where §3 allows it).
REQUIRED = tuple(residents_file.COLUMNS.values())
#: Columns a household export or a committee's list may add; an empty cell (or a
#: missing column) leaves what the records already say.
OPTIONAL = ("民族", "文化程度", "小组", "户号", "变动情况")
COLUMNS = REQUIRED + OPTIONAL

#: 文化程度 as offices write it, to the model's bands (DOMAIN §11).
EDUCATION = {
    "研究生": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "大学": Education.BACHELOR,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "高中/中专": Education.HIGH_SCHOOL,
    "高中、中专": Education.HIGH_SCHOOL,
    "高中（中专）": Education.HIGH_SCHOOL,
    "高中(中专)": Education.HIGH_SCHOOL,
    "高中": Education.HIGH_SCHOOL,
    "中专": Education.HIGH_SCHOOL,
    "中技": Education.HIGH_SCHOOL,
    "技校": Education.HIGH_SCHOOL,
    "职高": Education.HIGH_SCHOOL,
    "初中及以下": Education.MIDDLE_SCHOOL,
    "初中": Education.MIDDLE_SCHOOL,
    "小学": Education.MIDDLE_SCHOOL,
    "文盲": Education.MIDDLE_SCHOOL,
    "半文盲": Education.MIDDLE_SCHOOL,
    "不识字或识字很少": Education.MIDDLE_SCHOOL,
} | {band.value: band for band in Education}
#: The same, as the plain strings stored (an enum's ``.value`` costs a call per row).
EDUCATION_VALUES = {word: band.value for word, band in EDUCATION.items()}

YES_NO = residents_file.YES_NO
INTENTS = {value: intent.value for value, intent in residents_file.INTENTS.items()}

#: The fields written for each good row, in the order of the tuples :func:`check`
#: returns. ``ethnicity``, ``education`` and ``household_number`` are "" and
#: ``group_id`` None where the file does not say; ``in_records`` is false only for a
#: row whose 变动情况 says the person died.
FIELDS = (
    "id_number",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "household_code",
    "residence_code",
    "staff_code",
    "group_id",
    "household_number",
    "lives_since",
    "deprived_of_rights",
    "incapacitated",
    "intent",
    "approved",
    "in_records",
)

NAME_LENGTH = Resident._meta.get_field("name").max_length
ETHNICITY_LENGTH = Resident._meta.get_field("ethnicity").max_length
HOUSEHOLD_NUMBER_LENGTH = Resident._meta.get_field("household_number").max_length

#: 变动情况 that take a person out of the records although the file lists them.
DIED = frozenset(word for word, change in changes.HINTS.items() if change == changes.Change.DIED)

#: More problems than this are counted, not listed: a file in the wrong layout would
#: otherwise produce an error report as large as itself.
MAX_PROBLEMS = 50_000

#: SQLite's page cache during an import (the default is 2 MB).
SQLITE_CACHE_KIB = 512 * 1024


def template_csv() -> bytes:
    """An empty residents file with the header, for a committee to fill in (UTF-8 with
    the BOM, so that Excel opens it with the Chinese intact)."""
    return ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8")


# -- the checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """What the checks need to know of the places.

    ``target_prefix`` selects the place or township the file is imported for;
    ``county_prefix`` the cycle's county, whose codes must be its villages and
    communities (``electing``). A code outside the county is a migrant's place
    elsewhere, which the system does not hold. Groups are found by (place code, name)
    or by their own code.
    """

    target_prefix: str
    target_name: str
    county_prefix: str
    county_name: str
    electing: frozenset[str]
    groups_by_name: Mapping[tuple[str, str], int] = field(default_factory=dict)
    groups_by_code: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Checked:
    """The outcome of the checks: the good rows (tuples in the order of
    :data:`FIELDS`), the 变动情况 of those that have one, and every problem."""

    rows: list[tuple] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    count: int = 0
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def id_messages() -> dict[str | None, str]:
    """What is wrong with an ID number, in the user's language, for each reason
    :func:`huanjie.rules.identity.check_id` gives (None: the cell is empty)."""
    return {
        None: _("the ID number is empty"),
        "length": _("the ID number must have 18 characters"),
        "characters": _("the ID number may only hold digits and a final X"),
        "region": _("the ID number does not start with the code of a province"),
        "birth_date": _("the birth date in the ID number is not a possible date"),
        "check_digit": _("wrong check digit in the ID number"),
    }


def check(rows: Iterable[list[str]], name: str, places: Places, today: date) -> Checked:
    """Check the rows of a residents file whose first row is the header.

    Written for speed as much as for clarity — a household export of a county has a
    million rows — so the cells are taken by index and each problem's text is made
    only when there is a problem.
    """
    out = Checked()
    rows = iter(rows)
    header = next(rows, None)
    if not header or not any(header):
        out.problems.append(Problem(name, None, None, _("the file is empty")))
        return out
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        index.setdefault(title.strip().lstrip("\ufeff"), i)
    missing = [column for column in REQUIRED if column not in index]
    if missing:
        out.problems.extend(
            Problem(name, 1, column, _("this column is missing from the header"))
            for column in missing
        )
        return out
    width = max(index.values()) + 1
    (
        i_name,
        i_id,
        i_household,
        i_residence,
        i_since,
        i_deprived,
        i_incapacitated,
        i_intent,
        i_approved,
        i_staff,
    ) = (index[column] for column in REQUIRED)
    i_ethnicity, i_education, i_group, i_number, i_hint = (index.get(column) for column in OPTIONAL)

    problems = out.problems
    good = out.rows
    hints = out.hints
    seen: dict[str, int] = {}
    messages = id_messages()
    target_prefix, county_prefix = places.target_prefix, places.county_prefix
    electing = places.electing
    check_id = identity.check_id
    yes_no = YES_NO
    yes_no_message = _("write 是 or 否, or leave it empty")
    education_values = EDUCATION_VALUES
    intents = INTENTS
    hint_words = changes.HINTS
    died = DIED
    count = 0
    more = 0

    def problem(row: int, column: str, message: str) -> None:
        nonlocal more
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(name, row, column, message))
        else:
            more += 1

    def code_problem(row: int, column: str, code: str, required: bool) -> bool:
        """Whether the code is wrong (and say why); for the common good code this is
        not called at all."""
        if not code:
            if required:
                problem(row, column, _("the code is empty"))
                return True
            return False
        if len(code) != 12 or not code.isascii() or not code.isdigit():
            problem(row, column, _("“%(code)s” is not a code of 12 digits") % {"code": code})
            return True
        if code.startswith(county_prefix) and code not in electing:
            problem(
                row,
                column,
                _("%(code)s is not a village or community of %(county)s")
                % {"code": code, "county": places.county_name},
            )
            return True
        return False

    for number, cells in enumerate(rows, start=2):
        if len(cells) < width:
            if not any(cells):
                continue
            cells = cells + [""] * (width - len(cells))
        elif not cells[i_id] and not any(cells):
            continue
        count += 1
        bad = len(problems) + more

        person = cells[i_name]
        if not person:
            problem(number, "姓名", _("the name is empty"))
        elif len(person) > NAME_LENGTH:
            problem(
                number,
                "姓名",
                _("the text is longer than %(n)s characters") % {"n": NAME_LENGTH},
            )

        text = cells[i_id]
        checked = check_id(text, today) if text else None
        id_number = ""
        if checked is None or not checked.valid:
            problem(number, "公民身份号码", messages[checked.reason if checked else None])
        else:
            id_number = checked.number
            first = seen.get(id_number)
            if first is None:
                seen[id_number] = number
            else:
                problem(
                    number,
                    "公民身份号码",
                    _("the same ID number as row %(row)s") % {"row": first},
                )

        household = cells[i_household]
        residence = cells[i_residence]
        staff = cells[i_staff]
        # The usual codes are the county's own villages and communities; only others
        # (empty, malformed, a migrant's place elsewhere) need a closer look.
        codes_ok = True
        if household not in electing and code_problem(number, "户籍地代码", household, True):
            codes_ok = False
        if residence not in electing and code_problem(number, "居住地代码", residence, True):
            codes_ok = False
        if staff and staff not in electing and code_problem(number, "专职工作社区", staff, False):
            codes_ok = False
        # 变动情况: why someone arrived or left. A row saying that the person left (迁出,
        # 婚出, 参军, 死亡) may give their new places outside the target.
        hint = cells[i_hint] if i_hint is not None else ""
        leaving = False
        if hint:
            kind = hint_words.get(hint)
            if kind is None:
                problem(
                    number,
                    "变动情况",
                    _("unknown change “%(value)s” (write %(values)s, or leave it empty)")
                    % {"value": hint, "values": "、".join(hint_words)},
                )
            else:
                leaving = not kind.added
        if (
            codes_ok
            and not leaving
            and not (
                household.startswith(target_prefix)
                or residence.startswith(target_prefix)
                or (staff and staff.startswith(target_prefix))
            )
        ):
            problem(
                number,
                "户籍地代码",
                _("neither 户籍地, 居住地 nor 专职工作社区 is in %(target)s")
                % {"target": places.target_name},
            )

        since_text = cells[i_since]
        since = None
        if since_text:
            since = residents_file.iso_date(since_text)
            if since is None:
                problem(number, "居住起始日期", _("the date must be written YYYY-MM-DD"))
            elif since > today:
                problem(number, "居住起始日期", _("the date is later than today"))

        deprived = yes_no.get(cells[i_deprived])
        if deprived is None:
            problem(number, "剥夺政治权利", yes_no_message)
        incapacitated = yes_no.get(cells[i_incapacitated])
        if incapacitated is None:
            problem(number, "无法行使选举权", yes_no_message)
        approved = yes_no.get(cells[i_approved])
        if approved is None:
            problem(number, "会议同意", yes_no_message)

        intent = intents.get(cells[i_intent])
        if intent is None:
            problem(number, "参选意愿", _("write 参加, 不参加 or 联系不上, or leave it empty"))

        ethnicity = cells[i_ethnicity] if i_ethnicity is not None else ""
        if len(ethnicity) > ETHNICITY_LENGTH:
            problem(
                number,
                "民族",
                _("the text is longer than %(n)s characters") % {"n": ETHNICITY_LENGTH},
            )
        education = ""
        if i_education is not None and cells[i_education]:
            education = education_values.get(cells[i_education], "")
            if not education:
                problem(
                    number,
                    "文化程度",
                    _(
                        "unknown education “%(value)s” "
                        "(write 研究生, 本科, 大专, 高中/中专 or 初中及以下)"
                    )
                    % {"value": cells[i_education]},
                )
        household_number = cells[i_number] if i_number is not None else ""
        if len(household_number) > HOUSEHOLD_NUMBER_LENGTH:
            problem(
                number,
                "户号",
                _("the text is longer than %(n)s characters") % {"n": HOUSEHOLD_NUMBER_LENGTH},
            )
        group = None
        if i_group is not None and cells[i_group]:
            group = _group(cells[i_group], residence, household, places)
            if group is None:
                problem(
                    number,
                    "小组",
                    _("no group “%(group)s” in %(places)s")
                    % {
                        "group": cells[i_group],
                        "places": "、".join(dict.fromkeys((residence, household))),
                    },
                )
        if len(problems) + more == bad:
            good.append(
                (
                    id_number,
                    person,
                    checked.sex,
                    checked.birth_date.isoformat(),
                    ethnicity,
                    education,
                    household,
                    residence,
                    staff,
                    group,
                    household_number,
                    since_text or None,
                    deprived,
                    incapacitated,
                    intent,
                    approved,
                    hint not in died,
                )
            )
            if hint:
                hints[id_number] = hint

    out.count = count
    out.more_problems = more
    if more:
        problems.append(
            Problem(
                name,
                None,
                None,
                _("%(n)s more problems are not listed") % {"n": more},
            )
        )
    if not count and not problems:
        problems.append(Problem(name, None, None, _("the file has no residents in it")))
    return out


def _group(text: str, residence: str, household: str, places: Places) -> int | None:
    """The group a 小组 cell names: its 15-digit code, or its name under the place
    where the person lives, or else under the place of the household."""
    if text in places.groups_by_code:
        code_place = text[:12]
        if code_place in (residence, household):
            return places.groups_by_code[text]
        return None
    for code in (residence, household):
        found = places.groups_by_name.get((code, text))
        if found is not None:
            return found
    return None


def places_for(cycle, target: Place) -> Places:
    """What :func:`check` needs to know of the places, read in three queries."""
    county = cycle.county
    electing = frozenset(Place.objects.within(county).electing().values_list("code", flat=True))
    by_name, by_code = {}, {}
    for pk, code, group_name in (
        Place.objects.within(county).filter(kind=Kind.GROUP).values_list("id", "code", "name")
    ):
        by_code[code] = pk
        by_name.setdefault((code[:12], group_name), pk)
    return Places(
        target_prefix=target.prefix,
        target_name=target.name,
        county_prefix=county.prefix,
        county_name=county.name,
        electing=electing,
        groups_by_name=by_name,
        groups_by_code=by_code,
    )


# -- writing --------------------------------------------------------------------------

_TEMP = "huanjie_resident_import"
_TEMP_COLUMNS = (
    ("id_number", "varchar(18)"),
    ("name", "varchar(50)"),
    ("sex", "varchar(1)"),
    ("birth_date", "date"),
    ("ethnicity", "varchar(20)"),
    ("education", "varchar(20)"),
    ("household_code", "varchar(15)"),
    ("residence_code", "varchar(15)"),
    ("staff_code", "varchar(15)"),
    ("group_id", "bigint"),
    ("household_number", "varchar(20)"),
    ("lives_since", "date"),
    ("deprived_of_rights", "boolean"),
    ("incapacitated", "boolean"),
    ("intent", "varchar(10)"),
    ("approved", "boolean"),
    ("in_records", "boolean"),
)
assert tuple(c for c, _t in _TEMP_COLUMNS) == FIELDS

#: What a file's row becomes: its own values, except that an optional cell left empty
#: keeps what the records say (民族, 文化程度), and a group or household number not
#: given is kept only while the person stays where they were.
_MERGED = {
    "ethnicity": "COALESCE(NULLIF(t.ethnicity, ''), r.ethnicity, '汉族')",
    "education": "COALESCE(NULLIF(t.education, ''), r.education, '')",
    "group_id": (
        "CASE WHEN t.group_id IS NOT NULL THEN t.group_id"
        " WHEN r.household_code = t.household_code AND r.residence_code = t.residence_code"
        " THEN r.group_id END"
    ),
    "household_number": (
        "CASE WHEN t.household_number <> '' THEN t.household_number"
        " WHEN r.household_code = t.household_code THEN r.household_number ELSE '' END"
    ),
}


@dataclass
class Written:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    left_records: int = 0


def write(rows: list[tuple], batch: ResidentImport, target: Place) -> Written:
    """Upsert the checked rows by ID number, mark the people of the target that the
    file no longer lists as out of the records, and say how many of each.

    Plain SQL rather than the ORM, because a county's file is a million rows: the rows
    go into a temporary table (COPY on PostgreSQL, ``executemany`` on SQLite), and one
    ``INSERT … SELECT … ON CONFLICT`` merges them with what the records hold. A person
    whose record the file leaves as it was is not rewritten — a re-imported county file
    changes a few thousand records, not a million — so ``batch`` names the import that
    last changed a record.
    """
    table = connection.ops.quote_name(Resident._meta.db_table)
    postgres = connection.vendor == "postgresql"
    temp = _TEMP if postgres else f"temp.{_TEMP}"
    rows.sort(key=itemgetter(0))  # the unique index is then filled in order
    written = (*FIELDS, "batch_id")
    values = [_MERGED.get(f, f"t.{f}") for f in FIELDS] + ["%s"]
    compared = [f for f in written if f not in ("id_number", "batch_id")]
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        if postgres:
            columns = ", ".join(f"{c} {t}" for c, t in _TEMP_COLUMNS)
            cursor.execute(f"CREATE TEMPORARY TABLE {_TEMP} ({columns}) ON COMMIT DROP")
            with cursor.copy(f"COPY {_TEMP} ({', '.join(FIELDS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {_TEMP}")
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {_TEMP} ({', '.join(FIELDS)})")
            cursor.executemany(
                f"INSERT INTO {_TEMP} VALUES ({', '.join(['%s'] * len(FIELDS))})", rows
            )
            cursor.execute(f"CREATE UNIQUE INDEX temp.{_TEMP}_id ON {_TEMP} (id_number)")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        before = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(written)}) "
            f"SELECT {', '.join(values)} FROM {_TEMP} t "
            f"LEFT JOIN {table} r ON r.id_number = t.id_number WHERE true "
            f"ON CONFLICT (id_number) DO UPDATE SET "
            + ", ".join(f"{f} = excluded.{f}" for f in written if f != "id_number")
            + f" WHERE ({', '.join(f'{table}.{f}' for f in compared)}) {differs} "
            f"({', '.join(f'excluded.{f}' for f in compared)})",
            [batch.id],
        )
        changed = cursor.rowcount
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        new = cursor.fetchone()[0] - before
        relevant = " OR ".join(
            f"{column} LIKE %s" for column in ("household_code", "residence_code", "staff_code")
        )
        cursor.execute(
            f"UPDATE {table} SET in_records = %s WHERE in_records AND ({relevant}) "
            f"AND NOT EXISTS (SELECT 1 FROM {_TEMP} t WHERE t.id_number = {table}.id_number)",
            [False, *[target.prefix + "%"] * 3],
        )
        left = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return Written(new=new, updated=changed - new, unchanged=len(rows) - changed, left_records=left)


# -- the import -----------------------------------------------------------------------


def import_target(cycle, target: Place) -> None:
    """The target must be in the cycle's county and hold villages or communities:
    one of them, or a township, street or the county itself."""
    if not cycle.county.contains(target) or target.kind == Kind.GROUP:
        raise Http404
    if target.kind not in ELECTING_KINDS and not Place.objects.within(target).electing().exists():
        raise Http404


def import_residents(
    user,
    cycle,
    target: Place,
    name: str,
    data: bytes,
    *,
    today: date | None = None,
    timings: dict[str, float] | None = None,
) -> ResidentImport:
    """Import a residents file into ``cycle`` for ``target`` (a village or community, or
    every one of a township or the county), all or nothing.

    Returns the :class:`ResidentImport`: ``rejected`` with every problem and nothing
    else written, or ``applied`` with the counts in ``summary`` and the 四增四减 as its
    ``changes``. A roll already posted refuses the import
    (:class:`~huanjie.cycles.services.RuleViolation`, from
    :func:`~huanjie.voters.rolls.require_unpublished`); so does a place without its
    election day. ``timings`` (if given) receives the seconds of each phase.
    """
    permissions.require(user, permissions.REGISTER_VOTERS, target)
    import_target(cycle, target)
    with _bulk_work():
        return _import(user, cycle, target, name, data, today or timezone.localdate(), timings)


def _import(user, cycle, target, name, data, today, timings) -> ResidentImport:
    timings = timings if timings is not None else {}
    clock = _Clock(timings)
    rolls.require_unpublished(cycle, rolls.scope_places(target))
    digest = hashlib.sha256(data).hexdigest()

    places = places_for(cycle, target)
    try:
        checked = check(read_rows(data, name), name, places, today)
    except FileError as exc:
        checked = Checked(problems=[Problem(name, None, None, str(exc))])
    clock("check")
    if not checked.ok:
        return _reject(user, cycle, target, name, digest, checked)

    with transaction.atomic():
        rolls.require_unpublished(cycle, rolls.scope_places(target))
        before = rolls.snapshot(cycle, target)
        clock("snapshot")
        batch = ResidentImport.objects.create(
            cycle=cycle,
            place=target,
            file_name=name[:200],
            sha256=digest,
            rows=checked.count,
            status=ResidentImport.Status.APPLIED,
            user=user,
        )
        written = write(checked.rows, batch, target)
        clock("write")
        built = rolls.build(
            user, cycle, target, batch=batch, before=before, hints=checked.hints, today=today
        )
        clock("build")
        batch.summary = {
            "rows": checked.count,
            "new": written.new,
            "updated": written.updated,
            "unchanged": written.unchanged,
            "left_records": written.left_records,
            **built.as_dict(),
        }
        batch.save(update_fields=["summary"])
        record(
            user,
            "voters.residents_imported",
            batch,
            after={**batch.summary, "file": batch.file_name, "sha256": digest},
            place=target,
        )
    clock("commit")  # PostgreSQL checks the deferred foreign keys of every new row here
    return batch


@contextmanager
def _bulk_work():
    """Settings for a million-row import, for its duration only.

    Python's cyclic garbage collector would walk every one of the million row tuples
    again and again as they are made (they hold no cycles), and SQLite's default page
    cache of 2 MB is far smaller than the indexes of the residents and voters tables,
    so every insert would read pages back from the file.
    """
    enabled = gc.isenabled()
    gc.disable()
    size = None
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                size = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        yield
    finally:
        if size is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(size)}")
        if enabled:
            gc.enable()


def _reject(user, cycle, target, name, digest, checked: Checked) -> ResidentImport:
    with transaction.atomic():
        batch = ResidentImport.objects.create(
            cycle=cycle,
            place=target,
            file_name=name[:200],
            sha256=digest,
            rows=checked.count,
            status=ResidentImport.Status.REJECTED,
            errors=[[p.row, p.column, p.problem] for p in checked.problems],
            user=user,
        )
        record(
            user,
            "voters.residents_rejected",
            batch,
            after={
                "file": batch.file_name,
                "sha256": digest,
                "rows": checked.count,
                "problems": len(checked.problems) + checked.more_problems,
            },
            place=target,
        )
    return batch


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = now - self.last
        self.last = now
