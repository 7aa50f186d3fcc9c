"""The party pages: the places of the scope, a place's party page, the roster with
its filters, printed and exported, the import and one member's page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from huanjie.audit.models import Record
from huanjie.party.models import Member, Organisation


def url(name, cycle, place, *args):
    return reverse(name, args=[cycle.pk, place.code, *args])


# -- the index ------------------------------------------------------------------------


def test_the_index_lists_the_places_with_their_organisations(
    client_for, user_township_a, cycle, members, branch
):
    response = client_for(user_township_a).get(reverse("party"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "金茶村党支部" in body and "松雅社区" in body
    assert "黄兴村" not in body  # another township
    row = body.split("金茶村党支部")[1].split("</tr>")[0]
    assert "<td>12</td><td>10</td>" in row


def test_the_index_searches_and_filters_by_township(
    client_for, user_county_admin, cycle, members, township_b
):
    client = client_for(user_county_admin)
    body = client.get(reverse("party"), {"q": "黄兴"}).content.decode()
    assert "黄兴村" in body and "金茶村" not in body
    body = client.get(reverse("party"), {"township": township_b.code}).content.decode()
    assert "黄兴村" in body and "黄花社区" in body and "金茶村" not in body


def test_the_nav_links_to_the_party_pages(client_for, user_observer, cycle):
    body = client_for(user_observer).get(reverse("party")).content.decode()
    assert f'href="{reverse("party")}"' in body


# -- the place's party page -----------------------------------------------------------


def test_the_hub_shows_the_organisation_and_the_election(
    client_for, user_committee_a1, cycle, village_a1, members, party_election
):
    response = client_for(user_committee_a1).get(url("party_place", cycle, village_a1))
    assert response.status_code == 200
    body = response.content.decode()
    assert "金茶村党支部" in body
    assert "The setting fits the number of members." in body
    for name in ("party_leaves", "party_meetings", "party_plenary", "party_congress"):
        assert url(name, cycle, village_a1, party_election.pk) in body
    assert (
        url("party_organisation_kind", cycle, village_a1, members["丁一"].organisation_id) in body
    )


def test_the_hub_says_when_the_members_suggest_another_setting(
    client_for, user_observer, cycle, village_a1, members, branch
):
    branch.kind = Organisation.Kind.COMMITTEE
    branch.save()
    body = client_for(user_observer).get(url("party_place", cycle, village_a1)).content.decode()
    assert "With 12 members, a party branch is the usual setting" in body
    assert "Change the kind" not in body  # an observer reads only


def test_the_kind_is_changed_on_the_hub(client_for, user_committee_a1, cycle, village_a1, branch):
    client = client_for(user_committee_a1)
    response = client.post(
        url("party_organisation_kind", cycle, village_a1, branch.pk), {"kind": "general_branch"}
    )
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.kind == "general_branch"
    assert Record.objects.filter(action="party.organisation_kind").exists()


def test_an_observer_cannot_change_the_kind(client_for, user_observer, cycle, village_a1, branch):
    response = client_for(user_observer).post(
        url("party_organisation_kind", cycle, village_a1, branch.pk), {"kind": "committee"}
    )
    assert response.status_code == 403
    branch.refresh_from_db()
    assert branch.kind == "branch"


def test_an_organisation_is_added_on_the_hub(client_for, user_township_a, cycle, village_a1):
    client = client_for(user_township_a)
    body = client.get(url("party_place", cycle, village_a1)).content.decode()
    assert "No party organisation recorded." in body
    client.post(
        url("party_organisation_add", cycle, village_a1), {"name": "金茶村党总支", "kind": "branch"}
    )
    assert Organisation.objects.get(place=village_a1).name == "金茶村党总支"


def test_another_township_does_not_see_the_hub(client_for, user_township_b, cycle, village_a1):
    response = client_for(user_township_b).get(url("party_place", cycle, village_a1))
    assert response.status_code == 404


# -- the roster -----------------------------------------------------------------------


@pytest.fixture
def cells(members):
    for name in ("丁一", "王芳", "许静"):
        Member.objects.filter(pk=members[name].pk).update(cell="第一党小组", cadre=True)
    return members


def names_in(response) -> set[str]:
    body = response.content.decode()
    table = body.split('id="roster-table"')[1].split("</table>")[0]
    return {name for name in ("丁一", "王芳", "许静", "李军", "张勇", "陈霞") if name in table}


def test_the_roster_shows_the_vote_and_masks_the_ids(
    client_for, user_observer, cycle, village_a1, members
):
    response = client_for(user_observer).get(url("party_roster", cycle, village_a1))
    assert response.status_code == 200
    body = response.content.decode()
    assert "12 members, 10 with a vote" in body
    number = members["丁一"].resident.id_number
    assert number not in body and number[-4:] in body
    row = body.split("许静")[1].split("</tr>")[0]
    assert "probationary member" in row
    row = body.split("李军")[1].split("</tr>")[0]
    assert "under probation sanction" in row


def test_the_roster_filters(client_for, user_committee_a1, cycle, village_a1, cells):
    client = client_for(user_committee_a1)
    roster_url = url("party_roster", cycle, village_a1)
    assert names_in(client.get(roster_url, {"vote": "no"})) == {"许静", "李军"}
    assert names_in(client.get(roster_url, {"status": "probationary"})) == {"许静"}
    assert names_in(client.get(roster_url, {"cell": "第一党小组"})) == {"丁一", "王芳", "许静"}
    assert names_in(client.get(roster_url, {"cell": "第一党小组", "vote": "yes"})) == {
        "丁一",
        "王芳",
    }
    assert names_in(client.get(roster_url, {"q": "陈"})) == {"陈霞"}
    number = cells["张勇"].resident.id_number
    assert names_in(client.get(roster_url, {"q": number[-5:]})) == {"张勇"}


def test_the_roster_answers_htmx_with_the_table(
    client_for, user_observer, cycle, village_a1, members
):
    response = client_for(user_observer).get(
        url("party_roster", cycle, village_a1), {"vote": "no"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="roster-table"' in body and "<html" not in body


def test_the_roster_is_exported_as_xlsx(client_for, user_committee_a1, cycle, village_a1, cells):
    response = client_for(user_committee_a1).get(
        url("party_roster_xlsx", cycle, village_a1), {"cell": "第一党小组"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "公民身份号码", "党员类别", "入党日期")
    assert rows[0][-1] == "表决权"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"丁一", "王芳", "许静"}
    assert by_name["丁一"][1] == cells["丁一"].resident.id_number  # full, for who keeps it
    assert by_name["丁一"][8] == "是" and by_name["丁一"][-1] == "是"
    assert by_name["许静"][2] == "预备党员"


def test_an_observer_exports_masked_ids(client_for, user_observer, cycle, village_a1, members):
    response = client_for(user_observer).get(url("party_roster_xlsx", cycle, village_a1))
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(numbers) == 12
    assert members["丁一"].resident.id_number not in numbers
    assert all("*" in n for n in numbers)


def test_the_roster_is_printed(client_for, user_observer, cycle, village_a1, members):
    pypdf = pytest.importorskip("pypdf")
    response = client_for(user_observer).get(url("party_roster_pdf", cycle, village_a1))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "金茶村党员名册" in text
    assert "共有党员12名" in text and "有表决权的10名" in text
    assert "许静" in text and "预备党员" in text
    assert members["丁一"].resident.id_number not in text


def test_another_township_does_not_see_the_roster(
    client_for, user_township_b, cycle, village_a1, members
):
    client = client_for(user_township_b)
    for name in ("party_roster", "party_roster_xlsx", "party_roster_pdf"):
        assert client.get(url(name, cycle, village_a1)).status_code == 404


# -- the import -----------------------------------------------------------------------

HEADER = "姓名,公民身份号码,党员类别,入党日期"


def upload(text: str, name="roster.csv"):
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


def test_the_import_page_imports_a_good_file(
    client_for, user_committee_a1, cycle, village_a1, branch, residents
):
    person = residents["丁一"]
    response = client_for(user_committee_a1).post(
        url("party_import", cycle, village_a1),
        {"file": upload(f"{HEADER}\n丁一,{person.id_number},正式党员,2001-07-01\n")},
    )
    assert response.status_code == 302
    assert Member.objects.get(resident=person).organisation == branch


def test_the_import_page_lists_every_problem(
    client_for, user_committee_a1, cycle, village_a1, branch, residents
):
    good, other = residents["丁一"], residents["王芳"]
    response = client_for(user_committee_a1).post(
        url("party_import", cycle, village_a1),
        {
            "file": upload(
                f"{HEADER}\n丁一,{good.id_number},正式党员,2001-07-01\n"
                f"王芳,{other.id_number},正式,2001-13-01\n"
            )
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "nothing was imported" in body
    assert "roster.csv, row 3, column 入党日期" in body
    assert not Member.objects.exists()


def test_an_observer_cannot_import(client_for, user_observer, cycle, village_a1, branch):
    response = client_for(user_observer).get(url("party_import", cycle, village_a1))
    assert response.status_code == 403


def test_the_template_is_downloaded(client_for, user_observer):
    response = client_for(user_observer).get(reverse("party_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "姓名" and sheet["B1"].value == "公民身份号码"


# -- one member -----------------------------------------------------------------------


def test_an_edit_says_when_the_vote_changes(
    client_for, user_committee_a1, cycle, village_a1, members
):
    client = client_for(user_committee_a1)
    member = members["许静"]
    member_url = url("party_member", cycle, village_a1, member.pk)
    assert "No vote" in client.get(member_url).content.decode()
    response = client.post(
        member_url, {"status": "full", "location": "", "cell": "第一党小组"}, follow=True
    )
    assert "now has a vote" in response.content.decode()
    member.refresh_from_db()
    assert (member.status, member.cell) == ("full", "第一党小组")
    rec = Record.objects.get(action="party.member_changed")
    assert rec.before["status"] == "probationary" and rec.after["status"] == "full"
    response = client.post(member_url, {"status": "full", "suspended": "on"}, follow=True)
    assert "no longer has a vote" in response.content.decode()


def test_an_observer_reads_but_does_not_edit(client_for, user_observer, cycle, village_a1, members):
    client = client_for(user_observer)
    member_url = url("party_member", cycle, village_a1, members["丁一"].pk)
    body = client.get(member_url).content.decode()
    assert '<form method="post" class="card">' not in body
    assert client.post(member_url, {"status": "probationary"}).status_code == 403
    delete_url = url("party_member_delete", cycle, village_a1, members["丁一"].pk)
    assert client.post(delete_url).status_code == 403
    assert Member.objects.get(pk=members["丁一"].pk).status == "full"


def test_a_member_is_taken_off_the_roster(
    client_for, user_committee_a1, cycle, village_a1, members
):
    response = client_for(user_committee_a1).post(
        url("party_member_delete", cycle, village_a1, members["陈霞"].pk)
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=members["陈霞"].pk).exists()


def test_a_member_of_another_place_is_not_found(
    client_for, user_township_b, cycle, village_a1, members
):
    response = client_for(user_township_b).get(
        url("party_member", cycle, village_a1, members["丁一"].pk)
    )
    assert response.status_code == 404


def test_the_index_needs_a_role(client_for, user_without_role, cycle):
    assert client_for(user_without_role).get(reverse("party")).status_code == 403
