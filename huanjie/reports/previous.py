"""The committees of the previous term (上届“两委”), for comparison (DOMAIN §11).

The statistics compare the new committees "with the previous term": their sex, age,
education and party membership, and who is re-elected and who is new. The system did
not run that term, so its members come from the townships' lists, one file per
township or for the whole county, as CSV or XLSX (:data:`COLUMNS`).

The import is all-or-nothing, like the other imports: every row is checked and if any
is wrong nothing is written and every problem is returned, naming file, row and
column. A place the file names has its previous members replaced by the file's (so a
corrected file is simply imported again); a place it does not name keeps its own.
Sex and birth date are read from the ID number, never typed, as for the residents.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie import residents_file
from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.places.models import Kind, Place
from huanjie.reports.models import PREVIOUS_BODIES, PreviousMember
from huanjie.rules import identity
from huanjie.rules.seats import OFFICES, Body
from huanjie.search import id_or_name
from huanjie.tables import FileError, Problem, header, read_rows
from huanjie.voters.importer import EDUCATION_VALUES, id_messages
from huanjie.voters.models import Education

__all__ = [
    "BODY_WORDS",
    "COLUMNS",
    "ImportOutcome",
    "import_previous",
    "members_within",
    "office_title",
    "previous_ids",
    "search",
    "template_xlsx",
]

#: Who may import: the township's and the county's election office.
CAPABILITY = permissions.EDIT_ELECTIONS

#: The columns of a file, by what they mean.
COLUMNS = {
    "place": "村(社区)",
    "body": "组织",
    "office": "职务",
    "name": "姓名",
    "id_number": "公民身份号码",
    "education": "文化程度",
    "ethnicity": "民族",
    "party_member": "中共党员",
}
#: Other headings offices use for a column.
ALIASES = {
    "村（社区）": "村(社区)",
    "村/社区": "村(社区)",
    "村社区": "村(社区)",
    "村(社区)代码": "村(社区)",
    "统计用区划代码": "村(社区)",
    "区划代码": "村(社区)",
    "所在组织": "组织",
    "班子": "组织",
    "身份证号码": "公民身份号码",
    "身份证号": "公民身份号码",
    "学历": "文化程度",
    "党员": "中共党员",
    "政治面貌": "中共党员",
}
REQUIRED = ("place", "body", "office", "name", "id_number")

#: 组织 as offices write it.
BODY_WORDS = {
    "村民委员会": Body.VILLAGERS_COMMITTEE,
    "村委会": Body.VILLAGERS_COMMITTEE,
    "村委": Body.VILLAGERS_COMMITTEE,
    "居民委员会": Body.RESIDENTS_COMMITTEE,
    "居委会": Body.RESIDENTS_COMMITTEE,
    "社区居委会": Body.RESIDENTS_COMMITTEE,
    "党组织委员会": Body.PARTY_COMMITTEE,
    "党组织": Body.PARTY_COMMITTEE,
    "党支部": Body.PARTY_COMMITTEE,
    "党总支": Body.PARTY_COMMITTEE,
    "党委": Body.PARTY_COMMITTEE,
    "支委": Body.PARTY_COMMITTEE,
    "支委会": Body.PARTY_COMMITTEE,
} | {body.value: body for body in PREVIOUS_BODIES}

#: 职务 as offices write it, per body; the office keys are taken too.
_PARTY_OFFICES = {
    "支部书记": "secretary",
    "党支部书记": "secretary",
    "党总支书记": "secretary",
    "党委书记": "secretary",
    "支部副书记": "deputy_secretary",
    "党总支副书记": "deputy_secretary",
    "党委副书记": "deputy_secretary",
    "支委": "member",
    "支部委员": "member",
    "党委委员": "member",
}
_COMMITTEE_OFFICES = {"村委会主任": "director", "居委会主任": "director", "成员": "member"}


def office_words(body: Body) -> dict[str, str]:
    words = {o.title_zh: o.key for o in OFFICES[body]} | {o.key: o.key for o in OFFICES[body]}
    extra = _PARTY_OFFICES if body == Body.PARTY_COMMITTEE else _COMMITTEE_OFFICES
    return words | extra


def office_title(body: str, key: str) -> str:
    """The Chinese title of an office key of ``body``."""
    return next((o.title_zh for o in OFFICES[Body(body)] if o.key == key), key)


#: 中共党员: 是/否, or the 政治面貌 written out.
PARTY_WORDS = residents_file.YES_NO | {
    "中共党员": True,
    "中共预备党员": True,
    "党员": True,
    "预备党员": True,
    "群众": False,
    "共青团员": False,
    "团员": False,
    "民主党派": False,
    "无党派人士": False,
}

#: The body a place elects besides its party committee.
COMMITTEE_OF = {Kind.VILLAGE: Body.VILLAGERS_COMMITTEE, Kind.COMMUNITY: Body.RESIDENTS_COMMITTEE}

MAX_PROBLEMS = 1000


# -- reading ---------------------------------------------------------------------------


def members_within(cycle, place: Place):
    """The previous members of ``place`` and the places below it, in list order."""
    return PreviousMember.objects.filter(
        cycle=cycle, place__code__startswith=place.prefix
    ).select_related("place")


def previous_ids(cycle, within: Place, body: str | None = None) -> set[str]:
    """The ID numbers of the previous term's members in ``within`` and below (of one
    ``body`` if given): what the statistics' "re-elected vs new" compares with."""
    found = PreviousMember.objects.filter(cycle=cycle, place__code__startswith=within.prefix)
    if body:
        found = found.filter(body=body)
    return set(found.values_list("id_number", flat=True))


