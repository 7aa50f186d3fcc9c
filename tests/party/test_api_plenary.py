"""The plenary and the two committees through the API."""

import pytest
from django.utils import timezone
from plenary_shared import committee_winners, elect_committee

from huanjie.cycles.models import Election
from huanjie.party.models import Plenary

TODAY = timezone.localdate().isoformat()


@pytest.fixture
def elected(final_list, party_election, members, user_township_a):
    elect_committee(user_township_a, party_election, members)
    return party_election


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_plenary_from_opening_to_approval(
    elected, members, residents, cycle, village_a1, user_committee_a1, user_township_a, client_for
):
    client = client_for(user_committee_a1)
    url = f"/api/elections/{elected.pk}/plenaries"
    assert client.get(url).json() == []
    opened = post(client, url, {"held_on": TODAY, "present": 5})
    assert opened.status_code == 200, opened.content
    held = opened.json()
    assert [c["name"] for c in held["committee"]] == ["丁一", "王芳", "王强", "刘伟", "吴丽"]
    assert [(c["office"], c["name"]) for c in held["candidates"]] == [
        ("secretary", "丁一"),
        ("deputy_secretary", "王芳"),
    ]
    again = post(client, url, {"held_on": TODAY, "present": 5})
    assert again.status_code == 400

    votes = f"/api/plenaries/{held['id']}/votes"
    outsider = post(client, votes, {"counts": {"secretary": {"石磊": 5}}})
    assert outsider.status_code == 400
    assert "石磊" in outsider.json()["detail"]
    counted = post(
        client,
        votes,
        {"counts": {"secretary": {"丁一": 5}, "deputy_secretary": {f"m{members['王芳'].pk}": 4}}},
    ).json()
    assert counted["elected"] == {"secretary": ["丁一"], "deputy_secretary": ["王芳"]}
    assert counted["result"]["turnout"] == {"electorate": 5, "participants": 5, "rate": 1.0}
    assert {r["reason"] for r in counted["reasons"]} == {"elected"}

    reported = post(client, f"/api/plenaries/{held['id']}/report", {"reported_on": TODAY})
    assert reported.json()["state"] == "reported"
    approval = {
        "approved_on": TODAY,
        "approved_by": "星沙街道党工委",
        "reference": "星工〔2026〕9号",
    }
    assert post(client, f"/api/plenaries/{held['id']}/approval", approval).status_code == 403
    seats = post(client_for(user_township_a), f"/api/plenaries/{held['id']}/approval", approval)
    assert seats.status_code == 200, seats.content
    assert [(s["office"], s["name"]) for s in seats.json()][:2] == [
        ("secretary", "丁一"),
        ("deputy_secretary", "王芳"),
    ]
    assert Plenary.objects.get().state == Plenary.State.APPROVED

    village = Election.objects.get(cycle=cycle, place=village_a1, body="villagers_committee")
    committee_winners(village, user_township_a, [("丁一", "director", residents["丁一"])])
    two = client.get(f"/api/cycles/{cycle.pk}/places/{village_a1.code}/two-committees").json()
    assert two["dual_head"] is True
    assert two["cross_appointed"] == ["丁一"]
    report = client_for(user_township_a).get(f"/api/cycles/{cycle.pk}/two-committees").json()
    assert report["within"] == "430121001000"
    assert report["rates"]["dual_head_places"] == 1
    assert report["rates"]["dual_head_rate"] == 0.5  # 金茶村 of 金茶村 and 松雅社区
    assert report["rates"]["cross_appointment_rate"] == 0.2  # 丁一 of five people


def test_a_report_is_withdrawn_and_an_open_plenary_cancelled(
    elected, user_committee_a1, client_for
):
    client = client_for(user_committee_a1)
    held = post(client, f"/api/elections/{elected.pk}/plenaries", {"held_on": TODAY, "present": 4})
    held = held.json()
    counted = post(
        client,
        f"/api/plenaries/{held['id']}/votes",
        {"counts": {"secretary": {"丁一": 4}, "deputy_secretary": {"王芳": 4}}},
    ).json()
    assert counted["result"]["void_reasons"] == ["quorum_not_met"]
    refused = post(client, f"/api/plenaries/{held['id']}/report", {"reported_on": TODAY})
    assert refused.status_code == 400
    assert client.delete(f"/api/plenaries/{held['id']}").status_code == 204
    assert not Plenary.objects.exists()


def test_scope_and_roles(elected, cycle, user_township_b, user_observer, client_for):
    url = f"/api/elections/{elected.pk}/plenaries"
    assert client_for(user_township_b).get(url).status_code == 404
    observer = client_for(user_observer)
    assert observer.get(url).status_code == 200
    assert post(observer, url, {"held_on": TODAY, "present": 5}).status_code == 403
    other = client_for(user_township_b).get(
        f"/api/cycles/{cycle.pk}/places/{elected.place.code}/two-committees"
    )
    assert other.status_code == 404
