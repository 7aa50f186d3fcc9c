"""The JSON API of the complaints and incidents: the register and its filters, one
complaint and its handling, incidents, counts by type, the attention list, and the
role and area checks (401, 403, 404, 400 with the rule's message)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.complaints.models import Complaint, Incident

pytestmark = pytest.mark.usefixtures("english")


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_list_and_filter(
    client_for, cycle, complaint_a1, overdue_a1, complaint_b1, user_township_a, user_county_admin
):
    url = f"/api/cycles/{cycle.pk}/complaints"
    mine = client_for(user_township_a).get(url).json()
    assert mine["count"] == 2
    assert {c["number"] for c in mine["items"]} == {1, 2}
    county = client_for(user_county_admin)
    assert county.get(url).json()["count"] == 3
    overdue = county.get(url, {"state": "overdue"}).json()["items"]
    assert [(c["number"], c["state"], c["days_overdue"], c["anonymous"]) for c in overdue] == [
        (2, "overdue", 5, True)
    ]
    only_b = county.get(url, {"township": "430121100000"}).json()["items"]
    assert [c["place"] for c in only_b] == ["430121100201"]
    assert county.get(url, {"type": "bribery", "limit": 1}).json()["count"] == 1
    assert county.get(url, {"type": "gossip"}).status_code == 422


def test_register_and_handle(client_for, cycle, village_a1, user_township_a):
    client = client_for(user_township_a)
    today = timezone.localdate()
    response = post(
        client,
        f"/api/cycles/{cycle.pk}/complaints",
        {
            "place": village_a1.code,
            "type": "collective_assets",
            "channel": "letter",
            "summary": "村干部突击发放集体资金",
            "received_on": today.isoformat(),
            "complainant": "赵六",
        },
    )
    assert response.status_code == 201
    made = response.json()
    assert made["deadline"] == (today + timedelta(days=15)).isoformat()
    assert made["state"] == "open" and made["steps"] == []
    path = f"/api/complaints/{made['id']}"
    assert post(client, f"{path}/steps", {"action": "调取账目"}).status_code == 201
    escalated = post(client, f"{path}/escalate", {"note": "金额较大"}).json()
    assert escalated["escalated_to"] == "county_office"
    refused = post(client, f"{path}/close", {"outcome": "substantiated"})
    assert refused.status_code == 400
    assert "measures taken" in refused.json()["detail"]
    closed = post(client, f"{path}/close", {"outcome": "substantiated", "measures": "追回资金"})
    assert closed.json()["state"] == "closed"
    assert [s["kind"] for s in closed.json()["steps"]] == ["action", "escalated", "closed"]
    reopened = post(client, f"{path}/reopen", {"reason": "复核"}).json()
    assert reopened["state"] == "open"
    changed = patch(client, path, {"summary": "村干部突击发放集体资金（已复核）"}).json()
    assert changed["summary"].endswith("（已复核）")
    actions = list(
        Record.objects.filter(target_id=str(made["id"]), target_type="complaints.complaint")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaints.register",
        "complaints.step",
        "complaints.escalate",
        "complaints.close",
        "complaints.reopen",
        "complaints.change",
    ]


def test_scope_and_roles(
    client_for,
    cycle,
    complaint_a1,
    village_a1,
    user_township_b,
    user_observer,
    user_committee_a1,
    client,
):
    path = f"/api/complaints/{complaint_a1.pk}"
    other = client_for(user_township_b)
    assert other.get(path).status_code == 404
    assert post(other, f"{path}/steps", {"action": "x"}).status_code == 404
    observer = client_for(user_observer)
    assert observer.get(path).json()["number"] == 1
    assert post(observer, f"{path}/steps", {"action": "x"}).status_code == 403
    assert patch(observer, path, {"type": "other"}).status_code == 403
    body = {"place": village_a1.code, "type": "other", "channel": "phone", "summary": "x"}
    assert post(observer, f"/api/cycles/{cycle.pk}/complaints", body).status_code == 403
    assert post(other, f"/api/cycles/{cycle.pk}/complaints", body).status_code == 404
    committee = client_for(user_committee_a1)
    assert post(committee, f"/api/cycles/{cycle.pk}/complaints", body).status_code == 201
    assert post(committee, f"{path}/close", {"outcome": "unsubstantiated"}).status_code == 403
    assert client.get(path).status_code == 401
    assert Complaint.objects.count() == 2
    assert not complaint_a1.steps.exists()


def test_incidents(client_for, cycle, village_a1, incident_b1, user_township_a, user_county_admin):
    client = client_for(user_township_a)
    occurred = timezone.now() - timedelta(hours=2)
    response = post(
        client,
        f"/api/cycles/{cycle.pk}/incidents",
        {
            "place": village_a1.code,
            "level": "general",
            "occurred_at": occurred.isoformat(),
            "summary": "有人在会场散发传单",
        },
    )
    assert response.status_code == 201
    made = response.json()
    assert made["reported_to"] == ["township_office"]
    assert made["rises_at"] is not None and not made["escalated"]
    path = f"/api/incidents/{made['id']}"
    assert post(client, f"{path}/steps", {"action": "收缴传单"}).status_code == 201
    risen = post(client, f"{path}/escalate", {"note": "传单涉及诋毁候选人"}).json()
    assert (risen["level"], risen["escalated"]) == ("serious", True)
    assert risen["reported_to"] == ["township_group", "county_office"]
    done = post(client, f"{path}/resolve", {"resolution": "已处置"}).json()
    assert done["resolved_at"] is not None and done["rises_at"] is None
    assert [s["kind"] for s in done["steps"]] == ["action", "escalated", "resolved"]
    listed = client.get(f"/api/cycles/{cycle.pk}/incidents").json()
    assert [i["id"] for i in listed["items"]] == [made["id"]]
    assert client.get(f"/api/incidents/{incident_b1.pk}").status_code == 404
    county = client_for(user_county_admin).get(
        f"/api/cycles/{cycle.pk}/incidents", {"level": "severe"}
    )
    assert [i["id"] for i in county.json()["items"]] == [incident_b1.pk]
    bad = post(
        client,
        f"/api/cycles/{cycle.pk}/incidents",
        {"place": village_a1.code, "level": "general", "occurred_at": "soon", "summary": "x"},
    )
    assert bad.status_code == 422
    assert Incident.objects.count() == 2


def test_counts_and_attention(
    client_for,
    cycle,
    complaint_a1,
    overdue_a1,
    complaint_b1,
    incident_b1,
    user_county_admin,
    user_township_a,
):
    county = client_for(user_county_admin)
    counts = county.get(f"/api/cycles/{cycle.pk}/complaints/counts").json()
    assert counts["within"] == "430121000000" and counts["total"] == 3
    assert counts["counts"]["bribery"] == 1 and counts["counts"]["other"] == 0
    assert set(counts["below"]) == {"430121001000", "430121100000"}
    township = client_for(user_township_a)
    a = township.get(f"/api/cycles/{cycle.pk}/complaints/counts").json()
    assert a["within"] == "430121001000" and a["total"] == 2
    assert (
        township.get(
            f"/api/cycles/{cycle.pk}/complaints/counts", {"within": "430121100000"}
        ).status_code
        == 404
    )
    items = county.get(f"/api/cycles/{cycle.pk}/attention").json()
    assert [(i["kind"], i["grade"]) for i in items] == [
        ("incident", "severe"),
        ("complaint", "overdue"),
    ]
    mine = township.get(f"/api/cycles/{cycle.pk}/attention").json()
    assert [(i["kind"], i["id"]) for i in mine] == [("complaint", overdue_a1.pk)]
