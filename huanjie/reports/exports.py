"""The records of a place, a township or the county as XLSX (DOMAIN §11): the roll,
the candidates and the results, for the offices that keep their own tables and for
the archive.

Each export is the rows of a table (``*_rows``, plain lists, what the tests compare
with the records) written by one writer, so that the three files look alike: a bold
header, a frozen first row, ID numbers as text. ``*_sheets`` gives an export's sheets
(title, header, rows) as its XLSX holds them, for the archive, which writes the same
rows as CSV too; the archive asks for every body of its place (``bodies``), the
reports for the 两委. ID numbers are masked unless the
caller says the user keeps the roll (``full_ids``), as on every list of the system.
The files are written in openpyxl's write-only mode, which streams rows instead of
holding a township's roll in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from django.utils import timezone

from huanjie.candidates import roster
from huanjie.candidates.models import Candidate
from huanjie.cycles.models import Election, Office
from huanjie.party.models import Member
from huanjie.places.models import Kind, Place
from huanjie.polling import counting
from huanjie.polling.models import Poll
from huanjie.polling.papers import ROUND_TITLES
from huanjie.reports.previous import EDUCATION_ZH
from huanjie.rules.identity import age_on, mask_id
from huanjie.rules.seats import Body
from huanjie.voters.models import Voter

__all__ = [
    "CANDIDATE_HEADER",
    "POLL_HEADER",
    "ROLL_HEADER",
    "VOTE_HEADER",
    "candidate_rows",
    "candidate_sheets",
    "candidates_xlsx",
    "poll_rows",
    "results_sheets",
    "results_xlsx",
    "roll_places",
    "roll_rows",
    "roll_sheets",
    "roll_xlsx",
    "vote_rows",
    "workbook",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SEX_ZH = {"M": "男", "F": "女"}
YES, NO = "是", "否"

#: The bodies whose candidates and results are exported: the "两委" (DOMAIN §2).
BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_COMMITTEE)


def _yes(value: bool) -> str:
    return YES if value else NO


def _electing(scope: Place):
    return Place.objects.within(scope).electing()


# -- the writer -----------------------------------------------------------------------


#: One sheet of an export: its title, its header and its rows.
Sheet = tuple[str, Sequence[str], Iterable[Sequence]]


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX file of ``(title, header, rows)`` sheets."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(header):
            letter = _letter(i)
            sheet.column_dimensions[letter].width = max(8, min(24, 2 * len(column) + 4))
        cells = []
        for column in header:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


# -- the roll ---------------------------------------------------------------------------

ROLL_HEADER = (
    "村(社区)",
    "选民编号",
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "年龄",
    "民族",
    "类别",
    "小组",
    "来源",
    "备注",
)

SOURCE_ZH = {
    Voter.Source.ROLL: "登记",
    Voter.Source.OBJECTION: "申诉",
    Voter.Source.SUPPLEMENTARY: "补登",
}


def roll_places(scope: Place) -> list[Place]:
    """The villages and communities whose rolls an export of ``scope`` holds: the
    place itself, or those of a township. A county's roll is the townships'."""
    if scope.is_electing:
        return [scope]
    if scope.kind in (Kind.TOWNSHIP, Kind.STREET):
        return list(_electing(scope).order_by("code"))
    return []


def roll_rows(cycle, scope: Place, *, full_ids: bool) -> Iterator[list]:
    """The lines on the roll (listed) of each place of ``scope``, in roll order, with
    the age on the place's election day (empty while the day is not set)."""
    places = roll_places(scope)
    days = dict(
        Election.objects.filter(
            cycle=cycle,
            place__in=places,
            body__in=(Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE),
        ).values_list("place_id", "election_day")
    )
    for place in places:
        day = days.get(place.pk)
        lines = (
            Voter.objects.filter(cycle=cycle, place=place, status=Voter.Status.LISTED)
            .select_related("group")
            .order_by("number")
        )
        for v in lines.iterator(chunk_size=2000):
            yield [
                place.name,
                v.number,
                v.name,
                v.id_number if full_ids else mask_id(v.id_number),
                SEX_ZH.get(v.sex, v.sex),
                v.birth_date.isoformat(),
                age_on(v.birth_date, day) if day else "",
                v.ethnicity,
                v.category,
                v.group.name if v.group else "",
                SOURCE_ZH.get(v.source, v.source),
                v.note,
            ]


