"""The count pages and API of 金茶村's first vote (tests/polling/conftest.py): the boxes'
sheets, two counters typing ballots, the reconciliation, the tally sheet, the count and
the result explained in English and Chinese.

Keys: director 1 王芳, 2 刘伟; members 1 方敏, 2 李军, 3 吴丽.
"""

import json

import pytest
from django.urls import reverse
from polling_shared import ids, type_in

from huanjie.cycles.models import ProfileOverride
from huanjie.polling import counting
from huanjie.polling.models import BallotEntry, Poll

#: Ten ballots: 刘伟 6 for director (elected), members 吴丽 7 and 方敏 6; 李军 2.
BALLOTS = ["2 / 13"] * 4 + ["2 / 23", "2 / 13", "1 / 13", "1 / 123", "+丁一 / 3", "x"]


def url(name, poll, *extra):
    election = poll.election
    return reverse(
        name, args=[election.cycle_id, election.place.code, election.pk, poll.pk, *extra]
    )


# The overview and the boxes


def test_the_overview_shows_the_boxes_and_the_counters(
    boxed, client_for, user_committee_a1, user_township_a
):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_township_a, boxed, 2, BALLOTS[:9])
    page = client_for(user_committee_a1).get(url("polling-count", boxed))
    assert page.status_code == 200
    text = page.content.decode()
    assert "中心会场" in text and "1–10" in text
    assert "1 ballot differs" in text
    assert url("polling-count-reconcile", boxed) in text
    assert page.context["totals"] == {
        "issued": 10,
        "returned": 10,
        "entered": 9,
        "valid": 9,
        "invalid": 0,
    }


