"""The JSON API for cycles, elections, timelines, sign-off and profiles."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles import services
from huanjie.cycles.models import Cycle, Election, Office, Step
from huanjie.places.models import Kind, Place
from huanjie.rules import timeline as rules_timeline

pytestmark = pytest.mark.django_db


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def seats_of(election):
    return dict(Office.objects.filter(election=election).values_list("key", "seats"))


@pytest.fixture
def other_cycle(db):
    """A cycle of another county, which no fixture user may see."""
    county = Place.objects.create(code="430122000000", name="望城区", kind=Kind.COUNTY)
    today = timezone.localdate()
    return Cycle.objects.create(
        county=county,
        name="望城区第十二届换届",
        term_number=12,
        starts_on=today,
        ends_on=today + timedelta(days=90),
    )


def test_cycles_are_those_of_the_users_county(cycle, other_cycle, client_for, user_township_a):
    client = client_for(user_township_a)

    response = client.get("/api/cycles")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": cycle.pk,
            "name": "长沙县第十二届村（社区）“两委”换届",
            "term_number": 12,
            "starts_on": cycle.starts_on.isoformat(),
            "ends_on": cycle.ends_on.isoformat(),
            "profile": "national",
            "profile_title": "全国通行",
            "county": {"code": "430121000000", "name": "长沙县", "kind": "county"},
        }
    ]
    assert client.get(f"/api/cycles/{cycle.pk}").json()["id"] == cycle.pk
    assert client.get(f"/api/cycles/{other_cycle.pk}").status_code == 404


def test_elections_of_a_cycle_within_the_scope(cycle, client_for, user_township_a):
    client = client_for(user_township_a)

    response = client.get(f"/api/cycles/{cycle.pk}/elections")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(e["place"]["code"], e["body"]) for e in body["items"]] == [
        ("430121001001", "residents_committee"),
        ("430121001201", "villagers_committee"),
    ]
    assert body["items"][1]["offices"] == [
        {"key": "director", "title": "主任", "seats": 1, "rank": 0},
        {"key": "deputy", "title": "副主任", "seats": 1, "rank": 1},
        {"key": "member", "title": "委员", "seats": 3, "rank": 2},
    ]

    one = client.get(f"/api/cycles/{cycle.pk}/elections", {"place": "430121001201"})
    assert [e["place"]["code"] for e in one.json()["items"]] == ["430121001201"]
    other = client.get(f"/api/cycles/{cycle.pk}/elections", {"place": "430121100201"})
    assert other.status_code == 404


def test_county_admin_lists_elections_below_a_township(cycle, client_for, user_county_admin):
    response = client_for(user_county_admin).get(
        f"/api/cycles/{cycle.pk}/elections", {"place": "430121100000"}
    )
    assert [e["place"]["code"] for e in response.json()["items"]] == [
        "430121100001",
        "430121100201",
    ]


def test_election_detail_with_seat_findings(election_a1, client_for, user_township_a):
    client = client_for(user_township_a)

    body = client.get(f"/api/elections/{election_a1.pk}").json()
    assert (body["body"], body["body_title"]) == ("villagers_committee", "村民委员会")
    assert body["election_day"] == election_a1.election_day.isoformat()
    assert body["findings"] == []

    Office.objects.filter(election=election_a1, key="member").update(seats=6)
    findings = client.get(f"/api/elections/{election_a1.pk}").json()["findings"]
    assert [(f["code"], f["level"], f["section"]) for f in findings] == [
        ("seats.total_out_of_range", "error", "§2")
    ]
    assert findings[0]["message_zh"] == "村民委员会成员应为3至7人，现为8人"
    assert findings[0]["params"]["total"] == 8


def test_election_out_of_scope_is_404(election_b1, client_for, user_township_a):
    client = client_for(user_township_a)
    assert client.get(f"/api/elections/{election_b1.pk}").status_code == 404
    assert patch(client, f"/api/elections/{election_b1.pk}", {"seats": {}}).status_code == 404


def test_patch_sets_day_and_seats_through_the_services(
    election_a1, client_for, user_township_a, election_day
):
    new_day = election_day + timedelta(days=3)

    response = patch(
        client_for(user_township_a),
        f"/api/elections/{election_a1.pk}",
        {"election_day": new_day.isoformat(), "seats": {"member": 4, "deputy": 1}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["election_day"] == new_day.isoformat()
    assert [o["seats"] for o in response.json()["offices"]] == [1, 1, 4]
    election_a1.refresh_from_db()
    assert election_a1.election_day == new_day
    assert seats_of(election_a1) == {"director": 1, "deputy": 1, "member": 4}
    records = list(Record.objects.order_by("seq"))
    assert [(r.action, r.username, r.place_code) for r in records] == [
        ("election.day", "township_a", "430121001201"),
        ("election.seats", "township_a", "430121001201"),
    ]
    assert records[0].before == {"election_day": election_day.isoformat()}
    assert records[1].before == {"director": 1, "deputy": 1, "member": 3}
    assert records[1].after == {"director": 1, "deputy": 1, "member": 4}


def test_patch_refused_by_a_rule_changes_nothing(
    election_a1, client_for, user_township_a, election_day
):
    response = patch(
        client_for(user_township_a),
        f"/api/elections/{election_a1.pk}",
        {"election_day": (election_day + timedelta(days=1)).isoformat(), "seats": {"director": 2}},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "A villagers' committee has exactly one director; this one has 2."
    }
    election_a1.refresh_from_db()
    assert election_a1.election_day == election_day  # the day was rolled back with it
    assert seats_of(election_a1) == {"director": 1, "deputy": 1, "member": 3}
    assert Record.objects.count() == 0


def test_patch_validates_its_input(election_a1, client_for, user_township_a):
    client = client_for(user_township_a)
    path = f"/api/elections/{election_a1.pk}"
    assert patch(client, path, {"seats": {"member": -1}}).status_code == 422
    assert patch(client, path, {"election_day": "next week"}).status_code == 422
    unknown = patch(client, path, {"seats": {"treasurer": 1}})
    assert unknown.status_code == 400
    assert "treasurer" in unknown.json()["detail"]


@pytest.mark.parametrize("who", ["user_observer", "user_committee_a1", "user_reviewer"])
def test_patch_without_the_capability_is_403(request, election_a1, client_for, who):
    client = client_for(request.getfixturevalue(who))

    response = patch(client, f"/api/elections/{election_a1.pk}", {"seats": {"member": 4}})

    assert response.status_code == 403
    assert seats_of(election_a1) == {"director": 1, "deputy": 1, "member": 3}
    assert Record.objects.count() == 0


def test_unsafe_methods_need_the_csrf_token(election_a1, client_for, user_township_a):
    client = client_for(user_township_a, csrf=True)
    path = f"/api/elections/{election_a1.pk}"

    refused = patch(client, path, {"seats": {"member": 4}})
    assert refused.status_code == 403
    assert seats_of(election_a1)["member"] == 3

    client.get("/places/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        path,
        json.dumps({"seats": {"member": 4}}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200
    assert seats_of(election_a1)["member"] == 4


def test_timeline_of_a_place(cycle, village_a1, client_for, user_township_a, election_day):
    response = client_for(user_township_a).get(
        f"/api/cycles/{cycle.pk}/places/430121001201/timeline"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["election_day"] == election_day.isoformat()
    assert body["place"] == {"code": "430121001201", "name": "金茶村", "kind": "village"}
    assert [s["key"] for s in body["steps"]] == [s.key for s in rules_timeline.STEPS]
    assert (body["done"], body["total"], body["percent"]) == (0, len(rules_timeline.STEPS) - 1, 0)
    voting = next(s for s in body["steps"] if s["key"] == "voting")
    assert voting == {
        "key": "voting",
        "title_zh": "投票选举",
        "title_en": "Voting",
        "section": "§6",
        "phase": "committee",
        "optional": False,
        "due": election_day.isoformat(),
        "status": "pending",
        "overdue": False,
        "late": False,
        "signed_off_by": None,
        "done_on": None,
        "note": "",
    }
    voter_list = next(s for s in body["steps"] if s["key"] == "voter_list_published")
    assert voter_list["due"] == (election_day - timedelta(days=20)).isoformat()
    survey = next(s for s in body["steps"] if s["key"] == "survey")
    assert survey["due"] == (election_day - timedelta(days=50)).isoformat()
    assert survey["overdue"] is True  # D − 50 is 20 days ago


def test_timeline_out_of_scope_or_of_a_non_electing_place_is_404(
    cycle, client_for, user_township_a
):
    client = client_for(user_township_a)
    assert client.get(f"/api/cycles/{cycle.pk}/places/430121100201/timeline").status_code == 404
    assert client.get(f"/api/cycles/{cycle.pk}/places/430121001000/timeline").status_code == 404


def test_sign_off_through_the_api_writes_an_audit_record(
    cycle, village_a1, client_for, user_committee_a1
):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = post(
        client_for(user_committee_a1),
        f"/api/cycles/{cycle.pk}/places/430121001201/steps/survey/sign-off",
        {"done_on": yesterday.isoformat(), "note": "入户走访完成"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["key"], body["status"], body["signed_off_by"], body["done_on"]) == (
        "survey",
        "done",
        "committee_a1",
        yesterday.isoformat(),
    )
    # due D − 50, 20 days ago: done yesterday, so done late and no longer overdue
    assert (body["late"], body["overdue"]) == (True, False)
    step = Step.objects.get(cycle=cycle, place=village_a1, key="survey")
    assert (step.status, step.note, step.signed_off_by) == (
        "done",
        "入户走访完成",
        user_committee_a1,
    )
    record = Record.objects.get()
    assert (record.action, record.username, record.place_code) == (
        "step.sign_off",
        "committee_a1",
        "430121001201",
    )
    assert record.after["step"] == "survey"
    assert record.after["status"] == "done"


def test_sign_off_refused_by_a_rule_is_400(cycle, client_for, user_township_a, english):
    client = client_for(user_township_a)
    base = f"/api/cycles/{cycle.pk}/places/430121001201/steps"

    blocked = post(client, f"{base}/party_township_review/sign-off", {})
    assert blocked.status_code == 400
    assert blocked.json() == {
        "detail": "Township committee review cannot be signed off before: "
        "Recommendation by members and public (DOMAIN §5.1)"
    }
    unknown = post(client, f"{base}/no_such_step/sign-off", {})
    assert unknown.status_code == 400
    assert unknown.json() == {"detail": "Unknown step: no_such_step"}
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert post(client, f"{base}/survey/sign-off", {"done_on": future}).status_code == 400
    assert Step.objects.filter(status="done").count() == 0
    assert Record.objects.count() == 0


@pytest.mark.parametrize("who", ["user_observer", "user_reviewer"])
def test_sign_off_without_the_capability_is_403(request, cycle, client_for, who):
    client = client_for(request.getfixturevalue(who))

    response = post(client, f"/api/cycles/{cycle.pk}/places/430121001201/steps/survey/sign-off", {})

    assert response.status_code == 403
    assert not Step.objects.exists()
    assert Record.objects.count() == 0


def test_sign_off_out_of_scope_is_404(cycle, client_for, user_township_b):
    response = post(
        client_for(user_township_b),
        f"/api/cycles/{cycle.pk}/places/430121001201/steps/survey/sign-off",
        {},
    )
    assert response.status_code == 404
    assert not Step.objects.exists()


def test_profile_values_with_an_override(
    cycle, township_a, client_for, user_county_admin, user_township_a
):
    services.set_override(user_county_admin, cycle, township_a, "proxies_per_person", 5)
    client = client_for(user_township_a)

    body = client.get(f"/api/cycles/{cycle.pk}/places/430121001201/profile").json()

    assert (body["profile"], body["title"]) == ("national", "全国通行")
    values = {v["name"]: v for v in body["values"]}
    assert values["proxies_per_person"] == {
        "name": "proxies_per_person",
        "title_zh": "每人接受委托上限",
        "title_en": "Entrustments per proxy",
        "section": "§6",
        "value": 5,
        "display": "5",
        "overridden": True,
    }
    assert (values["turnout_needed"]["value"], values["turnout_needed"]["overridden"]) == (
        "1/2",
        False,
    )
    assert values["village_committee_seats"]["value"] == [3, 7]
    assert values["reserved_woman_seat"]["value"] is False
    assert values["two_committees_posts"]["value"] is None
    assert values["plan.survey"]["value"] == -50
    assert values["plan.survey"]["title_zh"] is None

    county_view = client_for(user_county_admin).get(
        f"/api/cycles/{cycle.pk}/places/430121100201/profile"
    )
    other = {v["name"]: v["value"] for v in county_view.json()["values"]}
    assert other["proxies_per_person"] == 3
    assert client.get(f"/api/cycles/{cycle.pk}/places/430121100201/profile").status_code == 404


def test_elections_of_a_place_are_listed_after_patch(election_a1, client_for, user_county_admin):
    """A county admin's PATCH is seen by the next GET, as stored."""
    client = client_for(user_county_admin)
    patch(client, f"/api/elections/{election_a1.pk}", {"election_day": None})
    assert Election.objects.get(pk=election_a1.pk).election_day is None
    assert client.get(f"/api/elections/{election_a1.pk}").json()["election_day"] is None
