"""The party member roster (党员名册) of a place's organisations (DOMAIN §2 item 3, §8).

The roster decides who votes at the members' meeting: full members (正式党员) do, a
probationary member (预备党员) or one under probation sanction (留党察看) does not, and
a member detained or arrested is suspended. The due number, the quorum and the
majority of the party vote all follow from it, so every change is on the audit trail
with what it was before, and the pages say when a change takes a vote away or gives
one.

The organisation setting follows the number of members (50 or more usually make a
general branch, 100 or more a party committee with approval): :func:`advice` says
what the roster suggests, and the kind is changed only by a person, on the record.

A roster comes from the organisation's own list, as CSV or XLSX (:data:`COLUMNS`).
The import is all-or-nothing, like the other imports: every row is checked, each
member matched to a resident by ID number with the name agreeing, and if any row is
wrong nothing is written and every problem is returned, naming file, row and column.
Importing again updates the members of that organisation and adds the new ones; a
member the file leaves out stays (removing someone is a decision of its own).
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huanjie import residents_file
from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.party.models import Member, Organisation
from huanjie.rules import identity
from huanjie.rules import members as rules
from huanjie.search import id_or_name
from huanjie.tables import FileError, Problem, header, read_rows
from huanjie.voters.importer import id_messages
from huanjie.voters.models import Resident

__all__ = [
    "COLUMNS",
    "EDITABLE",
    "VOTING",
    "VOTING_MEMBERS",
    "Advice",
    "Edited",
    "ImportOutcome",
    "add_organisation",
    "advice",
    "import_members",
    "members_of",
    "no_vote_reason",
    "organisations_of",
    "reason_text",
    "remove_member",
    "roster_pdf",
    "search",
    "set_kind",
    "template_xlsx",
    "update_member",
    "workbook",
]

# -- who votes ------------------------------------------------------------------------

#: The members with a vote, as a query: what :func:`huanjie.rules.members.has_vote`
#: says of one member, for counting many.
VOTING = Q(status=Member.Status.FULL, under_probation_sanction=False, suspended=False)

REASONS = {
    "probationary": gettext_lazy("probationary member (预备党员)"),
    "probation_sanction": gettext_lazy("under probation sanction (留党察看)"),
    "suspended": gettext_lazy("suspended: detained or arrested"),
}


def no_vote_reason(member: Member) -> str | None:
    """Why ``member`` has no vote at the members' meeting (§8), or None."""
    return rules.no_vote_reason(member.as_rule())


def reason_text(reason: str | None) -> str:
    """A reason of :func:`no_vote_reason` in the user's language; "" for a vote."""
    return str(REASONS[reason]) if reason else ""


# -- the organisations ----------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """What the number of members suggests for an organisation (DOMAIN §2 item 3)."""

    organisation: Organisation
    members: int
    voting: int
    advised: str  # an Organisation.Kind value

    @property
    def differs(self) -> bool:
        return self.advised != self.organisation.kind

    @property
    def advised_label(self) -> str:
        return str(Organisation.Kind(self.advised).label)

    @property
    def message(self) -> str:
        """What to say when the setting and the members disagree; "" when they agree."""
        if not self.differs:
            return ""
        if self.advised == Organisation.Kind.COMMITTEE:
            text = _(
                "With %(n)s members, a party committee is set up, with the approval of "
                "the upper level (DOMAIN §2)."
            )
        elif self.advised == Organisation.Kind.GENERAL_BRANCH:
            text = _("With %(n)s members, a general branch is the usual setting (DOMAIN §2).")
        else:
            text = _(
                "With %(n)s members, a party branch is the usual setting; a general branch "
                "needs 50 members and a party committee 100 (DOMAIN §2)."
            )
        return text % {"n": self.members}


def organisations_of(place):
    """The place's organisations with their members and those with a vote counted."""
    return (
        Organisation.objects.filter(place=place)
        .annotate(n_members=Count("members"), n_voting=Count("members", filter=VOTING_MEMBERS))
        .order_by("id")
    )