def search(found, q: str):
    """Members whose name holds ``q``, or whose ID number is or ends with it."""
    return id_or_name(found, q)


def summary(found) -> dict:
    """How many, women, party members, by body."""
    totals = found.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex="F")),
        party=Count("id", filter=Q(party_member=True)),
        places=Count("place", distinct=True),
    )
    by_body = dict(found.values_list("body").annotate(n=Count("id")).order_by())
    totals["bodies"] = [(Body(b).title_zh, by_body.get(b.value, 0)) for b in PREVIOUS_BODIES]
    return totals


# -- the import ------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did, or, when ``problems`` is not empty, why it did nothing."""

    created: int = 0
    replaced: int = 0
    places: list[Place] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Places:
    """The villages and communities of the scope, found by code or by name."""

    def __init__(self, scope: Place):
        places = list(Place.objects.within(scope).electing())
        self.by_code = {p.code: p for p in places}
        self.by_name: dict[str, list[Place]] = {}
        for p in places:
            self.by_name.setdefault(p.name, []).append(p)
        self.scope = scope

    def find(self, text: str) -> tuple[Place | None, str | None]:
        if text in self.by_code:
            return self.by_code[text], None
        if text.isdigit():
            if Place.objects.filter(code=text).exists():
                return None, _("this place is not a village or community of %(scope)s") % {
                    "scope": self.scope.name
                }
            return None, _("no place has this code")
        named = self.by_name.get(text, [])
        if len(named) == 1:
            return named[0], None
        if len(named) > 1:
            return None, _("%(n)s places of %(scope)s have this name; write the area code") % {
                "n": len(named),
                "scope": self.scope.name,
            }
        return None, _("no village or community of %(scope)s has this name or code") % {
            "scope": self.scope.name
        }


def _check(rows: Iterable[list[str]], name: str, scope: Place, today: date):
    """The good rows (as unsaved members) and the problems of a file whose first row
    is the header."""
    problems: list[Problem] = []
    rows = iter(rows)
    index, wrong = header(rows, name, COLUMNS, REQUIRED, ALIASES)
    if wrong:
        return [], wrong
    places = _Places(scope)
    messages = id_messages()
    good: list[PreviousMember] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        cells = {k: cells[i] if i < len(cells) else "" for k, i in index.items()}
        before = len(problems)

        def problem(key, message, number=number):
            problems.append(Problem(name, number, COLUMNS[key], message))

        place, message = places.find(cells["place"]) if cells["place"] else (None, None)
        if not cells["place"]:
            problem("place", _("the village or community is empty"))
        elif place is None:
            problem("place", message)
        body = BODY_WORDS.get(cells["body"])
        if body is None:
            problem("body", _("write 村民委员会, 居民委员会 or 党组织委员会"))
        elif (
            place is not None and body != Body.PARTY_COMMITTEE and body != COMMITTEE_OF[place.kind]
        ):
            problem(
                "body",
                _("%(place)s elects a %(body)s, not this committee")
                % {"place": place.name, "body": COMMITTEE_OF[place.kind].title_zh},
            )
            body = None
        office = None
        if body is not None:
            office = office_words(body).get(cells["office"])
            if office is None:
                titles = "、".join(o.title_zh for o in OFFICES[body])
                problem("office", _("write one of %(titles)s") % {"titles": titles})
        person = cells["name"]
        if not person:
            problem("name", _("the name is empty"))
        elif len(person) > 50:
            problem("name", _("the text is longer than %(n)s characters") % {"n": 50})
        text = cells["id_number"]
        checked = identity.check_id(text, today) if text else None
        if checked is None or not checked.valid:
            problem("id_number", messages[checked.reason if checked else None])
        elif place is not None and body is not None:
            key = (place.pk, body, checked.number)
            if key in seen:
                problem(
                    "id_number",
                    _("the same person is in row %(row)s for the same committee")
                    % {"row": seen[key]},
                )
            else:
                seen[key] = number
        education = ""
        if cells.get("education"):
            education = EDUCATION_VALUES.get(cells["education"], "")
            if not education:
                problem(
                    "education",
                    _("write one of %(values)s")
                    % {"values": "研究生、本科、大专、高中/中专、初中及以下"},
                )
        ethnicity = cells.get("ethnicity") or "汉族"
        if len(ethnicity) > 20:
            problem("ethnicity", _("the text is longer than %(n)s characters") % {"n": 20})
        party_member = PARTY_WORDS.get(cells.get("party_member", ""))
        if party_member is None:
            problem("party_member", _("write 是 or 否, or leave it empty"))
        elif body == Body.PARTY_COMMITTEE:
            if cells.get("party_member") and not party_member:
                problem("party_member", _("a member of the party committee is a party member"))
            party_member = True
        if len(problems) == before:
            good.append(
                PreviousMember(
                    place=place,
                    body=body.value,
                    office=office,
                    name=person,
                    id_number=checked.number,
                    sex=checked.sex,
                    birth_date=checked.birth_date,
                    education=education,
                    ethnicity=ethnicity,
                    party_member=party_member,
                )
            )
        if len(problems) >= MAX_PROBLEMS:
            break
    if not good and not problems:
        return [], [Problem(name, None, None, _("the file has no members in it"))]
    return good, problems


