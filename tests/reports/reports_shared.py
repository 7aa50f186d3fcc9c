"""Data of the tests of the previous term and of the exports: files of previous
members, and a small cycle of records (voters, candidates with their review, polls
with counted results) written straight into the tables the exports read."""

import csv
import io
from datetime import date

from openpyxl import Workbook, load_workbook

from huanjie.candidates.models import Candidate, Department, Verdict
from huanjie.party.models import Member, Organisation
from huanjie.polling.models import Poll
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident, Voter

HEADER = ["村(社区)", "组织", "职务", "姓名", "公民身份号码", "文化程度", "民族", "中共党员"]


def person_id(n: int, sex: str = "M", born: date = date(1975, 5, 1)) -> str:
    return make_id("430121", born, n, sex)


#: 金茶村 (430121001201, a village) and 松雅社区 (430121001001, a community) of 星沙街道.
GOOD_ROWS = [
    ["430121001201", "村民委员会", "主任", "李建国", person_id(1), "大专", "汉族", "是"],
    ["金茶村", "村委会", "委员", "王秀英", person_id(2, "F", date(1980, 3, 9)), "高中", "", "否"],
    ["430121001201", "党支部", "书记", "李建国", person_id(1), "大专", "汉族", ""],
    [
        "松雅社区",
        "居民委员会",
        "主任",
        "赵敏",
        person_id(3, "F", date(1988, 7, 1)),
        "本科",
        "苗族",
        "是",
    ],
]


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_file(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(data: bytes, sheet: int = 0) -> list[list]:
    """The rows of a sheet of an XLSX file, header first."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]
    book.close()
    return [["" if v is None else v for v in row] for row in rows]


def sheet_names(data: bytes) -> list[str]:
    return load_workbook(io.BytesIO(data), read_only=True).sheetnames


# -- a cycle's records -------------------------------------------------------------------


def voters(cycle, place, n, *, start=100, removed=0, group=None):
    made = []
    for i in range(n + removed):
        serial = start + i
        sex = "F" if i % 2 else "M"
        born = date(1960 + i % 40, 1 + i % 12, 1 + i % 27)
        resident = Resident.objects.create(
            id_number=make_id("430121", born, serial, sex),
            name=f"{place.name[:2]}民{serial}",
            sex=sex,
            birth_date=born,
            education=["bachelor", "college", ""][i % 3],
            household_code=place.code,
            residence_code=place.code,
        )
        made.append(
            Voter.objects.create(
                cycle=cycle,
                place=place,
                resident=resident,
                number=i + 1,
                id_number=resident.id_number,
                name=resident.name,
                sex=sex,
                birth_date=born,
                ethnicity=resident.ethnicity,
                category="户在人在",
                group=group,
                source=Voter.Source.ROLL,
                status=Voter.Status.LISTED if i < n else Voter.Status.REMOVED,
            )
        )
    return made


def candidates(cycle, election, people, user):
    """A director's race of two and a member's of three: the first four formal, the
    last disqualified by 县公安局 (item 2); the second's review still waits for 县法院.
    The first is a full party member."""
    police = Department.objects.create(cycle=cycle, name="县公安局", rank=1)
    court = Department.objects.create(cycle=cycle, name="县法院", rank=2)
    made = []
    offices = ["director", "director", "member", "member", "member"]
    for i, (voter, office) in enumerate(zip(people, offices, strict=True)):
        status = Candidate.Status.DISQUALIFIED if i == 4 else Candidate.Status.FORMAL
        c = Candidate.objects.create(
            election=election,
            office=office,
            resident=voter.resident,
            status=status,
            source=Candidate.Source.NOMINATION,
            votes=50 - i,
            left_reason="负面清单第2项" if i == 4 else "",
        )
        made.append(c)
        Verdict.objects.create(
            candidate=c,
            department=police,
            outcome=Verdict.Outcome.HIT if i == 4 else Verdict.Outcome.CLEAR,
            items=[2] if i == 4 else [],
            user=user,
        )
        if i != 1:
            Verdict.objects.create(
                candidate=c, department=court, outcome=Verdict.Outcome.CLEAR, user=user
            )
    organisation = Organisation.objects.create(place=election.place, name="金茶村党支部")
    Member.objects.create(
        organisation=organisation,
        resident=people[0].resident,
        status=Member.Status.FULL,
        joined_on=date(2000, 7, 1),
    )
    return made


def counted_poll(election, user, cands, held_on, *, electorate=20):
    """A confirmed first vote: the first director elected with 12, the member seats
    filled by the third and a written-in name, the fourth not elected."""
    d1, d2, m1, m2 = cands[:4]
    result = {
        "valid": True,
        "void_reasons": [],
        "turnout": {"electorate": electorate, "participants": 15, "rate": 0.75},
        "offices": [
            {
                "id": "director",
                "seats": 1,
                "threshold": 8,
                "votes": [
                    {"who": f"c{d1.pk}", "name": d1.resident.name, "votes": 12, "write_in": False},
                    {"who": f"c{d2.pk}", "name": d2.resident.name, "votes": 3, "write_in": False},
                ],
                "invalid": 0,
                "elected": [f"c{d1.pk}"],
                "revote": [],
                "unfilled": 0,
                "reserved_for_woman": 0,
                "runoff_candidates": [],
            },
            {
                "id": "member",
                "seats": 2,
                "threshold": 8,
                "votes": [
                    {"who": f"c{m1.pk}", "name": m1.resident.name, "votes": 11, "write_in": False},
                    {"who": "张三", "name": "张三", "votes": 9, "write_in": True},
                    {"who": f"c{m2.pk}", "name": m2.resident.name, "votes": 4, "write_in": False},
                ],
                "invalid": 1,
                "elected": [f"c{m1.pk}", "张三"],
                "revote": [],
                "unfilled": 0,
                "reserved_for_woman": 0,
                "runoff_candidates": [],
            },
        ],
        "woman_elected": True,
    }
    return Poll.objects.create(
        election=election,
        round=Poll.Round.FIRST,
        held_on=held_on,
        method=Poll.Method.TOTALS,
        electorate=electorate,
        present=None,
        offices=[
            {"id": "director", "title": "主任", "seats": 1},
            {"id": "member", "title": "委员", "seats": 2},
        ],
        candidates=[],
        state=Poll.State.CONFIRMED,
        result=result,
        user=user,
    )


def open_poll(election, user, held_on, *, electorate=10):
    return Poll.objects.create(
        election=election,
        round=Poll.Round.FIRST,
        held_on=held_on,
        electorate=electorate,
        offices=[{"id": "director", "title": "主任", "seats": 1}],
        candidates=[],
        state=Poll.State.OPEN,
        user=user,
    )
