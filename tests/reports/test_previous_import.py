"""The previous term's committees: the import (all or nothing, problems by file, row
and column, per place replaced), previous_ids and the removal (DOMAIN §11)."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import load_workbook
from reports_shared import GOOD_ROWS, HEADER, csv_file, person_id, sheet_rows, xlsx_file

from huanjie.audit.models import Record
from huanjie.reports import previous
from huanjie.reports.models import PreviousMember

pytestmark = pytest.mark.usefixtures("english")


def test_good_csv_imports_every_row_with_sex_and_birth_from_id(cycle, township_a, user_township_a):
    outcome = previous.import_previous(
        user_township_a, cycle, township_a, "上届.csv", csv_file(GOOD_ROWS)
    )
    assert outcome.ok, outcome.problems
    assert outcome.created == 4 and outcome.replaced == 0
    assert [p.name for p in outcome.places] == ["松雅社区", "金茶村"]
    wang = PreviousMember.objects.get(name="王秀英")
    assert (wang.sex, wang.birth_date) == ("F", date(1980, 3, 9))
    assert (wang.body, wang.office, wang.education) == (
        "villagers_committee",
        "member",
        "high_school",
    )
    assert wang.ethnicity == "汉族" and wang.party_member is False
    li_party = PreviousMember.objects.get(name="李建国", body="party_committee")
    assert li_party.office == "secretary" and li_party.party_member is True
    zhao = PreviousMember.objects.get(name="赵敏")
    assert (zhao.place.code, zhao.body, zhao.ethnicity) == (
        "430121001001",
        "residents_committee",
        "苗族",
    )


def test_xlsx_imports_the_same(cycle, township_a, user_county_admin):
    outcome = previous.import_previous(
        user_county_admin, cycle, township_a, "上届.xlsx", xlsx_file(GOOD_ROWS)
    )
    assert outcome.ok and outcome.created == 4


def test_county_scope_takes_every_township(cycle, county, user_county_admin):
    rows = [*GOOD_ROWS, ["黄兴村", "村民委员会", "主任", "周强", person_id(9), "", "", ""]]
    outcome = previous.import_previous(user_county_admin, cycle, county, "县.csv", csv_file(rows))
    assert outcome.ok and len(outcome.places) == 3


def test_any_bad_row_writes_nothing_and_names_row_and_column(cycle, township_a, user_township_a):
    bad_id = person_id(5)[:-1] + ("0" if person_id(5)[-1] != "0" else "1")
    rows = [
        GOOD_ROWS[0],
        ["金茶村", "村委会", "书记", "王五", person_id(4), "", "", ""],  # 书记 of a committee
        ["黄兴村", "村委会", "委员", "赵六", person_id(6), "", "", ""],  # other township
        ["金茶村", "居委会", "委员", "钱七", person_id(7), "", "", ""],  # a village's body
        ["金茶村", "村委会", "委员", "孙八", bad_id, "博士后", "", "也许"],
        ["金茶村", "党支部", "委员", "周九", person_id(8), "", "", "否"],
        ["金茶村", "村民委员会", "委员", "李建国", person_id(1), "", "", ""],  # row 2 again
        ["", "村委会", "委员", "", person_id(10), "", "", ""],
    ]
    outcome = previous.import_previous(
        user_township_a, cycle, township_a, "bad.csv", csv_file(rows)
    )
    assert not outcome.ok
    assert PreviousMember.objects.count() == 0
    found = {(p.row, p.column) for p in outcome.problems}
    assert found == {
        (3, "职务"),
        (4, "村(社区)"),
        (5, "组织"),
        (6, "公民身份号码"),
        (6, "文化程度"),
        (6, "中共党员"),
        (7, "中共党员"),
        (8, "公民身份号码"),
        (9, "村(社区)"),
        (9, "姓名"),
    }
    texts = {(p.row, p.column): str(p) for p in outcome.problems}
    assert texts[(3, "职务")] == "bad.csv, row 3, column 职务: write one of 主任、副主任、委员"
    assert "星沙街道" in texts[(4, "村(社区)")]
    assert "wrong check digit" in texts[(6, "公民身份号码")]
    assert "row 2" in texts[(8, "公民身份号码")]
    assert texts[(7, "中共党员")].endswith("a member of the party committee is a party member")


def test_missing_columns_and_empty_and_unreadable_files(cycle, township_a, user_township_a):
    header = [h for h in HEADER if h not in ("职务", "公民身份号码")]
    outcome = previous.import_previous(
        user_township_a, cycle, township_a, "x.csv", csv_file([], header=header)
    )
    assert [(p.row, p.column) for p in outcome.problems] == [(1, "职务"), (1, "公民身份号码")]
    empty = previous.import_previous(user_township_a, cycle, township_a, "e.csv", b"")
    assert str(empty.problems[0]) == "e.csv: the file is empty"
    header_only = previous.import_previous(
        user_township_a, cycle, township_a, "h.csv", csv_file([])
    )
    assert header_only.problems[0].problem == "the file has no members in it"
    broken = previous.import_previous(user_township_a, cycle, township_a, "b.xlsx", b"PK\x03\x04no")
    assert broken.problems[0].problem == "not a readable XLSX file"


def test_aliases_and_names_of_places(cycle, township_a, user_township_a):
    header = ["村（社区）", "班子", "职务", "姓名", "身份证号码", "学历", "民族", "政治面貌"]
    rows = [["金茶村", "村委", "副主任", "刘一", person_id(11), "初中", "", "中共党员"]]
    outcome = previous.import_previous(
        user_township_a, cycle, township_a, "a.csv", csv_file(rows, header=header)
    )
    assert outcome.ok, outcome.problems
    member = PreviousMember.objects.get()
    assert (member.office, member.education, member.party_member) == (
        "deputy",
        "middle_school",
        True,
    )


def test_reimport_replaces_the_places_named_only(cycle, township_a, user_township_a):
    previous.import_previous(user_township_a, cycle, township_a, "1.csv", csv_file(GOOD_ROWS))
    again = [["金茶村", "村委会", "主任", "新主任", person_id(12), "", "", ""]]
    outcome = previous.import_previous(user_township_a, cycle, township_a, "2.csv", csv_file(again))
    assert outcome.ok and outcome.created == 1 and outcome.replaced == 3
    names = set(PreviousMember.objects.values_list("name", flat=True))
    assert names == {"新主任", "赵敏"}  # 松雅社区 kept its own
    records = Record.objects.filter(action="reports.previous_imported").order_by("seq")
    assert records.count() == 3  # 金茶村 and 松雅社区, then 金茶村 again
    last = records.last()
    assert last.place_code == "430121001201"
    assert last.before == {"members": 3} and last.after["members"] == 1
    assert last.after["file"] == "2.csv"


def test_who_may_import(
    cycle, township_a, township_b, village_a1, user_committee_a1, user_observer, user_township_b
):
    data = csv_file(GOOD_ROWS)
    with pytest.raises(PermissionDenied):
        previous.import_previous(user_observer, cycle, township_a, "x.csv", data)
    with pytest.raises(PermissionDenied):
        previous.import_previous(user_committee_a1, cycle, village_a1, "x.csv", data)
    with pytest.raises(Http404):
        previous.import_previous(user_committee_a1, cycle, township_a, "x.csv", data)
    with pytest.raises(Http404):
        previous.import_previous(user_township_b, cycle, township_a, "x.csv", data)
    # the township's own file, naming another township's places: refused by row
    outcome = previous.import_previous(user_township_b, cycle, township_b, "x.csv", data)
    assert {p.column for p in outcome.problems} == {"村(社区)"}
    assert PreviousMember.objects.count() == 0


def test_previous_ids_within_and_by_body(
    cycle, county, township_a, township_b, village_a1, user_county_admin
):
    rows = [*GOOD_ROWS, ["黄兴村", "村民委员会", "主任", "周强", person_id(9), "", "", ""]]
    previous.import_previous(user_county_admin, cycle, county, "县.csv", csv_file(rows))
    assert previous.previous_ids(cycle, county) == {
        person_id(n, s, b)
        for n, s, b in (
            (1, "M", date(1975, 5, 1)),
            (2, "F", date(1980, 3, 9)),
            (3, "F", date(1988, 7, 1)),
            (9, "M", date(1975, 5, 1)),
        )
    }
    assert previous.previous_ids(cycle, township_b) == {person_id(9)}
    assert previous.previous_ids(cycle, village_a1, "party_committee") == {person_id(1)}
    assert len(previous.previous_ids(cycle, township_a)) == 3


def test_clear_place(cycle, township_a, village_a1, user_township_a, user_observer):
    previous.import_previous(user_township_a, cycle, township_a, "1.csv", csv_file(GOOD_ROWS))
    with pytest.raises(PermissionDenied):
        previous.clear_place(user_observer, cycle, village_a1)
    assert previous.clear_place(user_township_a, cycle, village_a1) == 3
    assert list(PreviousMember.objects.values_list("name", flat=True)) == ["赵敏"]
    record = Record.objects.get(action="reports.previous_cleared")
    assert record.before == {"cycle": cycle.pk, "members": 3}


def test_template_has_the_columns_and_imports_when_filled(cycle, township_a, user_township_a):
    data = previous.template_xlsx()
    assert sheet_rows(data)[0] == list(previous.COLUMNS.values())

    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    sheet.append(GOOD_ROWS[0])
    out = io.BytesIO()
    book.save(out)
    outcome = previous.import_previous(user_township_a, cycle, township_a, "t.xlsx", out.getvalue())
    assert outcome.ok and outcome.created == 1
