"""The candidates part of the JSON API, driven through a whole nomination of 金茶村's
村委会 (1 director, 2 members: 2 + 3 nominees) and the 两推一选 of its party committee,
with the pages' scope and capability rules (fixtures in tests/candidates/conftest.py)."""

import json
from datetime import timedelta

import pytest
from candidates_shared import ROWS, TOP_SIX
from django.urls import reverse
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.candidates.models import Candidate, Notice

pytestmark = pytest.mark.usefixtures("english")

A1 = "430121001201"


def today():
    return timezone.localdate()


def ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def by_name(candidates) -> dict:
    return {c["name"]: c for c in candidates}


def names(candidates) -> list[str]:
    return [c["name"] for c in candidates]


def place_candidates(client, cycle) -> dict:
    response = client.get(f"/api/cycles/{cycle.pk}/places/{A1}/candidates")
    assert response.status_code == 200, response.content
    return response.json()


def committee_of(body) -> dict:
    return next(e for e in body["elections"] if e["body"] == "villagers_committee")


def assert_masked(response, voters):
    text = response.content.decode()
    assert not any(v.id_number in text for v in voters.values())


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


@pytest.fixture
def township(client_for, user_township_a):
    return client_for(user_township_a)


@pytest.fixture
def meeting(posted, election, committee):
    """The meeting held today, 12 of 16 voters present, counted as totals."""
    response = post(
        committee,
        f"/api/elections/{election.pk}/nomination/meeting",
        {"held_on": today().isoformat(), "present": 12},
    )
    assert response.status_code == 200, response.content
    return response.json()


def enter(client, election, office, rows):
    return post(
        client,
        f"/api/elections/{election.pk}/nomination/totals",
        {"office": office, "rows": [{"voter": v, "votes": n} for v, n in rows]},
    )


@pytest.fixture
def counted(meeting, election, committee):
    """Director: 张勇 9, 王芳 7, 丁一 2. Members (3 places): 方敏 8, 刘伟 6, 黄涛 5,
    李军 4, 周洁 1. Returns the answer of the count."""
    assert (
        enter(committee, election, "director", [("张勇", 9), ("王芳", 7), ("丁一", 2)]).status_code
        == 200
    )
    members = [("方敏", 8), ("刘伟", 6), ("黄涛", 5), ("李军", 4), ("周洁", 1)]
    assert enter(committee, election, "member", members).status_code == 200
    response = post(committee, f"/api/elections/{election.pk}/nomination/count")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_schema_lists_the_candidates_paths(client_for, user_observer):
    paths = client_for(user_observer).get("/api/openapi.json").json()["paths"]

    expected = {
        "/api/cycles/{id}/places/{code}/candidates": {"get"},
        "/api/cycles/{id}/places/{code}/candidates/findings": {"get"},
        "/api/elections/{id}/nomination": {"get"},
        "/api/elections/{id}/nomination/meeting": {"post"},
        "/api/elections/{id}/nomination/totals": {"post"},
        "/api/elections/{id}/nomination/ballots": {"post"},
        "/api/elections/{id}/nomination/count": {"post"},
        "/api/elections/{id}/nomination/revote": {"post"},
        "/api/elections/{id}/notices/nomination": {"post"},
        "/api/elections/{id}/notices/formal": {"post"},
        "/api/elections/{id}/notices/publicity": {"post"},
        "/api/cycles/{id}/departments": {"get"},
        "/api/cycles/{id}/reviews/{department_id}": {"get"},
        "/api/candidates/{id}/verdicts": {"post"},
        "/api/candidates/{id}/withdraw": {"post"},
        "/api/candidates/{id}/inspection": {"post"},
        "/api/elections/{id}/recommendation": {"post"},
        "/api/elections/{id}/recommendation/decision": {"post"},
        "/api/elections/{id}/recommendation/request": {"post"},
        "/api/elections/{id}/recommendation/approval": {"post"},
    }
    assert {path: set(paths.get(path, ())) for path in expected} == expected
    schemas = client_for(user_observer).get("/api/openapi.json").json()["components"]["schemas"]
    assert {"id", "kind", "published_on", "url"} <= set(schemas["NoticeOut"]["properties"])