def _voting(prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}__status": Member.Status.FULL,
            f"{prefix}__under_probation_sanction": False,
            f"{prefix}__suspended": False,
        }
    )


#: :data:`VOTING` seen from an organisation, to count its members with a vote.
VOTING_MEMBERS = _voting("members")


def advice(organisation: Organisation) -> Advice:
    """The advice of :func:`huanjie.rules.members.organisation_advice` for the
    organisation, counting its members (annotated by :func:`organisations_of`, or
    counted here)."""
    members = getattr(organisation, "n_members", None)
    voting = getattr(organisation, "n_voting", None)
    if members is None or voting is None:
        members = organisation.members.count()
        voting = organisation.members.filter(VOTING).count()
    return Advice(organisation, members, voting, rules.organisation_advice(members))


@transaction.atomic
def add_organisation(user, place, name: str, kind: str) -> Organisation:
    """Set up the party organisation of ``place`` on the system, so that its roster
    can be imported."""
    permissions.require(user, permissions.RUN_PARTY, place)
    if not place.is_electing:
        raise RuleViolation(_("Only a village or community has a party organisation here."))
    name = name.strip()
    if not name:
        raise RuleViolation(_("The organisation needs a name."))
    if len(name) > 100:
        raise RuleViolation(_("The name is longer than 100 characters."))
    if kind not in Organisation.Kind.values:
        raise RuleViolation(_("Choose the kind of organisation."))
    if Organisation.objects.filter(place=place, name=name).exists():
        raise RuleViolation(_("%(name)s exists already.") % {"name": name})
    organisation = Organisation.objects.create(place=place, name=name, kind=kind)
    record(
        user,
        "party.organisation_added",
        organisation,
        after=snapshot(organisation, ("name", "kind")),
        place=place,
    )
    return organisation