def import_previous(
    user, cycle, scope: Place, name: str, data: bytes, today: date | None = None
) -> ImportOutcome:
    """Import the file ``name`` (CSV or XLSX) of the previous term's members of the
    villages and communities of ``scope`` (a township or the county): all its rows,
    or nothing. The places it names have their previous members replaced."""
    permissions.require(user, CAPABILITY, scope)
    if not cycle.county.contains(scope) or scope.kind == Kind.GROUP:
        raise RuleViolation(_("The place is not in the county of this cycle."))
    today = today or timezone.localdate()
    try:
        rows = read_rows(data, name)
        with transaction.atomic():
            return _import(user, cycle, scope, name, rows, today)
    except FileError as exc:
        return ImportOutcome(problems=[Problem(name, None, None, str(exc))])


def _import(user, cycle, scope, name, rows, today) -> ImportOutcome:
    good, problems = _check(rows, name, scope, today)
    if problems:
        return ImportOutcome(problems=problems)
    by_place: dict[int, list[PreviousMember]] = {}
    for member in good:
        member.cycle = cycle
        member.user = user
        by_place.setdefault(member.place.pk, []).append(member)
    outcome = ImportOutcome()
    for members in by_place.values():
        place = members[0].place
        old = PreviousMember.objects.filter(cycle=cycle, place=place)
        replaced = old.count()
        old.delete()
        PreviousMember.objects.bulk_create(members)
        record(
            user,
            "reports.previous_imported",
            place,
            before={"members": replaced} if replaced else None,
            after={
                "file": name,
                "cycle": cycle.pk,
                "members": len(members),
                "women": sum(1 for m in members if m.sex == "F"),
                "party_members": sum(1 for m in members if m.party_member),
            },
            place=place,
        )
        outcome.created += len(members)
        outcome.replaced += replaced
        outcome.places.append(place)
    outcome.places.sort(key=lambda p: p.code)
    return outcome


@transaction.atomic
def clear_place(user, cycle, place: Place) -> int:
    """Remove the previous members of one village or community (a wrong file of the
    wrong place); how many were removed."""
    permissions.require(user, CAPABILITY, place)
    if not place.is_electing:
        raise RuleViolation(_("Only a village or community has previous members to remove."))
    found = PreviousMember.objects.filter(cycle=cycle, place=place)
    removed = found.count()
    if removed:
        found.delete()
        record(
            user,
            "reports.previous_cleared",
            place,
            before={"cycle": cycle.pk, "members": removed},
            place=place,
        )
    return removed


# -- files -----------------------------------------------------------------------------


EDUCATION_ZH = {
    Education.POSTGRADUATE: "研究生",
    Education.BACHELOR: "本科",
    Education.COLLEGE: "大专",
    Education.HIGH_SCHOOL: "高中/中专",
    Education.MIDDLE_SCHOOL: "初中及以下",
}


def template_xlsx() -> bytes:
    """An empty file with the header, the ID number column kept as text (Excel would
    otherwise turn 18 digits into a rounded number), and a sheet of the values each
    column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "上届两委成员"
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (22, 14, 10, 10, 22, 12, 8, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "@"
        sheet.cell(row=row, column=5).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列", "填写"])
    notes.append(["村(社区)", "村或社区的统计用区划代码（12位）或名称"])
    notes.append(["组织", "村民委员会 / 居民委员会 / 党组织委员会（党支部、党总支、党委）"])
    notes.append(["职务", "主任、副主任、委员；党组织：书记、副书记、委员"])
    notes.append(["姓名", "与身份证一致"])
    notes.append(["公民身份号码", "18位；性别和出生日期由号码读出"])
    notes.append(["文化程度", "研究生、本科、大专、高中/中专、初中及以下（可空）"])
    notes.append(["民族", "可空，空为汉族"])
    notes.append(["中共党员", "是 / 否（可空，空为否；党组织委员为是）"])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