def test_a_meeting_below_the_quorum_is_refused(posted, election, committee):
    path = f"/api/elections/{election.pk}/nomination/meeting"

    refused = post(committee, path, {"held_on": today().isoformat(), "present": 8})
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "8 of 16 voters are present: a nomination meeting needs more than half of "
        "the voters (at least 9) (DOMAIN §5.1)."
    }
    assert committee.get(f"/api/elections/{election.pk}/nomination").json()["meeting"] is None

    opened = post(committee, path, {"held_on": today().isoformat(), "present": 9})
    assert opened.status_code == 200
    meeting = opened.json()["meeting"]
    assert (meeting["voters"], meeting["present"], meeting["counted"]) == (16, 9, False)
    assert meeting["places"] == {"director": 2, "member": 3}
    assert meeting["method"] == "totals"


def test_totals_wait_for_the_meeting_and_name_voters_of_the_place(
    posted, election, committee, voters
):
    early = enter(committee, election, "director", [("张勇", 9)])
    assert early.status_code == 400
    assert "meeting has not been recorded" in early.json()["detail"]
    post(
        committee,
        f"/api/elections/{election.pk}/nomination/meeting",
        {"held_on": today().isoformat(), "present": 12},
    )
    unknown = enter(committee, election, "director", [("张三", 9)])
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "No voter of 金茶村 is 张三."


def test_the_count_makes_the_nominees(counted, election, committee, voters):
    added = counted["added"]
    assert names(added) == ["张勇", "王芳", "方敏", "刘伟", "黄涛"]
    assert {c["source"] for c in added} == {"nomination"}

    state = committee.get(f"/api/elections/{election.pk}/nomination").json()
    assert state["meeting"]["counted"] is True
    assert state["ties"] == {}
    member = next(o for o in state["offices"] if o["office"] == "member")
    assert member["places"] == 3
    assert [(t["name"], t["votes"]) for t in member["rounds"][0]] == [
        ("方敏", 8),
        ("刘伟", 6),
        ("黄涛", 5),
        ("李军", 4),
        ("周洁", 1),
    ]
    again = post(committee, f"/api/elections/{election.pk}/nomination/count")
    assert again.status_code == 400
    assert "counted already" in again.json()["detail"]


def test_the_place_lists_its_candidates(
    counted, cycle, election, departments, client_for, user_observer, voters, d
):
    response = client_for(user_observer).get(f"/api/cycles/{cycle.pk}/places/{A1}/candidates")

    assert response.status_code == 200
    body = response.json()
    assert body["place"] == {"code": A1, "name": "金茶村", "kind": "village"}
    committee = committee_of(body)
    assert committee["id"] == election.pk
    assert committee["is_final"] is False
    assert committee["notices"] == []
    assert committee["recommendation"] is None
    assert [(c["office"], c["name"], c["votes"]) for c in committee["candidates"]] == [
        ("director", "张勇", 9),
        ("director", "王芳", 7),
        ("member", "方敏", 8),
        ("member", "刘伟", 6),
        ("member", "黄涛", 5),
    ]
    zhang = committee["candidates"][0]
    number = voters["张勇"].id_number
    assert zhang["id_number"] == number[:3] + "*" * 11 + number[-4:]
    assert zhang["age"] == d.year - 1978 - ((d.month, d.day) < (3, 11))
    assert zhang["sex"] == "M"
    assert (zhang["status"], zhang["source"], zhang["replaces"]) == ("nominee", "nomination", None)
    assert zhang["review"] == {
        "state": "awaiting",
        "awaiting": ["纪检监察机关", "公安局"],
        "by": [],
        "items": [],
    }
    assert_masked(response, voters)


def test_the_findings_of_the_slate(counted, cycle, departments, client_for, user_observer):
    response = client_for(user_observer).get(
        f"/api/cycles/{cycle.pk}/places/{A1}/candidates/findings"
    )

    assert response.status_code == 200
    findings = response.json()
    assert findings
    assert set(findings[0]) == {"code", "section", "level", "message_zh", "message_en", "params"}
    awaiting = [f for f in findings if f["section"] == "§5.2"]
    assert awaiting and {f["level"] for f in awaiting} == {"error"}


