"""Pages and API of what a count leads to, on 金茶村's first vote counted from the tally
sheet: who may confirm, correct and schedule (RUN_POLL) and who may only read and print
(VIEW); the buttons of a poll, the election's seats, the PDFs served."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.testing import TestClient
from pypdf import PdfReader

from huanjie.api import forbidden, rule_violation
from huanjie.cycles.services import RuleViolation
from huanjie.polling import counting, outcomes
from huanjie.polling.api import outcomes as outcomes_api
from huanjie.polling.models import Correction, Notice, Poll, Station

pytestmark = pytest.mark.usefixtures("english", "media")

OPEN_SEAT = {
    "director": {"刘伟": 8, "王芳": 3},
    "member": {"方敏": 8, "吴丽": 3, "李军": 2, "周洁": 2},
}
TIED = {
    "director": {"刘伟": 8, "王芳": 3},
    "member": {"方敏": 8, "吴丽": 7, "李军": 7},
}

api = NinjaAPI(urls_namespace="test-polling-outcomes")
api.add_exception_handler(RuleViolation, rule_violation)
api.add_exception_handler(PermissionDenied, forbidden)
api.add_router("", outcomes_api.router)


def today():
    return timezone.localdate()


def count(poll, user, counts, *, issued=12, returned=12):
    ids = {c["name"]: c["id"] for c in poll.candidates}
    poll.method = Poll.Method.TOTALS
    poll.counts = {
        office: {ids.get(name, name): n for name, n in rows.items()}
        for office, rows in counts.items()
    }
    poll.save()
    station, _ = Station.objects.get_or_create(
        election=poll.election,
        name="中心会场",
        defaults={"kind": Station.Kind.CENTRAL, "user": user},
    )
    poll.box_counts.update_or_create(
        station=station, defaults={"issued": issued, "returned": returned}
    )
    counting.compute(user, poll)
    poll.refresh_from_db()
    return poll


def url(name, poll, *extra):
    election = poll.election
    return reverse(
        name, args=[election.cycle_id, election.place.code, election.pk, *extra, poll.pk]
    )


def election_url(name, poll, *extra):
    election = poll.election
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *extra])


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join(p.extract_text() for p in pages).replace("\n", "")


@pytest.fixture
def counted(poll, user_committee_a1):
    return count(poll, user_committee_a1, OPEN_SEAT)


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


@pytest.fixture
def observer(client_for, user_observer):
    return client_for(user_observer)


# The buttons of a poll and the election's page


def test_the_buttons_of_a_counted_poll(counted, committee, observer):
    page = committee.get(url("polling-actions", counted), headers={"HX-Request": "true"})
    assert page.status_code == 200
    html = page.content.decode()
    assert url("polling-confirm", counted) in html
    assert url("polling-report", counted) in html
    seen = observer.get(url("polling-actions", counted)).content.decode()
    assert url("polling-report", counted) in seen
    assert url("polling-confirm", counted) not in seen


def test_confirming_from_the_page(counted, committee, observer):
    assert observer.post(url("polling-confirm", counted)).status_code == 403
    back = url("polling-actions", counted)
    response = committee.post(url("polling-confirm", counted), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    counted.refresh_from_db()
    assert counted.state == Poll.State.CONFIRMED
    # Not a second time, and never to another site.
    response = committee.post(
        url("polling-confirm", counted), {"next": "https://example.com/"}, follow=True
    )
    assert "already confirmed" in response.content.decode()
    assert response.redirect_chain[0][0] == election_url("polling-election", counted)


def test_the_election_page_shows_the_seats_and_the_runoff_due(
    counted, committee, observer, user_committee_a1, user_township_b, client_for
):
    outcomes.confirm(user_committee_a1, counted)
    page = observer.get(election_url("polling-election", counted))
    assert page.status_code == 200
    html = page.content.decode()
    assert "刘伟" in html and "方敏" in html
    assert "a run-off for 1 seat(s) of 委员" in html
    assert url("polling-runoff", counted) not in html  # observers only read
    html = committee.get(election_url("polling-election", counted)).content.decode()
    latest = (today() + timedelta(days=10)).isoformat()
    assert url("polling-runoff", counted) in html
    assert f"latest allowed day: {latest}" in html
    assert (
        client_for(user_township_b).get(election_url("polling-election", counted)).status_code
        == 404
    )


def test_scheduling_a_runoff_from_the_page(counted, committee, user_committee_a1):
    outcomes.confirm(user_committee_a1, counted)
    late = (today() + timedelta(days=11)).isoformat()
    response = committee.post(url("polling-runoff", counted), {"held_on": late}, follow=True)
    assert "DOMAIN §7 item 7" in response.content.decode()
    assert not Poll.objects.filter(round=Poll.Round.RUNOFF).exists()
    committee.post(url("polling-runoff", counted), {"held_on": today().isoformat()})
    runoff = Poll.objects.get(round=Poll.Round.RUNOFF)
    assert runoff.follows_id == counted.pk and runoff.held_on == today()


def test_scheduling_a_revote_and_a_rerun_from_the_page(poll, committee, user_committee_a1):
    poll = outcomes.confirm(user_committee_a1, count(poll, user_committee_a1, TIED))
    committee.post(
        url("polling-revote", poll), {"office": "member", "held_on": today().isoformat()}
    )
    revote = Poll.objects.get(round=Poll.Round.REVOTE)
    assert {c["name"] for c in revote.candidates} == {"吴丽", "李军"}
    response = committee.post(
        url("polling-rerun", poll), {"held_on": today().isoformat()}, follow=True
    )
    assert "Only a void election" in response.content.decode()


# Corrections


def test_a_correction_from_the_page_needs_a_reason(counted, committee, user_committee_a1):
    poll = outcomes.confirm(user_committee_a1, counted)
    form = committee.get(url("polling-correct", poll))
    assert form.status_code == 200
    assert "吴丽 3" in form.content.decode()
    member = "方敏 8\r\n吴丽 7\r\n李军 2\r\n周洁 2"
    response = committee.post(
        url("polling-correct", poll), {"reason": "", "counts_member": member}, follow=True
    )
    assert "needs its reason" in response.content.decode()
    assert not Correction.objects.exists()
    response = committee.post(
        url("polling-correct", poll),
        {"reason": "吴丽's 7 was read as 3", "counts_member": member},
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.reason == "吴丽's 7 was read as 3"
    poll.refresh_from_db()
    assert sorted(poll.winners.values_list("name", flat=True)) == ["刘伟", "吴丽", "方敏"]


def test_observers_cannot_correct(counted, observer, user_committee_a1):
    outcomes.confirm(user_committee_a1, counted)
    assert observer.get(url("polling-correct", counted)).status_code == 403
    assert observer.post(url("polling-correct", counted), {"reason": "x"}).status_code == 403


# The PDFs


def test_the_report_and_the_announcement_are_served(
    counted, observer, committee, user_committee_a1
):
    text = pdf_text(observer.get(url("polling-report", counted)))
    assert "选举结果报告单" in text and "计票人" in text
    text = pdf_text(observer.get(url("polling-announcement", counted)))
    assert "选举结果公告" in text and "刘伟（8票）" in text

    assert observer.post(url("polling-announcement", counted)).status_code == 403
    outcomes.confirm(user_committee_a1, counted)
    committee.post(url("polling-announcement", counted), {"published_on": today().isoformat()})
    notice = Notice.objects.get(kind=Notice.Kind.ANNOUNCEMENT)
    served = observer.get(election_url("polling-announcement-file", counted, notice.pk))
    assert served.status_code == 200
    assert "选举结果公告" in pdf_text(served)


def test_certificates_are_issued_then_printed(counted, observer, committee, user_committee_a1):
    outcomes.confirm(user_committee_a1, counted)
    target = election_url("polling-certificates", counted)
    response = observer.get(target, follow=True)
    assert "issue the certificates first" in response.content.decode()
    assert observer.post(target).status_code == 403
    committee.post(target, {"issued_on": today().isoformat()})
    text = pdf_text(observer.get(target))
    assert "当选证书" in text
    assert "刘伟同志" in text and "村民委员会主任" in text
    assert "方敏同志" in text and "村民委员会委员" in text
    one = pdf_text(observer.get(f"{target}?poll={counted.pk}"))
    assert "刘伟同志" in one


# The API


def test_the_api_confirms_schedules_and_tells_the_state(counted, user_committee_a1, user_observer):
    client = TestClient(api)
    refused = client.post(f"/polls/{counted.pk}/confirm", user=user_observer)
    assert refused.status_code == 403
    body = client.post(f"/polls/{counted.pk}/confirm", user=user_committee_a1).json()
    assert body["state"] == "confirmed" and body["valid"] is True
    assert {w["name"] for w in body["winners"]} == {"刘伟", "方敏"}
    assert [(f["round"], f["office"]) for f in body["follow_ups"]] == [("runoff", "member")]

    late = (today() + timedelta(days=11)).isoformat()
    response = client.post(
        f"/polls/{counted.pk}/runoff", json={"held_on": late}, user=user_committee_a1
    )
    assert response.status_code == 400 and "DOMAIN §7 item 7" in response.json()["detail"]
    response = client.post(
        f"/polls/{counted.pk}/runoff",
        json={"held_on": today().isoformat()},
        user=user_committee_a1,
    )
    assert response.status_code == 200
    runoff = response.json()
    assert runoff["round"] == "runoff" and runoff["follows"] == counted.pk
    assert runoff["offices"] == [{"id": "member", "title": "委员", "seats": 1}]

    state = client.get(f"/elections/{counted.election_id}/outcome", user=user_observer).json()
    assert state["complete"] is False
    assert state["pending"] == [runoff["id"]] and state["due"] == []
    assert [o["open"] for o in state["offices"]] == [0, 1]


def test_the_api_corrects_with_a_reason(counted, user_committee_a1):
    client = TestClient(api)
    outcomes.confirm(user_committee_a1, counted)
    ids = {c["name"]: c["id"] for c in counted.candidates}
    counts = {"member": {ids["方敏"]: 8, ids["吴丽"]: 7, ids["李军"]: 2, "周洁": 2}}
    response = client.post(
        f"/polls/{counted.pk}/correct",
        json={"reason": " ", "counts": counts},
        user=user_committee_a1,
    )
    assert response.status_code == 400
    response = client.post(
        f"/polls/{counted.pk}/correct",
        json={"reason": "misread", "counts": counts},
        user=user_committee_a1,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["reason"] == "misread"
    assert {w["name"] for w in body["poll"]["winners"]} == {"刘伟", "方敏", "吴丽"}
    issued = client.post(
        f"/elections/{counted.election_id}/certificates", json={}, user=user_committee_a1
    ).json()
    assert [w["certificate_number"][-2:] for w in issued] == ["01", "02", "03"]
