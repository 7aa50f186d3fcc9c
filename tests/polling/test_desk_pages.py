"""The check-in desk through the test client: choosing the station, searching, issuing
in place (htmx), the refusal of a second ballot, taking back, the counts, 补登 at the
desk, the API, and who may do what."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.polling.models import CheckIn, Poll, Station
from huanjie.rules.identity import make_id, mask_id
from huanjie.voters.models import Publication, Voter

pytestmark = pytest.mark.usefixtures("english")

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, poll, *extra):
    election = poll.election
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, poll.pk])


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


def find(client, poll, station, q):
    return client.get(url("polling-desk-find", poll), {"q": q, "station": station.pk}, **HTMX)


def issue(client, poll, station, voter, **extra):
    data = {"voter": voter.pk, "station": station.pk, **extra}
    return client.post(url("polling-desk-issue", poll), data, **HTMX)


# The desk page


def test_the_clerk_chooses_the_station_once(poll, central, box, committee):
    page = committee.get(url("polling-desk", poll)).content.decode()
    assert "Which station or box is this desk?" in page
    assert f'?station={central.pk}"' in page and f'?station={box.pk}"' in page
    assert 'id="desk-q"' not in page

    page = committee.get(url("polling-desk", poll), {"station": central.pk}).content.decode()
    assert 'id="desk-q"' in page and "autofocus" in page.split('id="desk-q"')[1].split(">")[0]
    assert "Check-in desk · 中心会场" in page
    # The session remembers the desk's station for this poll.
    again = committee.get(url("polling-desk", poll)).content.decode()
    assert "Check-in desk · 中心会场" in again
    assert (
        "Which station" in committee.get(url("polling-desk", poll), {"choose": 1}).content.decode()
    )


def test_a_station_of_another_election_is_not_found(
    poll, committee, election_b1, user_committee_a1
):
    elsewhere = Station.objects.create(
        election=election_b1, kind=Station.Kind.CENTRAL, name="x", user=user_committee_a1
    )
    response = committee.get(url("polling-desk", poll), {"station": elsewhere.pk})
    assert response.status_code == 404


def test_one_voter_found_shows_the_big_button(poll, roll, central, committee):
    li = roll["李军"]
    body = find(committee, poll, central, li.id_number).content.decode()
    assert "<html" not in body  # the answer alone
    assert 'class="card desk-voter"' in body and "李军" in body
    assert mask_id(li.id_number) in body and li.id_number not in body
    button = body.split('class="issue"')[1].split("</button>")[0]
    assert "autofocus" in button and "Issue ballot" in button
    assert 'name="assisted"' in body


def test_several_voters_found_are_listed_to_choose(poll, central, committee):
    body = find(committee, poll, central, "王").content.decode()
    assert "2 voters match" in body
    assert body.count('data-voter="') == 2 and "Choose" in body


def test_nobody_found_points_to_the_supplementary_desk(poll, central, committee, village_a1):
    number = make_id("430121", date(1990, 5, 5), 99, "M")
    body = find(committee, poll, central, number).content.decode()
    assert "No voter of 金茶村 matches" in body
    assert reverse("voters-supplementary", args=[poll.election.cycle_id, village_a1.code]) in body


def test_a_card_of_another_place_is_refused_in_red(poll, central, committee):
    body = find(committee, poll, central, "001-0003").content.decode()
    assert 'class="message error"' in body and "not a card of 金茶村" in body


def test_issue_in_place_then_a_second_issue_is_refused_in_red(poll, roll, central, committee):
    li = roll["李军"]
    response = issue(committee, poll, central, li, assisted="1")
    body = response.content.decode()
    assert response["HX-Trigger"] == "desk-changed"
    assert "Ballot issued to 李军" in body and "written by a helper" in body
    assert "Take back" in body
    assert CheckIn.objects.get(voter=li).assisted is True

    again = issue(committee, poll, central, li)
    body = again.content.decode()
    assert again.status_code == 200 and "HX-Trigger" not in again
    assert 'class="message error"' in body and "already, at 中心会场" in body
    assert CheckIn.objects.filter(voter=li).count() == 1
    # Found again, the voter shows the ballot taken.
    assert (
        "Has taken a ballot already, at 中心会场"
        in find(committee, poll, central, "李军").content.decode()
    )


def test_a_mistaken_check_in_is_taken_back(poll, roll, central, committee):
    issue(committee, poll, central, roll["许静"])
    done = CheckIn.objects.get()
    response = committee.post(
        url("polling-desk-undo", poll),
        {"check_in": done.pk, "station": central.pk, "reason": "点错了人"},
        **HTMX,
    )
    assert "taken back" in response.content.decode()
    assert not CheckIn.objects.exists()
    assert Record.objects.get(action="polling.check_in_undo").after == {"reason": "点错了人"}


def test_without_htmx_the_answer_comes_back_on_the_desk(poll, roll, central, committee):
    response = committee.post(
        url("polling-desk-issue", poll),
        {"voter": roll["李军"].pk, "station": central.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "Ballot issued to 李军" in body and "Check-in desk · 中心会场" in body
    full = committee.get(url("polling-desk-find", poll), {"q": "许静", "station": central.pk})
    assert "<html" in full.content.decode() and "Issue ballot" in full.content.decode()


def test_the_proxy_collects_the_entrusted_ballot(poll, roll, central, entrusted, committee):
    assert "entrusted to 王强" in find(committee, poll, central, "王").content.decode()
    body = find(committee, poll, central, "王芳").content.decode()
    assert "Entrusted their vote to 王强" in body and "Issue the ballot to 王强" in body
    body = find(committee, poll, central, "王强").content.decode()
    assert "Collects the entrusted ballot of 王芳" in body
    response = issue(committee, poll, central, roll["王芳"], proxy=entrusted.pk)
    assert "given to their proxy 王强" in response.content.decode()
    assert CheckIn.objects.get(voter=roll["王芳"]).proxy == entrusted
    assert "collected at 中心会场" in find(committee, poll, central, "王强").content.decode()


def test_a_mobile_box_voter_at_the_central_desk(poll, roll, central, box, committee):
    body = find(committee, poll, central, "陈霞").content.decode()
    assert "Approved for the mobile box 流动票箱一" in body and "Issue ballot" not in body
    refused = issue(committee, poll, central, roll["陈霞"]).content.decode()
    assert "issued by that box only" in refused
    assert "Ballot issued" in issue(committee, poll, box, roll["陈霞"]).content.decode()


def test_the_counts_refresh_by_themselves(poll, roll, central, box, committee):
    page = committee.get(url("polling-desk", poll), {"station": central.pk}).content.decode()
    counts_div = page.split('id="desk-counts"')[1].split(">")[0]
    assert "every 5s" in counts_div and "desk-changed from:body" in counts_div
    issue(committee, poll, central, roll["李军"])
    issue(committee, poll, box, roll["陈霞"])
    body = committee.get(url("polling-desk-counts", poll), {"station": central.pk}).content.decode()
    assert 'data-issued="2"' in body and "16.7%" in body
    row = body.split(f'data-station="{box.pk}"')[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_no_button_once_voting_is_over(poll, roll, central, committee):
    Poll.objects.filter(pk=poll.pk).update(state=Poll.State.COUNTING)
    page = committee.get(url("polling-desk", poll), {"station": central.pk}).content.decode()
    assert "Voting is over" in page and "every 5s" not in page
    assert "Issue ballot" not in find(committee, poll, central, "李军").content.decode()
    assert "over" in issue(committee, poll, central, roll["李军"]).content.decode()
    assert not CheckIn.objects.exists()


# 补登 at the desk


@pytest.fixture
def posted(cycle, village_a1, user_committee_a1):
    return Publication.objects.create(
        cycle=cycle,
        place=village_a1,
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate() - timedelta(days=25),
        voters=12,
        file="notices/list.pdf",
        user=user_committee_a1,
    )


def test_a_voter_registered_at_the_supplementary_desk_is_issued_a_ballot(
    poll, posted, central, committee, village_a1
):
    number = make_id("430121", date(1990, 5, 5), 99, "M")
    desk = committee.get(url("polling-desk", poll), {"station": central.pk}).content.decode()
    supplementary = reverse("voters-supplementary", args=[poll.election.cycle_id, village_a1.code])
    assert f'href="{supplementary}"' in desk
    committee.post(
        supplementary,
        {"id_number": number, "name": "黄涛", "category": "户在人在"},
    )
    added = Voter.objects.get(id_number=number)
    assert added.source == Voter.Source.SUPPLEMENTARY
    body = find(committee, poll, central, number).content.decode()
    assert "黄涛" in body and "registered today (补登)" in body
    assert "Ballot issued to 黄涛" in issue(committee, poll, central, added).content.decode()
    counts = committee.get(url("polling-desk-counts", poll)).content.decode()
    assert "<b>13</b>" in counts


# Who may do what


def test_an_observer_watches_but_cannot_issue(poll, roll, central, client_for, user_observer):
    observer = client_for(user_observer)
    page = observer.get(url("polling-desk", poll), {"station": central.pk})
    assert page.status_code == 200
    assert "Issue ballot" not in find(observer, poll, central, "李军").content.decode()
    assert issue(observer, poll, central, roll["李军"]).status_code == 403
    assert observer.get(url("polling-desk-counts", poll)).status_code == 200
    assert not CheckIn.objects.exists()


def test_another_township_does_not_see_the_desk(
    poll, roll, central, client_for, user_township_b, user_township_a
):
    other = client_for(user_township_b)
    for name in ("polling-desk", "polling-desk-find", "polling-desk-counts"):
        assert other.get(url(name, poll), {"station": central.pk, "q": "李军"}).status_code == 404
    assert issue(other, poll, central, roll["李军"]).status_code == 404
    assert not CheckIn.objects.exists()
    # Their own township's staff may run the desk.
    own = client_for(user_township_a)
    assert "Ballot issued" in issue(own, poll, central, roll["李军"]).content.decode()


# The API


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_the_api_finds_issues_counts_and_takes_back(poll, roll, central, entrusted, committee):
    base = f"/api/polls/{poll.pk}/check-ins"
    li = roll["李军"]
    found = committee.get(f"{base}/find", {"q": li.id_number}).json()
    assert found["by"] == "id_number"
    (match,) = found["matches"]
    assert match["id_number"] == mask_id(li.id_number) and match["card"] == f"201-{li.number:04d}"
    assert match["check_in"] is None

    done = post(committee, base, {"voter": match["id"], "station": central.pk})
    assert done.status_code == 200
    assert done.json()["station"]["name"] == "中心会场"
    assert done.json()["id_number"] == mask_id(li.id_number)
    again = post(committee, base, {"voter": match["id"], "station": central.pk})
    assert again.status_code == 400 and "already, at 中心会场" in again.json()["detail"]

    wang = committee.get(f"{base}/find", {"q": "王强"}).json()["matches"][0]
    assert wang["entrusted"][0]["entrustment"]["entruster"]["name"] == "王芳"
    collected = post(
        committee,
        base,
        {"voter": roll["王芳"].pk, "station": central.pk, "proxy": entrusted.pk, "assisted": True},
    ).json()
    assert collected["proxy"]["proxy"]["name"] == "王强" and collected["assisted"] is True

    counts = committee.get(f"{base}/counts").json()
    assert (counts["issued"], counts["proxies"], counts["assisted"]) == (2, 1, 1)
    assert counts["electorate"] == 12 and counts["boxes"][0]["issued"] == 2

    undone = post(committee, f"{base}/{done.json()['id']}/undo", {"reason": "点错了"})
    assert undone.status_code == 200 and undone.json()["issued"] == 1
    assert committee.get(f"{base}/counts").json()["issued"] == 1


def test_the_api_keeps_to_the_rules_of_who_may_do_what(
    poll, roll, central, client_for, user_observer, user_township_b
):
    base = f"/api/polls/{poll.pk}/check-ins"
    data = {"voter": roll["李军"].pk, "station": central.pk}
    observer = client_for(user_observer)
    assert observer.get(f"{base}/counts").status_code == 200
    assert post(observer, base, data).status_code == 403
    other = client_for(user_township_b)
    assert other.get(f"{base}/find", {"q": "李军"}).status_code == 404
    assert other.get(f"{base}/counts").status_code == 404
    assert post(other, base, data).status_code == 404
    assert not CheckIn.objects.exists()
