"""The import of places: reading CSV/XLSX, every check with its row and column, and
all-or-nothing writing with one audit record per created or changed place."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from huanjie.audit.models import Record
from huanjie.places import importer, services
from huanjie.places.models import Kind, Place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["代码", "名称", "类型", "上级代码", "人口", "户数"]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def state():
    """Everything an import could change: the places and the audit trail."""
    places = list(
        Place.objects.order_by("code").values_list(
            "code", "name", "kind", "parent__code", "population", "households"
        )
    )
    return places, Record.objects.count()


GOOD_ROWS = [
    ["430121002000", "泉塘街道", "街道", "", 90000, 30000],
    ["430121002001", "泉塘社区", "社区", "", 7000, 2500],
    ["430121002201", "东山村", "村", "430121002000", 3000, 900],
    ["430121002201001", "第一村民小组", "小组", "", 300, 90],
]


def test_good_csv_creates_the_places_below_their_parents(county, user_county_admin):
    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes(GOOD_ROWS))

    assert outcome.problems == []
    assert (outcome.created, outcome.updated, outcome.unchanged) == (4, 0, 0)
    street = Place.objects.get(code="430121002000")
    assert (street.name, street.kind, street.parent, street.population) == (
        "泉塘街道",
        Kind.STREET,
        county,
        90000,
    )
    assert Place.objects.get(code="430121002001").parent == street
    village = Place.objects.get(code="430121002201")
    assert (village.kind, village.parent, village.households) == (Kind.VILLAGE, street, 900)
    group = Place.objects.get(code="430121002201001")
    assert (group.kind, group.parent) == (Kind.GROUP, village)

    records = list(Record.objects.order_by("seq"))
    assert [(r.action, r.target_id, r.username) for r in records] == [
        ("place.create", str(street.pk), "county_admin"),
        ("place.create", str(Place.objects.get(code="430121002001").pk), "county_admin"),
        ("place.create", str(village.pk), "county_admin"),
        ("place.create", str(group.pk), "county_admin"),
    ]
    assert records[2].before is None
    assert records[2].after == {
        "code": "430121002201",
        "name": "东山村",
        "kind": "village",
        "population": 3000,
        "households": 900,
        "parent": "430121002000",
    }
    assert records[2].place_code == "430121002201"


def test_csv_without_bom_and_with_english_headers_and_kinds(county, user_county_admin):
    data = csv_bytes(
        [["430121002000", "泉塘街道", "street", "", "", ""]],
        header=["code", "name", "kind", "parent", "population", "households"],
        encoding="utf-8",
    )
    outcome = services.import_places(user_county_admin, "places.csv", data)

    assert outcome.ok and outcome.created == 1
    street = Place.objects.get(code="430121002000")
    assert (street.kind, street.population, street.households) == (Kind.STREET, 0, 0)


def test_good_xlsx_with_codes_and_numbers_stored_as_numbers(county, user_county_admin):
    rows = [
        [430121002000, "泉塘街道", "街道", None, 90000.0, 30000],
        [430121002201, "东山村", "村", 430121002000, 3000, 900.0],
    ]
    outcome = services.import_places(user_county_admin, "乡镇.xlsx", xlsx_bytes(rows))

    assert outcome.problems == []
    assert outcome.created == 2
    village = Place.objects.get(code="430121002201")
    assert (village.name, village.parent.code, village.population, village.households) == (
        "东山村",
        "430121002000",
        3000,
        900,
    )
    assert Place.objects.get(code="430121002000").population == 90000


def test_gbk_csv_as_saved_by_excel_in_a_chinese_office(county, user_county_admin):
    data = csv_bytes(GOOD_ROWS, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    outcome = services.import_places(user_county_admin, "places.csv", data)

    assert outcome.problems == []
    assert outcome.created == 4
    assert Place.objects.get(code="430121002201001").name == "第一村民小组"
    assert Place.objects.get(code="430121002000").name == "泉塘街道"


def test_an_existing_code_is_updated_with_before_and_after(
    township_a, village_a1, user_county_admin
):
    rows = [
        ["430121001000", "星沙街道", "街道", "", 120000, 40000],  # as it is: unchanged
        ["430121001201", "金茶新村", "村", "", 3300, ""],  # households left as they are
    ]
    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes(rows))

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    village_a1.refresh_from_db()
    assert (village_a1.name, village_a1.population, village_a1.households) == (
        "金茶新村",
        3300,
        1010,
    )
    record = Record.objects.get()
    assert record.action == "place.update"
    assert record.target_id == str(village_a1.pk)
    assert (record.before["name"], record.before["population"]) == ("金茶村", 3200)
    assert (record.after["name"], record.after["population"]) == ("金茶新村", 3300)
    assert record.after["households"] == 1010


@pytest.mark.parametrize(
    "row, column, problem",
    [
        (
            ["43012100200", "泉塘街道", "街道", "", "", ""],
            "代码",
            "“43012100200” is not an area code: it must be 12 digits (15 for a group)",
        ),
        (
            ["430121002000", "泉塘街道", "组", "", "", ""],
            "类型",
            "unknown kind “组” (use 县/区, 乡/镇, 街道, 村, 社区 or 小组)",
        ),
        (
            ["430121002000", "", "街道", "", "", ""],
            "名称",
            "the name is empty",
        ),
        (
            ["430121001201", "金茶村", "小组", "", "", ""],
            "代码",
            "a Villager/resident group has a code of 15 digits, not 12",
        ),
        (
            ["430121002001", "泉塘镇", "镇", "", "", ""],
            "代码",
            "430121002001 does not fit a Township: digits 7–9 must not all be 0 and the "
            "digits after them must be 0",
        ),
        (
            ["430121009201", "东山村", "村", "", "", ""],
            "上级代码",
            "the parent 430121009000 is neither in the database nor in an earlier row; "
            "give it in this column or add it above",
        ),
        (
            ["430121002201", "东山村", "村", "430121009000", "", ""],
            "上级代码",
            "the parent 430121009000 is neither in the database nor in an earlier row",
        ),
        (
            ["430121002201", "东山村", "村", "430121000000", "", ""],
            "上级代码",
            "a Village cannot stand below a County/district (430121000000)",
        ),
        (
            ["430121002201", "东山村", "村", "430121001000", "", ""],
            "代码",
            "430121002201 does not start with 430121001, the code of its parent 430121001000",
        ),
        (
            ["430121002000", "泉塘街道", "街道", "", "-5", ""],
            "人口",
            "“-5” is not a whole number of 0 or more",
        ),
        (
            ["430121002000", "泉塘街道", "街道", "", "", "12a"],
            "户数",
            "“12a” is not a whole number of 0 or more",
        ),
        (
            ["430121001000", "星沙镇", "镇", "", "", ""],
            "类型",
            "430121001000 already exists as Street; the kind of a place cannot change",
        ),
        (
            ["430122001000", "某镇", "镇", "", "", ""],
            "代码",
            "430122001000 is outside the area you may change",
        ),
    ],
)
def test_each_bad_row_is_named_by_row_and_column(
    township_a, user_county_admin, row, column, problem
):
    Place.objects.create(code="430122000000", name="望城区", kind=Kind.COUNTY)
    good = ["430121003000", "湘龙街道", "街道", "", "", ""]
    before = state()

    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes([good, row]))

    assert [str(p) for p in outcome.problems] == [f"places.csv, row 3, column {column}: {problem}"]
    assert (outcome.created, outcome.updated) == (0, 0)
    assert state() == before


def test_a_code_given_twice_names_the_first_row(county, user_county_admin):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], ["430121002000", "又一个", "街道", "", "", ""]]
    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes(rows))

    assert [str(p) for p in outcome.problems] == [
        "places.csv, row 4, column 代码: code 430121002000 appears twice in the file "
        "(first in row 2)"
    ]


def test_a_missing_column_is_reported_on_the_header_row(county, user_county_admin):
    data = csv_bytes([["430121002000", "街道"]], header=["代码", "类型"])
    outcome = services.import_places(user_county_admin, "places.csv", data)

    assert [str(p) for p in outcome.problems] == [
        "places.csv, row 1, column 名称: this column is missing from the header"
    ]


def test_all_or_nothing_every_problem_listed_and_nothing_written(
    township_a, village_a1, user_county_admin
):
    rows = [
        *GOOD_ROWS,
        ["430121001201", "金茶新村", "村", "", 9999, ""],  # a good update
        ["430121002202", "西山村", "村", "", "many", ""],  # bad: row 7
        ["", "无代码", "村", "", "", ""],  # bad: row 8
    ]
    before = state()

    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes(rows))

    assert [str(p) for p in outcome.problems] == [
        "places.csv, row 7, column 人口: “many” is not a whole number of 0 or more",
        "places.csv, row 8, column 代码: the code is empty",
    ]
    assert state() == before
    assert not Place.objects.filter(code="430121002000").exists()
    village_a1.refresh_from_db()
    assert village_a1.name == "金茶村"
    assert Record.objects.count() == 0


def test_blank_lines_are_skipped_but_rows_keep_their_numbers(county, user_county_admin):
    rows = [GOOD_ROWS[0], ["", "", "", "", "", ""], ["430121002201", "东山村", "村", "", "x", ""]]
    outcome = services.import_places(user_county_admin, "places.csv", csv_bytes(rows))

    assert [str(p) for p in outcome.problems] == [
        "places.csv, row 4, column 人口: “x” is not a whole number of 0 or more"
    ]


def test_unreadable_files_are_refused_as_a_whole(county, user_county_admin):
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    outcome = services.import_places(user_county_admin, "old.xls", xls)
    assert [str(p) for p in outcome.problems] == [
        "old.xls: old Excel files (.xls) cannot be read; save it as .xlsx or CSV"
    ]

    outcome = services.import_places(user_county_admin, "broken.xlsx", b"PK\x03\x04broken")
    assert [str(p) for p in outcome.problems] == ["broken.xlsx: not a readable XLSX file"]

    outcome = services.import_places(user_county_admin, "empty.csv", b"")
    assert [str(p) for p in outcome.problems] == ["empty.csv: the file is empty"]
    assert Record.objects.count() == 0


@pytest.mark.parametrize("who", ["user_observer", "user_township_a", "user_without_role"])
def test_only_a_role_that_edits_places_may_import(request, county, township_a, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.import_places(user, "places.csv", csv_bytes(GOOD_ROWS))
    assert not Place.objects.filter(code="430121002000").exists()


def test_the_parent_code_follows_from_the_place_code():
    assert importer.derived_parent("430121002201001", Kind.GROUP) == "430121002201"
    assert importer.derived_parent("430121002201", Kind.VILLAGE) == "430121002000"
    assert importer.derived_parent("430121002000", Kind.STREET) == "430121000000"
    assert importer.derived_parent("430121000000", Kind.COUNTY) == "430100000000"
    assert importer.derived_parent("430000000000", Kind.PROVINCE) is None
