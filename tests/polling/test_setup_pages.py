"""The set-up pages and API of 金茶村's vote: stations with their scrutineers, a mobile
box with its voters, the entrustments and their list; who may see and do what."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.polling import stations
from huanjie.polling.models import MobileVoter, Notice, Proxy, Scrutineer, Station
from huanjie.polling.views import setup

pytestmark = pytest.mark.usefixtures("english")

HTMX = {"HX-Request": "true"}


def url(name, election, *extra):
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *extra])


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def scan(name="authorisation.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


@pytest.fixture
def ready(election, formal, roll, media):
    """金茶村 with its final list, voting in three days."""
    election.election_day = timezone.localdate() + timedelta(days=3)
    election.save()
    return election


@pytest.fixture
def central(ready, user_committee_a1):
    return stations.add_station(user_committee_a1, ready, kind="central", name="中心会场")


@pytest.fixture
def box(ready, user_committee_a1):
    return stations.add_station(user_committee_a1, ready, kind="mobile_box", name="流动票箱一")


# Stations


def test_a_station_set_up_through_the_page_shows_too_few_scrutineers(ready, committee):
    response = committee.post(
        url("polling-station-add", ready),
        {"kind": "central", "name": "中心会场", "location": "村部礼堂", "booths": "3"},
        follow=True,
    )
    station = Station.objects.get()
    assert response.redirect_chain[-1][0] == url("polling-station", ready, station.pk)
    body = response.content.decode()
    assert 'data-code="scrutineers.too_few"' in body
    assert "中心会场 needs at least 3 scrutineers; it has 0." in body
    listing = committee.get(url("polling-stations", ready)).content.decode()
    assert 'data-name="中心会场"' in listing and "村部礼堂" in listing


def test_a_refused_station_keeps_what_was_typed(central, ready, committee):
    response = committee.post(
        url("polling-station-add", ready),
        {"kind": "station", "name": "中心会场", "location": "二组晒谷坪", "booths": "2"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "already has a station called 中心会场" in body
    assert 'value="二组晒谷坪"' in body
    assert Station.objects.count() == 1


def test_a_near_relative_of_a_candidate_is_refused_in_place(central, ready, committee):
    response = committee.post(
        url("polling-scrutineer-add", ready, central.pk), {"voter": "王强"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="duties"' in body
    assert "王强 is the spouse of candidate 王芳" in body
    assert 'value="王强"' in body
    assert not Scrutineer.objects.exists()


def test_three_scrutineers_put_the_station_in_order(central, ready, committee, roll):
    for voter in ("丁一", str(roll["许静"].number), roll["陈霞"].id_number):
        committee.post(
            url("polling-scrutineer-add", ready, central.pk), {"voter": voter}, headers=HTMX
        )
    body = committee.post(
        url("polling-scrutineer-add", ready, central.pk),
        {"voter": "朱红", "role": "counter"},
        headers=HTMX,
    ).content.decode()
    assert "scrutineers.too_few" not in body
    assert "people are in order" in body
    chief = Scrutineer.objects.get(voter__name="丁一")
    committee.post(url("polling-scrutineer-chief", ready, central.pk, chief.pk), headers=HTMX)
    assert Scrutineer.objects.get(pk=chief.pk).chief
    listing = committee.get(url("polling-stations", ready)).content.decode()
    assert "丁一 <small>(chief)</small>" in listing
    counter = Scrutineer.objects.get(voter__name="朱红")
    committee.post(url("polling-scrutineer-remove", ready, central.pk, counter.pk))
    assert Scrutineer.objects.count() == 3


def test_a_station_is_edited_and_removed(central, ready, committee):
    response = committee.post(
        url("polling-station-edit", ready, central.pk), {"name": "", "booths": "2"}
    )
    assert "A station needs a name." in response.content.decode()
    committee.post(
        url("polling-station-edit", ready, central.pk),
        {"name": "中心会场", "location": "村部", "booths": "2"},
    )
    assert Station.objects.get().booths == 2
    committee.post(url("polling-station-delete", ready, central.pk))
    assert not Station.objects.exists()


# A mobile box


def test_the_mobile_box_list_is_approved_and_posted(box, ready, committee):
    body = committee.post(
        url("polling-mobile-add", ready, box.pk),
        {"voter": "陈霞", "reason": "年老行动不便"},
        headers=HTMX,
    ).content.decode()
    assert 'data-name="陈霞"' in body and "年老行动不便" in body
    refused = committee.post(
        url("polling-mobile-add", ready, box.pk), {"voter": "陈霞", "reason": "又一次"}
    )
    assert "already on the list of 流动票箱一" in refused.content.decode()
    today = timezone.localdate().isoformat()
    committee.post(url("polling-mobile-approve", ready, box.pk), {"approved_on": today})
    page = committee.post(
        url("polling-mobile-publish", ready, box.pk), {"published_on": today}, follow=True
    ).content.decode()
    assert "The posted list (PDF)" in page
    notice = Notice.objects.get(kind="mobile_box")
    assert notice.station == box
    text = pdf_text(committee.get(url("polling-mobile-notice", ready, box.pk)))
    assert "流动票箱投票选民名单公告" in text and "陈霞" in text
    listing = committee.get(url("polling-stations", ready)).content.decode()
    assert "posted" in listing


def test_publishing_an_unapproved_box_is_refused_in_place(box, ready, committee):
    response = committee.post(url("polling-mobile-approve", ready, box.pk), {})
    assert "has no voters to approve" in response.content.decode()


def test_an_ordinary_station_has_no_voters_page(central, ready, committee):
    assert committee.get(url("polling-mobile", ready, central.pk)).status_code == 404


# Proxies


def entrust(client, election, entruster, proxy, relation="sibling", **extra):
    data = {
        "entruster": entruster,
        "proxy": proxy,
        "relation": relation,
        "signed_on": timezone.localdate().isoformat(),
        "authorisation": scan(),
        **extra,
    }
    return client.post(url("polling-proxy-add", election), data)


def test_an_entrustment_is_registered_and_listed_with_masked_ids(ready, committee, roll):
    response = entrust(committee, ready, "王芳", "王强", "spouse")
    assert response.status_code == 302
    page = committee.get(url("polling-proxies", ready)).content.decode()
    assert 'data-entruster="王芳"' in page and 'data-proxy="王强"' in page
    assert roll["王芳"].id_number not in page
    assert roll["王芳"].id_number[-4:] in page
    line = Proxy.objects.get()
    download = committee.get(url("polling-proxy-authorisation", ready, line.pk))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"


def test_a_candidate_refused_as_proxy_in_place(ready, committee):
    response = entrust(committee, ready, "丁一", "刘伟")
    body = response.content.decode()
    assert response.status_code == 200
    assert "刘伟 is a candidate of this election" in body
    assert 'value="丁一"' in body and 'value="刘伟"' in body
    assert not Proxy.objects.exists()


def test_the_fourth_entrustment_is_refused_with_the_national_limit(ready, committee):
    for name in ("丁一", "许静", "陈霞"):
        entrust(committee, ready, name, "朱红")
    body = entrust(committee, ready, "张勇", "朱红").content.decode()
    assert "a voter may accept at most 3" in body
    assert Proxy.objects.count() == 3


def test_the_authorisation_is_required(ready, committee):
    body = entrust(committee, ready, "丁一", "朱红", authorisation="").content.decode()
    assert "Attach the written authorisation" in body


def test_a_contradicted_relation_is_registered_with_a_warning(ready, committee):
    page = entrust(committee, ready, "王芳", "王强", "sibling")
    page = committee.get(page.url).content.decode()
    assert "the family records say spouse" in page


def test_search_and_pages(ready, committee, monkeypatch):
    for name in ("丁一", "许静", "陈霞"):
        entrust(committee, ready, name, "朱红")
    entrust(committee, ready, "王芳", "王强", "spouse")
    monkeypatch.setattr(setup, "PROXIES_PER_PAGE", 2)
    first = committee.get(url("polling-proxies", ready)).content.decode()
    assert "page 1 of 2" in first and first.count("data-entruster=") == 2
    second = committee.get(url("polling-proxies", ready) + "?page=2").content.decode()
    assert second.count("data-entruster=") == 2
    found = committee.get(
        url("polling-proxies", ready) + "?q=王芳", headers={**HTMX, "HX-Target": "proxy-list"}
    ).content.decode()
    assert "<html" not in found and found.startswith('<div id="proxy-list">')
    assert 'data-entruster="王芳"' in found and 'data-entruster="丁一"' not in found


def test_the_list_is_published_before_d_and_printed(ready, committee):
    entrust(committee, ready, "王芳", "王强", "spouse")
    committee.post(
        url("polling-proxies-publish", ready), {"published_on": timezone.localdate().isoformat()}
    )
    notice = Notice.objects.get(kind="proxies")
    page = committee.get(url("polling-proxies", ready)).content.decode()
    link = url("polling-proxies-notice", ready, notice.pk)
    assert link in page
    text = pdf_text(committee.get(link))
    assert "委托投票名单公告" in text and "王芳" in text and "王强" in text


def test_on_election_day_nothing_changes(ready, committee, user_committee_a1):
    entrust(committee, ready, "王芳", "王强", "spouse")
    ready.election_day = timezone.localdate()
    ready.save()
    page = committee.get(url("polling-proxies", ready)).content.decode()
    assert 'class="proxy-add"' not in page and "proxy-withdraw" not in page
    refused = committee.post(
        url("polling-proxies-publish", ready), {"published_on": timezone.localdate().isoformat()}
    )
    assert "§6" in refused.content.decode()
    withdraw = committee.post(
        url("polling-proxy-withdraw", ready, Proxy.objects.get().pk), follow=True
    )
    assert "§6" in withdraw.content.decode()
    assert Proxy.objects.count() == 1 and not Notice.objects.exists()


def test_withdrawn_before_d(ready, committee):
    entrust(committee, ready, "丁一", "朱红")
    line = Proxy.objects.get()
    committee.post(url("polling-proxy-withdraw", ready, line.pk), {"reason": "回村投票"})
    assert not Proxy.objects.exists()
    assert Record.objects.get(action="polling.proxy_withdraw").after == {"reason": "回村投票"}


# Who may see and do what


def test_observers_read_but_change_nothing(central, box, ready, client_for, user_observer):
    observer = client_for(user_observer)
    assert observer.get(url("polling-stations", ready)).status_code == 200
    assert observer.get(url("polling-station", ready, central.pk)).status_code == 200
    assert observer.get(url("polling-mobile", ready, box.pk)).status_code == 200
    page = observer.get(url("polling-proxies", ready)).content.decode()
    assert 'class="proxy-add"' not in page
    posts = [
        url("polling-station-add", ready),
        url("polling-station-edit", ready, central.pk),
        url("polling-station-delete", ready, central.pk),
        url("polling-scrutineer-add", ready, central.pk),
        url("polling-mobile-add", ready, box.pk),
        url("polling-mobile-approve", ready, box.pk),
        url("polling-proxy-add", ready),
        url("polling-proxies-publish", ready),
    ]
    for path in posts:
        assert observer.post(path, {"name": "x", "voter": "丁一"}).status_code == 403, path
    assert Station.objects.count() == 2 and not Scrutineer.objects.exists()
    assert not Record.objects.filter(username="observer").exists()


def test_another_township_sees_nothing(central, ready, client_for, user_township_b):
    other = client_for(user_township_b)
    for path in (
        url("polling-stations", ready),
        url("polling-station", ready, central.pk),
        url("polling-proxies", ready),
    ):
        assert other.get(path).status_code == 404, path
    assert other.post(url("polling-station-add", ready), {"name": "x"}).status_code == 404
    assert other.post(url("polling-scrutineer-add", ready, central.pk)).status_code == 404


def test_the_township_runs_the_vote_too(central, ready, client_for, user_township_a):
    township = client_for(user_township_a)
    township.post(url("polling-scrutineer-add", ready, central.pk), {"voter": "丁一"})
    assert Scrutineer.objects.get().voter.name == "丁一"


# The API


def test_api_stations_with_findings(central, ready, committee):
    base = f"/api/elections/{ready.pk}/stations"
    (listed,) = committee.get(base).json()
    assert listed["name"] == "中心会场"
    assert [f["code"] for f in listed["findings"]] == ["scrutineers.too_few"]
    made = committee.post(
        base, {"kind": "mobile_box", "name": "流动票箱一"}, content_type="application/json"
    )
    assert made.status_code == 200 and made.json()["kind"] == "mobile_box"
    refused = committee.post(
        f"/api/stations/{central.pk}/scrutineers",
        {"voter": "王强"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "王强 is the spouse of candidate 王芳" in refused.json()["detail"]
    added = committee.post(
        f"/api/stations/{central.pk}/scrutineers",
        {"voter": "丁一", "chief": True},
        content_type="application/json",
    ).json()
    (duty,) = added["scrutineers"]
    assert duty["chief"] and duty["voter"]["name"] == "丁一"
    assert "*" in duty["voter"]["id_number"]
    assert added["findings"][0]["params"]["scrutineers"] == 1
    box = made.json()["id"]
    voters = committee.post(
        f"/api/stations/{box}/mobile-voters",
        {"voter": "陈霞", "reason": "卧病在床"},
        content_type="application/json",
    ).json()
    assert [v["voter"]["name"] for v in voters["voters"]] == ["陈霞"]


def test_api_proxies(ready, committee, roll):
    base = f"/api/elections/{ready.pk}/proxies"
    check = committee.post(
        f"{base}/check",
        {"entruster": "丁一", "proxy": "刘伟", "relation": "sibling"},
        content_type="application/json",
    ).json()
    assert [f["code"] for f in check] == ["proxies.candidate"]
    fields = {
        "entruster": "王芳",
        "proxy": "王强",
        "relation": "sibling",
        "signed_on": timezone.localdate().isoformat(),
    }
    made = committee.post(base, {**fields, "authorisation": scan()})
    assert made.status_code == 200, made.content
    answer = made.json()
    assert answer["entrustment"]["proxy"]["name"] == "王强"
    assert [f["code"] for f in answer["findings"]] == ["proxies.relation_disagrees"]
    missing = committee.post(base, {**fields, "entruster": "丁一", "proxy": "朱红"})
    assert missing.status_code == 400 and "authorisation" in missing.json()["detail"]
    listed = committee.get(base + "?q=王").json()
    assert listed["count"] == 1
    assert listed["items"][0]["entruster"]["id_number"] != roll["王芳"].id_number
    published = committee.post(
        f"{base}/publish",
        {"published_on": timezone.localdate().isoformat()},
        content_type="application/json",
    ).json()
    assert (published["kind"], published["people"]) == ("proxies", 1)
    line = Proxy.objects.get()
    gone = committee.post(
        f"/api/proxies/{line.pk}/withdraw", {"reason": "x"}, content_type="application/json"
    )
    assert gone.json()["entruster"]["name"] == "王芳" and not Proxy.objects.exists()


def test_api_permissions(central, ready, client_for, user_observer, user_township_b):
    observer = client_for(user_observer)
    assert observer.get(f"/api/elections/{ready.pk}/stations").status_code == 200
    assert (
        observer.post(
            f"/api/elections/{ready.pk}/stations",
            {"kind": "station", "name": "一组"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        observer.post(
            f"/api/stations/{central.pk}/scrutineers",
            {"voter": "丁一"},
            content_type="application/json",
        ).status_code
        == 403
    )
    other = client_for(user_township_b)
    assert other.get(f"/api/elections/{ready.pk}/stations").status_code == 404
    assert other.get(f"/api/stations/{central.pk}").status_code == 404
    assert other.get(f"/api/elections/{ready.pk}/proxies").status_code == 404
    assert not MobileVoter.objects.exists()


def test_the_pages_in_chinese_give_the_rules_in_chinese(
    central, box, ready, client_for, user_committee_a1
):
    chinese = client_for(user_committee_a1, language="zh-hans")
    body = chinese.post(
        url("polling-scrutineer-add", ready, central.pk), {"voter": "王强"}, headers=HTMX
    ).content.decode()
    assert "王强是候选人王芳的配偶，候选人的近亲属不得担任监票人" in body
    for page in (
        url("polling-stations", ready),
        url("polling-station", ready, central.pk),
        url("polling-mobile", ready, box.pk),
        url("polling-proxies", ready),
    ):
        assert chinese.get(page).status_code == 200, page
    assert (
        "中心会场应有监票人至少3名，现为0名"
        in chinese.get(url("polling-stations", ready)).content.decode()
    )
