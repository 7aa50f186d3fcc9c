"""``huanjie places import FILE --user USERNAME``."""

import pytest

from huanjie.audit.models import Record
from huanjie.cli import main
from huanjie.places.models import Place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = "代码,名称,类型,上级代码,人口,户数\n"


def write(tmp_path, text, name="places.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_writes_the_places_and_says_how_many(tmp_path, capsys, user_county_admin):
    path = write(
        tmp_path,
        HEADER + "430121002000,泉塘街道,街道,,90000,30000\n430121002201,东山村,村,,3000,900\n",
    )

    assert main(["places", "import", path, "--user", "county_admin"]) == 0

    assert capsys.readouterr().out == "2 created, 0 updated, 0 unchanged\n"
    assert Place.objects.get(code="430121002201").parent.code == "430121002000"
    assert list(Record.objects.values_list("action", "username")) == [
        ("place.create", "county_admin"),
        ("place.create", "county_admin"),
    ]


def test_bad_file_exits_2_with_the_first_problem_and_writes_nothing(
    tmp_path, capsys, user_county_admin
):
    path = write(
        tmp_path,
        HEADER
        + "430121002000,泉塘街道,街道,,90000,30000\n"
        + "4301210022,东山村,村,,3000,900\n"
        + "430121002202,西山村,村,,-1,\n",
        encoding="gb18030",
    )
    places_before = Place.objects.count()

    assert main(["places", "import", path, "--user", "county_admin"]) == 2

    err = capsys.readouterr().err
    assert err == (
        f"huanjie: {path}, row 3, column 代码: “4301210022” is not an area code: "
        "it must be 12 digits (15 for a group)\n"
    )
    assert Place.objects.count() == places_before
    assert Record.objects.count() == 0


def test_unknown_user_and_user_without_the_right(tmp_path, capsys, user_observer):
    path = write(tmp_path, HEADER + "430121002000,泉塘街道,街道,,,\n")

    assert main(["places", "import", path, "--user", "ghost"]) == 2
    assert capsys.readouterr().err == "huanjie: no user named 'ghost'\n"

    assert main(["places", "import", path, "--user", "observer"]) == 2
    assert capsys.readouterr().err == "huanjie: user 'observer' may not import places\n"
    assert not Place.objects.filter(code="430121002000").exists()


def test_missing_file(tmp_path, capsys, user_county_admin):
    path = str(tmp_path / "nope.csv")
    assert main(["places", "import", path, "--user", "county_admin"]) == 2
    assert capsys.readouterr().err == f"huanjie: {path}: No such file or directory\n"
