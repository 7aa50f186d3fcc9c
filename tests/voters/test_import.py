"""The import of residents files (CONTRACTS §3 columns) into a cycle: every problem
reported with row and column and nothing written; a good file upserted, the roll
rebuilt and the 四增四减 since the last roll recorded; all-or-nothing on both databases.

The county and users are those of tests/conftest.py; the election day D is 30 days
from today. Files are built here row by row, with valid ID numbers made for them.
"""

import csv
import io
from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.rules.changes import Change
from huanjie.rules.identity import make_id
from huanjie.tables import read_rows
from huanjie.voters import importer
from huanjie.voters.models import Publication, Resident, ResidentImport, RollChange, Voter

A1 = "430121001201"
A2 = "430121001001"
B1 = "430121100201"
#: 望城区某社区, outside the county.
AWAY = "430122001001"

HEADER = list(importer.COLUMNS)
_sequence = count(500)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def new_id(born=date(1980, 5, 5), sex="M", region=A1) -> str:
    return make_id(region[:6], born, 2 * next(_sequence) % 1000, sex)


def row(name, number, household=A1, residence=None, **cells) -> dict:
    """One row of a residents file as a dict of column → text."""
    values = {
        "姓名": name,
        "公民身份号码": number,
        "户籍地代码": household,
        "居住地代码": residence or household,
    }
    values.update(cells)
    return values


def csv_file(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return out.getvalue().encode(encoding)


def xlsx_file(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(column, "") for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def places(cycle, village_a1, group_a1_1):
    return importer.places_for(cycle, village_a1)


def check(data: bytes, places, name="residents.csv"):
    return importer.check(read_rows(data, name), name, places, timezone.localdate())


def problems_of(checked) -> set[tuple]:
    return {(p.row, p.column, p.problem) for p in checked.problems}


# -- the checks -------------------------------------------------------------------------


def test_a_good_file_gives_rows_with_sex_and_birth_date_from_the_id(places, english):
    number = new_id(date(1990, 3, 1), "F")
    data = csv_file([row("李华", number + " ", 民族="苗族", 文化程度="高中、中专")])
    checked = check(data, places)
    assert checked.ok, checked.problems
    assert checked.count == 1
    values = dict(zip(importer.FIELDS, checked.rows[0], strict=True))
    assert values["id_number"] == number
    assert values["sex"] == "F"
    assert values["birth_date"] == "1990-03-01"
    assert values["ethnicity"] == "苗族"
    assert values["education"] == "high_school"
    assert values["in_records"] is True


def test_every_problem_is_reported_with_its_row_and_column(places, english):
    good = new_id()
    twice = new_id()
    bad_check = new_id()
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    rows = [
        row("王小明", good),  # row 2: fine
        row("", bad_check, "43012100120", A1, 居住起始日期="2020/01/01"),  # row 3
        row("张伟", twice, 剥夺政治权利="有", 参选意愿="想参加", 会议同意="Y"),  # row 4
        row("李四", twice, 专职工作社区="430121001999"),  # row 5
        row("赵六", new_id(region=B1), B1, B1),  # row 6: nothing in 金茶村
        row("钱七", "12345", 文化程度="幼儿园", 小组="第九组", 变动情况="出国"),  # row 7
    ]
    checked = check(csv_file(rows), places)
    assert [r[1] for r in checked.rows] == ["王小明"]
    assert checked.count == 6
    found = problems_of(checked)
    expected = {
        (3, "姓名", "the name is empty"),
        (3, "公民身份号码", "wrong check digit in the ID number"),
        (3, "户籍地代码", "“43012100120” is not a code of 12 digits"),
        (3, "居住起始日期", "the date must be written YYYY-MM-DD"),
        (4, "剥夺政治权利", "write 是 or 否, or leave it empty"),
        (4, "参选意愿", "write 参加, 不参加 or 联系不上, or leave it empty"),
        (4, "会议同意", "write 是 or 否, or leave it empty"),
        (5, "公民身份号码", "the same ID number as row 4"),
        (5, "专职工作社区", "430121001999 is not a village or community of 长沙县"),
        (6, "户籍地代码", "neither 户籍地, 居住地 nor 专职工作社区 is in 金茶村"),
        (7, "公民身份号码", "the ID number must have 18 characters"),
        (
            7,
            "文化程度",
            "unknown education “幼儿园” (write 研究生, 本科, 大专, 高中/中专 or 初中及以下)",
        ),
        (7, "小组", f"no group “第九组” in {A1}"),
        (
            7,
            "变动情况",
            "unknown change “出国” "
            "(write 迁入、婚入、收养、迁出、参军、婚出、死亡, or leave it empty)",
        ),
    }
    assert found == expected
    assert all(p.file == "residents.csv" for p in checked.problems)


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("", "the ID number is empty"),
        ("43012119800505123", "the ID number must have 18 characters"),
        ("43012119800505A234", "the ID number may only hold digits and a final X"),
        ("990121198005051234", "the ID number does not start with the code of a province"),
        ("430121198002301234", "the birth date in the ID number is not a possible date"),
    ],
)
def test_id_number_problems_say_what_is_wrong(places, english, number, problem):
    checked = check(csv_file([row("王五", number)]), places)
    assert problems_of(checked) == {(2, "公民身份号码", problem)}