def test_a_box_sheet_is_entered_on_the_overview(poll, central, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    answer = client.post(
        url("polling-count-box", poll), {"station": central.pk, "issued": 12, "returned": 13}
    )
    assert answer.status_code == 302
    box = poll.box_counts.get()
    assert (box.issued, box.returned) == (12, 13)
    page = client.get(url("polling-count", poll))
    assert "13 ballots returned for 12 issued" in page.content.decode()
    assert [r.action for r in page.context["records"]] == ["polling.box_count"]
    refused = client.post(
        url("polling-count-box", poll),
        {"station": central.pk, "issued": -1, "returned": 0},
        follow=True,
    )
    assert "cannot be negative" in refused.content.decode()


# A counter's page


def test_a_ballot_is_a_few_keys_and_the_next_number_follows(boxed, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    page = client.get(url("polling-count-entry", boxed, 1))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="number" min="1" value="1"' in text
    assert "How to type a ballot" in text and "刘伟" in text
    answer = client.post(
        url("polling-count-entry", boxed, 1),
        {"number": "1", "keys": "2 / 13"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Ballot 1 saved: 刘伟 / 方敏、吴丽" in text
    assert 'name="number" min="1" value="2"' in text
    assert 'name="keys" value=""' in text
    who = ids(boxed)
    assert BallotEntry.objects.get(poll=boxed, counter=1, number=1).marks == {
        "director": [who["刘伟"]],
        "member": [who["方敏"], who["吴丽"]],
    }


def test_a_typing_mistake_keeps_what_was_typed(boxed, client_for, user_committee_a1):
    answer = client_for(user_committee_a1).post(
        url("polling-count-entry", boxed, 1),
        {"number": "1", "keys": "3 / 1"},
        headers={"HX-Request": "true"},
    )
    text = answer.content.decode()
    assert "主任 has no candidate 3" in text
    assert 'name="keys" value="3 / 1"' in text
    assert not BallotEntry.objects.exists()


def test_without_htmx_the_page_redirects_to_the_next_ballot(boxed, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    answer = client.post(url("polling-count-entry", boxed, 2), {"number": "1", "keys": "x"})
    assert answer.status_code == 302
    assert answer.url == url("polling-count-entry", boxed, 2)
    refused = client.post(url("polling-count-entry", boxed, 2), {"number": "2", "keys": "1 / ?2"})
    assert refused.status_code == 400
    assert "stands alone" in refused.content.decode()


def test_a_counter_sees_only_their_own_entries_and_can_change_one(
    boxed, client_for, user_committee_a1
):
    type_in(user_committee_a1, boxed, 1, ["2 / 13", "1 / 2"])
    type_in(user_committee_a1, boxed, 2, ["+周洁 / 3"])
    client = client_for(user_committee_a1)
    mine = client.get(url("polling-count-entry", boxed, 1)).context["recent"]
    assert [r["reading"]["keys"] for r in mine] == ["1 / 2", "2 / 13"]  # latest first
    theirs = client.get(url("polling-count-entry", boxed, 2))
    assert [r["reading"]["keys"] for r in theirs.context["recent"]] == ["+周洁 / 3"]
    assert "周洁" in theirs.content.decode()
    editing = client.get(url("polling-count-entry", boxed, 1) + "?number=2").content.decode()
    assert 'name="number" min="1" value="2"' in editing
    assert 'name="keys" value="1 / 2"' in editing
    client.post(url("polling-count-entry-delete", boxed, 1, 2))
    assert not BallotEntry.objects.filter(counter=1, number=2).exists()


def test_only_counters_one_and_two(boxed, client_for, user_committee_a1):
    assert (
        client_for(user_committee_a1).get(url("polling-count-entry", boxed, 3)).status_code == 404
    )


# Reconciliation


def test_the_reconciliation_screen_shows_both_readings_and_settles_them(
    boxed, client_for, user_committee_a1
):
    type_in(user_committee_a1, boxed, 1, ["2 / 13", "1 / 13", "x"])
    type_in(user_committee_a1, boxed, 2, ["2 / 13", "1 / 12"])
    client = client_for(user_committee_a1)
    page = client.get(url("polling-count-reconcile", boxed))
    rows = page.context["rows"]
    assert [r["number"] for r in rows] == [2, 3]
    assert (rows[0]["first"]["keys"], rows[0]["second"]["keys"]) == ("1 / 13", "1 / 12")
    assert rows[1]["second"] is None
    text = page.content.decode()
    assert "方敏、吴丽" in text and "方敏、李军" in text and "not entered" in text

    client.post(url("polling-count-reconcile", boxed), {"number": "2", "choose": "2"})
    client.post(url("polling-count-reconcile", boxed), {"number": "3", "keys": "2 / 3"})
    assert counting.disagreements(boxed) == []
    assert counting.readings(boxed, 3)[1] == counting.readings(boxed, 3)[2]
    done = client.get(url("polling-count-reconcile", boxed)).content.decode()
    assert "The two counters agree on every ballot" in done


def test_choosing_a_reading_that_was_not_entered_is_refused(boxed, client_for, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, ["2 / 13"])
    answer = client_for(user_committee_a1).post(
        url("polling-count-reconcile", boxed), {"number": "1", "choose": "2"}
    )
    assert answer.status_code == 400
    assert "Counter 2 did not enter ballot 1" in answer.content.decode()


# The tally sheet


def test_totals_from_the_tally_sheet(boxed, client_for, user_committee_a1):
    counting.set_method(user_committee_a1, boxed, Poll.Method.TOTALS)
    who = ids(boxed)
    client = client_for(user_committee_a1)
    assert client.get(url("polling-count-totals", boxed)).status_code == 200
    answer = client.post(
        url("polling-count-totals", boxed),
        {
            f"votes_director_{who['刘伟']}": "7",
            f"votes_director_{who['王芳']}": "2",
            "invalid_director": "1",
            f"votes_member_{who['方敏']}": "6",
            f"votes_member_{who['吴丽']}": "7",
            f"votes_member_{who['李军']}": "",
            "others_member": "周洁 2\n",
        },
    )
    assert answer.status_code == 302
    boxed.refresh_from_db()
    assert boxed.counts["member"] == {
        who["方敏"]: 6,
        who["吴丽"]: 7,
        who["李军"]: 0,
        "周洁": 2,
        "invalid": 0,
    }
    page = client.get(url("polling-count-totals", boxed)).content.decode()
    assert "周洁 2" in page
    bad = client.post(url("polling-count-totals", boxed), {"others_member": "周洁"})
    assert bad.status_code == 400
    assert "write the name, a space, and the votes" in bad.content.decode()


# The count and the result


@pytest.fixture
def counted(boxed, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, BALLOTS)
    return boxed


def test_compute_is_refused_while_the_counters_differ(boxed, client_for, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, [*BALLOTS[:6], "2 / 13", *BALLOTS[7:]])
    answer = client_for(user_committee_a1).post(url("polling-count-compute", boxed), follow=True)
    assert "The two entries differ on ballots 7" in answer.content.decode()
    boxed.refresh_from_db()
    assert boxed.result is None


def test_the_result_explained_in_english(counted, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    answer = client.post(url("polling-count-compute", counted))
    assert answer.url == url("polling-result", counted)
    text = client.get(answer.url).content.decode()
    assert "10 took part of 12 registered voters" in text
    assert "at least 6 votes to win" in text
    assert "6 votes, at least the 6 needed: elected" in text
    assert "2 votes, fewer than the 6 needed" in text
    assert "Elected: <b>刘伟</b>" in text


def test_the_result_explained_in_chinese(counted, client_for, user_committee_a1):
    counting.compute(user_committee_a1, counted)
    text = (
        client_for(user_committee_a1, language="zh-hans")
        .get(url("polling-result", counted))
        .content.decode()
    )
    assert "得票6，达到当选票数6，当选" in text
    assert "得票2，未达到当选票数6" in text


def test_a_void_vote_says_why(poll, central, client_for, user_committee_a1):
    counting.set_box(user_committee_a1, poll, central, 9, 10)
    type_in(user_committee_a1, poll, 1, BALLOTS)
    type_in(user_committee_a1, poll, 2, BALLOTS)
    counting.compute(user_committee_a1, poll)
    text = client_for(user_committee_a1).get(url("polling-result", poll)).content.decode()
    assert "More ballots were returned than issued" in text
    assert "the vote is void: no one is elected" in text


def test_run_off_seats_and_candidates_are_shown(boxed, client_for, user_committee_a1):
    lines = ["2 / 1"] * 6 + ["1 / 2"] * 2 + ["1 / 3"] * 2
    type_in(user_committee_a1, boxed, 1, lines)
    type_in(user_committee_a1, boxed, 2, lines)
    counting.compute(user_committee_a1, boxed)
    text = client_for(user_committee_a1).get(url("polling-result", boxed)).content.decode()
    assert "1 seat left open for a run-off (另行选举): candidates 李军、吴丽." in text


def test_a_result_the_rules_no_longer_give_says_so(boxed, client_for, user_committee_a1):
    lines = ["2 / 2 +丁一"] * 7 + ["1 / 13"] * 3
    type_in(user_committee_a1, boxed, 1, lines)
    type_in(user_committee_a1, boxed, 2, lines)
    counting.compute(user_committee_a1, boxed)
    ProfileOverride.objects.create(
        cycle=boxed.election.cycle,
        place=boxed.election.place,
        parameter="reserved_woman_seat",
        value=True,
    )
    text = client_for(user_committee_a1).get(url("polling-result", boxed)).content.decode()
    assert "The rules no longer give this result from its figures" in text
    assert "Elected: <b>李军、丁一</b>" in text or "Elected: <b>丁一、李军</b>" in text


def test_the_result_before_the_count(poll, client_for, user_observer):
    page = client_for(user_observer).get(url("polling-result", poll))
    assert page.status_code == 200
    assert "has not been counted yet" in page.content.decode()


# Permissions


def test_an_observer_reads_but_does_not_enter(
    counted, client_for, user_observer, user_committee_a1
):
    counting.compute(user_committee_a1, counted)
    client = client_for(user_observer)
    assert client.get(url("polling-count", counted)).status_code == 200
    assert client.get(url("polling-result", counted)).status_code == 200
    assert client.get(url("polling-count-entry", counted, 1)).status_code == 403
    assert client.get(url("polling-count-reconcile", counted)).status_code == 403
    assert client.get(url("polling-count-totals", counted)).status_code == 403
    answer = client.post(url("polling-count-entry", counted, 1), {"number": "11", "keys": "x"})
    assert answer.status_code == 403
    assert client.post(url("polling-count-compute", counted)).status_code == 403


def test_another_township_does_not_see_the_count(counted, client_for, user_township_b):
    client = client_for(user_township_b)
    assert client.get(url("polling-count", counted)).status_code == 404
    assert client.get(url("polling-result", counted)).status_code == 404
    assert client.get(f"/api/polls/{counted.pk}/result").status_code == 404


# The API


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_the_api_enters_reconciles_and_counts(boxed, client_for, user_committee_a1, central):
    client = client_for(user_committee_a1)
    base = f"/api/polls/{boxed.pk}"
    who = ids(boxed)
    for number, line in enumerate(BALLOTS, 1):
        answer = post(client, f"{base}/ballots", {"counter": 1, "number": number, "keys": line})
        assert answer.status_code == 200, answer.content
    assert answer.json()["next_number"] == 11
    marks = {"director": [who["刘伟"]], "member": [who["方敏"], who["吴丽"]]}
    for number in range(1, 11):
        typed = BALLOTS[number - 1]
        body = {"counter": 2, "number": number, "keys": typed}
        if number == 1:
            body = {"counter": 2, "number": 1, "marks": {"director": [who["王芳"]]}}
        assert post(client, f"{base}/ballots", body).status_code == 200
    assert client.get(f"{base}/disagreements").json() == [
        {"number": 1, "counter_1": marks, "counter_2": {"director": [who["王芳"]], "member": []}}
    ]
    refused = post(client, f"{base}/count", {})
    assert refused.status_code == 400
    assert "differ on ballots 1" in refused.json()["detail"]
    settled = post(client, f"{base}/reconcile", {"number": 1, "keys": "2 / 13"})
    assert [e["keys"] for e in settled.json()] == ["2 / 13", "2 / 13"]
    assert client.get(f"{base}/disagreements").json() == []

    result = post(client, f"{base}/count", {}).json()
    assert result["valid"] is True
    assert result["turnout"] == {"electorate": 12, "participants": 10, "rate": 0.8333}
    assert result["offices"][0]["elected"] == [who["刘伟"]]
    first = result["explanations"][0]
    assert first == {
        "office": "director",
        "who": who["刘伟"],
        "name": "刘伟",
        "votes": 6,
        "elected": True,
        "reason": "elected",
        "zh": "得票6，达到当选票数6，当选",
        "en": "6 votes, at least the 6 needed: elected",
    }
    assert client.get(f"{base}/result").json() == result

    boxes = client.get(f"{base}/boxes").json()
    assert boxes[0] | {"station": 0} == {
        "station": 0,
        "name": "中心会场",
        "kind": "central",
        "issued": 10,
        "returned": 10,
        "first": 1,
        "last": 10,
        "entered": 10,
        "valid": 9,
        "invalid": 1,
    }
    progress = client.get(f"{base}/count").json()
    assert progress["entered"] == {"1": 10, "2": 10} and progress["differ"] == []
    mine = client.get(f"{base}/ballots?counter=1").json()
    assert [e["keys"] for e in mine][:2] == ["2 / 13", "2 / 13"]


def test_the_api_boxes_and_totals(poll, central, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    base = f"/api/polls/{poll.pk}"
    answer = post(client, f"{base}/boxes", {"station": central.pk, "issued": 10, "returned": 11})
    assert answer.json()[0]["returned"] == 11
    assert (
        post(
            client, f"{base}/boxes", {"station": central.pk, "issued": -1, "returned": 0}
        ).status_code
        == 400
    )
    refused = post(client, f"{base}/totals", {"counts": {}})
    assert refused.status_code == 400 and "ballot by ballot" in refused.json()["detail"]
    counting.set_method(user_committee_a1, poll, Poll.Method.TOTALS)
    who = ids(poll)
    counts = {"director": {who["刘伟"]: 9, "invalid": 1}, "member": {"吴丽": 8, "方敏": 7}}
    assert post(client, f"{base}/totals", {"counts": counts}).json() == {
        "director": {who["刘伟"]: 9, "invalid": 1},
        "member": {who["吴丽"]: 8, who["方敏"]: 7},
    }
    result = post(client, f"{base}/count", {}).json()
    assert result["void_reasons"] == ["returned_exceeds_issued"]
    assert {e["reason"] for e in result["explanations"]} == {"void"}
    assert client.get(f"/api/polls/{poll.pk}/result").status_code == 200


def test_the_api_refuses_an_observer_and_a_ballot_given_twice_over(
    poll, client_for, user_observer, user_committee_a1
):
    base = f"/api/polls/{poll.pk}"
    observer = client_for(user_observer)
    answer = post(observer, f"{base}/ballots", {"counter": 1, "number": 1, "keys": "x"})
    assert answer.status_code == 403
    assert observer.get(f"{base}/disagreements").status_code == 403
    assert observer.get(f"{base}/result").status_code == 404  # not counted yet
    client = client_for(user_committee_a1)
    both = post(
        client,
        f"{base}/ballots",
        {"counter": 1, "number": 1, "keys": "x", "marks": {"invalid": True}},
    )
    assert both.status_code == 400
    bad = post(client, f"{base}/ballots", {"counter": 1, "number": 1, "keys": "1 / 9"})
    assert bad.status_code == 400 and "no candidate 9" in bad.json()["detail"]


def test_a_number_beyond_the_ballots_returned_is_saved_with_a_warning(
    boxed, client_for, user_committee_a1
):
    answer = client_for(user_committee_a1).post(
        url("polling-count-entry", boxed, 1),
        {"number": "11", "keys": "1"},
        headers={"HX-Request": "true"},
    )
    text = answer.content.decode()
    assert "Ballot 11 saved" in text
    assert "Ballot 11 is beyond the 10 ballots the boxes returned" in text


def test_the_way_of_counting_changes_while_nothing_is_entered(poll, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    client.post(url("polling-count-method", poll), {"method": "totals"})
    poll.refresh_from_db()
    assert poll.method == Poll.Method.TOTALS
    page = client.get(url("polling-count", poll)).content.decode()
    assert url("polling-count-totals", poll) in page
    client.post(url("polling-count-method", poll), {"method": "ballots"})
    poll.refresh_from_db()
    counting.enter(user_committee_a1, poll, 1, 1, {"invalid": True})
    refused = client.post(url("polling-count-method", poll), {"method": "totals"}, follow=True)
    assert "the way of counting cannot change" in refused.content.decode()


def test_the_schema_lists_the_count_paths(client_for, user_observer):
    schema = client_for(user_observer).get("/api/openapi.json").json()
    expected = {
        "/api/polls/{id}/ballots": {"get", "post"},
        "/api/polls/{id}/ballots/{counter}/{number}": {"delete"},
        "/api/polls/{id}/disagreements": {"get"},
        "/api/polls/{id}/reconcile": {"post"},
        "/api/polls/{id}/totals": {"post"},
        "/api/polls/{id}/boxes": {"get", "post"},
        "/api/polls/{id}/count": {"get", "post"},
        "/api/polls/{id}/result": {"get"},
    }
    paths = schema["paths"]
    assert {path: set(paths.get(path, ())) for path in expected} == expected
    result = schema["components"]["schemas"]["CountResultOut"]["properties"]
    assert {"valid", "void_reasons", "turnout", "offices", "explanations"} <= set(result)
