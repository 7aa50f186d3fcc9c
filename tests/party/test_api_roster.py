"""The party roster in the JSON API: organisations with the advice, members with
their vote and masked ID numbers, a member read and changed, the import."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from huanjie.audit.models import Record
from huanjie.party.models import Member

A1 = "430121001201"


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_the_paths_are_in_the_schema(client_for, user_observer):
    paths = client_for(user_observer).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/places/{code}/party/organisations",
        "/api/party/organisations/{id}",
        "/api/places/{code}/party/members",
        "/api/party/members/{id}",
        "/api/places/{code}/party/members/import",
    ):
        assert path in paths


def test_the_organisations_with_their_advice(client_for, user_observer, members, branch):
    [organisation] = client_for(user_observer).get(f"/api/places/{A1}/party/organisations").json()
    assert organisation["members"] == 12 and organisation["voting"] == 10
    assert organisation["advised"] == "branch" and not organisation["differs"]


def test_the_kind_is_changed(client_for, user_township_a, user_observer, branch, members):
    assert (
        patch(
            client_for(user_observer),
            f"/api/party/organisations/{branch.pk}",
            {"kind": "committee"},
        ).status_code
        == 403
    )
    answer = patch(
        client_for(user_township_a), f"/api/party/organisations/{branch.pk}", {"kind": "committee"}
    ).json()
    assert answer["kind"] == "committee" and answer["differs"]
    assert "party branch" in answer["advice"]


def test_the_members_are_listed_masked_with_their_vote(client_for, user_observer, members, english):
    answer = client_for(user_observer).get(f"/api/places/{A1}/party/members?limit=500").json()
    assert answer["count"] == 12
    by_name = {m["name"]: m for m in answer["items"]}
    assert by_name["丁一"]["vote"] and by_name["丁一"]["no_vote_reason"] is None
    assert by_name["许静"]["no_vote_reason"] == "probationary"
    assert "probationary" in by_name["许静"]["no_vote_text"]
    assert by_name["丁一"]["id_number"] != members["丁一"].resident.id_number
    assert by_name["丁一"]["id_number"][-4:] == members["丁一"].resident.id_number[-4:]


def test_the_members_are_filtered(client_for, user_observer, members):
    client = client_for(user_observer)
    answer = client.get(f"/api/places/{A1}/party/members", {"vote": "no"}).json()
    assert {m["name"] for m in answer["items"]} == {"许静", "李军"}
    answer = client.get(f"/api/places/{A1}/party/members", {"q": "王"}).json()
    assert {m["name"] for m in answer["items"]} == {"王芳", "王强"}


def test_another_township_gets_404(client_for, user_township_b, members):
    client = client_for(user_township_b)
    assert client.get(f"/api/places/{A1}/party/members").status_code == 404
    assert client.get(f"/api/party/members/{members['丁一'].pk}").status_code == 404


def test_a_member_is_read_and_changed(client_for, user_committee_a1, members):
    client = client_for(user_committee_a1)
    member = members["丁一"]
    assert client.get(f"/api/party/members/{member.pk}").json()["name"] == "丁一"
    answer = patch(client, f"/api/party/members/{member.pk}", {"suspended": True, "cell": "一组"})
    assert answer.status_code == 200
    assert (
        answer.json()["vote_changed"] and answer.json()["member"]["no_vote_reason"] == "suspended"
    )
    member.refresh_from_db()
    assert member.suspended and member.cell == "一组"
    assert Record.objects.filter(action="party.member_changed").count() == 1


def test_an_observer_cannot_change_a_member(client_for, user_observer, members):
    response = patch(
        client_for(user_observer), f"/api/party/members/{members['丁一'].pk}", {"cadre": True}
    )
    assert response.status_code == 403


def test_a_bad_value_is_refused(client_for, user_committee_a1, members, english):
    response = patch(
        client_for(user_committee_a1), f"/api/party/members/{members['丁一'].pk}", {"status": "x"}
    )
    assert response.status_code == 422


def roster_file(text):
    return SimpleUploadedFile("roster.csv", ("\ufeff" + text).encode(), content_type="text/csv")


def test_the_import(client_for, user_committee_a1, branch, residents):
    person = residents["黄涛"]
    response = client_for(user_committee_a1).post(
        f"/api/places/{A1}/party/members/import",
        {
            "file": roster_file(
                f"姓名,公民身份号码,党员类别,入党日期\n黄涛,{person.id_number},预备党员,2025-07-01\n"
            )
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert Member.objects.get(resident=person).status == "probationary"


def test_a_bad_import_names_row_and_column(
    client_for, user_committee_a1, branch, residents, english
):
    person = residents["黄涛"]
    response = client_for(user_committee_a1).post(
        f"/api/places/{A1}/party/members/import",
        {
            "organisation": branch.pk,
            "file": roster_file(
                f"姓名,公民身份号码,党员类别,入党日期\n黄涛,{person.id_number},党员,2025-07-01\n"
            ),
        },
    )
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert (problem["row"], problem["column"]) == (2, "党员类别")
    assert problem["text"].startswith("roster.csv, row 2, column 党员类别")
    assert not Member.objects.exists()


def test_an_observer_cannot_import(client_for, user_observer, branch, residents):
    response = client_for(user_observer).post(
        f"/api/places/{A1}/party/members/import", {"file": roster_file("姓名\n")}
    )
    assert response.status_code == 403
