"""The delegate congress in the JSON API (/api/elections/{id}/congress…)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from test_congress import make_roster

from huanjie.party.models import Congress, Delegate, Meeting


@pytest.fixture
def roster(village_a1, cycle):
    return make_roster(village_a1)


def send(client, method, path, data=None):
    return getattr(client, method)(path, json.dumps(data or {}), content_type="application/json")


def base(election):
    return f"/api/elections/{election.pk}/congress"


def approval(**changes):
    return {
        "approved_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "reference": "湘星组〔2026〕7号",
        "delegates": 10,
        **changes,
    }


@pytest.fixture
def approved(client_for, party_election, roster, user_township_a):
    response = send(client_for(user_township_a), "put", base(party_election), approval())
    assert response.status_code == 200, response.content
    return response.json()


def test_approval_and_units(approved, party_election):
    assert approved["delegates"] == 10
    assert approved["targets"]["cadres_at_most"] == "1/2"
    assert [(u["name"], u["members"], u["seats"], u["needed"]) for u in approved["units"]] == [
        ("第一党小组", 21, 5, 6),
        ("第三党小组", 7, 2, 3),
        ("第二党小组", 12, 3, 4),
    ]
    assert [f["code"] for f in approved["findings"]] == ["congress.few_members"]
    assert [f["code"] for u in approved["units"] for f in u["findings"]] == ["congress.surplus"] * 3


def test_no_congress_is_404_and_scope(
    client_for, party_election, roster, user_township_a, user_township_b, user_observer
):
    assert client_for(user_township_a).get(base(party_election)).status_code == 404
    assert client_for(user_township_b).get(base(party_election)).status_code == 404
    assert (
        send(client_for(user_township_b), "put", base(party_election), approval()).status_code
        == 404
    )
    assert (
        send(client_for(user_observer), "put", base(party_election), approval()).status_code == 403
    )
    assert not Congress.objects.exists()


@pytest.mark.usefixtures("english")
def test_refusals_are_400_with_the_message(client_for, party_election, roster, user_township_a):
    client = client_for(user_township_a)
    response = send(client, "put", base(party_election), approval(delegates=2))
    assert response.status_code == 400
    assert "cannot give each of the 3 units" in response.json()["detail"]
    response = send(
        client, "put", base(party_election), approval(targets={"women_at_least": "abc"})
    )
    assert response.status_code == 400
    response = send(
        client, "put", base(party_election), approval(targets={"women_at_least": "3/2"})
    )
    assert response.json()["detail"] == "women_at_least must be between 0 and 1."


def test_the_whole_way_to_the_congress(
    client_for, approved, party_election, roster, user_committee_a1, user_observer
):
    client = client_for(user_committee_a1)
    units = {u["name"]: u for u in approved["units"]}
    for name, unit in units.items():
        members = [m for m in roster.values() if m.cell == name and m.status == "full"]
        for m in members[: unit["seats"] + 1]:
            response = send(
                client,
                "post",
                f"{base(party_election)}/units/{unit['id']}/candidates",
                {"member": m.resident.name},
            )
            assert response.status_code == 200, response.content
    answer = client.get(base(party_election)).json()
    for unit in answer["units"]:
        assert unit["findings"] == []
        # More than half of the unit's members elect (DOMAIN §8).
        votes = {str(c["id"]): unit["members"] - i for i, c in enumerate(unit["candidates"])}
        if unit["name"] == "第三党小组":
            votes = {str(c["id"]): 5 for c in unit["candidates"]}  # a three-way tie
        response = send(
            client, "post", f"{base(party_election)}/units/{unit['id']}/result", {"votes": votes}
        )
        assert response.status_code == 200
    answer = response.json()
    third = next(u for u in answer["units"] if u["name"] == "第三党小组")
    assert len(third["tied"]) == 3 and not any(c["elected"] for c in third["candidates"])
    assert not answer["all_reviewed"]
    votes = {str(c["id"]): 5 - i for i, c in enumerate(third["candidates"])}
    answer = send(
        client, "post", f"{base(party_election)}/units/{third['id']}/result", {"votes": votes}
    ).json()
    elected = [c for u in answer["units"] for c in u["candidates"] if c["elected"]]
    assert len(elected) == 10
    assert all("*" in c["member"]["id_number"] for c in elected)
    # the observer reads but does not review
    path = f"{base(party_election)}/delegates/{elected[0]['id']}/review"
    assert send(client_for(user_observer), "post", path, {"confirmed": True}).status_code == 403
    response = send(client, "post", path, {"confirmed": False})
    assert response.status_code == 400
    for c in elected:
        path = f"{base(party_election)}/delegates/{c['id']}/review"
        assert send(client, "post", path, {"confirmed": True}).status_code == 200
    seated = client.get(f"{base(party_election)}/seated").json()
    assert len(seated) == 10
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = send(
        client, "post", f"{base(party_election)}/call", {"held_on": day, "venue": "村部"}
    )
    assert response.status_code == 200
    assert response.json()["kind"] == "congress" and response.json()["seated"] == 10
    assert Meeting.objects.get(pk=response.json()["id"]).kind == Meeting.Kind.CONGRESS
    assert client.get(base(party_election)).json()["meeting"] == response.json()["id"]


def test_remove_a_candidate(client_for, approved, party_election, roster, user_committee_a1):
    client = client_for(user_committee_a1)
    unit = approved["units"][0]
    member = next(m for m in roster.values() if m.cell == unit["name"])
    send(
        client,
        "post",
        f"{base(party_election)}/units/{unit['id']}/candidates",
        {"member": member.resident.id_number},
    )
    delegate = Delegate.objects.get()
    response = client.delete(f"{base(party_election)}/candidates/{delegate.pk}")
    assert response.status_code == 200
    assert not Delegate.objects.exists()
