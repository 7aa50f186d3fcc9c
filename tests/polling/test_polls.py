"""Opening the first vote with the final list."""

import pytest
from django.utils import timezone

from huanjie.cycles.services import RuleViolation
from huanjie.polling import polls


def test_the_first_vote_keeps_the_slate_in_stroke_order(poll):
    assert [o["id"] for o in poll.offices] == ["director", "member"]
    assert [c["name"] for c in poll.candidates] == ["王芳", "刘伟", "方敏", "李军", "吴丽"]
    assert poll.electorate == 12


def test_no_first_vote_before_the_list_is_final(election, roll, user_committee_a1, english):
    with pytest.raises(RuleViolation, match="not final"):
        polls.open_first(user_committee_a1, election, held_on=timezone.localdate())


def test_one_first_vote_per_election(poll, election, user_committee_a1, english):
    with pytest.raises(RuleViolation, match="already"):
        polls.open_first(user_committee_a1, election, held_on=timezone.localdate())


def test_a_count_of_totals_elects_by_the_rules_core(poll, central, user_committee_a1):
    from huanjie.polling import counting
    from huanjie.polling.models import Poll

    ids = {c["name"]: c["id"] for c in poll.candidates}
    poll.method = Poll.Method.TOTALS
    poll.counts = {
        "director": {ids["刘伟"]: 8, ids["王芳"]: 3, "invalid": 1},
        "member": {ids["方敏"]: 7, ids["吴丽"]: 7, ids["李军"]: 2, "周洁": 1},
    }
    poll.save()
    poll.box_counts.create(station=central, issued=12, returned=12)
    result = counting.compute(user_committee_a1, poll)
    assert result.valid
    director, member = result.offices
    assert director.threshold == 7  # more than half of 12 issued
    assert director.elected == (ids["刘伟"],)
    assert set(member.elected) == {ids["方敏"], ids["吴丽"]}
    poll.refresh_from_db()
    assert poll.state == Poll.State.COUNTING
    assert poll.result["offices"][0]["elected"] == [ids["刘伟"]]


def test_the_api_lists_and_opens_polls(election, formal, roll, user_committee_a1, client_for):
    client = client_for(user_committee_a1)
    url = f"/api/elections/{election.pk}/polls"
    assert client.get(url).json() == []
    opened = client.post(url, {"method": "totals"}, content_type="application/json")
    assert opened.status_code == 200, opened.content
    assert opened.json()["method"] == "totals"
    assert [c["name"] for c in opened.json()["candidates"]][:2] == ["王芳", "刘伟"]
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400
    assert len(client.get(url).json()) == 1


def test_an_observer_cannot_open_a_poll(election, formal, roll, user_observer, client_for):
    response = client_for(user_observer).post(
        f"/api/elections/{election.pk}/polls", {}, content_type="application/json"
    )
    assert response.status_code == 403