def roll_sheets(cycle, scope: Place, *, full_ids: bool) -> list[Sheet]:
    return [("选民名单", ROLL_HEADER, roll_rows(cycle, scope, full_ids=full_ids))]


def roll_xlsx(cycle, scope: Place, *, full_ids: bool) -> bytes:
    return workbook(roll_sheets(cycle, scope, full_ids=full_ids))


# -- the candidates ---------------------------------------------------------------------

CANDIDATE_HEADER = (
    "村(社区)",
    "选举",
    "职务",
    "姓名",
    "公民身份号码",
    "性别",
    "年龄",
    "文化程度",
    "民族",
    "政治面貌",
    "状态",
    "产生方式",
    "提名票数",
    "资格审查",
    "退出原因",
)

STATUS_ZH = {
    Candidate.Status.NOMINEE: "初步候选人",
    Candidate.Status.RECOMMENDED: "推荐人选",
    Candidate.Status.FORMAL: "正式候选人",
    Candidate.Status.DISQUALIFIED: "取消资格",
    Candidate.Status.WITHDRAWN: "退出",
}
SOURCE_OF_CANDIDATE_ZH = {
    Candidate.Source.NOMINATION: "选民提名",
    Candidate.Source.REVOTE: "再次投票",
    Candidate.Source.BACKFILL: "依次递补",
    Candidate.Source.RECOMMENDATION: "两推",
}
PARTY_ZH = {Member.Status.FULL: "中共党员", Member.Status.PROBATIONARY: "中共预备党员"}


def _elections(cycle, scope: Place, bodies: Iterable[str] = BODIES):
    return (
        Election.objects.filter(cycle=cycle, place__code__startswith=scope.prefix, body__in=bodies)
        .select_related("place")
        .order_by("place__code", "body")
    )


def _review_text(review, names: dict[int, str]) -> str:
    if review is None:
        return ""
    if review.state == "clear":
        return "通过"
    if review.state == "disqualified":
        items = "、".join(str(n) for n in review.items)
        by = "、".join(names.get(d, str(d)) for d in review.by)
        return f"不通过（{by}：负面清单第{items}项）"
    return f"待审（{len(review.awaiting)}个部门未答复）"


def candidate_rows(
    cycle,
    scope: Place,
    *,
    full_ids: bool = False,
    today: date | None = None,
    bodies: Iterable[str] = BODIES,
):
    """Every candidate of the 两委 elections (or those of ``bodies``) of ``scope``'s
    places, election by election, office by office, with their joint review (DOMAIN §5)."""
    today = today or timezone.localdate()
    elections = list(_elections(cycle, scope, bodies))
    titles = {
        (o.election_id, o.key): o.title
        for o in Office.objects.filter(election__in=elections).order_by()
    }
    ranks = {
        (o.election_id, o.key): o.rank
        for o in Office.objects.filter(election__in=elections).order_by()
    }
    candidates = list(
        Candidate.objects.filter(election__in=elections)
        .select_related("resident", "election__place")
        .order_by("election__place__code", "election__body", "id")
    )
    candidates.sort(
        key=lambda c: (
            c.election.place.code,
            c.election.body,
            ranks.get((c.election_id, c.office), 99),
            -c.votes,
            c.id,
        )
    )
    reviews = roster.reviews(candidates, cycle)
    departments = {d.id: d.name for d in roster.departments(cycle)}
    party = dict(
        Member.objects.filter(resident__in=[c.resident_id for c in candidates])
        .order_by("status")
        .values_list("resident_id", "status")
    )
    for c in candidates:
        election = c.election
        person = c.resident
        day = election.election_day or today
        yield [
            election.place.name,
            Body(election.body).title_zh,
            titles.get((election.pk, c.office), c.office),
            person.name,
            person.id_number if full_ids else mask_id(person.id_number),
            SEX_ZH.get(person.sex, person.sex),
            age_on(person.birth_date, day),
            EDUCATION_ZH.get(person.education, ""),
            person.ethnicity,
            PARTY_ZH.get(party.get(person.pk), "群众"),
            STATUS_ZH.get(c.status, c.status),
            SOURCE_OF_CANDIDATE_ZH.get(c.source, c.source),
            c.votes if c.source != Candidate.Source.RECOMMENDATION else c.member_votes,
            _review_text(reviews.get(c.pk), departments),
            c.left_reason,
        ]


