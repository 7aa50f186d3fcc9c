"""Who counts and the members' meeting through the JSON API (DOMAIN §8)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from huanjie.party.models import Leave, Meeting, SeatReduction
from huanjie.polling import counting, outcomes
from huanjie.polling.models import Poll

pytestmark = pytest.mark.django_db

VOTERS = ("丁一", "王芳", "王强", "方敏", "石磊", "朱红", "刘伟", "吴丽", "张勇", "陈霞")


def post(client, path, data=None):
    return client.post(f"/api{path}", json.dumps(data or {}), content_type="application/json")


def days_ago(n):
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def test_leaves_and_the_due_number(
    client_for, party_election, members, user_township_a, user_committee_a1
):
    committee = client_for(user_committee_a1)
    base = f"/elections/{party_election.pk}/party"
    due = committee.get(f"/api{base}/due").json()
    assert (due["due"], due["roster"], due["voters"]) == (10, 12, 10)
    assert {g["reason"] for g in due["without_vote"]} == {"probationary", "probation_sanction"}
    assert all("*" in p["id_number"] for p in due["members"])
    response = post(
        committee,
        f"{base}/leaves",
        {"member": members["陈霞"].pk, "reason": "bedridden", "branch_decided_on": days_ago(5)},
    )
    assert response.status_code == 200, response.content
    leave = response.json()
    assert not leave["counts"] and leave["findings"][0]["code"] == "members.approval_missing"
    # The committee may not record the upper level's consent; the township may.
    path = f"/api/party/leaves/{leave['id']}"
    body = json.dumps({"upper_level_agreed_on": days_ago(3)})
    assert committee.patch(path, body, content_type="application/json").status_code == 403
    township = client_for(user_township_a)
    assert township.patch(path, body, content_type="application/json").status_code == 200
    body = json.dumps({"meeting_approved_on": days_ago(1)})
    changed = committee.patch(path, body, content_type="application/json").json()
    assert changed["counts"] and changed["findings"] == []
    due = committee.get(f"/api{base}/due").json()
    assert due["due"] == 9 and due["left_out"][0]["reason"] == "bedridden"
    assert committee.get(f"/api{base}/leaves").json()[0]["counts"]
    response = post(committee, f"/party/leaves/{leave['id']}/withdraw", {"reason": ""})
    assert response.status_code == 400
    response = post(committee, f"/party/leaves/{leave['id']}/withdraw", {"reason": "本人在家"})
    assert response.json()["due"] == 10 and not Leave.objects.exists()


def test_a_meeting_without_quorum_then_one_that_votes(
    english, client_for, party_election, final_list, members, user_committee_a1
):
    client = client_for(user_committee_a1)
    base = f"/elections/{party_election.pk}/party/meetings"
    today = timezone.localdate().isoformat()
    first = post(client, base, {"held_on": today, "venue": "村部"}).json()
    for name in VOTERS[:8]:
        response = post(
            client, f"/party/meetings/{first['id']}/attendance", {"member": members[name].pk}
        )
    meeting = response.json()
    assert meeting["quorum"] == {
        "due": 10,
        "present": 8,
        "without_vote": 0,
        "needed": 9,
        "share": "4/5",
        "quorum": False,
    }
    response = post(client, f"/party/meetings/{first['id']}/method")
    assert response.status_code == 400 and "Without quorum" in response.json()["detail"]
    assert post(client, f"/party/meetings/{first['id']}/vote").status_code == 400
    adjourned = post(client, f"/party/meetings/{first['id']}/adjourn").json()
    assert (adjourned["state"], adjourned["due"], adjourned["present"]) == ("adjourned", 10, 8)

    second = post(client, base, {"held_on": today, "venue": "村部"}).json()
    path = f"/party/meetings/{second['id']}"
    for name in VOTERS[:9] + ("许静",):
        post(client, f"{path}/attendance", {"member": members[name].pk})
    again = post(client, f"{path}/attendance", {"member": members["丁一"].pk})
    assert again.status_code == 400 and "checked in already" in again.json()["detail"]
    found = client.get(f"/api{path}/find", {"q": "xj"}).json()
    assert found[0]["no_vote"] == "probationary" and found[0]["attendance"]
    meeting = client.get(f"/api{path}").json()
    assert (meeting["quorum"]["present"], meeting["quorum"]["without_vote"]) == (9, 1)
    # A check-in by mistake is taken back with a reason.
    mistaken = meeting["attendance"][-1]
    undone = post(client, f"{path}/attendance/{mistaken['id']}/undo", {"reason": "点错"})
    assert undone.json()["quorum"]["without_vote"] == 0
    assert post(client, f"{path}/method", {"text": "差额选举"}).json()["method_text"] == "差额选举"
    voting = post(client, f"{path}/vote").json()
    assert voting["state"] == "voting" and voting["due"] == 10 and voting["present"] == 9
    poll = Poll.objects.get(pk=voting["poll"])
    assert (poll.electorate, poll.present) == (10, 9)
    assert Meeting.objects.get(pk=second["id"]).poll == poll


def test_seat_reduction_through_the_api(
    english, client_for, party_election, final_list, members, user_committee_a1, user_observer
):
    from huanjie.candidates.models import Candidate
    from huanjie.party import meetings

    party_election.offices.filter(key="member").update(seats=3)
    for name in ("张勇", "陈霞"):
        Candidate.objects.create(
            election=party_election,
            office=party_election.offices.get(key="member"),
            resident=members[name].resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.RECOMMENDATION,
        )
    user = user_committee_a1
    meeting = meetings.call(user, party_election, timezone.localdate())
    for name in VOTERS[:9]:
        meetings.check_in(user, meeting, members[name])
    meetings.adopt_method(user, meeting)
    poll = meetings.open_vote(user, meeting)
    ids = {c["name"]: c["id"] for c in poll.candidates}
    ballots = [["丁一", "王芳", "刘伟", "吴丽"]] * 6 + [["陈霞"]] * 3
    for number, names in enumerate(ballots, 1):
        for counter in (1, 2):
            counting.enter(user, poll, counter, number, {"member": [ids[n] for n in names]})
    counting.compute(user, poll)
    outcomes.confirm(user, poll)
    path = f"/party/polls/{poll.pk}/seat-reduction"
    assert post(client_for(user_observer), path, {"consenting": 7}).status_code == 403
    response = post(client_for(user), path, {"consenting": 5})
    assert response.status_code == 400 and "more than half of 10" in response.json()["detail"]
    assert post(client_for(user), path, {"consenting": -1}).status_code == 422
    done = post(client_for(user), path, {"consenting": 7}).json()
    assert (done["seats_before"], done["seats_after"], done["consenting"], done["base"]) == (
        5,
        4,
        7,
        10,
    )
    assert SeatReduction.objects.count() == 1
    state = client_for(user).get(f"/api/elections/{party_election.pk}/outcome").json()
    assert state["complete"] and state["due"] == []


def test_scope_and_roles(
    client_for, party_election, members, user_township_b, user_observer, cycle
):
    base = f"/elections/{party_election.pk}/party"
    assert client_for(user_township_b).get(f"/api{base}/due").status_code == 404
    assert client_for(user_observer).get(f"/api{base}/due").status_code == 200
    response = post(client_for(user_observer), f"{base}/meetings", {"held_on": "2026-12-27"})
    assert response.status_code == 403
    other = cycle.elections.exclude(body="party_committee").first()
    assert client_for(user_observer).get(f"/api/elections/{other.pk}/party/due").status_code == 404
