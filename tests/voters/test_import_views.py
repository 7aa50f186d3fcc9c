"""The pages of the residents import: upload, the problems of a rejected file and its
XLSX report, the 四增四减 of an applied one, and who may do what where."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from test_import import A1, csv_file, new_id, row  # the helpers that build files

from huanjie.rules.identity import mask_id
from huanjie.voters.models import Publication, Resident, ResidentImport


def import_url(cycle, place):
    return reverse("voters-import", args=[cycle.pk, place.code])


def upload(client, cycle, place, data, name="residents.csv"):
    return client.post(import_url(cycle, place), {"file": SimpleUploadedFile(name, data)})


def sheet_rows(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


def test_the_upload_page_offers_the_form_and_the_columns(committee, cycle, village_a1):
    response = committee.get(import_url(cycle, village_a1))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-form"' in page
    assert "公民身份号码" in page and "变动情况" in page
    assert "No residents file has been imported yet." in page


def test_the_template_csv_has_the_header(committee, cycle, village_a1):
    response = committee.get(reverse("voters-import-template", args=[cycle.pk, village_a1.code]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("姓名,公民身份号码,户籍地代码")


def test_a_bad_file_shows_every_problem_and_its_report(committee, cycle, village_a1):
    twice = new_id()
    data = csv_file([row("王五", twice), row("", "123"), row("李四", twice, 会议同意="Y")])
    response = upload(committee, cycle, village_a1, data, "坏文件.csv")
    batch = ResidentImport.objects.get()
    assert batch.status == ResidentImport.Status.REJECTED
    assert response.status_code == 302
    assert response.url == reverse(
        "voters-import-detail", args=[cycle.pk, village_a1.code, batch.pk]
    )
    assert not Resident.objects.exists()

    page = committee.get(response.url).content.decode()
    assert "The file has 4 problems; nothing was imported." in page
    for text in (
        "the name is empty",
        "the ID number must have 18 characters",
        "the same ID number as row 2",
        "write 是 or 否, or leave it empty",
    ):
        assert text in page
    assert twice not in page

    report = committee.get(
        reverse("voters-import-errors", args=[cycle.pk, village_a1.code, batch.pk])
    )
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(report)
    assert "坏文件.csv" in rows[0][0]
    assert rows[1] == ["行号", "字段", "问题"]
    assert rows[2:] == [
        [3, "姓名", "the name is empty"],
        [3, "公民身份号码", "the ID number must have 18 characters"],
        [4, "公民身份号码", "the same ID number as row 2"],
        [4, "会议同意", "write 是 or 否, or leave it empty"],
    ]


def test_a_corrected_file_is_imported_and_its_changes_shown(
    committee, cycle, village_a1, user_committee_a1
):
    stays, leaves = new_id(date(1960, 1, 1)), new_id(date(1970, 1, 1), "F")
    upload(committee, cycle, village_a1, csv_file([row("张伟", stays), row("孙丽", leaves)]))
    newcomer = new_id(date(1980, 1, 1))
    response = upload(
        committee,
        cycle,
        village_a1,
        csv_file([row("张伟", stays), row("新娘", newcomer, 变动情况="婚入")]),
        "fixed.csv",
    )
    batch = ResidentImport.objects.get(file_name="fixed.csv")
    assert batch.status == ResidentImport.Status.APPLIED
    page = committee.get(response.url).content.decode()
    assert 'id="import-summary"' in page
    assert "新娘" in page and mask_id(newcomer) in page and newcomer not in page
    assert "孙丽" in page and mask_id(leaves) in page
    assert 'id="change-married_in"' in page and 'id="change-left_records"' in page
    assert 'id="change-turned_18"' in page  # the four additions are shown even at 0

    xlsx = committee.get(
        reverse("voters-import-changes", args=[cycle.pk, village_a1.code, batch.pk])
    )
    rows = sheet_rows(xlsx)
    assert rows[1] == ["增减", "变动情况", "村（社区）", "姓名", "公民身份号码"]
    assert ["增加", "婚嫁、收养迁入", "金茶村", "新娘", newcomer] in rows
    assert ["减少", "不在本次户籍数据中（死亡或迁出，待核实）", "金茶村", "孙丽", leaves] in rows

    history = committee.get(import_url(cycle, village_a1)).content.decode()
    assert "fixed.csv" in history and "residents.csv" in history


def test_observers_read_the_outcome_with_masked_numbers_but_cannot_import(
    committee, client_for, user_observer, cycle, village_a1
):
    number = new_id()
    upload(committee, cycle, village_a1, csv_file([row("王五", number)]))
    upload(committee, cycle, village_a1, csv_file([row("王五", number), row("赵六", new_id())]))
    batch = ResidentImport.objects.first()
    observer = client_for(user_observer)
    assert observer.get(import_url(cycle, village_a1)).status_code == 403
    assert upload(observer, cycle, village_a1, csv_file([row("甲", new_id())])).status_code == 403
    detail = reverse("voters-import-detail", args=[cycle.pk, village_a1.code, batch.pk])
    assert observer.get(detail).status_code == 200
    xlsx = observer.get(
        reverse("voters-import-changes", args=[cycle.pk, village_a1.code, batch.pk])
    )
    assert all(r[4] != number for r in sheet_rows(xlsx)[2:])


def test_a_committee_cannot_import_for_another_village(committee, cycle, village_b1, township_a):
    assert committee.get(import_url(cycle, village_b1)).status_code == 404
    response = upload(committee, cycle, village_b1, csv_file([row("甲", new_id())]))
    assert response.status_code == 404
    assert committee.get(import_url(cycle, township_a)).status_code == 404
    assert not ResidentImport.objects.exists()


def test_an_import_of_another_place_is_not_found_under_this_one(
    committee, client_for, user_township_a, cycle, village_a1, community_a2
):
    township = client_for(user_township_a)
    upload(township, cycle, community_a2, csv_file([row("甲", new_id(), "430121001001")]))
    batch = ResidentImport.objects.get()
    assert batch.place == community_a2
    url = reverse("voters-import-detail", args=[cycle.pk, village_a1.code, batch.pk])
    assert township.get(url).status_code == 404
    own = reverse("voters-import-detail", args=[cycle.pk, community_a2.code, batch.pk])
    assert committee.get(own).status_code == 404


def test_the_page_refuses_an_import_after_the_list_is_posted(
    committee, cycle, village_a1, user_committee_a1
):
    Publication.objects.create(
        cycle=cycle,
        place=village_a1,
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate(),
        file="notices/x.pdf",
        user=user_committee_a1,
    )
    response = upload(committee, cycle, village_a1, csv_file([row("甲", new_id())]))
    assert response.status_code == 200
    assert "has been posted" in response.content.decode()
    assert not Resident.objects.exists() and not ResidentImport.objects.exists()


def test_no_file_chosen(committee, cycle, village_a1):
    response = committee.post(import_url(cycle, village_a1), {})
    assert "Choose a CSV or XLSX file to import." in response.content.decode()


def test_a_group_is_not_a_target(committee, cycle, group_a1_1):
    assert committee.get(import_url(cycle, group_a1_1)).status_code == 404


def test_chinese_pages(client_for, user_committee_a1, cycle, village_a1):
    client = client_for(user_committee_a1, language="zh-hans")
    response = upload(client, cycle, village_a1, csv_file([row("王五", new_id(), A1)]))
    page = client.get(response.url).content.decode()
    assert "四增四减" in page and "增加" in page and "减少" in page