@transaction.atomic
def set_kind(user, organisation: Organisation, kind: str) -> Organisation:
    """Change the organisation's setting (党支部, 党总支, 党委). The advice only
    advises: a general branch below 50 members or a committee awaiting approval are
    decisions of the upper level, so the change is the user's, on the record."""
    place = organisation.place
    permissions.require(user, permissions.RUN_PARTY, place)
    if kind not in Organisation.Kind.values:
        raise RuleViolation(_("Choose the kind of organisation."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.kind == kind:
        return organisation
    before = snapshot(organisation, ("kind",))
    organisation.kind = kind
    organisation.save(update_fields=["kind"])
    record(
        user,
        "party.organisation_kind",
        organisation,
        before=before,
        after=snapshot(organisation, ("kind",)),
        place=place,
    )
    return organisation


# -- the members ----------------------------------------------------------------------

#: The fields of a member that a person changes, in the order of the forms.
EDITABLE = (
    "status",
    "under_probation_sanction",
    "suspended",
    "location",
    "cell",
    "cadre",
    "front_line",
)
#: What the audit trail keeps of a member.
PICTURE = ("organisation_id", "resident_id", "joined_on", *EDITABLE)


def members_of(place):
    """The members of the place's organisations, in the order of the roster."""
    return (
        Member.objects.filter(organisation__place=place)
        .select_related("organisation", "resident")
        .order_by("organisation_id", "cell", "resident__name", "id")
    )


def search(found, q: str):
    """Members whose name holds ``q``, or whose ID number is or ends with it."""
    return id_or_name(found, q, person="resident__")


@dataclass(frozen=True)
class Edited:
    """A member after a change, and their vote before and after (§8)."""

    member: Member
    reason_before: str | None
    reason_after: str | None

    @property
    def vote_changed(self) -> bool:
        return (self.reason_before is None) != (self.reason_after is None)


@transaction.atomic
def update_member(user, member: Member, **changes) -> Edited:
    """Change the fields of :data:`EDITABLE` given in ``changes``; the answer says
    whether the member's vote changed."""
    place = member.organisation.place
    permissions.require(user, permissions.RUN_PARTY, place)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RuleViolation(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    member = (
        Member.objects.select_for_update()
        .select_related("resident", "organisation__place")
        .get(pk=member.pk)
    )
    before = snapshot(member, PICTURE)
    reason_before = no_vote_reason(member)
    for name, value in changes.items():
        setattr(member, name, _clean(name, value))
    after = snapshot(member, PICTURE)
    if after != before:
        member.save(update_fields=list(changes))
        record(user, "party.member_changed", member, before=before, after=after, place=place)
    return Edited(member, reason_before, no_vote_reason(member))


def _clean(name: str, value):
    if name == "status":
        if value not in Member.Status.values:
            raise RuleViolation(_("The status is full or probationary member."))
        return value
    if name in ("location", "cell"):
        value = (value or "").strip()
        limit = Member._meta.get_field(name).max_length
        if len(value) > limit:
            raise RuleViolation(
                _("%(field)s is longer than %(n)s characters.")
                % {"field": Member._meta.get_field(name).verbose_name, "n": limit}
            )
        return value
    if not isinstance(value, bool):
        raise RuleViolation(
            _("%(field)s is yes or no.") % {"field": Member._meta.get_field(name).verbose_name}
        )
    return value


@transaction.atomic
def remove_member(user, member: Member) -> None:
    """Take a member off the roster (left, moved away, died). A member who already
    counts in an election — a leave, an attendance, a seat, a candidacy as delegate —
    stays, since those records would lose their person."""
    place = member.organisation.place
    permissions.require(user, permissions.RUN_PARTY, place)
    before = snapshot(member, PICTURE)
    label = str(member)
    if member.leaves.exists():
        raise RuleViolation(_("%(member)s has a recorded leave; they stay.") % {"member": label})
    try:
        Member.objects.filter(pk=member.pk).delete()
    except ProtectedError:
        raise RuleViolation(
            _("%(member)s is on the record of a meeting, a seat or a congress; they stay.")
            % {"member": label}
        ) from None
    record(user, "party.member_removed", member, before=before, place=place)


# -- the import -----------------------------------------------------------------------

#: The columns of a roster file, by what they mean.
COLUMNS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "status": "党员类别",
    "joined_on": "入党日期",
    "under_probation_sanction": "留党察看",
    "suspended": "停止党籍权利",
    "location": "组织关系所在",
    "cell": "所在支部/党小组",
    "cadre": "干部",
    "front_line": "生产一线",
}
#: Another heading offices use for a column.
ALIASES = {
    "被羁押/逮捕": "停止党籍权利",
    "所在支部": "所在支部/党小组",
    "党小组": "所在支部/党小组",
}
#: Needed in every file; a missing optional column leaves what the roster says (a new
#: member gets 否 or nothing).
REQUIRED = ("name", "id_number", "status", "joined_on")

STATUSES = {
    "正式党员": Member.Status.FULL,
    "正式": Member.Status.FULL,
    "预备党员": Member.Status.PROBATIONARY,
    "预备": Member.Status.PROBATIONARY,
}

MAX_PROBLEMS = 1000


@dataclass
class ImportOutcome:
    """What an import did, or, when ``problems`` is not empty, why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int
    resident: Resident
    values: dict


def _check(rows: Iterable[list[str]], name: str, organisation: Organisation, today: date):
    """The good rows and the problems of a roster file whose first row is the header."""
    problems: list[Problem] = []
    rows = iter(rows)
    index, wrong = header(rows, name, COLUMNS, REQUIRED, ALIASES)
    if wrong:
        return [], wrong
    lines = []
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        lines.append((number, {k: cells[i] if i < len(cells) else "" for k, i in index.items()}))
    if not lines:
        return [], [Problem(name, None, None, _("the file has no members in it"))]

    numbers = {}
    for _number, cells in lines:
        checked = identity.check_id(cells["id_number"], today)
        if checked.valid:
            numbers.setdefault(checked.number, None)
    residents = {r.id_number: r for r in Resident.objects.filter(id_number__in=list(numbers))}
    elsewhere = {
        m.resident_id: m.organisation
        for m in Member.objects.filter(resident__in=residents.values())
        .exclude(organisation=organisation)
        .select_related("organisation__place")
    }
    messages = id_messages()
    yes_no_message = _("write 是 or 否, or leave it empty")
    good: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in lines:
        before = len(problems)

        def problem(column_key, message, number=number):
            problems.append(Problem(name, number, COLUMNS[column_key], message))

        person = cells["name"]
        if not person:
            problem("name", _("the name is empty"))
        text = cells["id_number"]
        checked = identity.check_id(text, today) if text else None
        resident = None
        if checked is None or not checked.valid:
            problem("id_number", messages[checked.reason if checked else None])
        elif checked.number in seen:
            problem(
                "id_number",
                _("the same ID number is in row %(row)s") % {"row": seen[checked.number]},
            )
        else:
            seen[checked.number] = number
            resident = residents.get(checked.number)
            if resident is None:
                problem(
                    "id_number",
                    _("no resident has this ID number; import the residents file first"),
                )
            elif person and person != resident.name:
                problem("name", _("the name does not agree with the records of this ID number"))
            elif resident.pk in elsewhere:
                other = elsewhere[resident.pk]
                problem(
                    "id_number",
                    _("%(name)s is a member of %(organisation)s (%(place)s) already")
                    % {"name": person, "organisation": other.name, "place": other.place.name},
                )
        values = {}
        status = STATUSES.get(cells["status"])
        if status is None:
            problem("status", _("write 正式党员 or 预备党员"))
        values["status"] = status
        joined = residents_file.iso_date(cells["joined_on"])
        if joined is None:
            problem("joined_on", _("write the date as YYYY-MM-DD"))
        elif joined > today:
            problem("joined_on", _("the date is in the future"))
        elif resident is not None and joined <= resident.birth_date:
            problem("joined_on", _("the date is before the member's birth"))
        values["joined_on"] = joined
        for key in ("under_probation_sanction", "suspended", "cadre", "front_line"):
            if key in cells:
                value = residents_file.YES_NO.get(cells[key])
                if value is None:
                    problem(key, yes_no_message)
                values[key] = value
        for key in ("location", "cell"):
            if key in cells:
                limit = Member._meta.get_field(key).max_length
                if len(cells[key]) > limit:
                    problem(key, _("the text is longer than %(n)s characters") % {"n": limit})
                values[key] = cells[key]
        if len(problems) == before:
            good.append(_Row(number, resident, values))
        if len(problems) >= MAX_PROBLEMS:
            break
    return good, problems


def import_members(
    user, organisation: Organisation, name: str, data: bytes, today: date | None = None
) -> ImportOutcome:
    """Import the roster file ``name`` (CSV or XLSX) into ``organisation``: all its
    rows, or nothing."""
    place = organisation.place
    permissions.require(user, permissions.RUN_PARTY, place)
    today = today or timezone.localdate()
    try:
        rows = read_rows(data, name)
        with transaction.atomic():
            return _import(user, organisation, name, rows, today)
    except FileError as exc:
        return ImportOutcome(problems=[Problem(name, None, None, str(exc))])


def _import(user, organisation, name, rows, today) -> ImportOutcome:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    place = organisation.place
    good, problems = _check(rows, name, organisation, today)
    if problems:
        return ImportOutcome(problems=problems)
    existing = {
        m.resident_id: m
        for m in Member.objects.filter(
            organisation=organisation, resident__in=[row.resident for row in good]
        )
    }
    outcome = ImportOutcome()
    for row in good:
        member = existing.get(row.resident.pk)
        if member is None:
            member = Member(organisation=organisation, resident=row.resident)
            for key, value in row.values.items():
                setattr(member, key, value)
            member.save()
            record(user, "party.member_added", member, after=snapshot(member, PICTURE), place=place)
            outcome.created += 1
            continue
        before = snapshot(member, PICTURE)
        for key, value in row.values.items():
            setattr(member, key, value)
        after = snapshot(member, PICTURE)
        if after == before:
            outcome.unchanged += 1
            continue
        member.save()
        record(user, "party.member_changed", member, before=before, after=after, place=place)
        outcome.updated += 1
    record(
        user,
        "party.roster_imported",
        organisation,
        after={
            "file": name,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        },
        place=place,
    )
    return outcome


# -- files ----------------------------------------------------------------------------

YES, NO = "是", "否"


def _yes(value: bool) -> str:
    return YES if value else NO


def _row(member: Member, id_number: str) -> list:
    reason = no_vote_reason(member)
    return [
        member.resident.name,
        id_number,
        "正式党员" if member.status == Member.Status.FULL else "预备党员",
        member.joined_on.isoformat(),
        _yes(member.under_probation_sanction),
        _yes(member.suspended),
        member.location,
        member.cell,
        _yes(member.cadre),
        _yes(member.front_line),
        reason_text(reason) if reason else YES,
    ]


def _sheet(title: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(COLUMNS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["D"].width = 12
    sheet.column_dimensions["G"].width = 20
    sheet.column_dimensions["H"].width = 18
    sheet.freeze_panes = "A2"
    return book, sheet


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    """An empty roster with the header, the ID number column kept as text (Excel
    would otherwise turn 18 digits into a rounded number)."""
    book, sheet = _sheet("党员名册")
    for row in range(2, 1002):
        sheet.cell(row=row, column=2).number_format = "@"
    return _save(book)


def workbook(members: Iterable[Member], *, full_ids: bool, title: str) -> bytes:
    """The roster as an XLSX file in the columns of the import, so that it can be
    corrected and imported again, plus whether each member votes. ID numbers are
    masked unless ``full_ids``."""
    book, sheet = _sheet(title)
    sheet.cell(row=1, column=len(COLUMNS) + 1, value="表决权")
    sheet.column_dimensions["K"].width = 24
    for member in members:
        number = member.resident.id_number
        sheet.append(_row(member, number if full_ids else identity.mask_id(number)))
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=2).number_format = "@"
    return _save(book)


#: The columns of the printed roster.
PRINTED = ("序号", "姓名", "公民身份号码", "类别", "入党日期", "留党察看", "停止党籍权利")
PRINTED_MORE = ("组织关系所在", "支部/党小组", "干部", "生产一线", "表决权")


def roster_pdf(place, members: Iterable[Member], on: date) -> bytes:
    """The printed roster (党员名册) of ``place``: one section per organisation, ID
    numbers masked, and for each member whether they vote (§8) and why not."""
    from reportlab.lib.pagesizes import A4, landscape

    from huanjie.documents.dates import chinese_date
    from huanjie.documents.notice import Section, list_notice

    by_organisation: dict[int, tuple[Organisation, list]] = {}
    for member in members:
        organisation, rows = by_organisation.setdefault(
            member.organisation_id, (member.organisation, [])
        )
        cells = _row(member, identity.mask_id(member.resident.id_number))
        reason = no_vote_reason(member)
        cells[-1] = "有" if reason is None else f"无（{REASON_ZH[reason]}）"
        cells[2] = cells[2].removesuffix("党员")
        rows.append([str(len(rows) + 1), *cells])
    sections = []
    total = voting = 0
    for organisation, rows in by_organisation.values():
        n_voting = sum(1 for row in rows if row[-1] == "有")
        total += len(rows)
        voting += n_voting
        sections.append(
            Section(f"{organisation.name}（共{len(rows)}名，有表决权{n_voting}名）", rows)
        )
    if not sections:
        sections.append(Section("（无党员）", []))
    issuers = "、".join(o.name for o, _rows in by_organisation.values()) or place.name
    return list_notice(
        title=f"{place.name}党员名册",
        preamble=(
            f"截至{chinese_date(on)}，共有党员{total}名，其中有表决权的{voting}名。"
            "预备党员、受留党察看处分的党员没有表决权，被羁押或逮捕的党员停止党籍权利。"
        ),
        sections=sections,
        closing="",
        issuer=issuers,
        issued_on=on,
        columns=PRINTED + PRINTED_MORE,
        pagesize=landscape(A4),
    )


#: The reasons of no vote as the printed roster words them.
REASON_ZH = {
    "probationary": "预备党员",
    "probation_sanction": "留党察看",
    "suspended": "被羁押或逮捕",
}
