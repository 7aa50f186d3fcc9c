"""Pages and API of the previous term: the list with its search, filters and pages,
the import with its problems, the template, and who may see and change what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reports_shared import GOOD_ROWS, csv_file, person_id, sheet_rows

from huanjie.reports import previous
from huanjie.reports.models import PreviousMember
from huanjie.rules.identity import mask_id

#: 书记 is no office of a villagers' committee.
BAD_ROWS = [["金茶村", "村委会", "书记", "王五", person_id(4), "", "", ""]]


@pytest.fixture
def imported(cycle, county, user_county_admin):
    rows = [*GOOD_ROWS, ["黄兴村", "村民委员会", "主任", "周强", person_id(9), "", "", ""]]
    outcome = previous.import_previous(user_county_admin, cycle, county, "县.csv", csv_file(rows))
    assert outcome.ok
    return outcome


def url(name, cycle, place, **kw):
    return reverse(name, args=[cycle.pk, place.code], **kw)


def test_list_of_a_township_masks_ids_and_counts(
    client_for, user_township_a, cycle, township_a, imported
):
    response = client_for(user_township_a).get(url("reports-previous", cycle, township_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "李建国" in html and "赵敏" in html
    assert "周强" not in html  # 黄花镇's
    assert person_id(1) not in html and mask_id(person_id(1)) in html
    assert "4 members found" in html
    assert "2 women, 3 party members" in html
    assert reverse("reports-previous-import", args=[cycle.pk, township_a.code]) in html


@pytest.mark.parametrize(
    "query, names",
    [
        ({"q": "赵"}, {"赵敏"}),
        ({"q": GOOD_ROWS[1][4][-4:]}, {"王秀英"}),
        ({"body": "party_committee"}, {"李建国"}),
        ({"sex": "F"}, {"王秀英", "赵敏"}),
        ({"party": "no"}, {"王秀英"}),
        ({"education": "bachelor"}, {"赵敏"}),
        ({"place": "430121001001"}, {"赵敏"}),
        ({"place": "430121100201"}, {"李建国", "王秀英", "赵敏"}),  # not below: ignored
    ],
)
def test_filters(client_for, user_township_a, cycle, township_a, imported, query, names):
    response = client_for(user_township_a).get(
        url("reports-previous", cycle, township_a), query, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the table alone for htmx
    shown = {line["member"].name for line in response.context["lines"]}
    assert shown == names


def test_pages_of_fifty(client_for, user_county_admin, cycle, county, township_a):
    rows = [
        ["金茶村", "村委会", "委员", f"委员{n}", person_id(200 + 2 * n), "", "", ""]
        for n in range(60)
    ]
    outcome = previous.import_previous(
        user_county_admin, cycle, township_a, "m.csv", csv_file(rows)
    )
    assert outcome.ok
    client = client_for(user_county_admin)
    first = client.get(url("reports-previous", cycle, county))
    second = client.get(url("reports-previous", cycle, county), {"page": 2})
    assert len(first.context["lines"]) == 50 and len(second.context["lines"]) == 10
    assert "page 1 of 2" in first.content.decode()


def test_scope_and_places(
    client_for, user_township_b, user_committee_a1, cycle, township_a, village_a1, imported
):
    assert (
        client_for(user_township_b).get(url("reports-previous", cycle, township_a)).status_code
        == 404
    )
    own = client_for(user_committee_a1).get(url("reports-previous", cycle, village_a1))
    assert own.status_code == 200
    assert {line["member"].name for line in own.context["lines"]} == {"李建国", "王秀英"}
    assert not own.context["can_import"]
    assert (
        client_for(user_committee_a1)
        .get(url("reports-previous-import", cycle, village_a1))
        .status_code
        == 403
    )


def test_import_page(client_for, user_township_a, cycle, township_a):
    client = client_for(user_township_a)
    page = url("reports-previous-import", cycle, township_a)
    assert client.get(page).status_code == 200
    response = client.post(page, {"file": SimpleUploadedFile("bad.csv", csv_file(BAD_ROWS))})
    assert response.status_code == 400
    assert "bad.csv, row 2, column 职务" in response.content.decode()
    assert PreviousMember.objects.count() == 0
    response = client.post(page, {"file": SimpleUploadedFile("ok.csv", csv_file(GOOD_ROWS))})
    assert response.status_code == 302
    assert response["Location"] == url("reports-previous", cycle, township_a)
    assert PreviousMember.objects.count() == 4
    assert client.post(page, {}).status_code == 200  # no file: a message, the form again


def test_observer_reads_but_changes_nothing(
    client_for, user_observer, cycle, county, village_a1, imported
):
    client = client_for(user_observer)
    assert client.get(url("reports-previous", cycle, county)).status_code == 200
    assert client.get(url("reports-previous-import", cycle, county)).status_code == 403
    assert client.post(url("reports-previous-clear", cycle, village_a1)).status_code == 403
    assert PreviousMember.objects.count() == 5


def test_clear_a_place(client_for, user_township_a, cycle, village_a1, imported):
    response = client_for(user_township_a).post(url("reports-previous-clear", cycle, village_a1))
    assert response.status_code == 302
    assert not PreviousMember.objects.filter(place=village_a1).exists()


def test_template_download(client_for, user_observer):
    response = client_for(user_observer).get(reverse("reports-previous-template"))
    assert response.status_code == 200
    assert sheet_rows(response.content)[0] == list(previous.COLUMNS.values())
    assert client_for().get(reverse("reports-previous-template")).status_code in (302, 403)


# -- the API -------------------------------------------------------------------------------


def test_api_list_masked_and_filtered(client_for, user_township_a, cycle, township_a, imported):
    client = client_for(user_township_a)
    base = f"/api/cycles/{cycle.pk}/places/{township_a.code}/previous"
    answer = client.get(base).json()
    assert answer["count"] == 4
    first = answer["items"][0]
    assert first["id_number"] in {mask_id(row[4]) for row in GOOD_ROWS}
    assert all(person_id(1) != item["id_number"] for item in answer["items"])
    women = client.get(base, {"sex": "F"}).json()
    assert {i["name"] for i in women["items"]} == {"王秀英", "赵敏"}
    party = client.get(base, {"body": "party_committee"}).json()["items"]
    assert [(i["name"], i["office"], i["office_title"]) for i in party] == [
        ("李建国", "secretary", "书记")
    ]


def test_api_scope_and_import(
    client_for, user_township_a, user_township_b, user_observer, cycle, township_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = f"/api/cycles/{cycle.pk}/places/{township_a.code}/previous"
    assert client_for(user_township_b).get(base).status_code == 404
    denied = client_for(user_observer).post(
        base + "/import", {"file": SimpleUploadedFile("ok.csv", csv_file(GOOD_ROWS))}
    )
    assert denied.status_code == 403
    client = client_for(user_township_a)
    bad = client.post(
        base + "/import",
        {
            "file": SimpleUploadedFile(
                "bad.csv",
                csv_file([["金茶村", "村委会", "书记", "王五", person_id(4), "", "", ""]]),
            )
        },
    )
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["column"] == "职务"
    ok = client.post(base + "/import", {"file": SimpleUploadedFile("ok.csv", csv_file(GOOD_ROWS))})
    assert ok.status_code == 200
    assert ok.json()["created"] == 4
    assert ok.json()["places"] == ["430121001001", "430121001201"]