def test_a_birth_date_in_the_future_is_refused(places, english):
    number = new_id(timezone.localdate() + timedelta(days=3))
    checked = check(csv_file([row("王五", number)]), places)
    assert problems_of(checked) == {
        (2, "公民身份号码", "the birth date in the ID number is not a possible date")
    }


def test_missing_columns_are_named(places, english):
    header = [c for c in HEADER if c not in ("会议同意", "专职工作社区")]
    checked = check(csv_file([row("王五", new_id())], header=header), places)
    assert problems_of(checked) == {
        (1, "会议同意", "this column is missing from the header"),
        (1, "专职工作社区", "this column is missing from the header"),
    }


def test_columns_in_any_order_extra_columns_ignored_optional_ones_absent(places, english):
    header = ["备注", *reversed(importer.REQUIRED)]
    number = new_id()
    checked = check(csv_file([row("王五", number, 备注="随便")], header=header), places)
    assert checked.ok, checked.problems
    assert checked.rows[0][0] == number


def test_an_empty_file_and_a_file_without_rows(places, english):
    assert problems_of(check(b"", places)) == {(None, None, "the file is empty")}
    assert problems_of(check(csv_file([]), places)) == {
        (None, None, "the file has no residents in it")
    }


def test_groups_by_name_or_code_under_the_place_where_the_person_lives(places, group_a1_1, english):
    rows = [
        row("甲", new_id(), 小组="第一村民小组"),
        row("乙", new_id(), 小组=group_a1_1.code),
        row("丙", new_id(), A2, A1, 小组="第一村民小组"),  # lives in 金茶村
    ]
    checked = check(csv_file(rows), places)
    assert checked.ok, checked.problems
    assert [r[importer.FIELDS.index("group_id")] for r in checked.rows] == [group_a1_1.id] * 3


def test_leaving_rows_may_name_places_outside_the_target_and_the_dead_leave_the_records(
    places, english
):
    rows = [
        row("甲", new_id(), AWAY, AWAY, 变动情况="迁出"),
        row("乙", new_id(), 变动情况="死亡"),
        row("丙", new_id(), 变动情况="婚入"),
    ]
    checked = check(csv_file(rows), places)
    assert checked.ok, checked.problems
    assert [r[-1] for r in checked.rows] == [True, False, True]
    assert sorted(checked.hints.values()) == sorted(["迁出", "死亡", "婚入"])


def test_gbk_csv_and_xlsx_are_read(places, english):
    rows = [row("欧阳娜娜", new_id(), 居住起始日期="2020-01-02", 民族="土家族")]
    for data, name in (
        (csv_file(rows, encoding="gbk"), "gbk.csv"),
        (xlsx_file(rows), "residents.xlsx"),
    ):
        checked = check(data, places, name)
        assert checked.ok, (name, checked.problems)
        values = dict(zip(importer.FIELDS, checked.rows[0], strict=True))
        assert values["name"] == "欧阳娜娜"
        assert values["ethnicity"] == "土家族"
        assert values["lives_since"] == "2020-01-02"


def test_an_xlsx_date_cell_is_a_date(places, english):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    values = row("王五", new_id(), 居住起始日期=date(2019, 5, 6))
    sheet.append([values.get(column, "") for column in HEADER])
    out = io.BytesIO()
    book.save(out)
    checked = check(out.getvalue(), places, "r.xlsx")
    assert checked.ok, checked.problems
    assert checked.rows[0][importer.FIELDS.index("lives_since")] == "2019-05-06"


def test_a_file_of_many_problems_lists_a_limited_number(places, english, monkeypatch):
    monkeypatch.setattr(importer, "MAX_PROBLEMS", 3)
    checked = check(csv_file([row("王五", "1")] * 5), places)
    assert len(checked.problems) == 4
    assert checked.problems[-1].problem == "2 more problems are not listed"


# -- the import -------------------------------------------------------------------------