def candidate_sheets(
    cycle, scope: Place, *, full_ids: bool = False, bodies: Iterable[str] = BODIES
) -> list[Sheet]:
    rows = candidate_rows(cycle, scope, full_ids=full_ids, bodies=bodies)
    return [("候选人", CANDIDATE_HEADER, rows)]


def candidates_xlsx(cycle, scope: Place, *, full_ids: bool = False) -> bytes:
    return workbook(candidate_sheets(cycle, scope, full_ids=full_ids))


# -- the results -------------------------------------------------------------------------

POLL_HEADER = (
    "村(社区)",
    "选举",
    "轮次",
    "投票日",
    "状态",
    "登记人数",
    "发出选票",
    "收回选票",
    "参加人数",
    "参选率",
    "是否有效",
    "应选名额",
    "当选人数",
    "未选足名额",
)
VOTE_HEADER = (
    "村(社区)",
    "选举",
    "轮次",
    "投票日",
    "职务",
    "应选名额",
    "当选票数",
    "姓名",
    "另选他人",
    "得票",
    "结果",
)

STATE_ZH = {
    Poll.State.OPEN: "投票中",
    Poll.State.COUNTING: "计票中",
    Poll.State.CONFIRMED: "已确认",
}


def _polls(cycle, scope: Place, bodies: Iterable[str] = BODIES):
    return (
        Poll.objects.filter(
            election__cycle=cycle,
            election__place__code__startswith=scope.prefix,
            election__body__in=bodies,
        )
        .select_related("election__place")
        .order_by("election__place__code", "election__body", "held_on", "id")
    )


def _poll_head(poll: Poll) -> list:
    election = poll.election
    return [
        election.place.name,
        Body(election.body).title_zh,
        ROUND_TITLES.get(poll.round, poll.round),
        poll.held_on.isoformat(),
    ]


def poll_rows(cycle, scope: Place, *, bodies: Iterable[str] = BODIES) -> Iterator[list]:
    """One row per vote (first, re-vote, run-off, re-run) of the 两委 elections (or
    those of ``bodies``) of ``scope``: its ballots, turnout, validity and seats filled.
    A vote not counted yet has its figures empty."""
    for poll in _polls(cycle, scope, bodies):
        result = poll.result
        seats = sum(o["seats"] for o in poll.offices)
        if result is None:
            issued = returned = participants = rate = valid = elected = open_seats = ""
        else:
            issued, returned = counting.ballot_figures(poll)
            turnout = result["turnout"]
            participants = turnout["participants"]
            rate = turnout["rate"]
            valid = _yes(result["valid"])
            elected = sum(len(o["elected"]) for o in result["offices"])
            open_seats = sum(o["unfilled"] for o in result["offices"])
        yield [
            *_poll_head(poll),
            STATE_ZH.get(poll.state, poll.state),
            poll.electorate,
            issued,
            returned,
            participants,
            rate,
            valid,
            seats,
            elected,
            open_seats,
        ]


def _outcome(who: str, office: dict) -> str:
    if who in office["elected"]:
        return "当选"
    if any(who in group for group in office["revote"]):
        return "再次投票"
    if who in office.get("runoff_candidates", ()):
        return "另行选举候选人"
    return "未当选"


def vote_rows(cycle, scope: Place, *, bodies: Iterable[str] = BODIES) -> Iterator[list]:
    """One row per person with votes for an office in a counted vote, most votes
    first, with whether they were elected."""
    for poll in _polls(cycle, scope, bodies):
        if not poll.result:
            continue
        titles = {o["id"]: o["title"] for o in poll.offices}
        for office in poll.result["offices"]:
            for line in office["votes"]:
                yield [
                    *_poll_head(poll),
                    titles.get(office["id"], office["id"]),
                    office["seats"],
                    office["threshold"],
                    line["name"],
                    _yes(line["write_in"]),
                    line["votes"],
                    _outcome(line["who"], office),
                ]


def results_sheets(cycle, scope: Place, *, bodies: Iterable[str] = BODIES) -> list[Sheet]:
    return [
        ("投票情况", POLL_HEADER, poll_rows(cycle, scope, bodies=bodies)),
        ("得票情况", VOTE_HEADER, vote_rows(cycle, scope, bodies=bodies)),
    ]


def results_xlsx(cycle, scope: Place) -> bytes:
    return workbook(results_sheets(cycle, scope))