def test_a_hit_disqualifies_and_the_backfill_appears(
    counted,
    cycle,
    election,
    departments,
    client_for,
    discipline_reviewer,
    police_reviewer,
    voters,
):
    discipline, police = departments
    reviewer = client_for(discipline_reviewer)
    fang = by_name(committee_of(place_candidates(reviewer, cycle))["candidates"])["方敏"]

    response = post(
        reviewer,
        f"/api/candidates/{fang['id']}/verdicts",
        {
            "department": discipline.pk,
            "outcome": "hit",
            "items": [8],
            "note": "挪用惠民资金，未退赔",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"]["department"] == "纪检监察机关"
    assert (body["verdict"]["outcome"], body["verdict"]["items"]) == ("hit", [8])
    assert body["verdict"]["user"] == "discipline"
    assert body["candidate"]["status"] == "disqualified"
    assert body["candidate"]["review"] == {
        "state": "disqualified",
        "awaiting": [],  # nothing more is awaited from anyone once one department hit
        "by": ["纪检监察机关"],
        "items": [8],
    }
    assert names(body["added"]) == ["李军"]
    assert_masked(response, voters)

    committee = committee_of(place_candidates(reviewer, cycle))
    li = by_name(committee["candidates"])["李军"]
    assert (li["status"], li["source"], li["replaces"]) == ("nominee", "backfill", fang["id"])
    assert li["review"]["state"] == "awaiting"
    assert by_name(committee["candidates"])["方敏"]["status"] == "disqualified"

    # The replacement waits for both departments, like everyone else.
    queue = client_for(police_reviewer).get(f"/api/cycles/{cycle.pk}/reviews/{police.pk}")
    assert queue.status_code == 200
    assert queue.json()["count"] == 5
    assert "李军" in names(queue.json()["items"]) and "方敏" not in names(queue.json()["items"])
    item = queue.json()["items"][0]
    assert item["place"]["code"] == A1 and item["election"] == election.pk
    assert item["verdict"] is None
    zhang = by_name(committee["candidates"])["张勇"]
    cleared = post(
        reviewer,
        f"/api/candidates/{zhang['id']}/verdicts",
        {"department": discipline.pk, "outcome": "clear", "note": "无"},
    )
    assert cleared.status_code == 200 and cleared.json()["added"] == []
    answered = reviewer.get(
        f"/api/cycles/{cycle.pk}/reviews/{discipline.pk}", {"answered": True, "place": A1}
    )
    # Those answered still under review: the disqualified have left the queues.
    assert names(answered.json()["items"]) == ["张勇"]
    assert answered.json()["items"][0]["verdict"]["outcome"] == "clear"
    assert answered.json()["items"][0]["review"]["awaiting"] == ["公安局"]
    page = client_for(police_reviewer).get(
        f"/api/cycles/{cycle.pk}/reviews/{police.pk}", {"limit": 2, "offset": 4}
    )
    assert (page.json()["count"], len(page.json()["items"])) == (5, 1)

    # A reviewer answers for their own department only.
    other = client_for(police_reviewer).get(f"/api/cycles/{cycle.pk}/reviews/{discipline.pk}")
    assert other.status_code == 403
    refused = post(
        client_for(police_reviewer),
        f"/api/candidates/{li['id']}/verdicts",
        {"department": discipline.pk, "outcome": "clear"},
    )
    assert refused.status_code == 403
    departments_seen = reviewer.get(f"/api/cycles/{cycle.pk}/departments").json()
    assert [(d["name"], d["can_review"]) for d in departments_seen] == [
        ("纪检监察机关", True),
        ("公安局", False),
    ]


def test_a_hit_needs_the_evidence(counted, cycle, departments, township):
    zhang = by_name(committee_of(place_candidates(township, cycle))["candidates"])["张勇"]
    response = post(
        township,
        f"/api/candidates/{zhang['id']}/verdicts",
        {"department": departments[0].pk, "outcome": "hit", "items": [2]},
    )
    assert response.status_code == 400
    assert "evidence" in response.json()["detail"]
    assert Candidate.objects.get(pk=zhang["id"]).status == "nominee"


def test_an_observer_cannot_change_anything(
    counted, cycle, election, departments, client_for, user_observer
):
    observer = client_for(user_observer)
    zhang = by_name(committee_of(place_candidates(observer, cycle))["candidates"])["张勇"]
    attempts = [
        (
            f"/api/elections/{election.pk}/nomination/meeting",
            {"held_on": today().isoformat(), "present": 12},
        ),
        (f"/api/elections/{election.pk}/nomination/totals", {"office": "member", "rows": []}),
        (f"/api/elections/{election.pk}/nomination/count", {}),
        (f"/api/elections/{election.pk}/notices/formal", {"published_on": today().isoformat()}),
        (
            f"/api/candidates/{zhang['id']}/verdicts",
            {"department": departments[0].pk, "outcome": "clear"},
        ),
        (f"/api/candidates/{zhang['id']}/withdraw", {"reason": "本人申请"}),
    ]
    for path, data in attempts:
        assert post(observer, path, data).status_code == 403, path
    assert observer.get(f"/api/cycles/{cycle.pk}/departments").json()[0]["can_review"] is False
    assert not Record.objects.filter(username="observer").exists()


def test_another_township_does_not_see_the_place(
    counted, cycle, election, departments, client_for, user_township_b
):
    other = client_for(user_township_b)
    candidate = Candidate.objects.filter(election=election).first()

    assert other.get(f"/api/cycles/{cycle.pk}/places/{A1}/candidates").status_code == 404
    assert other.get(f"/api/cycles/{cycle.pk}/places/{A1}/candidates/findings").status_code == 404
    assert other.get(f"/api/elections/{election.pk}/nomination").status_code == 404
    assert (
        post(
            other,
            f"/api/elections/{election.pk}/nomination/meeting",
            {"held_on": today().isoformat(), "present": 12},
        ).status_code
        == 404
    )
    assert (
        post(
            other,
            f"/api/candidates/{candidate.pk}/verdicts",
            {"department": departments[0].pk, "outcome": "clear"},
        ).status_code
        == 404
    )
    assert (
        post(other, f"/api/candidates/{candidate.pk}/withdraw", {"reason": "x"}).status_code == 404
    )
    queue = other.get(f"/api/cycles/{cycle.pk}/reviews/{departments[0].pk}", {"place": A1})
    assert queue.status_code == 404
    assert other.get(f"/api/cycles/{cycle.pk}/reviews/{departments[0].pk}").json()["count"] == 0


def test_a_tie_waits_for_a_revote(meeting, election, committee):
    enter(committee, election, "director", [("张勇", 9), ("王芳", 7)])
    enter(committee, election, "member", [("方敏", 8), ("刘伟", 6), ("黄涛", 5), ("李军", 5)])
    post(committee, f"/api/elections/{election.pk}/nomination/count")

    state = committee.get(f"/api/elections/{election.pk}/nomination").json()
    assert state["ties"] == {"member": {"names": ["李军", "黄涛"], "places": 1}}
    notice = post(
        committee,
        f"/api/elections/{election.pk}/notices/nomination",
        {"published_on": today().isoformat()},
    )
    assert notice.status_code == 400 and "re-vote" in notice.json()["detail"]
    path = f"/api/elections/{election.pk}/nomination/revote"
    partial = post(committee, path, {"office": "member", "votes": [{"voter": "黄涛", "votes": 3}]})
    assert partial.status_code == 400 and "tied people" in partial.json()["detail"]

    response = post(
        committee,
        path,
        {
            "office": "member",
            "votes": [{"voter": "黄涛", "votes": 4}, {"voter": "李军", "votes": 7}],
        },
    )

    assert response.status_code == 200
    assert [(c["name"], c["source"], c["votes"]) for c in response.json()["added"]] == [
        ("李军", "revote", 5)
    ]
    state = committee.get(f"/api/elections/{election.pk}/nomination").json()
    assert state["ties"] == {}
    member = next(o for o in state["offices"] if o["office"] == "member")
    assert [(t["name"], t["votes"]) for t in member["rounds"][1]] == [("李军", 7), ("黄涛", 4)]


def test_ballots_are_entered_and_counted(posted, election, committee, voters):
    post(
        committee,
        f"/api/elections/{election.pk}/nomination/meeting",
        {"held_on": today().isoformat(), "present": 12, "method": "ballots"},
    )
    path = f"/api/elections/{election.pk}/nomination/ballots"
    for _ in range(3):
        ballot = post(committee, path, {"sections": {"director": ["张勇"], "member": ["方敏"]}})
        assert ballot.status_code == 200
    number = voters["刘伟"].id_number
    last = post(committee, path, {"sections": {"director": ["王芳"], "member": [number, "黄涛"]}})
    assert last.json() == {
        "number": 4,
        "sections": {"director": ["王芳"], "member": ["刘伟", "黄涛"]},
    }
    before = committee.get(f"/api/elections/{election.pk}/nomination")
    assert before.json()["meeting"]["ballots"] == 4
    assert_masked(before, voters)
    totals = enter(committee, election, "director", [("张勇", 3)])
    assert totals.status_code == 400 and "ballot by ballot" in totals.json()["detail"]

    counted = post(committee, f"/api/elections/{election.pk}/nomination/count")

    assert counted.status_code == 200
    added = names(counted.json()["added"])
    assert added[:3] == ["张勇", "王芳", "方敏"] and set(added[3:]) == {"刘伟", "黄涛"}
    state = committee.get(f"/api/elections/{election.pk}/nomination").json()
    assert state["meeting"]["ballots"] == 4 and state["ties"] == {}


def test_the_formal_list_after_every_verdict_closes_the_list(
    counted, cycle, election, departments, committee, township, voters, media
):
    nominated = post(
        committee,
        f"/api/elections/{election.pk}/notices/nomination",
        {"published_on": today().isoformat()},
    )
    assert nominated.status_code == 200, nominated.content
    assert (nominated.json()["kind"], nominated.json()["names"]) == ("nomination", 5)

    formal_path = f"/api/elections/{election.pk}/notices/formal"
    early = post(committee, formal_path, {"published_on": today().isoformat()})
    assert early.status_code == 400 and "await" in early.json()["detail"]

    ids = [c["id"] for c in committee_of(place_candidates(township, cycle))["candidates"]]
    for department in departments:
        for candidate_id in ids:
            response = post(
                township,
                f"/api/candidates/{candidate_id}/verdicts",
                {"department": department.pk, "outcome": "clear"},
            )
            assert response.status_code == 200, response.content
            assert response.json()["added"] == []
    cleared = committee_of(place_candidates(township, cycle))["candidates"]
    assert {c["review"]["state"] for c in cleared} == {"clear"}

    response = post(committee, formal_path, {"published_on": today().isoformat()})

    assert response.status_code == 200, response.content
    notice = response.json()
    assert (notice["kind"], notice["names"], notice["ends_on"]) == ("formal", 5, None)
    formal = Notice.objects.get(election=election, kind="formal")
    assert notice["id"] == formal.pk
    body = committee_of(place_candidates(township, cycle))
    assert body["is_final"] is True
    assert {c["status"] for c in body["candidates"]} == {"formal"}
    assert [n["kind"] for n in body["notices"]] == ["nomination", "formal"]
    assert body["notices"][1]["url"] == reverse("candidates-notice", args=[formal.pk])
    download = township.get(body["notices"][1]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    withdrawal = post(committee, f"/api/candidates/{ids[0]}/withdraw", {"reason": "本人申请"})
    assert withdrawal.status_code == 400
    assert "are final" in withdrawal.json()["detail"]
    assert Candidate.objects.get(pk=ids[0]).status == "formal"


def test_a_withdrawal_brings_in_the_next(counted, cycle, election, committee, voters):
    huang = by_name(committee_of(place_candidates(committee, cycle))["candidates"])["黄涛"]
    path = f"/api/candidates/{huang['id']}/withdraw"

    assert post(committee, path, {"reason": "  "}).status_code == 400
    response = post(committee, path, {"reason": "本人申请"})

    assert response.status_code == 200
    body = response.json()
    assert body["candidate"]["status"] == "withdrawn"
    assert [(c["name"], c["source"], c["replaces"]) for c in body["added"]] == [
        ("李军", "backfill", huang["id"])
    ]
    again = post(committee, path, {"reason": "本人申请"})
    assert again.status_code == 400 and "no longer standing" in again.json()["detail"]


# 两推一选 of the party committee


def test_the_party_committee_through_the_approval(
    party_election, party_members, departments, cycle, committee, township, voters, media
):
    base = f"/api/elections/{party_election.pk}/recommendation"
    rows = [{"member": n, "member_votes": m, "public_votes": p} for n, m, p in ROWS]
    probationary = post(
        committee,
        base,
        {
            "held_on": ago(20),
            "members_present": 35,
            "public_present": 50,
            "rows": [*rows, {"member": "董玲", "member_votes": 5, "public_votes": 5}],
        },
    )
    assert probationary.status_code == 400
    assert "董玲 cannot be elected" in probationary.json()["detail"]

    held = post(
        committee,
        base,
        {"held_on": ago(20), "members_present": 35, "public_present": 50, "rows": rows},
    )
    assert held.status_code == 200, held.content
    recommended = by_name(held.json()["candidates"])
    assert {c["status"] for c in recommended.values()} == {"recommended"}
    li = recommended["李军"]
    assert (li["member_votes"], li["public_votes"], li["votes"]) == (25, 8, 33)
    assert_masked(held, voters)

    decision = {"decided_on": ago(15), "chosen": [recommended[n]["id"] for n in TOP_SIX]}
    assert post(committee, f"{base}/decision", decision).status_code == 403
    short = post(township, f"{base}/decision", decision | {"chosen": decision["chosen"][:5]})
    assert short.status_code == 400 and "at least 6 candidates" in short.json()["detail"]
    decided = post(township, f"{base}/decision", decision)
    assert decided.status_code == 200
    assert decided.json()["township_decided_on"] == ago(15)
    chosen = [c for c in decided.json()["candidates"] if c["status"] == "nominee"]
    assert sorted(names(chosen)) == sorted(TOP_SIX)

    publicity = f"/api/elections/{party_election.pk}/notices/publicity"
    early = post(township, publicity, {"published_on": ago(10)})
    assert early.status_code == 400 and "Not yet inspected" in early.json()["detail"]
    for c in chosen:
        for department in departments:
            cleared = post(
                township,
                f"/api/candidates/{c['id']}/verdicts",
                {"department": department.pk, "outcome": "clear"},
            )
            assert cleared.status_code == 200, cleared.content
        inspected = post(
            township,
            f"/api/candidates/{c['id']}/inspection",
            {"findings": "政治素质好，群众公认。", "inspected_on": ago(12)},
        )
        assert inspected.status_code == 200, inspected.content
        assert inspected.json()["inspected_on"] == ago(12)

    notice = post(township, publicity, {"published_on": ago(10)})
    assert notice.status_code == 200, notice.content
    assert (notice.json()["kind"], notice.json()["names"]) == ("publicity", 6)
    assert notice.json()["ends_on"] == ago(5)

    too_soon = post(committee, f"{base}/request", {"requested_on": ago(6)})
    assert too_soon.status_code == 400 and f"runs until {ago(5)}" in too_soon.json()["detail"]
    requested = post(committee, f"{base}/request", {"requested_on": ago(4), "number": "星组请3号"})
    assert requested.status_code == 200
    assert (requested.json()["requested_on"], requested.json()["request_number"]) == (
        ago(4),
        "星组请3号",
    )
    approval = {"approved_on": ago(3), "number": "星组复5号"}
    assert post(committee, f"{base}/approval", approval).status_code == 403
    approved = post(township, f"{base}/approval", approval)
    assert approved.status_code == 200
    assert approved.json()["approved_on"] == ago(3)

    body = place_candidates(township, cycle)
    party = next(e for e in body["elections"] if e["id"] == party_election.pk)
    assert party["is_final"] is True
    assert party["recommendation"]["approval_number"] == "星组复5号"
    formal = [c for c in party["candidates"] if c["status"] == "formal"]
    assert sorted(names(formal)) == sorted(TOP_SIX)
    assert [n["kind"] for n in party["notices"]] == ["publicity"]
    withdrawal = post(committee, f"/api/candidates/{formal[0]['id']}/withdraw", {"reason": "x"})
    assert withdrawal.status_code == 400 and "are final" in withdrawal.json()["detail"]