def test_a_bad_file_writes_nothing_but_its_record(cycle, village_a1, user_committee_a1, english):
    data = csv_file([row("王五", new_id()), row("", "123")])
    residents = Resident.objects.count()
    batch = importer.import_residents(user_committee_a1, cycle, village_a1, "bad.csv", data)
    assert batch.status == ResidentImport.Status.REJECTED
    assert Resident.objects.count() == residents
    assert not Voter.objects.exists()
    assert batch.rows == 2
    assert batch.errors == [
        [3, "姓名", "the name is empty"],
        [3, "公民身份号码", "the ID number must have 18 characters"],
    ]
    audit = Record.objects.get(action="voters.residents_rejected")
    assert audit.after["problems"] == 2
    assert audit.after["file"] == "bad.csv"
    assert audit.place_code == village_a1.code


def test_a_good_file_is_imported_and_the_roll_built(
    cycle, village_a1, user_committee_a1, election_day, group_a1_1, english
):
    adult, child = new_id(date(1970, 1, 1), "F"), new_id(election_day - timedelta(days=300))
    migrant = new_id(region="430181001201")
    data = csv_file(
        [
            row("李华", adult, 小组="第一村民小组", 户号="001", 文化程度="本科"),
            row("小明", child),
            row(
                "钱进",
                migrant,
                "430181001201",
                A1,
                居住起始日期=years_before(election_day, 3).isoformat(),
                参选意愿="参加",
                会议同意="是",
            ),
        ]
    )
    batch = importer.import_residents(user_committee_a1, cycle, village_a1, "ok.csv", data)
    assert batch.status == ResidentImport.Status.APPLIED, batch.errors
    assert batch.summary["rows"] == 3
    assert batch.summary["new"] == 3
    assert batch.summary["voters"] == 2
    assert batch.summary["excluded"] == 1
    li = Resident.objects.get(id_number=adult)
    assert (li.sex, li.birth_date, li.group, li.household_number, li.education) == (
        "F",
        date(1970, 1, 1),
        group_a1_1,
        "001",
        "bachelor",
    )
    assert li.ethnicity == "汉族"  # no 民族 given: the model's default
    assert li.batch == batch and li.in_records
    listed = dict(
        Voter.objects.filter(cycle=cycle, place=village_a1).values_list("name", "category")
    )
    assert listed == {"李华": "户在人在", "钱进": "人在户不在"}
    audit = Record.objects.get(action="voters.residents_imported")
    assert audit.after["sha256"] == batch.sha256
    assert audit.after["file"] == "ok.csv"
    assert audit.after["voters"] == 2


def test_reimport_keeps_what_an_empty_optional_cell_does_not_say(
    cycle, village_a1, user_committee_a1, group_a1_1, english
):
    number = new_id()
    first = csv_file([row("王五", number, 民族="回族", 小组="第一村民小组", 户号="12")])
    importer.import_residents(user_committee_a1, cycle, village_a1, "1.csv", first)
    again = csv_file([row("王五", number)])
    batch = importer.import_residents(user_committee_a1, cycle, village_a1, "2.csv", again)
    assert batch.summary["unchanged"] == 1 and batch.summary["updated"] == 0
    person = Resident.objects.get(id_number=number)
    assert (person.ethnicity, person.group, person.household_number) == ("回族", group_a1_1, "12")
    moved = csv_file([row("王五", number, A1, A2)])  # now lives in 松雅社区
    batch = importer.import_residents(user_committee_a1, cycle, village_a1, "3.csv", moved)
    assert batch.summary["updated"] == 1
    person.refresh_from_db()
    assert person.ethnicity == "回族"
    assert person.group is None  # the group was of the place they no longer live in
    assert person.household_number == "12"  # the household is where it was


def test_reimport_shows_the_four_additions_and_four_removals(
    cycle, village_a1, user_committee_a1, election_day, english
):
    d = election_day
    stays = row("张伟", new_id(date(1960, 1, 2)))
    dropped = row("孙丽", new_id(date(1970, 2, 2), "F"))
    dies = row("赵强", new_id(date(1940, 3, 3)))
    deprived = row("钱进", new_id(date(1980, 4, 4)))
    restored = row("周杰", new_id(date(1985, 5, 5)), 剥夺政治权利="是")
    moves = row("吴芳", new_id(date(1990, 6, 6), "F"))
    teen = row("刘小", new_id(years_before(d, 18) + timedelta(days=2)))  # 17 on D
    first = [stays, dropped, dies, deprived, restored, moves, teen]
    batch = importer.import_residents(
        user_committee_a1, cycle, village_a1, "first.csv", csv_file(first)
    )
    assert batch.summary["voters"] == 5  # not 周杰 (deprived) nor 刘小 (17)
    assert not RollChange.objects.filter(batch=batch).exists()  # a first roll

    Election.objects.filter(cycle=cycle).update(election_day=d + timedelta(days=5))
    newcomer = row("新来", new_id(date(1975, 7, 7)))
    bride = row("新娘", new_id(date(1995, 8, 8), "F"), 变动情况="婚入")
    second = [
        stays,
        {**dies, "变动情况": "死亡"},
        {**deprived, "剥夺政治权利": "是"},
        {**restored, "剥夺政治权利": "否"},
        {**moves, "户籍地代码": AWAY, "居住地代码": AWAY, "变动情况": "迁出"},
        teen,
        newcomer,
        bride,
    ]
    batch = importer.import_residents(
        user_committee_a1, cycle, village_a1, "second.csv", csv_file(second)
    )
    assert batch.status == ResidentImport.Status.APPLIED, batch.errors
    got = dict(RollChange.objects.filter(batch=batch).values_list("name", "change"))
    assert got == {
        "刘小": Change.TURNED_18,
        "新来": Change.MOVED_IN,
        "新娘": Change.MARRIED_IN,
        "周杰": Change.RIGHTS_RESTORED,
        "吴芳": Change.MOVED_OUT,
        "赵强": Change.DIED,
        "钱进": Change.DEPRIVED,
        "孙丽": Change.LEFT_RECORDS,
    }
    assert batch.summary["left_records"] == 1
    assert batch.summary["new"] == 2
    assert not Resident.objects.get(id_number=dropped["公民身份号码"]).in_records
    assert not Resident.objects.get(id_number=dies["公民身份号码"]).in_records
    assert Resident.objects.get(id_number=moves["公民身份号码"]).household_code == AWAY
    names = set(Voter.objects.filter(cycle=cycle, place=village_a1).values_list("name", flat=True))
    assert names == {"张伟", "周杰", "刘小", "新来", "新娘"}


def test_someone_who_turned_18_since_the_last_roll(
    cycle, village_a1, user_committee_a1, election_day, english
):
    teen = row("刘小", new_id(years_before(election_day, 18) + timedelta(days=2)))
    data = csv_file([row("张伟", new_id(date(1960, 1, 2))), teen])
    importer.import_residents(user_committee_a1, cycle, village_a1, "1.csv", data)
    assert not Voter.objects.filter(name="刘小").exists()
    Election.objects.filter(cycle=cycle).update(election_day=election_day + timedelta(days=5))
    batch = importer.import_residents(user_committee_a1, cycle, village_a1, "2.csv", data)
    assert Voter.objects.filter(name="刘小").exists()
    assert dict(RollChange.objects.filter(batch=batch).values_list("name", "change")) == {
        "刘小": Change.TURNED_18
    }


def test_a_township_file_covers_its_villages_and_communities(
    cycle, township_a, village_a1, community_a2, user_township_a, english
):
    data = csv_file([row("甲", new_id()), row("乙", new_id(region=A2), A2)])
    batch = importer.import_residents(user_township_a, cycle, township_a, "t.csv", data)
    assert batch.status == ResidentImport.Status.APPLIED, batch.errors
    assert batch.summary["places"] == 2
    assert set(Voter.objects.values_list("place__code", flat=True)) == {A1, A2}


def test_an_import_is_refused_once_the_list_is_posted(
    cycle, village_a1, user_committee_a1, english
):
    Publication.objects.create(
        cycle=cycle,
        place=village_a1,
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate(),
        file="notices/x.pdf",
        user=user_committee_a1,
    )
    with pytest.raises(RuleViolation, match="has been posted"):
        importer.import_residents(
            user_committee_a1, cycle, village_a1, "x.csv", csv_file([row("王五", new_id())])
        )
    assert not Resident.objects.exists()
    assert not ResidentImport.objects.exists()


def test_an_import_is_refused_without_the_election_day_and_writes_nothing(
    cycle, village_a1, user_committee_a1, english
):
    Election.objects.filter(cycle=cycle, place=village_a1).update(election_day=None)
    with pytest.raises(RuleViolation, match="Set the election day first"):
        importer.import_residents(
            user_committee_a1, cycle, village_a1, "x.csv", csv_file([row("王五", new_id())])
        )
    assert not Resident.objects.exists()
    assert not ResidentImport.objects.exists()
    assert not Record.objects.filter(action__startswith="voters.residents").exists()


def test_the_target_must_be_in_scope(cycle, village_b1, user_committee_a1, user_observer):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    data = csv_file([row("王五", new_id(region=B1), B1)])
    with pytest.raises(Http404):
        importer.import_residents(user_committee_a1, cycle, village_b1, "x.csv", data)
    with pytest.raises(PermissionDenied):
        importer.import_residents(user_observer, cycle, village_b1, "x.csv", data)
    assert not ResidentImport.objects.exists()


def test_the_template_has_the_columns():
    text = importer.template_csv().decode("utf-8-sig")
    assert text.strip().split(",") == HEADER
